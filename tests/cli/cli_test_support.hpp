// Running the fanfold binary as a user would: a command with its arguments, the test account's
// connection string in the environment, a unique deployment (--prefix, --hub) per test, and its
// exit code, standard output and standard error captured.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/orchestrator/worker_process.hpp"
#include "tests/pipelines/pipeline_test_support.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::cli::test {

using orchestrator::test::WorkerProcess;
using pipelines::test::Reference;
using pipelines::test::ReferenceMean;

struct CommandOutput {
  int exit_code = -1;  // -1: killed (timeout)
  std::string out;
  std::string err;
};

inline std::ostream& operator<<(std::ostream& stream, const CommandOutput& output) {
  return stream << "exit " << output.exit_code << "\n--- stdout\n"
                << output.out << "--- stderr\n"
                << output.err;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteWholeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// A private working directory and deployment for one test.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = fanfold::testing::UniqueName("c");
    hub_ = fanfold::testing::UniqueName("h");
    directory_ = std::filesystem::temp_directory_path() / fanfold::testing::UniqueName("clitest");
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override {
    workers_.clear();
    if (!HasFailure()) {
      std::error_code ignored;
      std::filesystem::remove_all(directory_, ignored);
    } else {
      std::cerr << "worker logs and files kept in " << directory_ << "\n";
    }
  }

  // --prefix P --hub H --partitions 2 (the test workers' partition count).
  std::vector<std::string> Deployment() const {
    return {"--prefix", prefix_, "--hub", hub_, "--partitions", "2"};
  }

  // Runs `fanfold <arguments...> <deployment>` in the test's directory.
  CommandOutput Fanfold(std::vector<std::string> arguments,
                        std::chrono::seconds timeout = std::chrono::seconds(60),
                        const std::map<std::string, std::string>& environment = {},
                        bool with_deployment = true) const {
    if (with_deployment) {
      for (auto& flag : Deployment())
        arguments.push_back(flag);
    }
    const std::string out_path = (directory_ / "cmd.out").string();
    const std::string err_path = (directory_ / "cmd.err").string();
    const pid_t pid = fork();
    if (pid == 0) {
      setenv("AZURE_STORAGE_CONNECTION_STRING", fanfold::testing::TestConnectionString().c_str(),
             1);
      unsetenv("FANFOLD_PREFIX");
      unsetenv("FANFOLD_HUB");
      for (const auto& [name, value] : environment)
        setenv(name.c_str(), value.c_str(), 1);
      const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      if (chdir(directory_.c_str()) != 0) _exit(126);
      std::vector<std::string> all = {FANFOLD_BINARY};
      all.insert(all.end(), arguments.begin(), arguments.end());
      std::vector<char*> argv;
      for (auto& argument : all)
        argv.push_back(argument.data());
      argv.push_back(nullptr);
      execv(FANFOLD_BINARY, argv.data());
      _exit(127);
    }
    CommandOutput output;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) != pid) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        ADD_FAILURE() << "fanfold " << arguments.front() << " did not finish in " << timeout.count()
                      << " s";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    output.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    output.out = ReadWholeFile(out_path);
    output.err = ReadWholeFile(err_path);
    return output;
  }

  // A `fanfold worker` on this test's deployment, polling fast.
  void StartWorkers(int count, std::vector<std::string> extra = {},
                    std::map<std::string, std::string> environment = {}) {
    std::vector<std::string> arguments = {
        "--prefix", prefix_, "--idle-poll-ms", "10", "--visibility-timeout", "5"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    for (int i = 0; i < count; ++i) {
      const std::string log =
          (directory_ / ("worker-" + std::to_string(++worker_count_) + ".log")).string();
      workers_.push_back(std::make_unique<WorkerProcess>(hub_, arguments, environment, log));
    }
  }
  // SIGTERM to every worker; each drains and exits 0.
  void StopWorkers() {
    for (auto& worker : workers_)
      EXPECT_EQ(worker->Terminate(), 0);
    workers_.clear();
  }

  std::string Path(const std::string& name) const { return (directory_ / name).string(); }

  std::string prefix_;
  std::string hub_;
  std::filesystem::path directory_;
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
  int worker_count_ = 0;
};

