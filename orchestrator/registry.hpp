// Orchestrators and activities by name, with typed JSON input and output (nlohmann to_json and
// from_json). Both are stored type-erased over JSON so the engine can run any of them.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "orchestrator/instance_status.hpp"
#include "orchestrator/orchestration_context.hpp"
#include "orchestrator/task.hpp"
#include "storage/result.hpp"

namespace fanfold::orchestrator {

// What a running activity knows about itself.
struct ActivityContext {
  std::string instance_id;
  std::string name;
  int task_id = -1;
  int dequeue_count = 1;  // > 1 means this work item was delivered before
  // When the work item carrying this task was sent (zero when its sender did not say): the
  // task waited in the queue from then until it started.
  Timestamp enqueued{};
};

using OrchestratorFunction =
    std::function<Task<nlohmann::json>(OrchestrationContext&, nlohmann::json)>;
// Returns the result as JSON; throwing makes the activity fail (std::exception::what() is the
// failure message).
using ActivityFunction = std::function<nlohmann::json(ActivityContext&, const nlohmann::json&)>;
// What the owner of an orchestration does when an instance of it ends, however it ended:
// completed, failed (an activity out of retries, a throw, non-determinism, a poisoned message)
// or terminated. Called after the end is committed, at least once per end (again when the worker
// dies before it returns, or when it returns an error: the end's message is then redelivered),
// so it must be idempotent. The engine knows nothing of what its owner keeps; this is how the
// owner's records learn how an instance ended.
using EndedHandler = std::function<storage::Status(const InstanceStatus&)>;

class Registry {
 public:
  template <typename Out, typename In>
  void AddOrchestrator(const std::string& name, Task<Out> (*function)(OrchestrationContext&, In)) {
    orchestrators_[name] = [function](OrchestrationContext& context, nlohmann::json input) {
      return Adapt<Out, In>(function, context, std::move(input));
    };
  }
  template <typename Out, typename In>
  void AddActivity(const std::string& name, std::function<Out(ActivityContext&, const In&)> fn) {
    activities_[name] = [fn = std::move(fn)](ActivityContext& context,
                                             const nlohmann::json& input) {
      if constexpr (std::is_void_v<Out>) {
        fn(context, input.get<In>());
        return nlohmann::json();
      } else {
        return nlohmann::json(fn(context, input.get<In>()));
      }
    };
  }

  void OnEnded(const std::string& orchestrator, EndedHandler handler) {
    ended_handlers_[orchestrator] = std::move(handler);
  }

  const OrchestratorFunction* FindOrchestrator(const std::string& name) const {
    const auto it = orchestrators_.find(name);
    return it == orchestrators_.end() ? nullptr : &it->second;
  }
  const ActivityFunction* FindActivity(const std::string& name) const {
    const auto it = activities_.find(name);
    return it == activities_.end() ? nullptr : &it->second;
  }
  const EndedHandler* FindEndedHandler(const std::string& orchestrator) const {
    const auto it = ended_handlers_.find(orchestrator);
    return it == ended_handlers_.end() ? nullptr : &it->second;
  }

 private:
  template <typename Out, typename In>
  static Task<nlohmann::json> Adapt(Task<Out> (*function)(OrchestrationContext&, In),
                                    OrchestrationContext& context, nlohmann::json input) {
    if constexpr (std::is_void_v<Out>) {
      co_await function(context, input.get<In>());
      co_return nlohmann::json();
    } else {
      Out output = co_await function(context, input.get<In>());
      co_return nlohmann::json(std::move(output));
    }
  }

  std::map<std::string, OrchestratorFunction> orchestrators_;
  std::map<std::string, ActivityFunction> activities_;
  std::map<std::string, EndedHandler> ended_handlers_;
};

}  // namespace fanfold::orchestrator
