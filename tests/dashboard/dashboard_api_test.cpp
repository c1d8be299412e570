// The dashboard's JSON API through its real HTTP path: the `fanfold dashboard` binary against
// the test account, real workers, and an HTTP client. Covers what a script or an attacker sees:
// empty accounts, filters and paging, the result as `fanfold result --json` prints it, a hostile
// file name carried as data, security headers, no secret in any answer, and the checks in front
// of every action.
#include <httplib.h>

#include "tests/cli/cli_test_support.hpp"
#include "tests/dashboard/dashboard_process.hpp"

namespace fanfold::dashboard::test {
namespace {

using cli::test::CliTest;
using cli::test::SampleText;
using cli::test::WriteWholeFile;

constexpr const char* kHostileName = "<img src=x onerror=alert(1)>.tbl";

class DashboardApiTest : public CliTest {
 protected:
  // Starts the dashboard on this test's deployment; the client talks to it.
  void StartDashboard(std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments = Deployment();  // --prefix, --hub, --partitions
    arguments.insert(arguments.end(), {"--addr", "127.0.0.1:0"});
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    dashboard_ = std::make_unique<DashboardProcess>(
        arguments, Path("dashboard-" + std::to_string(++dashboards_) + ".log"));
    url_ = dashboard_->WaitForUrl();
    ASSERT_FALSE(url_.empty()) << dashboard_->Log();
    const std::string host_port = url_.substr(7, url_.size() - 8);  // "127.0.0.1:PORT"
    client_ = std::make_unique<httplib::Client>("http://" + host_port);
    host_ = host_port;
  }
  void TearDown() override {
    client_.reset();
    dashboard_.reset();
    CliTest::TearDown();
  }

  // GET, remembering every body so the secret check sees them all.
  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    auto answer = client_->Get(path, headers);
    if (answer) bodies_ += answer->body + "\n";
    return answer;
  }
  httplib::Result Post(const std::string& path, const httplib::Headers& headers,
                       const std::string& body = "{}",
                       const std::string& type = "application/json") {
    auto answer = client_->Post(path, headers, body, type);
    if (answer) bodies_ += answer->body + "\n";
    return answer;
  }
  nlohmann::json GetJson(const std::string& path, int expected_status = 200) {
    auto answer = Get(path);
    EXPECT_TRUE(answer) << path;
    if (!answer) return nullptr;
    EXPECT_EQ(answer->status, expected_status) << path << ": " << answer->body;
    EXPECT_EQ(answer->get_header_value("Content-Type"), "application/json; charset=utf-8");
    return nlohmann::json::parse(answer->body);
  }
  // Same-origin headers with this dashboard's CSRF token, as the page sends them.
  httplib::Headers ActionHeaders() {
    const auto session = GetJson("/api/session");
    return {{"X-Fanfold-Csrf", session.at("csrf").get<std::string>()},
            {"Origin", "http://" + host_},
            {"Sec-Fetch-Site", "same-origin"}};
  }

