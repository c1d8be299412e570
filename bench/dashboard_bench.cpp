// fanfold_dashboard_bench: how long `fanfold dashboard` takes to answer its job list on an account
// with many jobs. A private Azurite gets --jobs job rows (most Completed, some Failed, Running and
// Refused, over several tenants, with results and errors of realistic size); the real `fanfold
// dashboard` process serves them, and each case's GET is timed --runs times from this process.
// Results are JSON; nothing here passes or fails. Run it with bench/run-dashboard-bench.sh.
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench/system_info.hpp"
#include "pipelines/pipeline_context.hpp"
#include "storage/random_id.hpp"
#include "tests/support/azurite_process.hpp"

namespace fanfold::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  int jobs = 1000;
  int runs = 20;
  std::string output;
  std::string fanfold = FANFOLD_BINARY;
};

pipelines::JobRow SeedRow(int index, tablestore::EdmDateTime start) {
  pipelines::JobRow row;
  row.job = "bench-" + std::to_string(100000 + index);
  row.tenant = "tenant" + std::to_string(index % 7);
  row.container = "uploads";
  row.blob = row.tenant + "/customer-" + std::to_string(index) + ".tbl";
  row.blob_etag = "\"0x8DC" + std::to_string(index) + "\"";
  row.pipeline = index % 3 == 0 ? "chained" : "orchestrated";
  row.size = 24'000'000 + index;
  row.chunks_total = 16;
  row.created = start + std::chrono::seconds(index);
  const int kind = index % 20;
  if (kind == 0) {
    row.state = pipelines::JobState::kFailed;
    row.error = "chunk 3 failed 3 attempts: HTTP 503 ServerBusy: " + std::string(400, 'e');
    row.failed_chunks = {3};
    row.finished = *row.created + std::chrono::seconds(40);
  } else if (kind == 1) {
    row.state = pipelines::JobState::kRefused;
    row.error = "the file is not text: " + std::string(200, 'r');
    row.finished = *row.created;
  } else if (kind == 2) {
    row.state = pipelines::JobState::kRunning;
    row.started = *row.created + std::chrono::seconds(1);
  } else {
    row.state = pipelines::JobState::kCompleted;
    row.started = *row.created + std::chrono::seconds(1);
    row.finished = *row.created + std::chrono::seconds(12);
    row.rows = 150000;
    // A merge result's size: 25 nations, each with its rows, sum and mean.
    nlohmann::json nations = nlohmann::json::array();
    for (int nation = 0; nation < 25; ++nation)
      nations.push_back({{"nation", nation}, {"rows", 6000}, {"sum_cents", 2700000000LL + nation}});
    row.result = nlohmann::json{{"nations", nations}}.dump();
  }
  return row;
}

// Writes the rows from 8 threads (one request each; a job row is its own partition).
void Seed(const pipelines::PipelineContext& context, int jobs) {
  const auto start = *tablestore::ParseEdmDateTime("2026-12-05T00:00:00Z");
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (int i = t; i < jobs; i += 8) {
        const auto written =
            context.jobs.table().InsertEntity(pipelines::JobRowToEntity(SeedRow(i, start)));
        if (!written.ok()) {
          std::fprintf(stderr, "seeding job %d: %s\n", i, written.status().ToString().c_str());
          std::exit(1);
        }
      }
    });
  }
  for (auto& writer : writers)
    writer.join();
}

struct Dashboard {
  pid_t pid = -1;
  int port = 0;
};

// `fanfold dashboard --addr 127.0.0.1:0`; its first stdout line names the port.
Dashboard StartDashboard(const Options& options, const std::string& connection) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) std::exit(1);
  Dashboard dashboard;
  dashboard.pid = fork();
  if (dashboard.pid == 0) {
    setenv("AZURE_STORAGE_CONNECTION_STRING", connection.c_str(), 1);
    dup2(pipe_fds[1], STDOUT_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    execl(options.fanfold.c_str(), options.fanfold.c_str(), "dashboard", "--addr", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  std::string line;
  char c = 0;
  while (read(pipe_fds[0], &c, 1) == 1 && c != '\n')
    line += c;
  close(pipe_fds[0]);
  const auto colon = line.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "fanfold dashboard did not start (it printed '%s')\n", line.c_str());
    std::exit(1);
  }
  dashboard.port = std::atoi(line.c_str() + colon + 1);
  return dashboard;
}

