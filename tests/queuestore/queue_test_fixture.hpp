// Shared setup of the queue integration tests: a QueueServiceClient on the test account with its
// own counters (so a test can assert exact deltas), and a fresh, uniquely named queue per test,
// deleted afterwards.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "queuestore/queue_service_client.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::queuestore::test {

class QueueIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::PipelineOptions options;
    options.counters = &counters_;
    options.retry.initial_delay = std::chrono::milliseconds(10);
    options.retry.max_delay = std::chrono::milliseconds(100);
    service_ = std::make_unique<QueueServiceClient>(testing::TestAccount(), options);
    auto queue = service_->GetQueueClient(testing::UniqueName("q"));
    ASSERT_TRUE(queue.ok()) << queue.status().ToString();
    queue_ = std::make_unique<QueueClient>(std::move(queue).value());
    const auto created = queue_->Create();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    ASSERT_EQ(*created, CreateQueueOutcome::kCreated);
  }

  void TearDown() override {
    if (queue_) {
      EXPECT_TRUE(queue_->Delete().ok());
    }
  }

  storage::CounterSnapshot Snapshot() const { return counters_.Snapshot(); }

  // Puts content and fails the test if that does not work.
  EnqueuedMessage Put(std::string_view content, const PutMessageOptions& options = {}) {
    auto sent = queue_->PutMessage(content, options);
    EXPECT_TRUE(sent.ok()) << sent.status().ToString();
    return sent.ok() ? *sent : EnqueuedMessage{};
  }

  // Receives what is visible now, failing the test on an error.
  std::vector<ReceivedMessage> Get(const GetMessagesOptions& options = {}) {
    auto received = queue_->GetMessages(options);
    EXPECT_TRUE(received.ok()) << received.status().ToString();
    return received.ok() ? *received : std::vector<ReceivedMessage>{};
  }

  static void Sleep(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

  storage::StorageCounters counters_;
  std::unique_ptr<QueueServiceClient> service_;
  std::unique_ptr<QueueClient> queue_;
};

}  // namespace fanfold::queuestore::test