  std::unique_ptr<DashboardProcess> dashboard_;
  std::unique_ptr<httplib::Client> client_;
  std::string url_;
  std::string host_;
  std::string bodies_;
  int dashboards_ = 0;
};

TEST_F(DashboardApiTest, EmptyAccountListsNothing) {
  StartDashboard();
  const auto jobs = GetJson("/api/jobs");
  EXPECT_EQ(jobs.at("jobs"), nlohmann::json::array());
  EXPECT_EQ(jobs.at("total"), 0);
  const auto instances = GetJson("/api/instances");
  EXPECT_EQ(instances.at("instances"), nlohmann::json::array());
  EXPECT_EQ(instances.at("hub_exists"), false);
  EXPECT_EQ(GetJson("/api/jobs/nope", 404).at("error"), "no job 'nope'");
  EXPECT_EQ(GetJson("/api/instances/nope", 404).at("error"), "no instance 'nope'");
  EXPECT_EQ(GetJson("/api/jobs?limit=100000", 400).at("error").get<std::string>().find("limit"),
            0u);
  EXPECT_EQ(GetJson("/api/no-such-thing", 404).at("error"), "not found");
}

TEST_F(DashboardApiTest, JobsResultsAndHostileNamesAsData) {
  StartWorkers(2, {"--chunk-attempts", "1"}, {{"FANFOLD_FAIL_CHUNKS", "2"}});
  const std::string hostile = Path(kHostileName);
  WriteWholeFile(hostile, SampleText());
  const auto failed = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                               "orchestrated", "--chunks", "4", "--wait", "--json"});
  ASSERT_EQ(failed.exit_code, 1) << failed;
  const std::string failed_job = nlohmann::json::parse(failed.out)[0].at("job");
  const auto done = Fanfold({"upload", hostile, "--pipeline", "chained", "--chunks", "2",
                             "--tenant", "acme", "--wait", "--json"});
  ASSERT_EQ(done.exit_code, 0) << done;
  const std::string hostile_job = nlohmann::json::parse(done.out)[0].at("job");
  StopWorkers();
  StartDashboard();

  const auto jobs = GetJson("/api/jobs");
  ASSERT_EQ(jobs.at("total"), 2) << jobs.dump(2);
  // The name comes back exactly, as JSON data: escaping is the page's business (textContent).
  const auto& first = jobs.at("jobs")[0];
  EXPECT_EQ(first.at("job"), hostile_job) << "newest first";
  EXPECT_EQ(first.at("file"), std::string("acme/") + kHostileName);
  EXPECT_EQ(first.at("tenant"), "acme");
  EXPECT_EQ(first.at("state"), "Completed");
  EXPECT_EQ(jobs.at("tenants").size(), 2u);

  EXPECT_EQ(GetJson("/api/jobs?state=Failed").at("jobs")[0].at("job"), failed_job);
  EXPECT_EQ(GetJson("/api/jobs?state=Failed").at("total"), 1);
  EXPECT_EQ(GetJson("/api/jobs?tenant=acme").at("total"), 1);
  EXPECT_EQ(GetJson("/api/jobs?pipeline=chained").at("jobs")[0].at("job"), hostile_job);
  EXPECT_EQ(GetJson("/api/jobs?file=%3Cimg").at("total"), 1);
  const auto paged = GetJson("/api/jobs?sort=job&order=asc&limit=1&offset=1");
  EXPECT_EQ(paged.at("jobs").size(), 1u);
  EXPECT_EQ(paged.at("total"), 2);

  // One job: its result is `fanfold result --json`'s, byte for byte, and the display strings
  // match it.
  const auto result_cli = Fanfold({"result", hostile_job, "--json"});
  ASSERT_EQ(result_cli.exit_code, 0) << result_cli;
  auto result_api = Get("/api/jobs/" + hostile_job + "/result");
  ASSERT_TRUE(result_api);
  EXPECT_EQ(result_api->status, 200);
  EXPECT_EQ(result_api->body, result_cli.out);
  const auto job = GetJson("/api/jobs/" + hostile_job);
  const auto expected = cli::test::ParseKeepingDecimals(result_cli.out);
  EXPECT_EQ(job.at("result").at("rows"), expected.at("rows"));
  ASSERT_EQ(job.at("result_display").size(), expected.at("nations").size());
  for (std::size_t i = 0; i < expected.at("nations").size(); ++i) {
    const auto& shown = job.at("result_display")[i];
    const auto& nation = expected.at("nations")[i];
    EXPECT_EQ(shown.at("nation"), nation.at("nation"));
    EXPECT_EQ(shown.at("rows"), nation.at("rows"));
    EXPECT_EQ(shown.at("mean"), nation.at("mean"));
    EXPECT_EQ(shown.at("sum"), cli::test::Money(nation.at("sum_cents").get<std::int64_t>()));
  }
  cli::test::ExpectResultMatches(expected, cli::test::SampleReference(), "chained");
  EXPECT_EQ(job.at("keeps_chunk_rows"), false);

  // The failed orchestrated job: its chunks with times, and what a retry re-runs.
  const auto failed_view = GetJson("/api/jobs/" + failed_job);
  EXPECT_TRUE(failed_view.at("result").is_null());
  EXPECT_EQ(failed_view.at("retry").at("possible"), true);
  EXPECT_EQ(failed_view.at("retry").at("chunks"), nlohmann::json::array({2}));
  const auto& chunks = failed_view.at("job").at("chunks");
  ASSERT_EQ(chunks.size(), 4u) << failed_view.dump(2);
  for (const auto& chunk : chunks) {
    // Every attempt records when its work was sent, started and ended, in that order.
    const std::string queued = chunk.at("queued"), started = chunk.at("started");
    const std::string ended = chunk.at("ended");
    EXPECT_FALSE(queued.empty()) << chunk;
    EXPECT_LE(queued, started) << chunk;
    EXPECT_LE(started, ended) << chunk;
  }
  EXPECT_EQ(GetJson("/api/jobs/" + failed_job + "/result", 409).at("state"), "Failed");

  // The orchestration behind it.
  const auto instances = GetJson("/api/instances?status=Failed&prefix=" + failed_job);
  ASSERT_EQ(instances.at("instances").size(), 1u) << instances.dump(2);
  EXPECT_FALSE(instances.at("instances")[0].contains("input"));
  const auto instance = GetJson("/api/instances/" + failed_job);
  EXPECT_EQ(instance.at("instance").at("status"), "Failed");
  EXPECT_GT(instance.at("history").size(), 4u);
  EXPECT_EQ(GetJson("/api/instances?name=no_such_orchestration").at("instances").size(), 0u);

  // Pages and assets carry the strict policy; the page holds no inline script.
  auto page = Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->body.find("<script>"), std::string::npos);
  auto script = Get("/assets/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/assets/../../etc/passwd")->status, 404);

  // No key, SAS or connection string in anything served, nor in the dashboard's log.
  const std::string connection = fanfold::testing::TestConnectionString();
  const auto key_at = connection.find("AccountKey=");
  ASSERT_NE(key_at, std::string::npos);
  const std::string key =
      connection.substr(key_at + 11, connection.find(';', key_at) - key_at - 11);
  ASSERT_GT(key.size(), 20u);
  for (const std::string& text : {bodies_, dashboard_->Log()}) {
    EXPECT_EQ(text.find(key), std::string::npos);
    EXPECT_EQ(text.find("AccountKey"), std::string::npos);
    EXPECT_EQ(text.find(connection), std::string::npos);
  }
}

