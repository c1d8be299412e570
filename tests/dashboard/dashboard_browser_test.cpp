// The dashboard used as a person would, in a real headless Chromium: this test prepares a failed
// job, a job with a hostile file name and clean workers, starts `fanfold dashboard
// --allow-actions`, and runs tests/browser/dashboard.test.mjs (puppeteer-core driving the
// system's Chromium; see that file for the steps). Skips, saying what is missing, when Chromium,
// Node.js or puppeteer-core (scripts/bootstrap.sh installs all three) is not there.
#include <cstdlib>
#include <filesystem>

#include "tests/cli/cli_test_support.hpp"
#include "tests/dashboard/dashboard_process.hpp"

namespace fanfold::dashboard::test {
namespace {

using cli::test::CliTest;
using cli::test::WriteWholeFile;

// FANFOLD_CHROMIUM, else Debian's chromium; "" when none is installed.
std::string FindChromium() {
  if (const char* given = std::getenv("FANFOLD_CHROMIUM"); given != nullptr && *given) {
    return given;
  }
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

bool HaveNode() {
  return std::system("command -v node >/dev/null 2>&1") == 0;
}

class DashboardBrowserTest : public CliTest {
 protected:
  // Runs node on the test script with `environment`; its exit status (-1 on timeout).
  int RunNode(const std::map<std::string, std::string>& environment, const std::string& log,
              std::chrono::seconds timeout) {
    const pid_t pid = fork();
    if (pid == 0) {
      setenv("AZURE_STORAGE_CONNECTION_STRING", fanfold::testing::TestConnectionString().c_str(),
             1);
      for (const auto& [name, value] : environment)
        setenv(name.c_str(), value.c_str(), 1);
      const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
      std::string node = "node";
      std::string script = std::string(FANFOLD_SOURCE_DIR) + "/tests/browser/dashboard.test.mjs";
      char* argv[] = {node.data(), script.data(), nullptr};
      execvp("node", argv);
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) != pid) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST_F(DashboardBrowserTest, UsedAsAPersonWould) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "no Chromium (Debian package `chromium`; scripts/bootstrap.sh installs it, "
                    "or set FANFOLD_CHROMIUM): the browser test is skipped, the JSON API tests "
                    "(dashboard_api_tests) still ran";
  }
  const std::string puppeteer =
      std::string(FANFOLD_SOURCE_DIR) + "/tests/browser/node_modules/puppeteer-core/package.json";
  if (!HaveNode() || !std::filesystem::exists(puppeteer)) {
    GTEST_SKIP() << "no Node.js or no puppeteer-core in tests/browser/node_modules (run "
                    "scripts/bootstrap.sh, which runs npm ci there): the browser test is skipped";
  }
  const auto started = std::chrono::steady_clock::now();
  // A job that fails at chunk 2, and one whose file name is an HTML injection attempt.
  StartWorkers(2, {"--chunk-attempts", "1"}, {{"FANFOLD_FAIL_CHUNKS", "2"}});
  const std::string hostile = Path("<img src=x onerror=alert(1)>.tbl");
  WriteWholeFile(hostile, cli::test::SampleText());
  const auto failed = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                               "orchestrated", "--chunks", "4", "--wait", "--json"});
  ASSERT_EQ(failed.exit_code, 1) << failed;
  const auto done = Fanfold({"upload", hostile, "--pipeline", "chained", "--chunks", "2",
                             "--tenant", "acme", "--wait", "--json"});
  ASSERT_EQ(done.exit_code, 0) << done;
  // The upload the browser follows live: a file of its own (re-uploading the failed job's blob
  // would replace the version that job reads, and its retry would rightly fail).
  const std::string live = Path("live-customer.tbl");
  WriteWholeFile(live, cli::test::SampleText());
  StopWorkers();
  StartWorkers(2);

  std::vector<std::string> arguments = Deployment();
  arguments.insert(arguments.end(), {"--addr", "127.0.0.1:0", "--allow-actions"});
  DashboardProcess dashboard(arguments, Path("dashboard.log"));
  const std::string url = dashboard.WaitForUrl();
  ASSERT_FALSE(url.empty()) << dashboard.Log();

  std::string deployment;
  for (const auto& flag : Deployment())
    deployment += (deployment.empty() ? "" : " ") + flag;
  const char* shots = std::getenv("FANFOLD_SCREENSHOT_DIR");
  const std::string log = Path("browser.log");
  const int exit_code =
      RunNode({{"DASHBOARD_URL", url},
               {"CHROMIUM", chromium},
               {"FANFOLD_BINARY", FANFOLD_BINARY},
               {"FANFOLD_DEPLOYMENT", deployment},
               {"SAMPLE_FILE", live},
               {"FAILED_JOB", nlohmann::json::parse(failed.out)[0].at("job").get<std::string>()},
               {"HOSTILE_JOB", nlohmann::json::parse(done.out)[0].at("job").get<std::string>()},
               {"SCREENSHOT_DIR", shots != nullptr && *shots ? shots : Path("screenshots")},
               {"PUPPETEER_SKIP_DOWNLOAD", "1"}},
              log, std::chrono::seconds(150));
  const std::string output = cli::test::ReadWholeFile(log);
  EXPECT_EQ(exit_code, 0) << output << "\n--- dashboard log\n" << dashboard.Log();
  std::cout << output;
  std::cout << "browser test total (set-up included): "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s\n";
  StopWorkers();
}

}  // namespace
}  // namespace fanfold::dashboard::test
