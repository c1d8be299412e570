// Messages against the service: any bytes survive the round trip, the size limit is exact and
// enforced before sending, time to live is honoured (including "never"), peek leaves messages
// alone, Get returns at most 32, and the counters record exactly the operations performed.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>
#include <string>

#include "queuestore/message_not_held.hpp"
#include "storage/http_date.hpp"
#include "tests/queuestore/queue_test_fixture.hpp"

namespace fanfold::queuestore::test {
namespace {

using std::chrono::seconds;
using storage::OperationKind;

std::string EveryByteValue() {
  std::string content;
  for (int i = 0; i < 256; ++i)
    content += static_cast<char>(i);
  // Invalid UTF-8 on purpose: a lone continuation byte, an overlong NUL, a truncated sequence.
  content += std::string("\x80\xC0\x80\xE2\x82", 5);
  content += std::string("\0\0end", 5);
  return content;
}

std::string RandomBytes(size_t size) {
  std::mt19937 random(7);
  std::string bytes(size, '\0');
  for (auto& b : bytes)
    b = static_cast<char>(random() & 0xFF);
  return bytes;
}

TEST_F(QueueIntegrationTest, BinaryContentRoundTrips) {
  const std::string content = EveryByteValue();
  ASSERT_EQ(content.size(), 266u);
  const EnqueuedMessage sent = Put(content);

  const auto peeked = queue_->PeekMessages();
  ASSERT_TRUE(peeked.ok()) << peeked.status().ToString();
  ASSERT_EQ(peeked->size(), 1u);
  EXPECT_EQ((*peeked)[0].content, content);
  EXPECT_FALSE((*peeked)[0].content_is_raw);

  const auto received = Get();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].message_id, sent.message_id);
  EXPECT_EQ(received[0].content, content);
  EXPECT_EQ(received[0].dequeue_count, 1);
  EXPECT_TRUE(queue_->DeleteMessage(received[0].message_id, received[0].pop_receipt).ok());
  EXPECT_TRUE(Get().empty());
  const auto properties = queue_->GetProperties();
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(properties->approximate_message_count, 0);
}

TEST_F(QueueIntegrationTest, XmlSpecialTextAndEmptyContentRoundTrip) {
  const std::string markup = "<a href=\"x\">&amp; ' ]]> \xC3\xBC\xE2\x82\xAC</a>";
  Put(markup);
  Put("");
  const auto received = Get({.max_messages = 2});
  ASSERT_EQ(received.size(), 2u);
  std::multiset<std::string> contents;
  for (const auto& message : received)
    contents.insert(message.content);
  EXPECT_EQ(contents, (std::multiset<std::string>{"", markup}));
}

TEST_F(QueueIntegrationTest, PutReceiptDeletesWithoutReceiving) {
  const EnqueuedMessage sent = Put("short-lived");
  EXPECT_FALSE(sent.message_id.empty());
  EXPECT_FALSE(sent.pop_receipt.empty());
  EXPECT_LE(sent.insertion_time, sent.next_visible_time);
  // Without a time to live the service keeps a message for 7 days.
  EXPECT_EQ(sent.expiration_time - sent.insertion_time, seconds(7 * 24 * 3600));
  EXPECT_TRUE(queue_->DeleteMessage(sent.message_id, sent.pop_receipt).ok());
  EXPECT_TRUE(Get().empty());
}

TEST_F(QueueIntegrationTest, TimeToLiveIsHonoured) {
  const EnqueuedMessage forever = Put("forever", {.time_to_live = kNeverExpires});
  EXPECT_EQ(forever.expiration_time,
            std::chrono::floor<seconds>(*storage::ParseIso8601("9999-12-31T23:59:59Z")));
  const EnqueuedMessage hour = Put("an hour", {.time_to_live = seconds(3600)});
  EXPECT_EQ(hour.expiration_time - hour.insertion_time, seconds(3600));

  const auto received = Get({.max_messages = 2});
  ASSERT_EQ(received.size(), 2u);
  for (const auto& message : received) {
    if (message.message_id == forever.message_id) {
      EXPECT_EQ(message.expiration_time, forever.expiration_time);
    } else {
      EXPECT_EQ(message.expiration_time, hour.expiration_time);
    }
  }
}

TEST_F(QueueIntegrationTest, LargestMessageFitsAndOneMoreByteIsRefusedBeforeSending) {
  const std::string largest = RandomBytes(kMaxMessageContentBytes);  // 65536 once encoded
  Put(largest);
  const auto received = Get();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].content, largest);

  const auto before = Snapshot();
  const auto too_big = queue_->PutMessage(RandomBytes(kMaxMessageContentBytes + 1));
  ASSERT_TRUE(too_big.status().IsInvalidArgument()) << too_big.status().ToString();
  EXPECT_NE(too_big.status().message().find("49153 bytes"), std::string::npos);
  EXPECT_NE(too_big.status().message().find("65540 bytes"), std::string::npos);
  EXPECT_NE(too_big.status().message().find("65536"), std::string::npos);
  const auto update = queue_->UpdateMessage(received[0].message_id, received[0].pop_receipt,
                                            seconds(0), {.content = std::string(60000, 'x')});
  EXPECT_TRUE(update.status().IsInvalidArgument()) << update.status().ToString();
  const auto delta = Snapshot() - before;
  EXPECT_EQ(delta.total_operations(), 0u);
  EXPECT_EQ(delta.total_attempts(), 0u);
  EXPECT_EQ(delta.bytes_sent, 0u);
}