TEST_F(DashboardApiTest, ActionsAreGuarded) {
  StartWorkers(2, {"--chunk-attempts", "1"}, {{"FANFOLD_FAIL_CHUNKS", "1"}});
  const auto failed = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                               "orchestrated", "--chunks", "3", "--wait", "--json"});
  ASSERT_EQ(failed.exit_code, 1) << failed;
  const std::string job = nlohmann::json::parse(failed.out)[0].at("job");
  StopWorkers();

  {  // Actions off: refused however well-formed.
    StartDashboard();
    EXPECT_EQ(GetJson("/api/session").at("actions"), false);
    EXPECT_EQ(Post("/api/jobs/" + job + "/retry", ActionHeaders())->status, 403);
    dashboard_.reset();
  }
  StartDashboard({"--allow-actions"});
  const auto good = ActionHeaders();
  // Cross-site attempts, each missing one thing the page has.
  EXPECT_EQ(Post("/api/jobs/" + job + "/retry", {})->status, 403) << "no CSRF header";
  EXPECT_EQ(
      Post("/api/jobs/" + job + "/retry", {{"X-Fanfold-Csrf", good.find("X-Fanfold-Csrf")->second},
                                           {"Origin", "http://evil.example"}})
          ->status,
      403);
  EXPECT_EQ(
      Post("/api/jobs/" + job + "/retry", {{"X-Fanfold-Csrf", good.find("X-Fanfold-Csrf")->second},
                                           {"Sec-Fetch-Site", "cross-site"}})
          ->status,
      403);
  EXPECT_EQ(Post("/api/jobs/" + job + "/retry", good, "job=1", "text/plain")->status, 415);
  EXPECT_EQ(Get("/api/jobs", {{"Host", "evil.example"}})->status, 421) << "DNS rebinding";
  EXPECT_EQ(GetJson("/api/jobs/" + job).at("job").at("state"), "Failed") << "nothing moved";

  // The page's own request works: the job is revived and completes with workers.
  StartWorkers(2);
  auto retried = Post("/api/jobs/" + job + "/retry", good);
  ASSERT_TRUE(retried);
  ASSERT_EQ(retried->status, 200) << retried->body;
  EXPECT_NE(nlohmann::json::parse(retried->body).at("message").get<std::string>().find("1"),
            std::string::npos);
  std::string state;
  for (int i = 0; i < 300 && state != "Completed"; ++i) {
    state = GetJson("/api/jobs/" + job).at("job").at("state");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(state, "Completed");
  EXPECT_EQ(Post("/api/jobs/" + job + "/retry", good)->status, 409) << "nothing left to retry";
  EXPECT_EQ(Post("/api/jobs/nope/retry", good)->status, 404);
  // Purge the finished instance; then it is gone. The job row can say Completed a moment before
  // the instance's status row does (the end is recorded, then the projection written).
  std::string instance_status;
  for (int i = 0; i < 100 && instance_status != "Completed"; ++i) {
    instance_status = GetJson("/api/instances/" + job).at("instance").at("status");
    if (instance_status != "Completed") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(instance_status, "Completed");
  EXPECT_EQ(Post("/api/instances/" + job + "/purge", good)->status, 200);
  EXPECT_EQ(GetJson("/api/instances/" + job, 404).at("error"), "no instance '" + job + "'");
  StopWorkers();
}

TEST_F(DashboardApiTest, RefusesActionsOffLoopbackWithoutToken) {
  std::vector<std::string> arguments = {"--addr", "0.0.0.0:0", "--allow-actions"};
  DashboardProcess open(arguments, Path("open.log"));
  EXPECT_EQ(open.WaitForExit(), 2) << open.Log();
  EXPECT_NE(open.Log().find("needs a token"), std::string::npos) << open.Log();
  DashboardProcess weak({"--addr", "0.0.0.0:0", "--allow-actions", "--token", "short"},
                        Path("weak.log"));
  EXPECT_EQ(weak.WaitForExit(), 2) << weak.Log();
  EXPECT_EQ(weak.Log().find("short"), std::string::npos) << "the token is never echoed";
  DashboardProcess read_only({"--addr", "127.0.0.1:0"}, Path("ro.log"));
  EXPECT_FALSE(read_only.WaitForUrl().empty()) << read_only.Log();
}

}  // namespace
}  // namespace fanfold::dashboard::test
