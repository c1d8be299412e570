// Operating fanfold for real, through the real binary against the test account: /metrics scraped
// while a worker runs jobs, webhook notifications of a failed job and a poisoned message, the
// Azure Functions custom handler driven the way the Functions host drives it, and the demo with
// JSON logs and metrics on.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <future>
#include <set>

#include "functions/invocation.hpp"
#include "storage/curl_transport.hpp"
#include "telemetry/metrics_reader.hpp"
#include "tests/cli/cli_test_support.hpp"
#include "tests/notify/local_receiver.hpp"

namespace fanfold::cli::test {
namespace {

using telemetry::MetricSample;
using telemetry::SumSamples;

// A port nothing listens on now (the kernel's choice); `count` consecutive ones when asked.
int FreePort(int count = 1) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    const int port = ntohs(address.sin_port);
    close(fd);
    bool all_free = port + count < 65536;
    for (int next = 1; all_free && next < count; ++next) {
      const int probe = socket(AF_INET, SOCK_STREAM, 0);
      address.sin_port = htons(static_cast<std::uint16_t>(port + next));
      all_free = bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      close(probe);
    }
    if (all_free) return port;
  }
  ADD_FAILURE() << "no free port";
  return 0;
}

storage::Result<storage::HttpResponse> Http(storage::HttpMethod method, const std::string& url,
                                            const std::string& body = "") {
  static storage::CurlTransport transport;
  storage::HttpRequest request;
  request.method = method;
  auto parsed = storage::Url::Parse(url);
  if (!parsed.ok()) return parsed.status();
  request.url = *parsed;
  request.timeout = std::chrono::seconds(30);
  if (!body.empty()) {
    request.headers["Content-Type"] = "application/json";
    request.body = body;
  }
  return transport.Send(request);
}

std::vector<MetricSample> Scrape(const std::string& url) {
  auto response = Http(storage::HttpMethod::kGet, url);
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  if (!response.ok()) return {};
  EXPECT_EQ(response->status, 200);
  auto samples = telemetry::ParseMetricsText(response->body);
  EXPECT_TRUE(samples.ok()) << samples.status().ToString();
  return samples.ok() ? *samples : std::vector<MetricSample>{};
}

// The JSON lines of a log file (lines that are not JSON fail the test).
std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
    if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
  }
  return lines;
}

// The account key of the test connection string ("" for a SAS or none).
std::string AccountKey() {
  const std::string& connection = fanfold::testing::TestConnectionString();
  const std::string marker = "AccountKey=";
  const auto at = connection.find(marker);
  if (at == std::string::npos) return "";
  return connection.substr(at + marker.size(), connection.find(';', at) - at - marker.size());
}

void ExpectNoSecret(const std::string& text, const std::string& what) {
  const std::string key = AccountKey();
  if (!key.empty()) {
    EXPECT_EQ(text.find(key), std::string::npos) << "the account key is in " << what;
  }
  EXPECT_EQ(text.find(fanfold::testing::TestConnectionString()), std::string::npos)
      << "the connection string is in " << what;
}

class CliOperationsTest : public CliTest {
 protected:
  // The /metrics URL a worker logged in worker.started (workers log JSON here).
  std::string MetricsUrlOf(int worker_number) {
    const std::string log = Path("worker-" + std::to_string(worker_number) + ".log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& line : JsonLines(ReadWholeFile(log))) {
        if (line.value("event", "") == "worker.started") return line.value("metrics", "");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "worker " << worker_number << " never logged worker.started";
    return "";
  }
  std::string JobOf(const CommandOutput& upload) {
    const auto uploads = ParseKeepingDecimals(upload.out);
    EXPECT_TRUE(uploads.is_array() && uploads.size() == 1) << upload;
    return uploads.is_array() && uploads.size() == 1 ? uploads[0].value("job", "") : "";
  }
  std::int64_t SampleRows() {
    std::int64_t rows = 0;
    for (const auto& [nation, totals] : SampleReference())
      rows += totals.rows;
    return rows;
  }
};

// The acceptance test of /metrics: scraped while jobs run (every scrape is valid Prometheus
// text), and once they are done the counters are the work the jobs did.
TEST_F(CliOperationsTest, MetricsScrapedDuringARunCountTheWorkDone) {
  StartWorkers(1, {"--metrics-addr", "127.0.0.1:0", "--log-format", "json",
                   "--metrics-queue-interval", "1"});
  const std::string url = MetricsUrlOf(1);
  ASSERT_FALSE(url.empty());
  const auto health = Http(storage::HttpMethod::kGet, url.substr(0, url.rfind('/')) + "/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);

  auto upload = std::async(std::launch::async, [&] {
    return Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline", "orchestrated",
                    "--chunks", "8", "--wait", "--json"});
  });
  int scrapes_while_running = 0;
  while (upload.wait_for(std::chrono::milliseconds(30)) != std::future_status::ready) {
    const auto samples = Scrape(url);
    EXPECT_FALSE(samples.empty());
    ++scrapes_while_running;
  }
  const auto orchestrated = upload.get();
  ASSERT_EQ(orchestrated.exit_code, 0) << orchestrated;
  EXPECT_GT(scrapes_while_running, 0);

