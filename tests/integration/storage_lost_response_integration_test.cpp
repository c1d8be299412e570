// The ambiguous fault: the service acted, but its answer was lost, and the pipeline's retry
// repeats a request that already took effect. The client cannot tell, so it reports what the
// retry got — 409 for an insert, 412 for a conditional write, a second copy for a queue put —
// and these tests pin that down: nothing is lost, the caller learns enough to recover by reading
// (as TableClient and QueueClient document), and idempotent writes converge regardless.
#include <gtest/gtest.h>

#include <chrono>
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
using tablestore::Entity;

storage::FaultOptions LoseEveryAnswer() {
  storage::FaultOptions options;
  options.lost_response_rate = 1.0;
  return options;
}

// A lane whose next operation loses the answer of its first attempt and only that one.
std::unique_ptr<StorageLane> LaneLosingOneAnswer() {
  LaneOptions options;
  options.faults = storage::FaultOptions{};  // armed per test, right before the operation
  options.disarm_faults_on_retry = true;
  auto lane = StorageLane::Create(testing::TestAccount(), "lost", options);
  EXPECT_TRUE(lane.ok()) << lane.status().ToString();
  return lane.ok() ? std::move(lane).value() : nullptr;
}

// One operation of `kind`, two attempts (the lost one and its retry), one retry.
void ExpectOneRetriedOperation(const CounterSnapshot& counters, OperationKind kind) {
  EXPECT_EQ(counters.total_operations(), 1u);
  EXPECT_EQ(counters.operations_of(kind), 1u);
  EXPECT_EQ(counters.attempts_of(kind), 2u);
  EXPECT_EQ(counters.retries_of(kind), 1u);
}

TEST(LostResponseTest, InsertWhoseAnswerWasLostReportsConflictButTheRowIsStored) {
  auto lane = LaneLosingOneAnswer();
  ASSERT_NE(lane, nullptr);
  Entity entity("p", "r");
  entity.Set("Value", "first");

  lane->faults()->set_options(LoseEveryAnswer());
  const auto inserted = lane->table().InsertEntity(entity);

  ASSERT_FALSE(inserted.ok());
  EXPECT_TRUE(inserted.status().IsConflict()) << inserted.status().ToString();
  EXPECT_EQ(inserted.status().error_code(), "EntityAlreadyExists");
  EXPECT_EQ(lane->faults()->counts().lost_responses, 1u);
  ExpectOneRetriedOperation(lane->counters(), OperationKind::kTableWrite);
  // The 409 is our own first attempt: reading shows the row, exactly as written.
  const auto stored = lane->clean_table().GetEntity("p", "r");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->properties(), entity.properties());
}

TEST(LostResponseTest, ConditionalWriteWhoseAnswerWasLostReportsPreconditionFailedButApplied) {
  auto lane = LaneLosingOneAnswer();
  ASSERT_NE(lane, nullptr);
  Entity original("p", "r");
  original.Set("Counter", int64_t{1});
  const auto created = lane->clean_table().InsertEntity(original);
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  Entity next("p", "r");
  next.Set("Counter", int64_t{2});
  lane->faults()->set_options(LoseEveryAnswer());
  const auto replaced = lane->table().ReplaceEntity(next, created->etag);

  // The retry carried the ETag the first attempt had already made stale.
  ASSERT_FALSE(replaced.ok());
  EXPECT_TRUE(replaced.status().IsPreconditionFailed()) << replaced.status().ToString();
  ExpectOneRetriedOperation(lane->counters(), OperationKind::kTableWrite);
  // Re-reading after a 412, as a read-modify-write loop does, shows the write took effect, so
  // the caller must compare rather than blindly re-apply a non-idempotent change.
  const auto stored = lane->clean_table().GetEntity("p", "r");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored->GetInt64("Counter"), 2);
  EXPECT_NE(stored->etag(), created->etag);
}

TEST(LostResponseTest, PutMessageWhoseAnswerWasLostEnqueuesTheMessageTwice) {
  auto lane = LaneLosingOneAnswer();
  ASSERT_NE(lane, nullptr);

  lane->faults()->set_options(LoseEveryAnswer());
  const auto put = lane->queue().PutMessage("once");

  // The caller sees one success; the queue holds two copies (delivery is at least once).
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  ExpectOneRetriedOperation(lane->counters(), OperationKind::kQueuePut);
  const auto contents = DrainQueue(lane->clean_queue());
  ASSERT_TRUE(contents.ok()) << contents.status().ToString();
  EXPECT_EQ(*contents, (std::vector<std::string>{"once", "once"}));
}

TEST(LostResponseTest, UpsertOnlySequenceConvergesUnderLostAnswers) {
  constexpr int kUpsertSteps = 400;
  constexpr uint64_t kSeed = 99;
  storage::RetryOptions retry;
  retry.max_retries = 10;
  retry.initial_delay = std::chrono::milliseconds(2);
  retry.max_delay = std::chrono::milliseconds(20);

  LaneOptions clean_options;
  clean_options.retry = retry;
  auto clean = StorageLane::Create(testing::TestAccount(), "upclean", clean_options);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  LaneOptions lossy_options;
  lossy_options.retry = retry;
  storage::FaultOptions faults;
  faults.lost_response_rate = 0.10;
  faults.server_busy_rate = 0.05;
  faults.reset_rate = 0.05;
  faults.seed = 11;
  lossy_options.faults = faults;
  auto lossy = StorageLane::Create(testing::TestAccount(), "uplossy", lossy_options);
  ASSERT_TRUE(lossy.ok()) << lossy.status().ToString();

  const auto clean_run = RunUpsertWorkload((*clean)->table(), kUpsertSteps, kSeed);
  ASSERT_TRUE(clean_run.ok()) << clean_run.status().ToString();
  const auto lossy_run = RunUpsertWorkload((*lossy)->table(), kUpsertSteps, kSeed);
  ASSERT_TRUE(lossy_run.ok()) << lossy_run.status().ToString();

  const auto clean_state = ReadTableState((*clean)->clean_table());
  const auto lossy_state = ReadTableState((*lossy)->clean_table());
  ASSERT_TRUE(clean_state.ok()) << clean_state.status().ToString();
  ASSERT_TRUE(lossy_state.ok()) << lossy_state.status().ToString();
  EXPECT_GT(clean_state->size(), 100u);
  EXPECT_EQ(DescribeDifference(*clean_state, *lossy_state), "");

  const CounterSnapshot a = (*clean)->counters();
  const CounterSnapshot b = (*lossy)->counters();
  const storage::FaultCounts injected = (*lossy)->faults()->counts();
  EXPECT_GT(injected.lost_responses, 10u);
  EXPECT_EQ(b.total_retries(), injected.total_faults());
  EXPECT_EQ(b.total_attempts(), injected.requests);
  for (int k = 0; k < storage::kOperationKindCount; ++k) {
    const auto kind = static_cast<OperationKind>(k);
    EXPECT_EQ(b.operations_of(kind), a.operations_of(kind)) << storage::OperationKindName(kind);
    EXPECT_EQ(b.attempts_of(kind), b.operations_of(kind) + b.retries_of(kind))
        << storage::OperationKindName(kind);
  }
}

}  // namespace
}  // namespace fanfold::integration
