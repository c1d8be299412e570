// Pipeline 2 end to end, in process, against the storage fixture: trigger -> split -> one
// aggregate per chunk -> merge, connected only by queues, with at-least-once delivery provoked on
// purpose (duplicate starts and merges, partials held by a merger that died) and partials spilled
// to blobs.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "activities/aggregate_activity.hpp"
#include "activities/partition_activity.hpp"
#include "pipelines/chained/chain_messages.hpp"
#include "pipelines/chained/chunk_groups.hpp"
#include "pipelines/chained/merge_partials.hpp"
#include "pipelines/queue_stage.hpp"
#include "storage/counters.hpp"
#include "tests/pipelines/chained_test_harness.hpp"
#include "tests/queuestore/garbage_messages.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::pipelines::chained::test {
namespace {

using pipelines::test::ReadFile;
using pipelines::test::SampleCustomerPath;
using pipelines::test::Sf1CustomerText;

TEST_F(ChainedPipelineTest, SampleFileIsExactForEveryChunkCount) {
  const std::string content = ReadFile(SampleCustomerPath());
  ASSERT_FALSE(content.empty());
  StartStages();
  std::map<std::uint32_t, std::string> jobs;
  for (const std::uint32_t chunks : {1u, 7u, 100u, 1000u}) {
    jobs[chunks] = Submit("sample-" + std::to_string(chunks) + ".tbl", content, chunks);
    ASSERT_FALSE(jobs[chunks].empty());
  }
  for (const auto& [chunks, job] : jobs) {
    SCOPED_TRACE("chunks " + std::to_string(chunks));
    auto row = WaitFinished(job);
    ASSERT_TRUE(row.has_value()) << "job " << job << " did not finish";
    EXPECT_EQ(row->chunks_total, chunks);
    ExpectExactResult(*row, content);
    ExpectCleanedUp(job);
    auto progress = GetChainedProgress(*observer_, job);
    ASSERT_TRUE(progress.ok());
    EXPECT_EQ(*progress, 0);
  }
}

TEST_F(ChainedPipelineTest, Sf1IsExactForEveryChunkCount) {
  const std::string& content = Sf1CustomerText();
  if (content.empty()) GTEST_SKIP() << "../shared/data/tpch/customer-sf1.tbl.xz is not there";
  StartStages();
  std::map<std::uint32_t, std::string> jobs;
  for (const std::uint32_t chunks : {1u, 7u, 100u, 256u}) {
    jobs[chunks] = Submit("sf1-" + std::to_string(chunks) + ".tbl", content, chunks);
    ASSERT_FALSE(jobs[chunks].empty());
  }
  for (const auto& [chunks, job] : jobs) {
    SCOPED_TRACE("chunks " + std::to_string(chunks));
    auto row = WaitFinished(job);
    ASSERT_TRUE(row.has_value()) << "job " << job << " did not finish";
    EXPECT_EQ(row->chunks_total, chunks);
    EXPECT_EQ(row->rows, 150000);
    ExpectExactResult(*row, content);
    ExpectCleanedUp(job);
  }
}

TEST_F(ChainedPipelineTest, DuplicateStartsAndMergesGiveOneResultWrittenOnce) {
  const std::string content = ReadFile(SampleCustomerPath());
  starts_per_job_ = 2;  // every split, chunk and merge message twice
  StartStages();
  const std::string job = Submit("dup.tbl", content, 7);
  ASSERT_FALSE(job.empty());
  // And two more merges of the job, racing the split's own.
  const auto merge_queue = observer_->Queue(observer_->names.chain_merge_queue);
  const std::string merge = MergeMessageToJson({job, 7, PartialsQueueName(observer_->names, job)});
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(merge_queue.PutMessage(merge).ok());

  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  auto first_result = ResultBlob(job).GetProperties();
  ASSERT_TRUE(first_result.ok());

  // Late duplicates of everything: a split, merges, and a chunk whose queue is gone.
  auto spec = JobSpecFromJson(row->spec);
  ASSERT_TRUE(spec.ok());
  ASSERT_TRUE(StartChainedJob(*observer_, *spec).ok());
  auto plan = activities::PartitionBlob(observer_->blobs, spec->ToPartitionInput());
  ASSERT_TRUE(plan.ok());
  activities::AggregateOptions aggregate;
  aggregate.max_line_bytes = plan->max_line_bytes;
  auto inputs = activities::MakeAggregateInputs(*plan, aggregate);
  ASSERT_TRUE(inputs.ok());
  const ChunkMessage late{job, PartialsQueueName(observer_->names, job), 7, 3, {(*inputs)[3]}};
  ASSERT_TRUE(observer_->Queue(observer_->names.chain_chunks_queue)
                  .PutMessage(ChunkMessageToJson(late))
                  .ok());
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(merge_queue.PutMessage(merge).ok());
  // Every stage queue drains (nothing loops), and nothing was written again.
  EXPECT_TRUE(WaitFor([&] {
    return QueueCount(observer_->names.chain_split_queue) == 0 &&
           QueueCount(observer_->names.chain_chunks_queue) == 0 &&
           QueueCount(observer_->names.chain_merge_queue) == 0;
  }));
  auto final_row = observer_->jobs.GetJob(job);
  ASSERT_TRUE(final_row.ok());
  EXPECT_EQ(final_row->etag, row->etag) << "the job row was written after it completed";
  auto final_result = ResultBlob(job).GetProperties();
  ASSERT_TRUE(final_result.ok());
  EXPECT_EQ(final_result->etag, first_result->etag) << "the result blob was written twice";
  ExpectCleanedUp(job);
  EXPECT_EQ(QueueCount(observer_->names.chain_poison_queue), 0);
}

TEST_F(ChainedPipelineTest, PartialsHeldByACrashedMergerComeBack) {
  const std::string content = ReadFile(SampleCustomerPath());
  StartStages({kSplitStage, kAggregateStage});
  const std::uint32_t chunks = 100;  // 25 messages of 4 chunks
  const std::string job = Submit("crash.tbl", content, chunks);
  ASSERT_FALSE(job.empty());
  ASSERT_TRUE(WaitFor([&] { return QueueCount(PartialsQueue(job).name()) >= 25; }));
  // A merger receives some partials and dies: they stay hidden for its hold timeout.
  queuestore::GetMessagesOptions get;
  get.max_messages = 16;
  get.visibility_timeout = std::chrono::seconds(3);
  auto held = PartialsQueue(job).GetMessages(get);
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 16u);
  // And something that is no partial at all: it must not count, nor block the merge.
  ASSERT_TRUE(PartialsQueue(job).PutMessage("{\"kind\":\"partial\",\"chunk\":77}").ok());