  const std::int64_t rows = SampleRows();
  auto samples = Scrape(url);
  EXPECT_EQ(SumSamples(samples, "fanfold_jobs_total",
                       {{"pipeline", "orchestrated"}, {"outcome", "accepted"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "fanfold_jobs_total",
                       {{"pipeline", "orchestrated"}, {"outcome", "completed"}}),
            1);
  EXPECT_EQ(
      SumSamples(samples, "fanfold_job_duration_seconds_count", {{"pipeline", "orchestrated"}}), 1);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunks_total", {{"outcome", "aggregated"}}), 8);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunks_total", {{"outcome", "failed"}}), 0);
  EXPECT_EQ(SumSamples(samples, "fanfold_activities_total",
                       {{"activity", "mean_balance.aggregate"}, {"outcome", "completed"}}),
            8);
  EXPECT_EQ(SumSamples(samples, "fanfold_activity_duration_seconds_count",
                       {{"activity", "mean_balance.aggregate"}}),
            8);
  EXPECT_EQ(SumSamples(samples, "fanfold_input_rows_total"), static_cast<double>(rows));
  EXPECT_EQ(
      SumSamples(samples, "fanfold_work_items_total", {{"stage", "trigger"}, {"outcome", "done"}}),
      1);
  EXPECT_GE(SumSamples(samples, "fanfold_storage_requests_total", {{"kind", "blob_read"}}), 8);
  EXPECT_GT(SumSamples(samples, "fanfold_storage_requests_total", {{"kind", "queue_get"}}), 0);
  EXPECT_GT(SumSamples(samples, "fanfold_storage_requests_total", {{"kind", "table_batch"}}), 0);
  EXPECT_EQ(SumSamples(samples, "fanfold_in_flight"), 0);  // nothing left running
  EXPECT_EQ(SumSamples(samples, "fanfold_queue_depth", {{"queue", prefix_ + "-blob-events"}}), 0);
  const auto depth_families = std::count_if(samples.begin(), samples.end(), [](const auto& s) {
    return s.name == "fanfold_queue_depth";
  });
  EXPECT_GE(depth_families, 8);  // events, chain stages, work items, control queues, poison

