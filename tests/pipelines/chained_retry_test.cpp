// Failed chunks of a chained job: the job ends Failed listing them, every completed partial is
// kept, and `fanfold retry` (RetryChainedJob) moves only their poisoned messages back, so the job
// completes with the uninterrupted result while the chunks that had succeeded never run again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/queue_stage.hpp"
#include "tests/pipelines/chained_test_harness.hpp"

namespace fanfold::pipelines::chained::test {
namespace {

using pipelines::test::ReadFile;
using pipelines::test::SampleCustomerPath;

TEST_F(ChainedPipelineTest, FailedChunksAreListedAndRetryRerunsOnlyThem) {
  const std::string content = ReadFile(SampleCustomerPath());
  SetFailing({2, 5});
  StartStages();
  const std::string job = Submit("failing.tbl", content, 7);
  ASSERT_FALSE(job.empty());

  auto failed = WaitFinished(job);
  ASSERT_TRUE(failed.has_value());
  ASSERT_EQ(failed->state, JobState::kFailed) << failed->error;
  EXPECT_EQ(failed->failed_chunks, (std::vector<std::uint32_t>{2, 5}));
  EXPECT_EQ(failed->chunks_failed, 2);
  EXPECT_EQ(failed->chunks_done, 5);
  EXPECT_NE(failed->error.find("chunks 2, 5"), std::string::npos) << failed->error;
  EXPECT_NE(failed->error.find("cannot be read"), std::string::npos) << failed->error;
  EXPECT_TRUE(failed->result.empty());
  EXPECT_TRUE(ResultBlob(job).GetProperties().status().IsNotFound());

  // Every completed partial is kept, visible, once per chunk; the failure markers are gone.
  std::set<std::uint32_t> kept;
  ASSERT_TRUE(WaitFor([&] {
    queuestore::PeekMessagesOptions peek;
    peek.max_messages = 32;
    auto messages = PartialsQueue(job).PeekMessages(peek);
    if (!messages.ok()) return false;
    kept.clear();
    for (const auto& message : *messages) {
      auto partial = PartialMessageFromJson(message.content);
      if (partial.ok() && !partial->failed) kept.insert(partial->chunk);
    }
    return messages->size() == 5;
  }));
  EXPECT_EQ(kept, (std::set<std::uint32_t>{0, 1, 3, 4, 6}));
  // The failed chunks' messages wait in the poison queue, each with its reason.
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), 2);
  // Each failed chunk had its three attempts (the trigger's default), the others one.
  EXPECT_EQ(Runs(),
            (std::map<std::uint32_t, int>{{0, 1}, {1, 1}, {2, 3}, {3, 1}, {4, 1}, {5, 3}, {6, 1}}));

  SetFailing({});
  auto retried = RetryChainedJob(*observer_, job);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->chunks_moved, (std::vector<std::uint32_t>{2, 5}));
  EXPECT_TRUE(retried->chunks_remade.empty());
  EXPECT_FALSE(retried->split_restarted);
  auto running = observer_->jobs.GetJob(job);
  ASSERT_TRUE(running.ok());
  EXPECT_EQ(running->state, JobState::kRunning);
  EXPECT_TRUE(running->failed_chunks.empty());
  EXPECT_TRUE(running->error.empty());

  auto completed = WaitFinished(job);
  ASSERT_TRUE(completed.has_value());
  ExpectExactResult(*completed, content);
  ExpectCleanedUp(job);
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), 0);
  // The chunks that had succeeded ran exactly once in all; the failed ones once more each.
  EXPECT_EQ(Runs(),
            (std::map<std::uint32_t, int>{{0, 1}, {1, 1}, {2, 4}, {3, 1}, {4, 1}, {5, 4}, {6, 1}}));

  // Retrying a job that is not Failed is refused, and says why.
  auto again = RetryChainedJob(*observer_, job);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsInvalidArgument());
  EXPECT_NE(again.status().message().find("Completed"), std::string::npos);
}