  StartStages({kMergeStage});
  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  ExpectCleanedUp(job);
  queuestore::PeekMessagesOptions peek;
  peek.max_messages = 32;
  auto poisoned = observer_->Queue(observer_->names.chain_poison_queue).PeekMessages(peek);
  ASSERT_TRUE(poisoned.ok());
  ASSERT_EQ(poisoned->size(), 1u);
  auto envelope = queuestore::ParsePoisonEnvelope(poisoned->front().content);
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->from, PartialsQueue(job).name());
}

TEST_F(ChainedPipelineTest, LargePartialsSpillToBlobsThatAreDeletedAfterwards) {
  const std::string content = ReadFile(SampleCustomerPath());
  options_.spill_threshold_bytes = 200;  // every partial is larger
  StartStages({kSplitStage, kAggregateStage});
  const std::string job = Submit("spill.tbl", content, 9);
  ASSERT_FALSE(job.empty());
  ASSERT_TRUE(WaitFor([&] { return QueueCount(PartialsQueue(job).name()) >= 9; }));

  // Each partial travelled as a reference to its blob.
  queuestore::PeekMessagesOptions peek;
  peek.max_messages = 32;
  auto messages = PartialsQueue(job).PeekMessages(peek);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 9u);
  for (const auto& message : *messages) {
    auto partial = PartialMessageFromJson(message.content);
    ASSERT_TRUE(partial.ok()) << partial.status().ToString();
    EXPECT_FALSE(partial->output.has_value());
    EXPECT_EQ(partial->blob, SpillBlobName(job, partial->chunk));
  }
  storage::ListBlobsOptions list;
  list.prefix = SpillBlobPrefix(job);
  auto spilled = observer_->blobs.GetContainerClient(observer_->names.chain_spill_container)
                     .ListAllBlobs(list);
  ASSERT_TRUE(spilled.ok());
  EXPECT_EQ(spilled->size(), 9u);

  StartStages({kMergeStage});
  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  ExpectCleanedUp(job);
}

