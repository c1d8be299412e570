// Both pipelines through real `fanfold worker` processes, as deployed: events on the blob-events
// queue, workers killed with SIGKILL at random moments, 100 uploads at once, and generated SF 5
// data. Results are checked against the independent reference; the Jobs table must count every
// chunk once.
#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "datagen/customer_generator.hpp"
#include "pipelines/blob_created_event.hpp"
#include "pipelines/job_id.hpp"
#include "pipelines/upload_metadata.hpp"
#include "tests/orchestrator/worker_process.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"

namespace fanfold::pipelines {
namespace {

using orchestrator::test::WorkerProcess;

class PipelineProcessTest : public ::testing::TestWithParam<PipelineKind> {
 protected:
  void SetUp() override {
    prefix_ = fanfold::testing::UniqueName("w");
    hub_ = fanfold::testing::UniqueName("hub");
    context_ = std::make_shared<PipelineContext>(fanfold::testing::TestAccount(),
                                                 PipelineNames::WithPrefix(prefix_));
    ASSERT_TRUE(context_->CreateCommonResources().ok());
    log_ = std::filesystem::temp_directory_path() / (prefix_ + "-workers.log");
  }
  void TearDown() override {
    workers_.clear();
    if (HasFailure()) {
      std::cerr << "worker log (last 4 KiB) " << log_ << ":\n";
      const std::string text = test::ReadFile(log_.string());
      std::cerr << text.substr(text.size() > 4096 ? text.size() - 4096 : 0) << "\n";
    }
    std::filesystem::remove(log_);
  }
  std::unique_ptr<WorkerProcess> NewWorker(std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments = {"--prefix", prefix_,         "--idle-poll-ms",
                                          "10",       "--concurrency", "2"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return std::make_unique<WorkerProcess>(hub_, arguments, std::map<std::string, std::string>{},
                                           log_.string());
  }
  void StartWorkers(int count) {
    for (int i = 0; i < count; ++i)
      workers_.push_back(NewWorker());
  }
  // Uploads and posts the BlobCreated event, as `fanfold upload` does; returns the job id.
  std::string Submit(const std::string& name, std::string content, std::uint32_t chunks) {
    UploadOptions options;
    options.pipeline = GetParam();
    options.chunk_count = chunks;
    auto event = test::UploadForJob(*context_, name, std::move(content), options);
    EXPECT_TRUE(event.ok()) << event.status().ToString();
    if (!event.ok()) return "";
    auto posted = context_->Queue(context_->names.events_queue)
                      .PutMessage(BlobCreatedEventToJson(*event, "devstoreaccount1"));
    EXPECT_TRUE(posted.ok()) << posted.status().ToString();
    return MakeJobId(event->container, event->blob, event->etag);
  }
  // Polls until every job is Completed or Failed (or the time is up): the rows, by job.
  std::map<std::string, JobRow> WaitForJobs(const std::vector<std::string>& jobs,
                                            std::chrono::seconds limit) {
    std::map<std::string, JobRow> finished;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (finished.size() < jobs.size() && std::chrono::steady_clock::now() < deadline) {
      auto rows = context_->jobs.ListJobs();
      if (rows.ok()) {
        for (const auto& row : *rows) {
          if (row.state == JobState::kCompleted || row.state == JobState::kFailed ||
              row.state == JobState::kRefused) {
            finished[row.job] = row;
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(finished.size(), jobs.size()) << "jobs still running after " << limit.count() << " s";
    return finished;
  }
  void ExpectExact(const JobRow& row, const test::Reference& reference) {
    ASSERT_EQ(row.state, JobState::kCompleted) << row.job << ": " << row.error;
    const nlohmann::json output = nlohmann::json::parse(row.result);
    EXPECT_EQ(test::DiffAgainstReference(output.at("result"), reference), "") << row.job;
  }

  std::string prefix_;
  std::string hub_;
  std::shared_ptr<PipelineContext> context_;
  std::filesystem::path log_;
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
};

TEST_P(PipelineProcessTest, WorkersKilledAtRandomMomentsStillGiveTheExactResult) {
  const std::string& sf1 = test::Sf1CustomerText();
  const std::string text = sf1.empty() ? test::ReadFile(test::SampleCustomerPath()) : sf1;
  const auto reference = test::ReferenceFromTpch(text);
  StartWorkers(3);
  const std::string job = Submit("crash.tbl", text, 100);
  // Chaos: kill one worker with SIGKILL every 0.1-0.6 s and start a new one, up to eight times
  // (fewer when the job finishes first).
  std::mt19937 random(std::random_device{}());
  int kills = 0;
  for (; kills < 8; ++kills) {
    // The first kill comes early, so that it lands while the job runs (checked below).
    const int pause =
        kills == 0 ? 30 + static_cast<int>(random() % 70) : 100 + static_cast<int>(random() % 500);
    std::this_thread::sleep_for(std::chrono::milliseconds(pause));
    auto row = context_->jobs.GetJob(job);
    if (row.ok() && IsFinished(row->state)) break;
    auto& victim = workers_[random() % workers_.size()];
    victim->Kill();
    victim = NewWorker();
  }
  std::cerr << "killed " << kills << " workers\n";
  EXPECT_GE(kills, 1) << "the job finished before any worker was killed: nothing was tested";
  const auto rows = WaitForJobs({job}, std::chrono::seconds(240));
  ASSERT_EQ(rows.count(job), 1u);
  const JobRow& row = rows.at(job);
  ExpectExact(row, reference);
  EXPECT_EQ(row.chunks_total, 100);
  if (GetParam() == PipelineKind::kOrchestrated) {
    // Each chunk counted once: the counters and the chunk rows agree.
    EXPECT_EQ(row.chunks_done, 100);
    auto chunks = context_->jobs.ListChunks(job);
    ASSERT_TRUE(chunks.ok());
    ASSERT_EQ(chunks->size(), 100u);
    std::int64_t rows_in_chunks = 0;
    for (const auto& chunk : *chunks) {
      EXPECT_EQ(chunk.state, ChunkState::kDone);
      rows_in_chunks += chunk.rows;
    }
    EXPECT_EQ(rows_in_chunks, row.rows);
  } else {
    EXPECT_EQ(row.chunks_done, 100);
  }
}

TEST_P(PipelineProcessTest, HundredConcurrentUploadsAllComplete) {
  const std::string& sf1 = test::Sf1CustomerText();
  const std::string text = sf1.empty() ? test::ReadFile(test::SampleCustomerPath()) : sf1;
  // Round-robin by line into 100 parts, like `split --number=r/100` (or `fanfold split
  // --round-robin`).
  constexpr int kParts = 100;
  std::vector<std::string> parts(kParts);
  std::size_t line = 0;
  for (std::size_t at = 0; at < text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', at), text.size() - 1) + 1;
    parts[line % kParts].append(text, at, end - at);
    at = end;
  }
  StartWorkers(3);
  std::vector<std::future<std::string>> uploads;
  for (int i = 0; i < kParts; ++i) {
    uploads.push_back(std::async(std::launch::async, [&, i] {
      return Submit("part-" + std::to_string(i) + ".tbl", parts[static_cast<std::size_t>(i)], 0);
    }));
  }
  std::vector<std::string> jobs;
  for (auto& upload : uploads)
    jobs.push_back(upload.get());
  const auto rows = WaitForJobs(jobs, std::chrono::seconds(300));
  test::Reference merged;
  for (int i = 0; i < kParts; ++i) {
    const auto it = rows.find(jobs[static_cast<std::size_t>(i)]);
    ASSERT_NE(it, rows.end()) << "part " << i;
    ExpectExact(it->second, test::ReferenceFromTpch(parts[static_cast<std::size_t>(i)]));
    for (const auto& [key, nation] : test::ReferenceFromTpch(parts[static_cast<std::size_t>(i)])) {
      merged[key].rows += nation.rows;
      merged[key].sum_cents += nation.sum_cents;
    }
  }
  EXPECT_EQ(merged, test::ReferenceFromTpch(text));
}

// What an operator reads: with --log-format json every line of a worker is one JSON object, one
// job can be followed from its event to its result by its id, and no line holds the account key
// or any other credential.
TEST_P(PipelineProcessTest, JsonLogsFollowOneJobAndHoldNoSecret) {
  workers_.push_back(NewWorker({"--log-format", "json"}));
  workers_.push_back(NewWorker({"--log-format", "json"}));
  const std::string job =
      Submit("logged.tbl", test::ReadFile(test::SampleCustomerPath()), /*chunks=*/8);
  const auto rows = WaitForJobs({job}, std::chrono::seconds(120));
  ASSERT_EQ(rows.count(job), 1u);
  ExpectExact(rows.at(job), test::ReferenceFromTpch(test::ReadFile(test::SampleCustomerPath())));
  workers_.clear();  // SIGTERM: they drain, log worker.stopped and exit

  const std::string text = test::ReadFile(log_.string());
  std::map<std::string, int> events;  // of this job
  std::set<int> chunks;
  int lines = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty()) continue;
    ++lines;
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
    for (const char* key : {"time", "level", "event", "worker"}) {
      EXPECT_TRUE(parsed.contains(key)) << key << " missing: " << line;
    }
    if (parsed.value("job", std::string()) != job) continue;
    ++events[parsed.at("event").get<std::string>()];
    if (parsed.at("event") == "chunk.aggregated") chunks.insert(parsed.at("chunk").get<int>());
  }
  EXPECT_GT(lines, 0);
  EXPECT_EQ(events["job.accepted"], 1);
  EXPECT_GE(events["job.planned"], 1);
  EXPECT_EQ(chunks, (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_GE(events["job.merged"], 1);
  EXPECT_EQ(events["job.completed"], 1);
  EXPECT_EQ(events["job.failed"], 0);

  const std::string& connection = fanfold::testing::TestConnectionString();
  const std::string key_marker = "AccountKey=";
  const auto key_at = connection.find(key_marker);
  if (key_at != std::string::npos) {
    const std::string key = connection.substr(
        key_at + key_marker.size(), connection.find(';', key_at) - key_at - key_marker.size());
    ASSERT_FALSE(key.empty());
    EXPECT_EQ(text.find(key), std::string::npos) << "the account key is in a worker's log";
  }
  EXPECT_EQ(text.find(connection), std::string::npos) << "the connection string is in a log";
}

TEST_P(PipelineProcessTest, GeneratedScaleFactor5IsExact) {
  if (test::Sf1CustomerText().empty()) {
    GTEST_SKIP() << "the SF 5 run goes with the whole-file checks (no ../shared/data/tpch here)";
  }
  datagen::GenerateOptions options;
  options.scale_factor = 5;
  options.threads = 2;
  std::string text;
  auto generated = datagen::GenerateCustomers(options, [&](std::string_view bytes) {
    text.append(bytes);
    return storage::Status::Ok();
  });
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  ASSERT_EQ(generated->rows, 750000);
  const auto reference = test::ReferenceFromTpch(text);
  StartWorkers(2);
  const std::string job = Submit("sf5.tbl", std::move(text), 64);
  const auto rows = WaitForJobs({job}, std::chrono::seconds(300));
  ASSERT_EQ(rows.count(job), 1u);
  ExpectExact(rows.at(job), reference);
  EXPECT_EQ(rows.at(job).rows, 750000);
}

INSTANTIATE_TEST_SUITE_P(BothPipelines, PipelineProcessTest,
                         ::testing::Values(PipelineKind::kOrchestrated, PipelineKind::kChained),
                         [](const auto& param_info) {
                           return std::string(PipelineKindName(param_info.param));
                         });

}  // namespace
}  // namespace fanfold::pipelines
