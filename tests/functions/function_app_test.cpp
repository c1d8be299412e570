// The Functions app's files: what the generator writes, and that the copy committed under
// infra/functions/app is exactly that (so a deployment cannot drift from the code's names).
#include "functions/function_app.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fanfold::functions {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<QueueFunction> DefaultFunctions() {
  auto hub = orchestrator::TaskHubNames::For("fanfold", 4);
  EXPECT_TRUE(hub.ok());
  return QueueFunctions(pipelines::PipelineNames{}, *hub);
}

TEST(FunctionAppTest, OneFunctionPerQueueTheWorkersPoll) {
  const auto functions = DefaultFunctions();
  std::map<std::string, std::string> queue_of;
  for (const auto& function : functions)
    queue_of[function.name] = function.queue;
  EXPECT_EQ(queue_of,
            (std::map<std::string, std::string>{{"trigger", "blob-events"},
                                                {"chain-split", "chain-split"},
                                                {"chain-aggregate", "chain-chunks"},
                                                {"chain-merge", "chain-merge"},
                                                {"activities", "fanfold-workitems"},
                                                {"orchestrator-00", "fanfold-control-00"},
                                                {"orchestrator-01", "fanfold-control-01"},
                                                {"orchestrator-02", "fanfold-control-02"},
                                                {"orchestrator-03", "fanfold-control-03"}}));
  for (const auto& function : functions) {
    if (function.kind == FunctionKind::kOrchestrator) {
      EXPECT_EQ(function.name, "orchestrator-0" + std::to_string(function.partition));
    }
  }
}

TEST(FunctionAppTest, PrefixAndHubRenameTheQueues) {
  auto hub = orchestrator::TaskHubNames::For("Sales", 2);
  ASSERT_TRUE(hub.ok());
  const auto functions = QueueFunctions(pipelines::PipelineNames::WithPrefix("t1"), *hub);
  ASSERT_EQ(functions.size(), 7u);
  EXPECT_EQ(functions[0].queue, "t1-blob-events");
  EXPECT_EQ(functions[4].queue, "sales-workitems");
  EXPECT_EQ(functions[6].queue, "sales-control-01");
}

TEST(FunctionAppTest, HostJsonRunsTheCustomHandlerAndBacksUpFanfoldsPoisoning) {
  const auto host = nlohmann::json::parse(HostJson());
  EXPECT_EQ(host.at("version"), "2.0");
  const auto& description = host.at("customHandler").at("description");
  EXPECT_EQ(description.at("defaultExecutablePath"), "fanfold");
  EXPECT_EQ(description.at("arguments").at(0), "serve-functions");
  EXPECT_EQ(host.at("customHandler").at("enableForwardingHttpRequest"), false);
  const auto& queues = host.at("extensions").at("queues");
  // Above both of fanfold's own thresholds (5 for stage messages, 10 for control messages).
  EXPECT_GT(queues.at("maxDequeueCount").get<int>(), 10);
  EXPECT_EQ(queues.at("messageEncoding"), "base64");
}

TEST(FunctionAppTest, FunctionJsonIsOneQueueTrigger) {
  const auto json = nlohmann::json::parse(FunctionJson({"activities", "fanfold-workitems"}));
  ASSERT_EQ(json.at("bindings").size(), 1u);
  const auto& binding = json.at("bindings").at(0);
  EXPECT_EQ(binding.at("type"), "queueTrigger");
  EXPECT_EQ(binding.at("direction"), "in");
  EXPECT_EQ(binding.at("name"), kTriggerBinding);
  EXPECT_EQ(binding.at("queueName"), "fanfold-workitems");
  EXPECT_EQ(binding.at("connection"), "AZURE_STORAGE_CONNECTION_STRING");
}

TEST(FunctionAppTest, CommittedAppIsWhatTheGeneratorWrites) {
  const std::filesystem::path committed =
      std::filesystem::path(FANFOLD_SOURCE_DIR) / "infra" / "functions" / "app";
  const std::filesystem::path written =
      std::filesystem::temp_directory_path() /
      ("fanfold-app-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
       std::to_string(getpid()));
  ASSERT_TRUE(WriteFunctionApp(written.string(), DefaultFunctions()).ok());
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(written)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const auto relative = std::filesystem::relative(entry.path(), written);
    EXPECT_EQ(ReadFile(committed / relative), ReadFile(entry.path()))
        << relative << " differs: run `fanfold serve-functions --write-app infra/functions/app`";
  }
  EXPECT_EQ(files, 10u);  // host.json and nine function.json
  std::size_t committed_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(committed)) {
    if (entry.is_regular_file()) ++committed_files;
  }
  EXPECT_EQ(committed_files, files) << "infra/functions/app holds a file the generator does not";
  std::filesystem::remove_all(written);
}

}  // namespace
}  // namespace fanfold::functions
