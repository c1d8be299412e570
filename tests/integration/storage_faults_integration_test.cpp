// Acceptance test of the storage foundation's fault tolerance: with 20% of requests failing
// (503 ServerBusy, timeouts, connection resets, all before the request reaches the service), a
// sequence of 1,000 table writes and queue operations ends in exactly the state the same sequence
// reaches without faults, every step sees the same answers, and the counters account for every
// retry. The faults never reach the service, so any difference would be the client's doing.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/state_diff.hpp"
#include "tests/integration/storage_lane.hpp"
#include "tests/integration/storage_workload.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::integration {
namespace {

using storage::CounterSnapshot;
using storage::OperationKind;

constexpr int kSteps = 1000;
constexpr uint64_t kWorkloadSeed = 20240601;
constexpr uint64_t kFaultSeed = 7;

storage::RetryOptions FastRetries() {
  storage::RetryOptions retry;
  retry.max_retries = 10;  // 0.2^11: a step exhausting them would take ~10^7 sequences
  retry.initial_delay = std::chrono::milliseconds(2);
  retry.max_delay = std::chrono::milliseconds(20);
  return retry;
}

std::vector<std::string> Sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

// put - received, as a sorted multiset: what a queue must still hold after a run.
std::vector<std::string> ExpectedRemaining(const WorkloadTrace& trace) {
  std::vector<std::string> remaining = Sorted(trace.put_contents);
  for (const std::string& received : trace.received_contents) {
    const auto it = std::lower_bound(remaining.begin(), remaining.end(), received);
    if (it != remaining.end() && *it == received) remaining.erase(it);
  }
  return remaining;
}

TEST(StorageFaultsTest, TwentyPercentFaultsBeforeSendingChangeNothingButTheRetryCount) {
  LaneOptions clean_options;
  clean_options.retry = FastRetries();
  auto clean = StorageLane::Create(testing::TestAccount(), "faultclean", clean_options);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();

  LaneOptions faulty_options;
  faulty_options.retry = FastRetries();
  storage::FaultOptions faults;
  faults.server_busy_rate = 0.08;
  faults.timeout_rate = 0.06;
  faults.reset_rate = 0.06;
  faults.seed = kFaultSeed;
  faulty_options.faults = faults;
  auto faulty = StorageLane::Create(testing::TestAccount(), "faulty", faulty_options);
  ASSERT_TRUE(faulty.ok()) << faulty.status().ToString();

  const auto started = std::chrono::steady_clock::now();
  auto clean_trace = RunMixedWorkload((*clean)->table(), (*clean)->queue(), kSteps, kWorkloadSeed);
  ASSERT_TRUE(clean_trace.ok()) << clean_trace.status().ToString();
  const auto clean_done = std::chrono::steady_clock::now();
  auto faulty_trace =
      RunMixedWorkload((*faulty)->table(), (*faulty)->queue(), kSteps, kWorkloadSeed);
  ASSERT_TRUE(faulty_trace.ok()) << faulty_trace.status().ToString();
  const auto faulty_done = std::chrono::steady_clock::now();

  // Step by step, the faulty run saw exactly what the clean one saw (no step needed a re-read:
  // a fault before sending cannot make a conditional write fail).
  ASSERT_EQ(clean_trace->steps.size(), static_cast<size_t>(kSteps));
  EXPECT_EQ(FirstDifference(clean_trace->steps, faulty_trace->steps), "");
  EXPECT_EQ(clean_trace->put_contents, faulty_trace->put_contents);

  // The final tables are equal, entity by entity and property by property.
  auto clean_table = ReadTableState((*clean)->clean_table());
  auto faulty_table = ReadTableState((*faulty)->clean_table());
  ASSERT_TRUE(clean_table.ok()) << clean_table.status().ToString();
  ASSERT_TRUE(faulty_table.ok()) << faulty_table.status().ToString();
  EXPECT_GT(clean_table->size(), 100u);  // the comparison is not between two empty tables
  EXPECT_EQ(DescribeDifference(*clean_table, *faulty_table), "");

  // Each queue holds exactly what was put and not received: nothing lost, nothing twice.
  auto clean_queue = DrainQueue((*clean)->clean_queue());
  auto faulty_queue = DrainQueue((*faulty)->clean_queue());
  ASSERT_TRUE(clean_queue.ok()) << clean_queue.status().ToString();
  ASSERT_TRUE(faulty_queue.ok()) << faulty_queue.status().ToString();
  EXPECT_GT(clean_queue->size(), 10u);
  EXPECT_EQ(*clean_queue, ExpectedRemaining(*clean_trace));
  EXPECT_EQ(*faulty_queue, ExpectedRemaining(*faulty_trace));
  if (testing::UsingAzurite()) {
    // Azurite hands out messages oldest first, so both runs received the same ones; Azure does
    // not promise an order, so there only the consistency above is certain.
    EXPECT_EQ(clean_trace->received_contents, faulty_trace->received_contents);
    EXPECT_EQ(*clean_queue, *faulty_queue);
  }

  // Counters: the same operations of every kind; on the wire, one attempt per operation plus one
  // per retry; and exactly one retry per injected fault.
  const CounterSnapshot a = (*clean)->counters();
  const CounterSnapshot b = (*faulty)->counters();
  const storage::FaultCounts injected = (*faulty)->faults()->counts();
  EXPECT_EQ(a.total_retries(), 0u);
  EXPECT_EQ(a.total_attempts(), a.total_operations());
  for (int k = 0; k < storage::kOperationKindCount; ++k) {
    const auto kind = static_cast<OperationKind>(k);
    const char* name = storage::OperationKindName(kind);
    EXPECT_EQ(b.operations_of(kind), a.operations_of(kind)) << name;
    EXPECT_EQ(b.attempts_of(kind), b.operations_of(kind) + b.retries_of(kind)) << name;
  }
  EXPECT_EQ(b.total_retries(), injected.total_faults());
  EXPECT_EQ(b.total_attempts(), injected.requests);
  EXPECT_EQ(b.throttled, injected.server_busy);
  EXPECT_EQ(b.transport_failures, injected.timeouts + injected.resets);
  EXPECT_GT(injected.server_busy, 0u);
  EXPECT_GT(injected.timeouts, 0u);
  EXPECT_GT(injected.resets, 0u);
  const double fault_share =
      static_cast<double>(injected.total_faults()) / static_cast<double>(injected.requests);
  EXPECT_NEAR(fault_share, 0.20, 0.03);
  // Every kind the workload uses was exercised and saw retries.
  for (const OperationKind kind :
       {OperationKind::kTableRead, OperationKind::kTableWrite, OperationKind::kTableBatch,
        OperationKind::kQueuePut, OperationKind::kQueueGet, OperationKind::kQueueDelete}) {
    EXPECT_GT(a.operations_of(kind), 10u) << storage::OperationKindName(kind);
    EXPECT_GT(b.retries_of(kind), 0u) << storage::OperationKindName(kind);
  }

  const auto ms = [](auto duration) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  };
  RecordProperty("operations", static_cast<int>(a.total_operations()));
  RecordProperty("retries", static_cast<int>(b.total_retries()));
  RecordProperty("clean_ms", static_cast<int>(ms(clean_done - started)));
  RecordProperty("faulty_ms", static_cast<int>(ms(faulty_done - clean_done)));
  std::printf(
      "%d steps: %llu operations; faulty run: %llu attempts, %llu retries "
      "(%llu busy, %llu timeouts, %llu resets); clean %lld ms, faulty %lld ms\n",
      kSteps, static_cast<unsigned long long>(a.total_operations()),
      static_cast<unsigned long long>(b.total_attempts()),
      static_cast<unsigned long long>(b.total_retries()),
      static_cast<unsigned long long>(injected.server_busy),
      static_cast<unsigned long long>(injected.timeouts),
      static_cast<unsigned long long>(injected.resets),
      static_cast<long long>(ms(clean_done - started)),
      static_cast<long long>(ms(faulty_done - clean_done)));
  std::printf("faulty run counters: %s\n", b.ToJson().dump().c_str());
}

}  // namespace
}  // namespace fanfold::integration