// A job of 100 chunks answers in 25 group messages of 4 partials. A group message delivered
// twice (and a chunk message run twice, by a second start) is counted once: the merge drops the
// duplicates, and the result is exact.
TEST_F(ChainedPipelineTest, ADuplicatedGroupMessageIsCountedOnce) {
  const std::string content = ReadFile(SampleCustomerPath());
  StartStages({kSplitStage, kAggregateStage});
  const std::string job = Submit("dup-group.tbl", content, 100);
  ASSERT_FALSE(job.empty());
  const auto partials = PartialsQueue(job);
  ASSERT_TRUE(WaitFor([&] { return QueueCount(partials.name()) >= 25; }));
  queuestore::PeekMessagesOptions peek;
  peek.max_messages = 32;
  auto messages = partials.PeekMessages(peek);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 25u);
  std::set<std::uint32_t> chunks;
  for (const auto& message : *messages) {
    auto entries = PartialMessagesFromJson(message.content);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    EXPECT_EQ(entries->size(), 4u);
    for (const auto& entry : *entries)
      EXPECT_TRUE(chunks.insert(entry.chunk).second);
  }
  EXPECT_EQ(chunks.size(), 100u);
  const std::string group = messages->front().content;
  ASSERT_TRUE(partials.PutMessage(group).ok());

  // A merger that finds both hands back one of them and drops the other.
  auto hand =
      PartialsInHand::Receive(partials, observer_->Queue(observer_->names.chain_poison_queue), 100,
                              std::chrono::seconds(30));
  ASSERT_TRUE(hand.ok()) << hand.status().ToString();
  EXPECT_TRUE(hand->AllAccounted());
  ASSERT_TRUE(hand->GiveBack(false).ok());
  EXPECT_EQ(QueueCount(partials.name()), 25);

  // And once more, with the whole job's chunk messages run a second time.
  ASSERT_TRUE(partials.PutMessage(group).ok());
  auto row = observer_->jobs.GetJob(job);
  ASSERT_TRUE(row.ok());
  auto spec = JobSpecFromJson(row->spec);
  ASSERT_TRUE(spec.ok());
  ASSERT_TRUE(StartChainedJob(*observer_, *spec).ok());
  ASSERT_TRUE(WaitFor([&] { return QueueCount(partials.name()) >= 51; }));
  StartStages({kMergeStage});
  auto finished = WaitFinished(job);
  ASSERT_TRUE(finished.has_value());
  ExpectExactResult(*finished, content);
  ExpectCleanedUp(job);
}

// A redelivered chunk may report other bytes_read with the same totals (how far it read past a
// line longer than max_line_bytes depends on the download's pieces). The merger keeps one of the
// two, and the job completes exactly instead of failing with "two different partials".
TEST_F(ChainedPipelineTest, ARedeliveredPartialWithOtherBytesReadIsADuplicate) {
  const std::string content = ReadFile(SampleCustomerPath());
  StartStages({kSplitStage, kAggregateStage});
  const std::string job = Submit("bytes-read.tbl", content, 4);
  ASSERT_FALSE(job.empty());
  const auto partials = PartialsQueue(job);
  ASSERT_TRUE(WaitFor([&] { return QueueCount(partials.name()) >= 4; }));
  queuestore::PeekMessagesOptions peek;
  peek.max_messages = 32;
  auto held = partials.PeekMessages(peek);
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 4u);
  auto first = PartialMessageFromJson(held->front().content);
  ASSERT_TRUE(first.ok() && first->output.has_value()) << held->front().content;
  activities::AggregateOutput again = *first->output;
  again.partial.bytes_read += 4096;
  again.milliseconds += 1;
  ASSERT_TRUE(partials.PutMessage(InlinePartialToJson(again)).ok());

  // A merger that finds both hands back one of them and drops the other.
  auto hand = PartialsInHand::Receive(
      partials, observer_->Queue(observer_->names.chain_poison_queue), 4, std::chrono::seconds(30));
  ASSERT_TRUE(hand.ok()) << hand.status().ToString();
  EXPECT_TRUE(hand->AllAccounted());
  ASSERT_TRUE(hand->GiveBack(false).ok());
  EXPECT_EQ(QueueCount(partials.name()), 4);

  ASSERT_TRUE(partials.PutMessage(InlinePartialToJson(again)).ok());  // and once more
  StartStages({kMergeStage});
  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  ExpectCleanedUp(job);
}