// JSON text with every number that has a fraction kept as its exact text (a string): the
// means' digits are the contract, and a double would drop "4442.70"'s final zero.
inline nlohmann::json ParseKeepingDecimals(const std::string& text) {
  static const std::regex kDecimal(R"((:\s*)(-?[0-9]+\.[0-9]+)(\s*[,}\]]))");
  return nlohmann::json::parse(std::regex_replace(text, kDecimal, "$1\"$2\"$3"));
}

// "-123.45" from cents.
inline std::string Money(std::int64_t cents) {
  const std::int64_t magnitude = cents < 0 ? -cents : cents;
  char text[40];
  std::snprintf(text, sizeof text, "%s%lld.%02lld", cents < 0 ? "-" : "",
                static_cast<long long>(magnitude / 100), static_cast<long long>(magnitude % 100));
  return text;
}

// Checks a `result --json` object (parsed by ParseKeepingDecimals) against the reference: every
// nation's rows, exact sum and mean, the means written with exactly two decimals, nations
// ascending; and the totals.
inline void ExpectResultMatches(const nlohmann::json& result, const Reference& reference,
                                const std::string& pipeline) {
  ASSERT_TRUE(result.is_object()) << result.dump();
  EXPECT_EQ(result.at("pipeline"), pipeline);
  EXPECT_EQ(result.at("state"), "Completed");
  EXPECT_TRUE(result.at("job").is_string());
  std::int64_t rows = 0;
  for (const auto& [key, nation] : reference)
    rows += nation.rows;
  EXPECT_EQ(result.at("rows"), rows);
  EXPECT_EQ(result.at("rejected"), 0);
  EXPECT_TRUE(result.at("rejects").is_object());
  const auto& nations = result.at("nations");
  ASSERT_EQ(nations.size(), reference.size()) << result.dump();
  int previous = -1;
  for (const auto& nation : nations) {
    ASSERT_EQ(nation.size(), 4u) << nation.dump();
    const int key = nation.at("nation").get<int>();
    EXPECT_GT(key, previous);
    previous = key;
    ASSERT_TRUE(reference.count(key)) << key;
    const auto& expected = reference.at(key);
    EXPECT_EQ(nation.at("rows").get<std::int64_t>(), expected.rows) << key;
    EXPECT_EQ(nation.at("sum_cents").get<std::int64_t>(), expected.sum_cents) << key;
    ASSERT_TRUE(nation.at("mean").is_string()) << "mean is not a decimal number: " << nation;
    EXPECT_EQ(nation.at("mean").get<std::string>(), ReferenceMean(expected)) << key;
  }
}

// The nation lines of a printed result table: nation -> {rows, sum, mean} as printed.
struct PrintedNation {
  std::int64_t rows = 0;
  std::string sum;
  std::string mean;
};
inline std::map<int, PrintedNation> ParseResultTable(const std::string& text) {
  std::map<int, PrintedNation> nations;
  std::istringstream lines(text);
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.find("NATION") != std::string::npos && line.find("MEAN") != std::string::npos) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    std::istringstream fields(line);
    int nation = 0;
    PrintedNation printed;
    if (!(fields >> nation >> printed.rows >> printed.sum >> printed.mean)) {
      in_table = false;
      continue;
    }
    nations[nation] = printed;
  }
  return nations;
}

inline void ExpectTableMatches(const std::string& text, const Reference& reference) {
  const auto printed = ParseResultTable(text);
  ASSERT_EQ(printed.size(), reference.size()) << text;
  for (const auto& [key, expected] : reference) {
    ASSERT_TRUE(printed.count(key)) << key;
    EXPECT_EQ(printed.at(key).rows, expected.rows) << key;
    EXPECT_EQ(printed.at(key).sum, Money(expected.sum_cents)) << key;
    EXPECT_EQ(printed.at(key).mean, ReferenceMean(expected)) << key;
  }
}

inline const std::string& SampleText() {
  static const std::string text = ReadWholeFile(pipelines::test::SampleCustomerPath());
  return text;
}

inline const Reference& SampleReference() {
  static const Reference reference = pipelines::test::ReferenceFromTpch(SampleText());
  return reference;
}

}  // namespace fanfold::cli::test
