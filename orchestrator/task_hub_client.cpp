#include "orchestrator/task_hub_client.hpp"

#include <cctype>
#include <thread>

#include "storage/random_id.hpp"

namespace fanfold::orchestrator {

using storage::Result;
using storage::Status;

namespace {

Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// Instance ids become PartitionKeys and blob name prefixes: keep them to what both accept.
Status ValidateInstanceId(const std::string& id) {
  if (id.empty() || id.size() > 256) {
    return Status::InvalidArgument("an instance id has 1 to 256 characters");
  }
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (std::iscntrl(u) != 0 || c == '/' || c == '\\' || c == '#' || c == '?' || u > 0x7E) {
      return Status::InvalidArgument("instance id '" + id +
                                     "' may not hold / \\ # ? or control characters");
    }
  }
  return Status::Ok();
}

}  // namespace

Status TaskHubClient::SendStart(const InstanceStatus& status) const {
  HistoryEvent started;
  started.type = EventType::kExecutionStarted;
  started.name = status.name;
  started.payload = status.input;
  started.timestamp = status.created;
  // Deterministic id: a start sent twice is recognised as one.
  return hub_->SendControl(
      EventMessage(status.instance_id, std::move(started), "start:" + status.instance_id));
}

Result<std::string> TaskHubClient::Start(const std::string& orchestrator,
                                         const nlohmann::json& input,
                                         std::string instance_id) const {
  if (instance_id.empty()) instance_id = storage::NewUuid();
  FANFOLD_RETURN_IF_ERROR(ValidateInstanceId(instance_id));
  InstanceStatus status;
  status.instance_id = instance_id;
  status.name = orchestrator;
  status.input = input.dump();
  status.created = status.last_updated = Now();
  auto stored = hub_->instances().Create(status);
  if (!stored.ok()) return stored.status();
  // A Pending instance may be one whose start message was lost (a crash right after the
  // insert): sending it again is safe, since its id is fixed.
  if (stored->status == RuntimeStatus::kPending) FANFOLD_RETURN_IF_ERROR(SendStart(*stored));
  return instance_id;
}

Result<InstanceStatus> TaskHubClient::GetStatus(const std::string& instance_id) const {
  return hub_->instances().Get(instance_id);
}

Result<InstancePage> TaskHubClient::Query(const InstanceQuery& query) const {
  return hub_->instances().Query(query);
}

Result<InstanceStatus> TaskHubClient::WaitForCompletion(const std::string& instance_id,
                                                        std::chrono::milliseconds timeout,
                                                        std::chrono::milliseconds poll_interval,
                                                        int64_t after_history_length) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto status = GetStatus(instance_id);
    if (!status.ok() && !status.status().IsNotFound()) return status.status();
    if (status.ok() && IsTerminal(status->status) &&
        status->history_length > after_history_length) {
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Timeout(
          "instance " + instance_id + " did not finish within " + std::to_string(timeout.count()) +
          " ms" +
          (status.ok() ? std::string(" (status ") + RuntimeStatusName(status->status) + ")"
                       : std::string(" (not found)")));
    }
    std::this_thread::sleep_for(poll_interval);
  }
}

Status TaskHubClient::RaiseEvent(const std::string& instance_id, const std::string& event_name,
                                 const nlohmann::json& payload) const {
  FANFOLD_RETURN_IF_ERROR(ValidateInstanceId(instance_id));
  HistoryEvent raised;
  raised.type = EventType::kEventRaised;
  raised.name = event_name;
  raised.payload = payload.dump();
  raised.timestamp = Now();
  return hub_->SendControl(EventMessage(instance_id, std::move(raised)));
}

Status TaskHubClient::Terminate(const std::string& instance_id, const std::string& reason) const {
  auto status = GetStatus(instance_id);
  if (!status.ok()) return status.status();
  if (IsTerminal(status->status)) return Status::Ok();
  return hub_->SendControl(CommandMessage(ControlKind::kTerminate, instance_id, reason));
}

Status TaskHubClient::Rewind(const std::string& instance_id, const std::string& reason) const {
  auto status = GetStatus(instance_id);
  if (!status.ok()) return status.status();
  if (status->status != RuntimeStatus::kFailed) {
    return Status::InvalidArgument("instance " + instance_id + " is " +
                                   RuntimeStatusName(status->status) +
                                   "; only a Failed instance can be rewound");
  }
  return hub_->SendControl(CommandMessage(ControlKind::kRewind, instance_id, reason));
}

Status TaskHubClient::Purge(const std::string& instance_id) const {
  auto status = GetStatus(instance_id);
  if (!status.ok()) return status.status();
  if (!IsTerminal(status->status)) {
    return Status::InvalidArgument("instance " + instance_id + " is " +
                                   RuntimeStatusName(status->status) +
                                   "; terminate it before purging");
  }
  FANFOLD_RETURN_IF_ERROR(hub_->history().Purge(instance_id));
  return hub_->instances().Delete(instance_id);
}

Result<PurgeResult> TaskHubClient::Purge(InstanceQuery query) const {
  PurgeResult result;
  if (query.statuses.empty()) {
    query.statuses = {RuntimeStatus::kCompleted, RuntimeStatus::kFailed,
                      RuntimeStatus::kTerminated};
  }
  while (true) {
    auto page = Query(query);
    if (!page.ok()) return page.status();
    for (const auto& instance : page->instances) {
      if (!IsTerminal(instance.status)) continue;
      FANFOLD_RETURN_IF_ERROR(Purge(instance.instance_id));
      ++result.instances;
    }
    if (page->continuation.empty()) break;
    query.continuation = page->continuation;
  }
  return result;
}

}  // namespace fanfold::orchestrator
