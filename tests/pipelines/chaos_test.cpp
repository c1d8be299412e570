// The chaos suite: real `fanfold worker` processes, a mix of jobs of both pipelines at several
// widths, and everything the world throws at a deployment at once — SIGKILLs at random moments,
// injected 503s/500s/timeouts/resets (FANFOLD_INJECT_FAULTS), garbage and truncated messages on
// every queue fanfold reads, duplicated and reordered BlobCreated events, a re-upload of a blob
// whose job is running. What must hold: every accepted job ends within the bound; every Completed
// result is exact; every Failed or Refused job names a reason; no worker exits except by our
// kills; every piece of garbage ends in a poison queue, as it was.
//
// CI runs it with a fixed seed. By hand: FANFOLD_CHAOS_SEED=<any> FANFOLD_CHAOS_ROUNDS=<n> for
// longer runs with other choices (the seed is printed, so a failure can be replayed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "orchestrator/task_hub_names.hpp"
#include "pipelines/blob_created_event.hpp"
#include "pipelines/job_id.hpp"
#include "pipelines/upload_metadata.hpp"
#include "queuestore/poison_envelope.hpp"
#include "tests/orchestrator/worker_process.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"

namespace fanfold::pipelines {
namespace {

using orchestrator::test::WorkerProcess;
using Clock = std::chrono::steady_clock;

constexpr int kWorkers = 3;
constexpr auto kEveryJobEndsWithin = std::chrono::seconds(300);

std::uint64_t Seed() {
  const char* seed = std::getenv("FANFOLD_CHAOS_SEED");
  return seed != nullptr && *seed != '\0' ? std::strtoull(seed, nullptr, 10) : 20261204u;
}

int Rounds() {
  const char* rounds = std::getenv("FANFOLD_CHAOS_ROUNDS");
  return rounds != nullptr && *rounds != '\0' ? std::max(1, std::atoi(rounds)) : 1;
}

// What the world puts on queues: bytes that are not UTF-8, not JSON, JSON cut short, nothing,
// and the largest message a queue takes.
std::vector<std::string> Garbage(std::mt19937_64& random) {
  std::string big(48 * 1024, '\0');
  for (auto& byte : big)
    byte = static_cast<char>(random() % 256);
  return {"\xff\xfe\x00garbage", "not json", R"({"job":"x","input":{"chunk":)", "", big};
}

struct SubmittedJob {
  std::string job;
  std::string content;
  PipelineKind pipeline = PipelineKind::kOrchestrated;
  // A version replaced before the trigger saw it starts no job (its successor has its own).
  bool may_be_superseded = false;
};

class ChaosTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = fanfold::testing::UniqueName("c");
    hub_ = fanfold::testing::UniqueName("chaos");
    context_ = std::make_shared<PipelineContext>(fanfold::testing::TestAccount(),
                                                 PipelineNames::WithPrefix(prefix_));
    const storage::Status created = context_->CreateCommonResources();
    ASSERT_TRUE(created.ok()) << created.ToString();
    log_ = std::filesystem::temp_directory_path() / (prefix_ + "-workers.log");
  }
  void TearDown() override {
    workers_.clear();
    if (HasFailure()) {
      const std::string text = test::ReadFile(log_.string());
      std::cerr << "worker log (last 6 KiB) " << log_ << ":\n"
                << text.substr(text.size() > 6144 ? text.size() - 6144 : 0) << "\n";
    }
    std::filesystem::remove(log_);
  }
  std::unique_ptr<WorkerProcess> NewWorker() {
    return std::make_unique<WorkerProcess>(
        hub_,
        std::vector<std::string>{"--prefix", prefix_, "--idle-poll-ms", "15", "--concurrency", "2"},
        std::map<std::string, std::string>{{"FANFOLD_INJECT_FAULTS", "0.02"}}, log_.string());
  }
  BlobCreatedEvent Upload(const std::string& name, const std::string& content,
                          PipelineKind pipeline, std::uint32_t chunks) {
    UploadOptions options;
    options.pipeline = pipeline;
    options.chunk_count = chunks;
    auto event = test::UploadForJob(*context_, name, content, options);
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    return event.ok() ? *event : BlobCreatedEvent{};
  }
  void Post(const BlobCreatedEvent& event, std::chrono::seconds delay = std::chrono::seconds(0)) {
    queuestore::PutMessageOptions put;
    put.visibility_delay = delay;
    ASSERT_TRUE(context_->Queue(context_->names.events_queue)
                    .PutMessage(BlobCreatedEventToJson(event, "devstoreaccount1"), put)
                    .ok());
  }
  // Every queue a worker reads, by name.
  std::vector<std::string> QueuesWorkersRead() {
    auto names = orchestrator::TaskHubNames::For(hub_, 2);
    EXPECT_TRUE(names.ok());
    std::vector<std::string> queues = {context_->names.events_queue,
                                       context_->names.chain_split_queue,
                                       context_->names.chain_chunks_queue,
                                       context_->names.chain_merge_queue, names->work_item_queue};
    for (int partition = 0; partition < names->partition_count; ++partition)
      queues.push_back(names->ControlQueue(partition));
    return queues;
  }
  // Every envelope on every poison queue: content -> the queues it was poisoned from, each once.
  // A worker killed between putting the envelope and deleting the message poisons it again when
  // it comes back (delivery is at least once), so an envelope may be there twice: what must hold
  // is that each garbage message left every queue it was put on, and nothing else did.
  std::map<std::string, std::set<std::string>> Poisoned() {
    auto names = orchestrator::TaskHubNames::For(hub_, 2);
    std::map<std::string, std::set<std::string>> found;
    for (const std::string& queue : {context_->names.events_poison_queue,
                                     context_->names.chain_poison_queue, names->poison_queue}) {
      auto client = context_->Queue(queue);
      for (int round = 0; round < 100; ++round) {
        queuestore::GetMessagesOptions get;
        get.max_messages = 32;
        get.visibility_timeout = std::chrono::seconds(300);
        auto batch = client.GetMessages(get);
        if (!batch.ok() || batch->empty()) break;
        for (const auto& message : *batch) {
          auto envelope = queuestore::ParsePoisonEnvelope(message.content);
          found[envelope.ok() ? (envelope->truncated ? "(truncated)" : envelope->content)
                              : "(not an envelope) " + message.content.substr(0, 80)]
              .insert(envelope.ok() ? envelope->from : queue);
        }
      }
    }
    return found;
  }

