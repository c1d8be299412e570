#include "functions/function_app.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fanfold::functions {

std::vector<QueueFunction> QueueFunctions(const pipelines::PipelineNames& pipeline_names,
                                          const orchestrator::TaskHubNames& hub_names) {
  std::vector<QueueFunction> functions = {
      {"trigger", pipeline_names.events_queue, FunctionKind::kStage, -1},
      {"chain-split", pipeline_names.chain_split_queue, FunctionKind::kStage, -1},
      {"chain-aggregate", pipeline_names.chain_chunks_queue, FunctionKind::kStage, -1},
      {"chain-merge", pipeline_names.chain_merge_queue, FunctionKind::kStage, -1},
      {"activities", hub_names.work_item_queue, FunctionKind::kActivities, -1},
  };
  for (int partition = 0; partition < hub_names.partition_count; ++partition) {
    char name[32];
    std::snprintf(name, sizeof name, "orchestrator-%02d", partition);
    functions.push_back(
        {name, hub_names.ControlQueue(partition), FunctionKind::kOrchestrator, partition});
  }
  return functions;
}

std::string HostJson() {
  const nlohmann::ordered_json host = {
      {"version", "2.0"},
      {"customHandler",
       {{"description",
         {{"defaultExecutablePath", "fanfold"},
          {"arguments", {"serve-functions", "--log-format", "json"}}}},
        {"enableForwardingHttpRequest", false}}},
      {"extensionBundle",
       {{"id", "Microsoft.Azure.Functions.ExtensionBundle"}, {"version", "[4.*, 5.0.0)"}}},
      {"extensions",
       {{"queues",
         {// fanfold moves a message it cannot handle to its own poison queue (with an envelope
          // `fanfold retry` reads) after 5 deliveries, 10 for control messages; the host's
          // "<queue>-poison" is only a backstop, so its threshold is above both.
          {"maxDequeueCount", 20},
          // A message whose function failed (storage unreachable, say) comes back after this.
          {"visibilityTimeout", "00:00:02"},
          {"batchSize", 16},
          {"newBatchThreshold", 8},
          {"maxPollingInterval", "00:00:02"},
          // fanfold writes and reads Base64 message text, as the Queue service's SDKs do.
          {"messageEncoding", "base64"}}}}},
      {"functionTimeout", "00:10:00"},
      {"logging", {{"logLevel", {{"default", "Information"}}}}}};
  return host.dump(2) + "\n";
}

std::string FunctionJson(const QueueFunction& function) {
  const nlohmann::ordered_json bindings = {{"bindings",
                                            {{{"type", "queueTrigger"},
                                              {"direction", "in"},
                                              {"name", kTriggerBinding},
                                              {"queueName", function.queue},
                                              {"connection", kConnectionSetting}}}}};
  return bindings.dump(2) + "\n";
}

namespace {

storage::Status WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return storage::Status::IoError("cannot write " + path.string());
  return storage::Status::Ok();
}

}  // namespace

storage::Status WriteFunctionApp(const std::string& directory,
                                 const std::vector<QueueFunction>& functions) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return storage::Status::IoError("cannot create " + directory + ": " + error.message());
  FANFOLD_RETURN_IF_ERROR(WriteText(std::filesystem::path(directory) / "host.json", HostJson()));
  for (const auto& function : functions) {
    const auto folder = std::filesystem::path(directory) / function.name;
    std::filesystem::create_directories(folder, error);
    if (error) {
      return storage::Status::IoError("cannot create " + folder.string() + ": " + error.message());
    }
    FANFOLD_RETURN_IF_ERROR(WriteText(folder / "function.json", FunctionJson(function)));
  }
  return storage::Status::Ok();
}

}  // namespace fanfold::functions