// A partials queue made after its job completed (a duplicate start, or a merge_inline job's
// fallback racing its own redelivery) holding some chunks only: a merge message of the job finds
// the row Completed and drops the queue instead of waiting for ever for the rest.
TEST_F(ChainedPipelineTest, ALatePartialsQueueOfACompletedJobIsDropped) {
  const std::string content = ReadFile(SampleCustomerPath());
  StartStages();
  const std::string job = Submit("late-queue.tbl", content, 4);
  ASSERT_FALSE(job.empty());
  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  ASSERT_TRUE(PartialsQueue(job).Create().ok());
  ASSERT_TRUE(PartialsQueue(job).PutMessage(FailureMarkerToJson(1, "late")).ok());
  const MergeMessage merge{job, 4, PartialsQueue(job).name(), 1};
  ASSERT_TRUE(observer_->Queue(observer_->names.chain_merge_queue)
                  .PutMessage(MergeMessageToJson(merge))
                  .ok());
  EXPECT_TRUE(WaitFor([&] { return PartialsQueue(job).GetProperties().status().IsNotFound(); }));
  EXPECT_TRUE(WaitFor([&] { return QueueCount(observer_->names.chain_merge_queue) == 0; }));
  auto after = observer_->jobs.GetJob(job);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->state, JobState::kCompleted);
  EXPECT_EQ(after->result, row->result);
}

TEST_F(ChainedPipelineTest, MessagesThatAreNotJsonArePoisoned) {
  const PipelineNames& names = observer_->names;
  for (const auto& queue :
       {names.chain_split_queue, names.chain_chunks_queue, names.chain_merge_queue}) {
    ASSERT_TRUE(observer_->Queue(queue).PutMessage("this is not { json").ok());
  }
  StartStages();
  ASSERT_TRUE(WaitFor([&] { return QueueCount(names.chain_poison_queue) >= 3; }));
  EXPECT_TRUE(WaitFor([&] {
    return QueueCount(names.chain_split_queue) == 0 && QueueCount(names.chain_chunks_queue) == 0 &&
           QueueCount(names.chain_merge_queue) == 0;
  }));
  queuestore::PeekMessagesOptions peek;
  peek.max_messages = 32;
  auto poisoned = observer_->Queue(names.chain_poison_queue).PeekMessages(peek);
  ASSERT_TRUE(poisoned.ok());
  std::set<std::string> from;
  for (const auto& message : *poisoned) {
    auto envelope = queuestore::ParsePoisonEnvelope(message.content);
    ASSERT_TRUE(envelope.ok());
    EXPECT_EQ(envelope->content, "this is not { json");
    from.insert(envelope->from);
  }
  EXPECT_EQ(from, (std::set<std::string>{names.chain_split_queue, names.chain_chunks_queue,
                                         names.chain_merge_queue}));
}