  std::string prefix_;
  std::string hub_;
  std::shared_ptr<PipelineContext> context_;
  std::filesystem::path log_;
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
};

TEST_F(ChaosTest, EveryJobEndsExactOrWithAReasonWhateverHappens) {
  const std::uint64_t seed = Seed();
  std::cerr << "chaos seed " << seed << " (FANFOLD_CHAOS_SEED replays it)\n";
  std::mt19937_64 random(seed);
  const std::string sample = test::ReadFile(test::SampleCustomerPath());
  const std::string& sf1 = test::Sf1CustomerText();
  // A 10th of SF 1 when it is there (by whole lines), else the sample: big enough for 300 chunks.
  std::string large = sample;
  if (!sf1.empty()) large = sf1.substr(0, sf1.find('\n', sf1.size() / 10) + 1);

  for (int i = 0; i < kWorkers; ++i)
    workers_.push_back(NewWorker());

  std::vector<SubmittedJob> jobs;
  const std::vector<std::uint32_t> widths = {1, 7, 64, 300};
  for (int round = 0; round < Rounds(); ++round) {
    for (const std::uint32_t width : widths) {
      for (const PipelineKind pipeline : {PipelineKind::kOrchestrated, PipelineKind::kChained}) {
        const std::string name = "r" + std::to_string(round) + "-w" + std::to_string(width) + "-" +
                                 PipelineKindName(pipeline) + ".tbl";
        const std::string& content = width >= 64 ? large : sample;
        const BlobCreatedEvent event = Upload(name, content, pipeline, width);
        // Each event twice, the copy late (reordered after later uploads' events).
        Post(event);
        Post(event, std::chrono::seconds(random() % 4));
        jobs.push_back({MakeJobId(event.container, event.blob, event.etag), content, pipeline});
      }
    }
  }
  // A re-upload of a blob whose job runs: a new version is a new job; the old one must still end.
  {
    const std::string name = "reuploaded.tbl";
    const BlobCreatedEvent first = Upload(name, large, PipelineKind::kOrchestrated, 64);
    Post(first);
    jobs.push_back({MakeJobId(first.container, first.blob, first.etag), large,
                    PipelineKind::kOrchestrated, true});
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const BlobCreatedEvent second = Upload(name, sample, PipelineKind::kChained, 7);
    Post(second);
    jobs.push_back(
        {MakeJobId(second.container, second.blob, second.etag), sample, PipelineKind::kChained});
  }
  // Garbage on every queue a worker reads.
  const std::vector<std::string> garbage = Garbage(random);
  const std::vector<std::string> queues = QueuesWorkersRead();
  for (const std::string& queue : queues) {
    for (const std::string& bytes : garbage)
      ASSERT_TRUE(context_->Queue(queue).PutMessage(bytes).ok()) << queue;
  }

  // Kills at random moments while jobs run, then let the survivors finish.
  const auto started = Clock::now();
  int kills = 0;
  while (Clock::now() - started < std::chrono::seconds(40)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500 + random() % 2500));
    auto& victim = workers_[random() % workers_.size()];
    ASSERT_TRUE(victim->running()) << "a worker exited without being killed";
    victim->Kill();
    victim = NewWorker();
    ++kills;
  }
  std::cerr << "killed " << kills << " workers\n";

  std::map<std::string, JobRow> ended;
  // A version replaced before the trigger saw it may never have a job; once it has a row, it is
  // a job like any other and must end within the same bound.
  const auto must_end = [&](const SubmittedJob& submitted) {
    return !submitted.may_be_superseded || context_->jobs.GetJob(submitted.job).ok();
  };
  const auto all_ended = [&] {
    return std::all_of(jobs.begin(), jobs.end(), [&](const SubmittedJob& submitted) {
      return ended.count(submitted.job) != 0 || !must_end(submitted);
    });
  };
  const auto deadline = started + kEveryJobEndsWithin;
  while (!all_ended() && Clock::now() < deadline) {
    for (const auto& submitted : jobs) {
      if (ended.count(submitted.job) != 0) continue;
      auto row = context_->jobs.GetJob(submitted.job);
      if (row.ok() && IsFinished(row->state)) ended[submitted.job] = *row;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  for (auto& worker : workers_)
    EXPECT_TRUE(worker->running()) << "a worker exited without being killed";

  for (const auto& submitted : jobs) {
    if (!must_end(submitted)) continue;  // superseded before it was accepted: no job, rightly
    const auto it = ended.find(submitted.job);
    if (it == ended.end()) {
      auto row = context_->jobs.GetJob(submitted.job);
      ADD_FAILURE() << submitted.job << " did not end within " << kEveryJobEndsWithin.count()
                    << " s (" << (row.ok() ? JobStateName(row->state) : "no row") << ")";
      continue;
    }
    const JobRow& row = it->second;
    if (row.state == JobState::kCompleted) {
      const auto output = nlohmann::json::parse(row.result);
      EXPECT_EQ(test::DiffAgainstReference(output.at("result"),
                                           test::ReferenceFromTpch(submitted.content)),
                "")
          << row.job;
    } else {
      EXPECT_FALSE(row.error.empty())
          << row.job << " is " << JobStateName(row.state) << " with no reason";
      std::cerr << row.job << " " << JobStateName(row.state) << ": " << row.error << "\n";
    }
  }

  const auto poisoned = Poisoned();
  for (const std::string& bytes : garbage) {
    if (bytes.size() > 40000) continue;  // cut to fit its envelope: counted below
    const auto it = poisoned.find(bytes);
    EXPECT_EQ(it == poisoned.end() ? 0 : static_cast<int>(it->second.size()),
              static_cast<int>(queues.size()))
        << "garbage " << bytes.substr(0, 20) << " in the poison queues";
  }
  const auto truncated = poisoned.find("(truncated)");
  EXPECT_EQ(truncated == poisoned.end() ? 0 : static_cast<int>(truncated->second.size()),
            static_cast<int>(queues.size()));
  for (const auto& [content, from] : poisoned) {
    const auto count = from.size();
    const bool is_garbage = content == "(truncated)" ||
                            std::find(garbage.begin(), garbage.end(), content) != garbage.end();
    // Real work poisoned by the kills (a message whose every delivery met a kill) is allowed,
    // but reported: the suite's kills are rarer than the dequeue limit, so it should not happen.
    if (!is_garbage)
      std::cerr << "also poisoned (" << count << "): " << content.substr(0, 120) << "\n";
  }
}

}  // namespace
}  // namespace fanfold::pipelines