nlohmann::json TimeCase(httplib::Client& client, const std::string& name, const std::string& path,
                        int runs) {
  std::vector<double> seconds;
  std::size_t bytes = 0;
  nlohmann::json total = nullptr;
  for (int run = 0; run < runs; ++run) {
    const auto begin = Clock::now();
    auto answer = client.Get(path);
    seconds.push_back(std::chrono::duration<double>(Clock::now() - begin).count());
    if (!answer || answer->status != 200) {
      std::fprintf(stderr, "GET %s failed (%d)\n", path.c_str(), answer ? answer->status : -1);
      std::exit(1);
    }
    bytes = answer->body.size();
    total = nlohmann::json::parse(answer->body).value("total", nlohmann::json());
  }
  std::sort(seconds.begin(), seconds.end());
  return {
      {"case", name},
      {"path", path},
      {"runs", runs},
      {"total_jobs_matching", total},
      {"response_bytes", bytes},
      {"seconds",
       {{"min", seconds.front()}, {"p50", seconds[seconds.size() / 2]}, {"max", seconds.back()}}}};
}

int Main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--jobs" && has_value) {
      options.jobs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--runs" && has_value) {
      options.runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--output" && has_value) {
      options.output = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--jobs N] [--runs N] [--output FILE]\n", argv[0]);
      return 2;
    }
  }
  auto azurite = testing::AzuriteProcess::Start();
  if (!azurite.ok()) {
    std::fprintf(stderr, "Azurite: %s\n", azurite.status().ToString().c_str());
    return 1;
  }
  const std::string connection = (*azurite)->connection_string();
  auto account = storage::StorageAccount::FromConnectionString(connection);
  if (!account.ok()) return 1;
  auto context = std::make_shared<pipelines::PipelineContext>(*account, pipelines::PipelineNames{});
  if (!context->CreateCommonResources().ok()) return 1;
  const auto seed_begin = Clock::now();
  Seed(*context, options.jobs);
  const double seed_seconds = std::chrono::duration<double>(Clock::now() - seed_begin).count();

  const Dashboard dashboard = StartDashboard(options, connection);
  httplib::Client client("127.0.0.1", dashboard.port);
  client.set_read_timeout(60, 0);
  nlohmann::json cases = nlohmann::json::array();
  cases.push_back(TimeCase(client, "first page, newest first", "/api/jobs", options.runs));
  cases.push_back(
      TimeCase(client, "sorted by duration", "/api/jobs?sort=duration&order=desc", options.runs));
  cases.push_back(TimeCase(client, "failed jobs of one tenant",
                           "/api/jobs?state=Failed&tenant=tenant3", options.runs));
  cases.push_back(TimeCase(client, "file name search", "/api/jobs?file=customer-9", options.runs));
  cases.push_back(
      TimeCase(client, "last page of 500",
               "/api/jobs?offset=" + std::to_string(std::max(0, options.jobs - 500)) + "&limit=500",
               options.runs));
  kill(dashboard.pid, SIGTERM);
  waitpid(dashboard.pid, nullptr, 0);

  const nlohmann::json result = {
      {"benchmark", "dashboard"},
      {"command", "bench/run-dashboard-bench.sh --jobs " + std::to_string(options.jobs) +
                      " --runs " + std::to_string(options.runs)},
      {"git", ReadSourceInfo(FANFOLD_SOURCE_DIR).git_commit},
      {"finished", UtcNow()},
      {"machine", ReadMachineInfo().ToJson()},
      {"load", LoadAverages()},
      {"azurite_mode", (*azurite)->mode()},
      {"jobs", options.jobs},
      {"seed_seconds", seed_seconds},
      {"cases", cases}};
  const std::string text = result.dump(2) + "\n";
  if (!options.output.empty()) std::ofstream(options.output) << text;
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace
}  // namespace fanfold::bench

int main(int argc, char** argv) {
  return fanfold::bench::Main(argc, argv);
}
