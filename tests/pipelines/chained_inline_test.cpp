// A chained job that fits in one chunk message (chunk_groups.hpp: a small upload) is merged by the
// aggregate that counts it: no partials queue, no merge message. These tests run the stages with
// the default byte floor, so the sample file's jobs take that path, and check it against the same
// guarantees as the merge stage's: the exact result written once, the requests it saves, and a
// failure (by the handler or by workers dying on the message) that ends in a Failed job listing
// its chunks, which `fanfold retry` completes.
#include <gtest/gtest.h>

#include <set>

#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chunk_groups.hpp"
#include "storage/counters.hpp"
#include "tests/pipelines/chained_test_harness.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::pipelines::chained::test {
namespace {

using pipelines::test::ReadFile;
using pipelines::test::SampleCustomerPath;
using storage::OperationKind;

class ChainedInlineTest : public ChainedPipelineTest {
 protected:
  void SetUp() override {
    ChainedPipelineTest::SetUp();
    options_.min_message_bytes = kDefaultMinMessageBytes;
  }

  // The job's one chunk message, peeked (the split must have run).
  std::optional<ChunkMessage> PeekChunkMessage() const {
    queuestore::PeekMessagesOptions peek;
    peek.max_messages = 32;
    auto messages = observer_->Queue(observer_->names.chain_chunks_queue).PeekMessages(peek);
    if (!messages.ok() || messages->size() != 1) return std::nullopt;
    auto message = ChunkMessageFromJson(messages->front().content);
    if (!message.ok()) return std::nullopt;
    return *message;
  }
};

// Storage requests of the whole job, counted on the pipeline's own context: the trigger's and the
// three stages'. Against the merge stage's way (the same job in 4 messages, run first) it saves
// the partials queue (create, length, delete), the merge message and the partials messages.
TEST_F(ChainedInlineTest, AJobInOneMessageMergesItselfWithoutAPartialsQueue) {
  const std::string content = ReadFile(SampleCustomerPath());
  storage::StorageCounters counters;
  UseCountedWorkerContext(&counters);
  StartStages({kSplitStage});
  const storage::CounterSnapshot before = counters.Snapshot();
  const std::string job = Submit("inline.tbl", content, 4);
  ASSERT_FALSE(job.empty());
  ASSERT_TRUE(WaitFor([&] { return QueueCount(observer_->names.chain_chunks_queue) == 1; }));
  auto message = PeekChunkMessage();
  ASSERT_TRUE(message.has_value());
  EXPECT_TRUE(message->merge_inline);
  EXPECT_EQ(message->inputs.size(), 4u);
  EXPECT_EQ(QueueCount(observer_->names.chain_merge_queue), 0);
  EXPECT_TRUE(PartialsQueue(job).GetProperties().status().IsNotFound());

  StartStages({kAggregateStage, kMergeStage});
  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  ExpectCleanedUp(job);
  EXPECT_EQ(row->chunks_total, 4);
  ASSERT_TRUE(WaitFor([&] { return QueueCount(observer_->names.chain_chunks_queue) == 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const storage::CounterSnapshot used = counters.Snapshot() - before;
  // The split message and the chunk message, each put and deleted once; no queue made or read.
  EXPECT_EQ(used.operations_of(OperationKind::kQueuePut), 2u);
  EXPECT_EQ(used.operations_of(OperationKind::kQueueDelete), 2u);
  EXPECT_EQ(used.operations_of(OperationKind::kQueueAdmin), 0u);
  // The job row: inserted and moved to Running by the trigger, completed by the aggregate.
  EXPECT_EQ(used.operations_of(OperationKind::kTableWrite), 3u);
  // The one write of the job's own: its result blob.
  EXPECT_EQ(used.operations_of(OperationKind::kBlobWrite), 1u);
  auto progress = GetChainedProgress(*observer_, job);
  ASSERT_TRUE(progress.ok());
  EXPECT_EQ(*progress, 0);
}

// A redelivered inline message (its worker died after the commit, or a second start) finds the
// result blob written and completes the job from it: one result, written once.
TEST_F(ChainedInlineTest, ADuplicateStartOfAnInlineJobGivesOneResult) {
  const std::string content = ReadFile(SampleCustomerPath());
  starts_per_job_ = 3;
  StartStages();
  const std::string job = Submit("inline-dup.tbl", content, 5);
  ASSERT_FALSE(job.empty());
  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  ASSERT_TRUE(WaitFor([&] {
    return QueueCount(observer_->names.chain_chunks_queue) == 0 &&
           QueueCount(observer_->names.chain_split_queue) == 0;
  }));
  auto again = observer_->jobs.GetJob(job);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->result, row->result);
  ExpectCleanedUp(job);
  EXPECT_EQ(QueueCount(observer_->names.chain_merge_queue), 0);
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), 0);
}

// A worker killed between the commit's two writes (the result blob written, the job row not yet
// ended): the message comes back, and its next delivery finds the blob and ends the row from it.
// The blob here is another job's result over the same rows in 2 chunks, so the row shows which
// one it took.
TEST_F(ChainedInlineTest, AResultBlobWrittenBeforeAKillEndsTheRowFromIt) {
  const std::string content = ReadFile(SampleCustomerPath());
  StartStages({kSplitStage});
  const std::string job = Submit("inline-killed.tbl", content, 3);
  ASSERT_FALSE(job.empty());
  const auto chunks_queue = observer_->Queue(observer_->names.chain_chunks_queue);
  ASSERT_TRUE(WaitFor([&] { return QueueCount(chunks_queue.name()) == 1; }));
  // The killed worker's hold on the message.
  queuestore::GetMessagesOptions hold;
  hold.visibility_timeout = std::chrono::seconds(60);
  auto held = chunks_queue.GetMessages(hold);
  ASSERT_TRUE(held.ok() && held->size() == 1);

  StartStages({kAggregateStage});
  const std::string other = Submit("inline-other.tbl", content, 2);
  auto other_row = WaitFinished(other);
  ASSERT_TRUE(other_row.has_value());
  ASSERT_EQ(other_row->state, JobState::kCompleted) << other_row->error;
  ASSERT_TRUE(ResultBlob(job).Upload(other_row->result).ok());  // its first write, then the kill
  ASSERT_TRUE(chunks_queue
                  .UpdateMessage(held->front().message_id, held->front().pop_receipt,
                                 std::chrono::seconds(0))
                  .ok());  // its visibility ends

  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ASSERT_EQ(row->state, JobState::kCompleted) << row->error;
  EXPECT_EQ(row->result, other_row->result);
  auto blob = ResultBlob(job).DownloadToString();
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(blob->data, row->result);
  ExpectCleanedUp(job);
}

// Chunk 2 of an inline job fails every attempt (the whole message retries, as any group does).
// On the last attempt the message falls back to the merge stage: chunks 0, 1 and 3 report to a
// partials queue made then, chunk 2 leaves a failure marker, and the merge fails the job listing
// chunk 2 alone. `fanfold retry` re-runs only chunk 2, and the job completes exactly.
TEST_F(ChainedInlineTest, AFailingChunkFallsBackToTheMergeAndRetryRerunsOnlyIt) {
  const std::string content = ReadFile(SampleCustomerPath());
  SetFailing({2});
  StartStages();
  const std::string job = Submit("inline-failing.tbl", content, 4);
  ASSERT_FALSE(job.empty());

  auto failed = WaitFinished(job);
  ASSERT_TRUE(failed.has_value());
  ASSERT_EQ(failed->state, JobState::kFailed) << failed->error;
  EXPECT_EQ(failed->failed_chunks, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(failed->chunks_done, 3);
  EXPECT_NE(failed->error.find("cannot be read"), std::string::npos) << failed->error;
  EXPECT_TRUE(ResultBlob(job).GetProperties().status().IsNotFound());
  // Three attempts at the message, each computing all four chunks.
  EXPECT_EQ(Runs(), (std::map<std::uint32_t, int>{{0, 3}, {1, 3}, {2, 3}, {3, 3}}));
  EXPECT_TRUE(WaitFor([&] { return QueueCount(observer_->names.chain_poison_queue) == 1; }));

  SetFailing({});
  auto retried = RetryChainedJob(*observer_, job);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->chunks_moved, (std::vector<std::uint32_t>{2}));
  EXPECT_FALSE(retried->split_restarted);
  auto completed = WaitFinished(job);
  ASSERT_TRUE(completed.has_value());
  ExpectExactResult(*completed, content);
  ExpectCleanedUp(job);
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), 0);
  EXPECT_EQ(Runs(), (std::map<std::uint32_t, int>{{0, 3}, {1, 3}, {2, 4}, {3, 3}}));
}

