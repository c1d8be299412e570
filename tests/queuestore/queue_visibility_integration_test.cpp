// Visibility against the service, in real time (short timeouts, so each test sleeps a second or
// three): an unexpired lease hides a message, an expired one hands it to the next receiver with
// a new pop receipt and the old receipt stops working; Update extends the lease and replaces the
// content; a visibility delay on Put hides a new message until due.
#include <gtest/gtest.h>

#include <chrono>

#include "queuestore/message_not_held.hpp"
#include "tests/queuestore/queue_test_fixture.hpp"

namespace fanfold::queuestore::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(QueueIntegrationTest, ExpiredVisibilityRedeliversAndOldReceiptIsDead) {
  const EnqueuedMessage sent = Put("work item");
  const auto first = Get({.visibility_timeout = seconds(1)});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].dequeue_count, 1);
  EXPECT_TRUE(Get().empty());  // held by the first receiver

  Sleep(milliseconds(1500));
  const auto second = Get({.visibility_timeout = seconds(30)});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].message_id, sent.message_id);
  EXPECT_EQ(second[0].dequeue_count, 2);
  EXPECT_NE(second[0].pop_receipt, first[0].pop_receipt);
  EXPECT_EQ(second[0].content, "work item");

  // The first receiver no longer holds it: neither delete nor update works with its receipt.
  const storage::Status stale_delete =
      queue_->DeleteMessage(first[0].message_id, first[0].pop_receipt);
  EXPECT_TRUE(IsMessageNotHeld(stale_delete)) << stale_delete.ToString();
  const auto stale_update =
      queue_->UpdateMessage(first[0].message_id, first[0].pop_receipt, seconds(10));
  EXPECT_TRUE(IsMessageNotHeld(stale_update.status())) << stale_update.status().ToString();
  if (testing::UsingAzurite()) {
    EXPECT_EQ(stale_delete.http_status(), 400);
    EXPECT_EQ(stale_delete.error_code(), kPopReceiptMismatchCode);
  }

  // The current holder deletes it; after that the message is gone for everyone, and a repeated
  // delete is the other wording of "not held": 404 MessageNotFound.
  ASSERT_TRUE(queue_->DeleteMessage(second[0].message_id, second[0].pop_receipt).ok());
  const storage::Status repeated =
      queue_->DeleteMessage(second[0].message_id, second[0].pop_receipt);
  EXPECT_TRUE(IsMessageNotHeld(repeated)) << repeated.ToString();
  EXPECT_EQ(repeated.http_status(), 404);
  EXPECT_EQ(repeated.error_code(), kMessageNotFoundCode);
  const auto peeked = queue_->PeekMessages();
  ASSERT_TRUE(peeked.ok());
  EXPECT_TRUE(peeked->empty());
}

TEST_F(QueueIntegrationTest, UpdateExtendsInvisibilityAndReplacesContent) {
  const EnqueuedMessage sent = Put("version 1");
  const auto received = Get({.visibility_timeout = seconds(1)});
  ASSERT_EQ(received.size(), 1u);

  const auto updated = queue_->UpdateMessage(received[0].message_id, received[0].pop_receipt,
                                             seconds(3), {.content = std::string("version 2")});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_NE(updated->pop_receipt, received[0].pop_receipt);
  EXPECT_GE(updated->next_visible_time - received[0].next_visible_time, seconds(1));

  // Past the original 1 s lease, the message is still hidden thanks to the update.
  Sleep(milliseconds(1500));
  EXPECT_TRUE(Get().empty());
  const auto peeked = queue_->PeekMessages();
  ASSERT_TRUE(peeked.ok());
  EXPECT_TRUE(peeked->empty());

  Sleep(milliseconds(2000));
  const auto again = Get();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].message_id, sent.message_id);
  EXPECT_EQ(again[0].content, "version 2");
  EXPECT_EQ(again[0].dequeue_count, 2);
  // The receipt Update returned is dead too now that the message was received again.
  EXPECT_TRUE(IsMessageNotHeld(queue_->DeleteMessage(sent.message_id, updated->pop_receipt)));
  EXPECT_TRUE(queue_->DeleteMessage(again[0].message_id, again[0].pop_receipt).ok());
}

TEST_F(QueueIntegrationTest, UpdateToZeroReleasesAndKeepsContent) {
  Put("keep me");
  const auto received = Get({.visibility_timeout = seconds(60)});
  ASSERT_EQ(received.size(), 1u);
  const auto released =
      queue_->UpdateMessage(received[0].message_id, received[0].pop_receipt, seconds(0));
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  const auto again = Get();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].content, "keep me");
  EXPECT_EQ(again[0].dequeue_count, 2);
}

TEST_F(QueueIntegrationTest, VisibilityDelayHidesNewMessageUntilDue) {
  const EnqueuedMessage sent = Put("later", {.visibility_delay = seconds(1)});
  EXPECT_EQ(sent.next_visible_time - sent.insertion_time, seconds(1));
  EXPECT_TRUE(Get().empty());
  const auto peeked = queue_->PeekMessages();
  ASSERT_TRUE(peeked.ok());
  EXPECT_TRUE(peeked->empty());
  const auto properties = queue_->GetProperties();
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(properties->approximate_message_count, 1);  // it exists, just not visible

  Sleep(milliseconds(1500));
  const auto received = Get();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].message_id, sent.message_id);
  EXPECT_EQ(received[0].dequeue_count, 1);
}

}  // namespace
}  // namespace fanfold::queuestore::test