// Every queue the chained pipeline reads (its three stage queues and a job's partials queue)
// gets the garbage no stage can read: each is poisoned once with its reason, nothing stops, and a
// valid job submitted alongside completes exactly.
TEST_F(ChainedPipelineTest, GarbageOnEveryChainedQueueIsPoisonedAndJobsStillComplete) {
  const PipelineNames& names = observer_->names;
  const std::string valid = R"({"job":"garbage-job","partials_queue":"p","chunks":4,"input":{}})";
  std::map<std::string, std::vector<queuestore::test::Garbage>> garbage;
  for (const auto& queue :
       {names.chain_split_queue, names.chain_chunks_queue, names.chain_merge_queue}) {
    garbage[queue] = queuestore::test::GarbageFor(valid);
    queuestore::test::PutGarbage(observer_->Queue(queue), garbage[queue]);
  }
  const std::string content = ReadFile(SampleCustomerPath());
  StartStages({kSplitStage, kAggregateStage});
  const std::string job = Submit("after-garbage.tbl", content, 4);
  ASSERT_FALSE(job.empty());
  ASSERT_TRUE(WaitFor([&] { return QueueCount(PartialsQueue(job).name()) >= 4; }));
  garbage[PartialsQueue(job).name()] = queuestore::test::GarbageFor(valid);
  queuestore::test::PutGarbage(PartialsQueue(job), garbage[PartialsQueue(job).name()]);
  StartStages({kMergeStage});
  auto row = WaitFinished(job);
  ASSERT_TRUE(row.has_value());
  ExpectExactResult(*row, content);
  const size_t total = garbage.size() * garbage.begin()->second.size();
  const auto poison = observer_->Queue(names.chain_poison_queue);
  EXPECT_TRUE(WaitFor([&] { return queuestore::test::PoisonEnvelopes(poison).size() >= total; }));
  queuestore::test::ExpectPoisonHoldsExactly(poison, garbage);
}

// Storage operations of one job, counted on the pipeline's own context (the trigger and the three
// stages; the test's polling is not counted). Printed for the report; the job row's writes are
// asserted: the insert and the move to Running at the start, the result at the end.
TEST_F(ChainedPipelineTest, StorageOperationsPerJob) {
  const std::string content = ReadFile(SampleCustomerPath());
  storage::StorageCounters counters;
  UseCountedWorkerContext(&counters);
  options_.pacing.idle_interval = std::chrono::milliseconds(200);
  StartStages();
  for (const std::uint32_t chunks : {7u, 100u}) {
    const storage::CounterSnapshot before = counters.Snapshot();
    const std::string job = Submit("ops-" + std::to_string(chunks) + ".tbl", content, chunks);
    ASSERT_FALSE(job.empty());
    auto row = WaitFinished(job);
    ASSERT_TRUE(row.has_value());
    ExpectExactResult(*row, content);
    // Let the stages settle their last messages before reading the counters.
    ASSERT_TRUE(WaitFor([&] {
      return QueueCount(observer_->names.chain_merge_queue) == 0 &&
             QueueCount(observer_->names.chain_chunks_queue) == 0;
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const storage::CounterSnapshot used = counters.Snapshot() - before;
    std::string line;
    for (int kind = 0; kind < storage::kOperationKindCount; ++kind) {
      const auto k = static_cast<storage::OperationKind>(kind);
      if (used.operations_of(k) != 0) {
        line += std::string(" ") + storage::OperationKindName(k) + "=" +
                std::to_string(used.operations_of(k));
      }
    }
    std::printf("chained job of %u chunks: storage operations (queue_get includes idle polls):%s\n",
                chunks, line.c_str());
    EXPECT_EQ(used.operations_of(storage::OperationKind::kTableWrite), 3u);
    // Queue messages of a job: its split and merge messages, then one chunk message and one
    // partials message per group of chunks (7 chunks: 7 groups of 1; 100: 25 groups of 4), plus
    // a put and a delete per merge deferral (a slow machine may defer it a few times). Before
    // the groups it was one of each per chunk: 202 puts and 102 deletes at 100 chunks.
    const std::uint32_t per_message =
        ChunksPerMessage(chunks, content.size(), options_.min_message_bytes);
    const std::uint64_t groups = (chunks + per_message - 1) / per_message;
    EXPECT_LE(used.operations_of(storage::OperationKind::kQueuePut), 2 + 2 * groups + 10);
    EXPECT_LE(used.operations_of(storage::OperationKind::kQueueDelete), 2 + groups + 10);
    EXPECT_EQ(used.operations_of(storage::OperationKind::kTableBatch), 0u);
  }
}

}  // namespace
}  // namespace fanfold::pipelines::chained::test