  // A chained job on the same worker adds exactly its own work.
  const auto chained = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                                "chained", "--chunks", "6", "--wait", "--json"});
  ASSERT_EQ(chained.exit_code, 0) << chained;
  samples = Scrape(url);
  EXPECT_EQ(SumSamples(samples, "fanfold_jobs_total",
                       {{"pipeline", "chained"}, {"outcome", "completed"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunks_total", {{"outcome", "aggregated"}}), 14);
  EXPECT_EQ(SumSamples(samples, "fanfold_input_rows_total"), static_cast<double>(2 * rows));
  // The sample's 6 chunks (480 KB) travel in one message, which merges the job itself.
  EXPECT_EQ(SumSamples(samples, "fanfold_work_items_total",
                       {{"stage", "chain-aggregate"}, {"outcome", "done"}}),
            1);
  EXPECT_EQ(SumSamples(samples, "fanfold_work_items_total", {{"stage", "chain-merge"}}), 0);
  EXPECT_EQ(SumSamples(samples, "fanfold_work_items_total",
                       {{"stage", "chain-split"}, {"outcome", "done"}}),
            1);
  StopWorkers();
}

// A wrong address is a usage error, a port in use a configuration error; both say what to fix.
// The idle bill, from the worker's own counters: once every queue it serves has backed off, a
// worker makes one storage request per --idle-poll-ms on average, however many queues it serves
// (here 7: trigger, 3 chained stages, 2 control partitions, work items). Polls found late on a
// busy machine only lower the count, so the upper bound is firm; the lower one shows it polls.
TEST_F(CliOperationsTest, AnIdleWorkerMakesOneRequestPerIdleIntervalWhateverItsQueues) {
  const int port = FreePort();
  // Depths are read on the first scrape and not again within the hour: the window sees polls only.
  WorkerProcess worker(hub_,
                       {"--prefix", prefix_, "--idle-poll-ms", "100", "--metrics-addr",
                        "127.0.0.1:" + std::to_string(port), "--metrics-queue-interval", "3600",
                        "--log-format", "json"},
                       {}, Path("worker-1.log"));
  const std::string url = MetricsUrlOf(1);
  ASSERT_FALSE(url.empty());
  const auto requests = [&] { return SumSamples(Scrape(url), "fanfold_storage_requests_total"); };
  (void)requests();  // reads the depths once
  // Every lane reaches its ceiling (7 x 100 ms) within about 1.5 s of starting.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const double before = requests();
  const auto from = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(8));
  const double after = requests();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  const double expected = seconds / 0.1;
  EXPECT_LE(after - before, expected + 2 * 7) << "over " << seconds << " s";
  EXPECT_GE(after - before, expected / 4) << "over " << seconds << " s";
  // Which queues the bill is for: every lane's polls, all empty, adding up to the worker's.
  const auto samples = Scrape(url);
  const double polls = SumSamples(samples, "fanfold_poll_requests_total");
  EXPECT_GT(polls, 0);
  // (Read one after the other, so a poll may fall between them.)
  EXPECT_NEAR(SumSamples(samples, "fanfold_lane_poll_requests_total"), polls, 8);
  EXPECT_EQ(SumSamples(samples, "fanfold_lane_poll_requests_total", {{"outcome", "work"}}), 0);
  for (const char* lane : {"trigger", "chain-split", "chain-aggregate", "chain-merge",
                           "orchestrations", "activities"}) {
    EXPECT_GT(SumSamples(samples, "fanfold_lane_poll_requests_total",
                         {{"lane", lane}, {"outcome", "empty"}}),
              0)
        << lane;
  }
}

TEST_F(CliOperationsTest, MetricsAddressProblemsAreExplained) {
  const auto nonsense = Fanfold({"worker", "--metrics-addr", "nowhere"});
  EXPECT_EQ(nonsense.exit_code, 2) << nonsense;
  EXPECT_NE(nonsense.err.find("HOST:PORT"), std::string::npos) << nonsense;
  notify::test::LocalReceiver taken;  // something already listening
  const auto in_use =
      Fanfold({"worker", "--metrics-addr", "127.0.0.1:" + std::to_string(taken.port())});
  EXPECT_EQ(in_use.exit_code, 3) << in_use;
  EXPECT_NE(in_use.err.find("cannot listen on 127.0.0.1:" + std::to_string(taken.port())),
            std::string::npos)
      << in_use;
}

// A failed job and a poisoned message each reach every webhook, with the job, the file, the
// reason and a retry command that works as printed; a webhook that answers 503 first still gets
// its message, later.
TEST_F(CliOperationsTest, FailedJobsAndPoisonedMessagesNotifyWebhooks) {
  notify::test::LocalReceiver receiver(
      [](notify::test::LocalReceiver&, int hit, httplib::Response& response) {
        if (hit == 1) response.status = 503;  // the first delivery is retried
      });
  StartWorkers(1,
               {"--chunk-attempts", "1", "--notify",
                "json=" + receiver.Url("/hook") + ",slack=" + receiver.Url("/slack")},
               {{"FANFOLD_FAIL_CHUNKS", "1"}});
  const auto upload = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                               "orchestrated", "--chunks", "4", "--wait", "--json"});
  ASSERT_EQ(upload.exit_code, 1) << upload;
  const std::string job = JobOf(upload);
  ASSERT_FALSE(job.empty());
  // Two targets, one message each, plus the retried 503: three requests.
  ASSERT_TRUE(receiver.WaitForHits(3, std::chrono::seconds(20))) << receiver.hits();
  nlohmann::json notice;
  int slack_bodies = 0;
  for (const auto& received : receiver.received()) {
    EXPECT_EQ(received.content_type, "application/json");
    if (received.target == "/hook") notice = nlohmann::json::parse(received.body);
    if (received.target == "/slack") {
      ++slack_bodies;
      const auto slack = nlohmann::json::parse(received.body);
      EXPECT_NE(slack.at("text").get<std::string>().find(job), std::string::npos) << slack;
      EXPECT_TRUE(slack.at("blocks").is_array());
    }
  }
  EXPECT_GE(slack_bodies, 1);
  ASSERT_TRUE(notice.is_object());
  EXPECT_EQ(notice.at("kind"), "job.failed");
  EXPECT_EQ(notice.at("job"), job);
  EXPECT_EQ(notice.at("pipeline"), "orchestrated");
  const std::string blob = std::filesystem::path(pipelines::test::SampleCustomerPath()).filename();
  EXPECT_EQ(notice.at("file"), prefix_ + "-uploads/" + blob);
  EXPECT_NE(notice.at("reason").get<std::string>().find("chunk 1"), std::string::npos) << notice;
  const std::string command = notice.at("retry_command").get<std::string>();
  EXPECT_EQ(command,
            "fanfold retry " + job + " --prefix " + prefix_ + " --hub " + hub_ + " --partitions 2");
  // The command works as printed (the worker still fails chunk 1, so only the re-queue is
  // checked here; tests/cli/cli_retry_test.cpp runs retries to completion).
  std::vector<std::string> words;
  std::istringstream split(command.substr(std::string("fanfold ").size()));
  for (std::string word; split >> word;)
    words.push_back(word);
  const auto retried = Fanfold(words, std::chrono::seconds(60), {}, /*with_deployment=*/false);
  EXPECT_EQ(retried.exit_code, 0) << retried;

  // A message no stage can ever read goes to the poison queue, and that is told too. (The retry
  // above fails chunk 1 again, so another job.failed notice may arrive meanwhile.)
  auto context = std::make_shared<pipelines::PipelineContext>(
      fanfold::testing::TestAccount(), pipelines::PipelineNames::WithPrefix(prefix_));
  ASSERT_TRUE(context->Queue(context->names.events_queue).PutMessage("not an event").ok());
  bool poisoned_seen = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!poisoned_seen && std::chrono::steady_clock::now() < deadline) {
    for (const auto& received : receiver.received()) {
      if (received.target != "/hook") continue;
      const auto body = nlohmann::json::parse(received.body);
      if (body.at("kind") != "message.poisoned") continue;
      poisoned_seen = true;
      EXPECT_EQ(body.at("queue"), prefix_ + "-blob-events -> " + prefix_ + "-blob-events-poison");
      EXPECT_EQ(body.at("job"), "");
      EXPECT_EQ(body.at("retry_command"), "");
      EXPECT_FALSE(body.at("reason").get<std::string>().empty());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(poisoned_seen);
  StopWorkers();
  ExpectNoSecret(ReadWholeFile(Path("worker-1.log")), "the worker's log");
}

// `fanfold serve-functions` driven the way the Functions host drives a custom handler: this test
// polls every queue named by the generated function.json files, POSTs each message as
// {Data, Metadata} to /<function>, and deletes the message on a 2xx or releases it otherwise.
// Both pipelines must finish exact with no `fanfold worker` running.
TEST_F(CliOperationsTest, ServeFunctionsRunsBothPipelinesAsTheFunctionsHostDrivesIt) {
  const auto written = Fanfold({"serve-functions", "--write-app", Path("app")});
  ASSERT_EQ(written.exit_code, 0) << written;
  struct Function {
    std::string name;
    queuestore::QueueClient queue;
  };
  auto context = std::make_shared<pipelines::PipelineContext>(
      fanfold::testing::TestAccount(), pipelines::PipelineNames::WithPrefix(prefix_));
  std::vector<Function> functions;
  for (const auto& entry : std::filesystem::directory_iterator(Path("app"))) {
    if (!entry.is_directory()) continue;
    const auto binding = nlohmann::json::parse(
        ReadWholeFile((entry.path() / "function.json").string()))["bindings"][0];
    EXPECT_EQ(binding.at("type"), "queueTrigger");
    functions.push_back({entry.path().filename().string(),
                         context->Queue(binding.at("queueName").get<std::string>())});
  }
  ASSERT_EQ(functions.size(), 7u);  // trigger, 3 chained stages, activities, 2 control queues

  const int port = FreePort();
  WorkerProcess handler(
      hub_, {"--prefix", prefix_, "--port", std::to_string(port), "--log-format", "json"}, {},
      Path("functions.log"), "serve-functions");
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const auto probe = Http(storage::HttpMethod::kPost, base + "/trigger", "{}");
    if (probe.ok()) {
      EXPECT_EQ(probe->status, 400);  // not an invocation: the caller's fault, nothing lost
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto unknown = Http(storage::HttpMethod::kPost, base + "/no-such-function", "{}");
  ASSERT_TRUE(unknown.ok()) << "serve-functions did not start:\n"
                            << ReadWholeFile(Path("functions.log"));
  EXPECT_EQ(unknown->status, 404);

  std::vector<std::string> jobs;
  const std::string sample = ReadWholeFile(pipelines::test::SampleCustomerPath());
  for (const std::string pipeline : {"orchestrated", "chained"}) {
    // One name per job: a second upload under the same name would replace the first's blob.
    WriteWholeFile(Path(pipeline + ".tbl"), sample);
    const auto upload = Fanfold(
        {"upload", Path(pipeline + ".tbl"), "--pipeline", pipeline, "--chunks", "5", "--json"});
    ASSERT_EQ(upload.exit_code, 0) << upload;
    jobs.push_back(JobOf(upload));
    ASSERT_FALSE(jobs.back().empty());
  }
  // The host's loop.
  int invocations = 0;
  int failed = 0;
  const auto finished = [&] {
    for (const auto& job : jobs) {
      auto row = context->jobs.GetJob(job);
      if (!row.ok() || !pipelines::IsFinished(row->state)) return false;
    }
    return true;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!finished() && std::chrono::steady_clock::now() < give_up) {
    bool any = false;
    for (const auto& function : functions) {
      queuestore::GetMessagesOptions get;
      get.max_messages = 16;
      get.visibility_timeout = std::chrono::seconds(60);
      auto messages = function.queue.GetMessages(get);
      if (!messages.ok()) continue;  // a chained per-job queue may not exist yet
      for (const auto& message : *messages) {
        any = true;
        const nlohmann::json request = {{"Data", {{"message", message.content}}},
                                        {"Metadata",
                                         {{"Id", message.message_id},
                                          {"PopReceipt", message.pop_receipt},
                                          {"DequeueCount", message.dequeue_count},
                                          {"sys", {{"MethodName", function.name}}}}}};
        const auto answer =
            Http(storage::HttpMethod::kPost, base + "/" + function.name, request.dump());
        ASSERT_TRUE(answer.ok()) << answer.status().ToString();
        ++invocations;
        const auto body = nlohmann::json::parse(answer->body);
        EXPECT_TRUE(body.contains("Outputs") && body.contains("Logs") &&
                    body.contains("ReturnValue"))
            << answer->body;
        if (answer->IsSuccess()) {
          // fanfold settled it already; the host's delete then finds nothing, as here.
          (void)function.queue.DeleteMessage(message.message_id, message.pop_receipt);
        } else {
          ++failed;
          (void)function.queue.UpdateMessage(message.message_id, message.pop_receipt,
                                             std::chrono::seconds(0));
        }
      }
    }
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(finished()) << "jobs not finished after " << invocations << " invocations:\n"
                          << ReadWholeFile(Path("functions.log"));
  EXPECT_GT(invocations, 10);
  EXPECT_EQ(failed, 0);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto result = Fanfold({"result", jobs[i], "--json"});
    ASSERT_EQ(result.exit_code, 0) << result;
    ExpectResultMatches(ParseKeepingDecimals(result.out), SampleReference(),
                        i == 0 ? "orchestrated" : "chained");
  }
  EXPECT_EQ(handler.Terminate(), 0);  // drains and exits 0 on SIGTERM
  const std::string log = ReadWholeFile(Path("functions.log"));
  bool started = false;
  for (const auto& line : JsonLines(log))
    started = started || line["event"] == "functions.started";
  EXPECT_TRUE(started) << log;
  ExpectNoSecret(log, "the handler's log");
}

// The issue's acceptance run: `fanfold demo` with JSON logs and metrics on leaves logs in which
// one job can be followed from its upload's event to its result, and scrapes that agree with
// the jobs table.
TEST_F(CliOperationsTest, DemoWithJsonLogsAndMetricsCanBeFollowedAndAgrees) {
  const int port = FreePort(2);
  const auto demo =
      Fanfold({"demo", "--sf", "0.02", "--workers", "2", "--data", Path("data"), "--log-format",
               "json", "--metrics-addr", "127.0.0.1:" + std::to_string(port)},
              std::chrono::seconds(180));
  ASSERT_EQ(demo.exit_code, 0) << demo;
  EXPECT_NE(demo.out.find("consistent with the jobs table"), std::string::npos) << demo;
  static const std::regex kLogs(R"(worker logs: (\S+)/worker-\*\.log)");
  static const std::regex kJob(R"(orchestrated\s+job (\S+)\s+Completed)");
  std::smatch logs;
  std::smatch job_match;
  ASSERT_TRUE(std::regex_search(demo.out, logs, kLogs)) << demo;
  ASSERT_TRUE(std::regex_search(demo.out, job_match, kJob)) << demo;
  const std::string directory = logs[1].str();
  const std::string job = job_match[1].str();

  std::map<std::string, int> events;
  std::set<int> chunks;
  std::string all_text;
  std::vector<MetricSample> samples;
  for (int worker = 1; worker <= 2; ++worker) {
    const std::string text =
        ReadWholeFile(directory + "/worker-" + std::to_string(worker) + ".log");
    all_text += text;
    for (const auto& line : JsonLines(text)) {
      for (const char* key : {"time", "level", "event", "worker"})
        EXPECT_TRUE(line.contains(key)) << key << " missing: " << line;
      if (line.value("job", "") != job) continue;
      ++events[line.at("event").get<std::string>()];
      if (line.at("event") == "chunk.aggregated") chunks.insert(line.at("chunk").get<int>());
      if (line.at("event") == "job.completed") {
        EXPECT_GT(line.at("duration_ms").get<double>(), 0);
        EXPECT_NE(line.at("file").get<std::string>().find("customer-sf0.02.tbl"), std::string::npos)
            << line;
      }
    }
    const std::string scrape =
        ReadWholeFile(directory + "/worker-" + std::to_string(worker) + ".metrics");
    all_text += scrape;
    auto parsed = telemetry::ParseMetricsText(scrape);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    samples.insert(samples.end(), parsed->begin(), parsed->end());
  }
  EXPECT_EQ(events["job.accepted"], 1);
  EXPECT_GE(events["job.planned"], 1);
  EXPECT_EQ(chunks.size(), 16u);
  EXPECT_GE(events["job.merged"], 1);
  EXPECT_EQ(events["job.completed"], 1);
  EXPECT_EQ(events["job.failed"], 0);
  // Both pipelines ran on the same workers: two jobs of 16 chunks and 3,000 rows each.
  EXPECT_EQ(SumSamples(samples, "fanfold_jobs_total", {{"outcome", "completed"}}), 2);
  EXPECT_EQ(SumSamples(samples, "fanfold_chunks_total", {{"outcome", "aggregated"}}), 32);
  EXPECT_EQ(SumSamples(samples, "fanfold_input_rows_total"), 6000);
  EXPECT_EQ(SumSamples(samples, "fanfold_job_duration_seconds_count"), 2);
  ExpectNoSecret(all_text, "the demo's logs or scrapes");
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
}

}  // namespace
}  // namespace fanfold::cli::test