// 100 chunks travel in groups of 4 (chunks 4-7 in one message). Chunk 5 fails: the whole group
// retries (4, 6 and 7 computed again each time), and after the last attempt 4, 6 and 7 report
// while 5 alone is listed as failed; `fanfold retry` runs only chunk 5 again.
TEST_F(ChainedPipelineTest, AFailingChunkRetriesItsGroupAndRetryRerunsOnlyIt) {
  const std::string content = ReadFile(SampleCustomerPath());
  SetFailing({5});
  StartStages();
  const std::string job = Submit("failing-group.tbl", content, 100);
  ASSERT_FALSE(job.empty());

  auto failed = WaitFinished(job);
  ASSERT_TRUE(failed.has_value());
  ASSERT_EQ(failed->state, JobState::kFailed) << failed->error;
  EXPECT_EQ(failed->failed_chunks, (std::vector<std::uint32_t>{5}));
  EXPECT_EQ(failed->chunks_done, 99);
  EXPECT_NE(failed->error.find("cannot be read"), std::string::npos) << failed->error;
  std::map<std::uint32_t, int> expected;
  for (std::uint32_t chunk = 0; chunk < 100; ++chunk)
    expected[chunk] = chunk >= 4 && chunk < 8 ? 3 : 1;  // three attempts (the default)
  EXPECT_EQ(Runs(), expected);
  // The group's message waits in the poison queue (the hook tells the merge just before it moves).
  EXPECT_TRUE(WaitFor([&] { return QueueCount(observer_->names.chain_poison_queue) == 1; }));

  SetFailing({});
  auto retried = RetryChainedJob(*observer_, job);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->chunks_moved, (std::vector<std::uint32_t>{5}));
  EXPECT_TRUE(retried->chunks_remade.empty());
  auto completed = WaitFinished(job);
  ASSERT_TRUE(completed.has_value());
  ExpectExactResult(*completed, content);
  ExpectCleanedUp(job);
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), 0);
  expected[5] = 4;
  EXPECT_EQ(Runs(), expected);
}

TEST_F(ChainedPipelineTest, RetryLeavesOtherJobsPoisonedMessagesAlone) {
  const std::string content = ReadFile(SampleCustomerPath());
  SetFailing({0});
  options_.max_retry_backoff = std::chrono::seconds(1);
  StartStages();
  const std::string first = Submit("first.tbl", content, 3);
  const std::string second = Submit("second.tbl", content, 2);
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  auto first_failed = WaitFinished(first);
  auto second_failed = WaitFinished(second);
  ASSERT_TRUE(first_failed.has_value() && second_failed.has_value());
  EXPECT_EQ(first_failed->state, JobState::kFailed);
  EXPECT_EQ(second_failed->state, JobState::kFailed);
  EXPECT_EQ(second_failed->failed_chunks, (std::vector<std::uint32_t>{0}));
  // And a poisoned message of no job at all.
  ASSERT_TRUE(observer_->Queue(observer_->names.chain_poison_queue)
                  .PutMessage(PoisonEnvelope("elsewhere", "test", 1, "{}"))
                  .ok());

  // Chunk 0 of the second job stays failing: only the first job's chunk may move.
  auto retried = RetryChainedJob(*observer_, first);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->chunks_moved, (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), 2);
  // The moved chunk fails again (the fault is still on): the job is Failed again, still
  // retryable.
  auto failed_again = WaitFinished(first);
  ASSERT_TRUE(failed_again.has_value());
  EXPECT_EQ(failed_again->state, JobState::kFailed);
  EXPECT_EQ(failed_again->failed_chunks, (std::vector<std::uint32_t>{0}));

  SetFailing({});
  std::size_t remade = 0;  // a retry that beats a message to the poison queue remakes it
  for (const std::string& job : {first, second}) {
    auto retry = RetryChainedJob(*observer_, job);
    ASSERT_TRUE(retry.ok()) << retry.status().ToString();
    EXPECT_EQ(retry->chunks_moved.size() + retry->chunks_remade.size(), 1u);
    remade += retry->chunks_remade.size();
  }
  for (const std::string& job : {first, second}) {
    auto row = WaitFinished(job);
    ASSERT_TRUE(row.has_value());
    ExpectExactResult(*row, content);
  }
  // The one of no job (and the late originals of remade chunks).
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), static_cast<std::int64_t>(1 + remade));
}

TEST_F(ChainedPipelineTest, RetryRefusesWhatItCannotRetry) {
  auto missing = RetryChainedJob(*observer_, "no-such-job-0000000000000000");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsInvalidArgument());

  JobRow orchestrated;
  orchestrated.job = "orchestrated-job-0000000000000000";
  orchestrated.pipeline = "orchestrated";
  ASSERT_TRUE(observer_->jobs.Queue(orchestrated)->moved);
  ASSERT_TRUE(observer_->jobs.Start(orchestrated.job, "started")->moved);
  ASSERT_TRUE(observer_->jobs.Fail(orchestrated.job, JobFailure{"test", {}, {}})->moved);
  auto refused = RetryChainedJob(*observer_, orchestrated.job);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalidArgument());
  EXPECT_NE(refused.status().message().find("orchestrated"), std::string::npos);
}

}  // namespace
}  // namespace fanfold::pipelines::chained::test