// Workers died on the inline message every time (here: it is received and never settled until its
// dequeue count is spent). The aggregate stage poisons it without running it, and its poison hook
// makes what the merge needs: the job fails listing every chunk, and retry completes it.
TEST_F(ChainedInlineTest, AMessageWorkersDiedOnFailsTheJobAndRetryCompletesIt) {
  const std::string content = ReadFile(SampleCustomerPath());
  options_.max_dequeue = 2;
  StartStages({kSplitStage, kMergeStage});
  const std::string job = Submit("inline-crash.tbl", content, 3);
  ASSERT_FALSE(job.empty());
  ASSERT_TRUE(WaitFor([&] { return QueueCount(observer_->names.chain_chunks_queue) == 1; }));
  const auto chunks_queue = observer_->Queue(observer_->names.chain_chunks_queue);
  queuestore::GetMessagesOptions get;
  get.visibility_timeout = std::chrono::seconds(1);
  for (int delivery = 1; delivery <= options_.max_dequeue; ++delivery) {
    ASSERT_TRUE(WaitFor([&] {
      auto got = chunks_queue.GetMessages(get);
      return got.ok() && got->size() == 1 && got->front().dequeue_count == delivery;
    }));
  }
  StartStages({kAggregateStage});
  auto failed = WaitFinished(job);
  ASSERT_TRUE(failed.has_value());
  ASSERT_EQ(failed->state, JobState::kFailed) << failed->error;
  EXPECT_EQ(failed->failed_chunks, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_NE(failed->error.find("crashed or hung"), std::string::npos) << failed->error;
  EXPECT_TRUE(Runs().empty());

  auto retried = RetryChainedJob(*observer_, job);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->chunks_moved, (std::vector<std::uint32_t>{0, 1, 2}));
  auto completed = WaitFinished(job);
  ASSERT_TRUE(completed.has_value());
  ExpectExactResult(*completed, content);
  ExpectCleanedUp(job);
  EXPECT_EQ(Runs(), (std::map<std::uint32_t, int>{{0, 1}, {1, 1}, {2, 1}}));
}

}  // namespace
}  // namespace fanfold::pipelines::chained::test
