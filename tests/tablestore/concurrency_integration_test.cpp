// Optimistic concurrency under contention (8 threads incrementing one counter through
// read / If-Match replace / retry on 412 lose no update), and exact counter deltas for a small
// deterministic sequence of operations.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/tablestore/table_test_fixture.hpp"

namespace fanfold::tablestore {
namespace {

using ConcurrencyTest = TableTest;

TEST_F(ConcurrencyTest, ConditionalIncrementsLoseNoUpdate) {
  constexpr int kThreads = 8;
  constexpr int kIncrementsPerThread = 25;
  Entity counter("counters", "c");
  counter.Set("Value", int64_t{0});
  ASSERT_TRUE(table_->InsertEntity(counter).ok());

  std::atomic<int> successes{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        while (true) {
          auto read = table_->GetEntity("counters", "c");
          if (!read.ok()) {
            ++failures;
            return;
          }
          const int64_t value = *read->GetInt64("Value");
          Entity next("counters", "c");
          next.Set("Value", value + 1);
          const auto written = table_->ReplaceEntity(next, read->etag());
          if (written.ok()) {
            ++successes;
            break;
          }
          if (!written.status().IsPreconditionFailed()) {
            ++failures;
            return;
          }
          ++conflicts;
        }
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(successes.load(), kThreads * kIncrementsPerThread);
  const auto final_value = table_->GetEntity("counters", "c");
  ASSERT_TRUE(final_value.ok());
  EXPECT_EQ(*final_value->GetInt64("Value"), successes.load());
  // Every failed attempt was a 412 answered by the service, and each one was counted.
  const auto snapshot = Snapshot();
  EXPECT_EQ(snapshot.operations_of(storage::OperationKind::kTableWrite),
            static_cast<uint64_t>(1 + successes.load() + conflicts.load()));
  RecordProperty("conflicts", conflicts.load());
}

TEST_F(ConcurrencyTest, CountersShowExactOperationDeltas) {
  const auto before = Snapshot();
  Entity entity("p", "r");
  entity.Set("V", 1);
  ASSERT_TRUE(table_->InsertEntity(entity).ok());
  ASSERT_TRUE(table_->GetEntity("p", "r").ok());
  Transaction transaction;
  transaction.Insert(Entity("p", "r2")).Insert(Entity("p", "r3"));
  ASSERT_TRUE(table_->SubmitTransaction(transaction).ok());
  const auto page = table_->QueryEntities().NextPage();
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->size(), 3u);
  // A 412 and a 404 are answers, not failures: each is one operation and one attempt.
  EXPECT_TRUE(table_->ReplaceEntity(entity, "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"")
                  .status()
                  .IsPreconditionFailed());
  EXPECT_TRUE(table_->GetEntity("p", "missing").status().IsNotFound());

  const auto delta = Snapshot() - before;
  using storage::OperationKind;
  EXPECT_EQ(delta.operations_of(OperationKind::kTableWrite), 2u);
  EXPECT_EQ(delta.operations_of(OperationKind::kTableRead), 2u);
  EXPECT_EQ(delta.operations_of(OperationKind::kTableBatch), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kTableQuery), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kTableAdmin), 0u);
  EXPECT_EQ(delta.total_operations(), 6u);
  EXPECT_EQ(delta.total_attempts(), 6u);
  EXPECT_EQ(delta.total_retries(), 0u);
}

}  // namespace
}  // namespace fanfold::tablestore