TEST_F(QueueIntegrationTest, InvalidArgumentsAreRefusedBeforeSending) {
  const auto before = Snapshot();
  EXPECT_TRUE(queue_->GetMessages({.max_messages = 33}).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->GetMessages({.max_messages = 0}).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->GetMessages({.visibility_timeout = seconds(0)}).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->PeekMessages({.max_messages = 33}).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->PutMessage("x", {.visibility_delay = seconds(8 * 24 * 3600)})
                  .status()
                  .IsInvalidArgument());
  EXPECT_TRUE(queue_->PutMessage("x", {.time_to_live = seconds(0)}).status().IsInvalidArgument());
  EXPECT_TRUE(
      queue_->PutMessage("x", {.visibility_delay = seconds(10), .time_to_live = seconds(10)})
          .status()
          .IsInvalidArgument());
  EXPECT_TRUE(queue_->UpdateMessage("id", "pr", seconds(-1)).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->DeleteMessage("", "pr").IsInvalidArgument());
  EXPECT_EQ((Snapshot() - before).total_attempts(), 0u);
}

TEST_F(QueueIntegrationTest, PeekDoesNotChangeDequeueCountOrVisibility) {
  const EnqueuedMessage sent = Put("look but do not touch");
  for (int i = 0; i < 2; ++i) {
    const auto peeked = queue_->PeekMessages();
    ASSERT_TRUE(peeked.ok()) << peeked.status().ToString();
    ASSERT_EQ(peeked->size(), 1u);
    EXPECT_EQ((*peeked)[0].message_id, sent.message_id);
    EXPECT_EQ((*peeked)[0].dequeue_count, 0);
    EXPECT_EQ((*peeked)[0].content, "look but do not touch");
  }
  const auto received = Get();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].dequeue_count, 1);
  // Received messages are invisible to Peek as well.
  const auto after = queue_->PeekMessages();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

TEST_F(QueueIntegrationTest, GetReturnsAtMostThirtyTwo) {
  constexpr int kPut = 40;
  for (int i = 0; i < kPut; ++i)
    Put("m" + std::to_string(i));

  const auto peeked = queue_->PeekMessages({.max_messages = 32});
  ASSERT_TRUE(peeked.ok());
  EXPECT_LE(peeked->size(), 32u);

  const auto first = Get({.max_messages = 32});
  EXPECT_LE(first.size(), 32u);
  std::set<std::string> ids;
  for (const auto& message : first)
    ids.insert(message.message_id);
  EXPECT_EQ(ids.size(), first.size());
  const auto second = Get({.max_messages = 32});
  for (const auto& message : second)
    ids.insert(message.message_id);
  EXPECT_EQ(ids.size(), first.size() + second.size());  // no message twice
  if (testing::UsingAzurite()) {
    // Azurite returns every visible message up to the limit; Azure may return fewer.
    EXPECT_EQ(peeked->size(), 32u);
    EXPECT_EQ(first.size(), 32u);
    EXPECT_EQ(second.size(), 8u);
  }
}

TEST_F(QueueIntegrationTest, CountersRecordExactOperations) {
  const auto before = Snapshot();
  Put("one");
  Put("two");
  const auto received = Get();
  ASSERT_EQ(received.size(), 1u);
  ASSERT_TRUE(queue_->DeleteMessage(received[0].message_id, received[0].pop_receipt).ok());
  auto delta = Snapshot() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kQueuePut), 2u);
  EXPECT_EQ(delta.operations_of(OperationKind::kQueueGet), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kQueueDelete), 1u);
  EXPECT_EQ(delta.total_operations(), 4u);
  EXPECT_EQ(delta.total_attempts(), 4u);
  EXPECT_EQ(delta.total_retries(), 0u);

  const auto middle = Snapshot();
  const auto peeked = queue_->PeekMessages();
  ASSERT_TRUE(peeked.ok());
  const auto again = Get();
  ASSERT_EQ(again.size(), 1u);
  ASSERT_TRUE(queue_->UpdateMessage(again[0].message_id, again[0].pop_receipt, seconds(0)).ok());
  ASSERT_TRUE(queue_->GetProperties().ok());
  delta = Snapshot() - middle;
  EXPECT_EQ(delta.operations_of(OperationKind::kQueuePeek), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kQueueGet), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kQueueUpdate), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kQueueAdmin), 1u);
  EXPECT_EQ(delta.total_operations(), 4u);
  EXPECT_EQ(delta.total_attempts(), 4u);
}

}  // namespace
}  // namespace fanfold::queuestore::test
