#include "storage/counters.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace fanfold::storage {
namespace {

TEST(CountersTest, EveryKindHasAStableNameAndService) {
  EXPECT_STREQ(OperationKindName(OperationKind::kTableBatch), "table_batch");
  EXPECT_STREQ(OperationKindName(OperationKind::kQueueUpdate), "queue_update");
  EXPECT_STREQ(OperationKindName(OperationKind::kBlobList), "blob_list");
  EXPECT_EQ(ServiceOf(OperationKind::kBlobContainer), ServiceKind::kBlob);
  EXPECT_EQ(ServiceOf(OperationKind::kTableAdmin), ServiceKind::kTable);
  EXPECT_EQ(ServiceOf(OperationKind::kQueueAdmin), ServiceKind::kQueue);
  for (int i = 0; i < kOperationKindCount; ++i) {
    EXPECT_NE(std::string(OperationKindName(static_cast<OperationKind>(i))), "");
  }
}

TEST(CountersTest, ConcurrentRecordsAreNotLost) {
  StorageCounters counters;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&counters] {
      for (int i = 0; i < 10000; ++i) {
        counters.RecordOperation(OperationKind::kQueueGet);
        counters.RecordAttempt(OperationKind::kQueueGet, 1, 2, 200);
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  const CounterSnapshot snapshot = counters.Snapshot();
  EXPECT_EQ(snapshot.operations_of(OperationKind::kQueueGet), 40000u);
  EXPECT_EQ(snapshot.bytes_sent, 40000u);
  EXPECT_EQ(snapshot.bytes_received, 80000u);
}

TEST(CountersTest, DeltasAndJson) {
  StorageCounters counters;
  counters.RecordOperation(OperationKind::kBlobRead);
  const CounterSnapshot before = counters.Snapshot();
  counters.RecordOperation(OperationKind::kTableWrite);
  counters.RecordAttempt(OperationKind::kTableWrite, 10, 0, 503);
  counters.RecordRetry(OperationKind::kTableWrite);
  counters.RecordAttempt(OperationKind::kTableWrite, 10, 0, 0);
  const CounterSnapshot delta = counters.Snapshot() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 0u);
  EXPECT_EQ(delta.total_operations(), 1u);
  EXPECT_EQ(delta.total_attempts(), 2u);
  EXPECT_EQ(delta.throttled, 1u);
  EXPECT_EQ(delta.transport_failures, 1u);
  const nlohmann::json json = delta.ToJson();
  EXPECT_EQ(json["operations"]["table_write"], 1);
  EXPECT_EQ(json["retries"]["table_write"], 1);
  EXPECT_FALSE(json["operations"].contains("blob_read"));
}

TEST(CountersTest, SumsUndoDeltas) {
  StorageCounters counters;
  counters.RecordOperation(OperationKind::kQueueGet);
  counters.RecordAttempt(OperationKind::kQueueGet, 0, 300, 200);
  const CounterSnapshot first = counters.Snapshot();
  counters.RecordOperation(OperationKind::kBlobRead);
  counters.RecordAttempt(OperationKind::kBlobRead, 0, 5000, 503);
  counters.RecordRetry(OperationKind::kBlobRead);
  const CounterSnapshot both = counters.Snapshot();
  const CounterSnapshot second = both - first;
  const CounterSnapshot sum = first + second;
  EXPECT_EQ(sum.ToJson(), both.ToJson());
  EXPECT_EQ(sum.operations_of(OperationKind::kQueueGet), 1u);
  EXPECT_EQ(sum.retries_of(OperationKind::kBlobRead), 1u);
  EXPECT_EQ(sum.bytes_received, 5300u);
  EXPECT_EQ(sum.throttled, 1u);
  CounterSnapshot running;
  running += first;
  running += second;
  EXPECT_EQ(running.ToJson(), both.ToJson());
}

}  // namespace
}  // namespace fanfold::storage
