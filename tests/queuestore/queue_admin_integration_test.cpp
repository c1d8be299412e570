// Queue administration against the service: Create's three outcomes, Delete, metadata and the
// approximate count, Clear Messages, and List Queues by prefix, page by page.
#include <gtest/gtest.h>

#include <algorithm>

#include "queuestore/message_not_held.hpp"
#include "tests/queuestore/queue_test_fixture.hpp"

namespace fanfold::queuestore::test {
namespace {

using storage::OperationKind;

TEST_F(QueueIntegrationTest, CreateReportsExistingQueuesAsValues) {
  // SetUp created the queue without metadata.
  EXPECT_EQ(*queue_->Create(), CreateQueueOutcome::kAlreadyExists);
  const auto different = queue_->Create({.metadata = {{"owner", "someone"}}});
  ASSERT_TRUE(different.ok()) << different.status().ToString();
  EXPECT_EQ(*different, CreateQueueOutcome::kExistsWithDifferentMetadata);
  // The existing queue kept its (empty) metadata.
  const auto properties = queue_->GetProperties();
  ASSERT_TRUE(properties.ok()) << properties.status().ToString();
  EXPECT_TRUE(properties->metadata.empty());
}

TEST_F(QueueIntegrationTest, CreateWithMetadataAndReadItBack) {
  auto other = service_->GetQueueClient(testing::UniqueName("meta"));
  ASSERT_TRUE(other.ok());
  const QueueMetadata metadata = {{"Owner", "fanfold"}, {"purpose", "unit of work"}};
  EXPECT_EQ(*other->Create({.metadata = metadata}), CreateQueueOutcome::kCreated);
  EXPECT_EQ(*other->Create({.metadata = metadata}), CreateQueueOutcome::kAlreadyExists);
  EXPECT_EQ(*other->Create(), CreateQueueOutcome::kExistsWithDifferentMetadata);
  const auto properties = other->GetProperties();
  ASSERT_TRUE(properties.ok()) << properties.status().ToString();
  EXPECT_EQ(properties->approximate_message_count, 0);
  EXPECT_EQ(properties->metadata, metadata);
  EXPECT_EQ(properties->metadata.at("owner"), "fanfold");
  EXPECT_TRUE(other->Delete().ok());
}

TEST_F(QueueIntegrationTest, DeleteThenEverythingIsQueueNotFound) {
  auto other = service_->GetQueueClient(testing::UniqueName("gone"));
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(*other->Create(), CreateQueueOutcome::kCreated);
  ASSERT_TRUE(other->Delete().ok());

  const storage::Status again = other->Delete();
  EXPECT_TRUE(again.IsNotFound()) << again.ToString();
  EXPECT_EQ(again.error_code(), "QueueNotFound");
  const auto put = other->PutMessage("x");
  EXPECT_TRUE(put.status().IsNotFound()) << put.status().ToString();
  EXPECT_EQ(put.status().error_code(), "QueueNotFound");
  // A missing queue is not a lost message.
  EXPECT_FALSE(IsMessageNotHeld(put.status()));
  EXPECT_TRUE(other->GetProperties().status().IsNotFound());
}

TEST_F(QueueIntegrationTest, ApproximateCountFollowsPutsAndDeletes) {
  for (int i = 0; i < 5; ++i)
    Put("message " + std::to_string(i));
  auto properties = queue_->GetProperties();
  ASSERT_TRUE(properties.ok()) << properties.status().ToString();
  EXPECT_EQ(properties->approximate_message_count, 5);

  const auto received = Get({.max_messages = 2});
  ASSERT_EQ(received.size(), 2u);
  for (const auto& message : received) {
    EXPECT_TRUE(queue_->DeleteMessage(message.message_id, message.pop_receipt).ok());
  }
  properties = queue_->GetProperties();
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(properties->approximate_message_count, 3);
}

TEST_F(QueueIntegrationTest, ClearEmptiesTheQueue) {
  for (int i = 0; i < 6; ++i)
    Put("to be cleared");
  // One of them received (invisible) still counts and is cleared too.
  ASSERT_EQ(Get().size(), 1u);
  const auto before = Snapshot();
  ASSERT_TRUE(queue_->ClearMessages().ok());
  EXPECT_EQ((Snapshot() - before).operations_of(OperationKind::kQueueAdmin), 1u);

  EXPECT_TRUE(Get({.max_messages = 32}).empty());
  const auto peeked = queue_->PeekMessages({.max_messages = 32});
  ASSERT_TRUE(peeked.ok());
  EXPECT_TRUE(peeked->empty());
  const auto properties = queue_->GetProperties();
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(properties->approximate_message_count, 0);
  // The queue itself is still there.
  EXPECT_TRUE(queue_->PutMessage("after clear").ok());
}

TEST_F(QueueIntegrationTest, ListQueuesByPrefixInPages) {
  const std::string prefix = testing::UniqueName("list");
  std::vector<QueueClient> queues;
  for (const char* suffix : {"a", "b", "c"}) {
    auto queue = service_->GetQueueClient(prefix + suffix);
    ASSERT_TRUE(queue.ok());
    const CreateQueueOptions options = std::string(suffix) == "b"
                                           ? CreateQueueOptions{.metadata = {{"colour", "blue"}}}
                                           : CreateQueueOptions{};
    ASSERT_EQ(*queue->Create(options), CreateQueueOutcome::kCreated);
    queues.push_back(*queue);
  }

  const auto first = service_->ListQueues({.prefix = prefix, .max_results = 2});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->queues.size(), 2u);
  EXPECT_EQ(first->queues[0].name, prefix + "a");
  EXPECT_EQ(first->queues[1].name, prefix + "b");
  EXPECT_TRUE(first->queues[1].metadata.empty());  // not asked for
  ASSERT_FALSE(first->next_marker.empty());

  const auto second =
      service_->ListQueues({.prefix = prefix, .marker = first->next_marker, .max_results = 2});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_EQ(second->queues.size(), 1u);
  EXPECT_EQ(second->queues[0].name, prefix + "c");
  EXPECT_TRUE(second->next_marker.empty());

  const auto all = service_->ListAllQueues({.prefix = prefix, .include_metadata = true});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].name, prefix + "b");
  EXPECT_EQ((*all)[1].metadata, (QueueMetadata{{"colour", "blue"}}));
  EXPECT_TRUE((*all)[0].metadata.empty());

  const auto none = service_->ListAllQueues({.prefix = testing::UniqueName("nothing")});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  for (const auto& queue : queues)
    EXPECT_TRUE(queue.Delete().ok());
}

}  // namespace
}  // namespace fanfold::queuestore::test
