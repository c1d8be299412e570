// The Azure Functions app that runs fanfold without workers of its own: one queue-triggered
// function per queue the workers would poll, all served by `fanfold serve-functions` (a custom
// handler). The Functions host receives each message, POSTs it to the handler, and renews,
// retries and deletes it by the answer; the scale controller adds instances as queues grow.
//
// The files are generated from the same names the workers use (`fanfold serve-functions
// --write-app DIR`), so a deployment cannot drift from the code: infra/functions/app holds the
// default deployment's copy, and a test checks it is what the generator writes.
#pragma once

#include <string>
#include <vector>

#include "orchestrator/task_hub_names.hpp"
#include "pipelines/pipeline_names.hpp"
#include "storage/result.hpp"

namespace fanfold::functions {

enum class FunctionKind {
  kStage,         // a pipelines::QueueStage: the trigger and the chained pipeline's stages
  kActivities,    // the task hub's work-item queue
  kOrchestrator,  // one of the task hub's control queues
};

struct QueueFunction {
  std::string name;   // the function's folder and route: POST /<name>
  std::string queue;  // what triggers it
  FunctionKind kind = FunctionKind::kStage;
  int partition = -1;  // kOrchestrator: which control queue
};

// The app setting naming the storage account: the same variable the workers read, so one
// setting serves both the bindings and fanfold itself.
inline constexpr const char* kConnectionSetting = "AZURE_STORAGE_CONNECTION_STRING";
// The name every function's trigger binding has, i.e. the key of the message in "Data".
inline constexpr const char* kTriggerBinding = "message";

// trigger, chain-split, chain-aggregate, chain-merge, activities, orchestrator-00...
std::vector<QueueFunction> QueueFunctions(const pipelines::PipelineNames& pipeline_names,
                                          const orchestrator::TaskHubNames& hub_names);

// host.json: the custom handler's executable and arguments, and the queue trigger's settings.
std::string HostJson();
// <name>/function.json: one queueTrigger binding.
std::string FunctionJson(const QueueFunction& function);
// Writes host.json and every <name>/function.json under `directory` (created if missing).
storage::Status WriteFunctionApp(const std::string& directory,
                                 const std::vector<QueueFunction>& functions);

}  // namespace fanfold::functions
