#include "cli/worker_metrics.hpp"

#include "cli/queue_depth_sampler.hpp"
#include "cli/version.hpp"
#include "storage/counters.hpp"

namespace fanfold::cli {
namespace {

const char* ServiceName(storage::ServiceKind service) {
  switch (service) {
    case storage::ServiceKind::kBlob:
      return "blob";
    case storage::ServiceKind::kTable:
      return "table";
    case storage::ServiceKind::kQueue:
      return "queue";
    case storage::ServiceKind::kOther:
      break;
  }
  return "other";
}

}  // namespace

WorkerMetrics::WorkerMetrics(WorkerMetricsSources sources) : sources_(std::move(sources)) {
  started_at_ =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

WorkerMetrics::~WorkerMetrics() {
  server_.Stop();
}

storage::Result<std::unique_ptr<WorkerMetrics>> WorkerMetrics::Start(const std::string& address,
                                                                     WorkerMetricsSources sources) {
  std::unique_ptr<WorkerMetrics> metrics(new WorkerMetrics(std::move(sources)));
  metrics->events_.Subscribe();
  WorkerMetrics* self = metrics.get();
  self->registry_.AddCollector([self](telemetry::MetricsText& out) { self->WriteProcess(out); });
  self->registry_.AddCollector([self](telemetry::MetricsText& out) { self->WriteWork(out); });
  self->registry_.AddCollector([self](telemetry::MetricsText& out) { self->events_.Write(out); });
  self->registry_.AddCollector([self](telemetry::MetricsText& out) { self->WriteStorage(out); });
  if (!self->sources_.queues.empty()) {
    self->depths_ =
        std::make_unique<QueueDepthSampler>(self->sources_.queues, self->sources_.depth_interval);
    self->registry_.AddCollector(
        [self](telemetry::MetricsText& out) { self->depths_->Write(out); });
  }
  auto bound = self->server_.Start(address);
  if (!bound.ok()) return bound.status();
  self->address_ = *bound;
  return metrics;
}

void WorkerMetrics::WriteProcess(telemetry::MetricsText& out) const {
  out.Family("fanfold_build_info", "gauge", "Always 1: the version and commit of this binary.");
  out.Sample("fanfold_build_info", {{"version", kVersion}, {"commit", kGitCommit}}, 1);
  out.Family("fanfold_process_start_time_seconds", "gauge", "When this worker started (Unix).");
  out.Sample("fanfold_process_start_time_seconds", {}, started_at_);
}

void WorkerMetrics::WriteWork(telemetry::MetricsText& out) const {
  out.Family("fanfold_work_items_total", "counter",
             "Queue messages this worker settled, by stage and outcome. Queue stages: done, "
             "retry, defer, poison; orchestrator: received, poison; activities (per task): "
             "completed, failed, poison.");
  std::vector<std::pair<std::string, std::uint64_t>> in_flight;
  std::vector<std::pair<std::string, std::uint64_t>> errors;
  if (sources_.stages != nullptr) {
    for (const auto& stage : *sources_.stages) {
      const auto stats = stage->stats();
      const std::string& name = stage->name();
      out.Sample("fanfold_work_items_total", {{"stage", name}, {"outcome", "done"}},
                 static_cast<double>(stats.handled));
      out.Sample("fanfold_work_items_total", {{"stage", name}, {"outcome", "retry"}},
                 static_cast<double>(stats.retried));
      out.Sample("fanfold_work_items_total", {{"stage", name}, {"outcome", "defer"}},
                 static_cast<double>(stats.deferred));
      out.Sample("fanfold_work_items_total", {{"stage", name}, {"outcome", "poison"}},
                 static_cast<double>(stats.poisoned));
      in_flight.emplace_back(name, stats.in_flight);
      errors.emplace_back(name, stats.errors);
    }
  }
  orchestrator::WorkerStats engine;
  if (sources_.worker != nullptr) {
    engine = sources_.worker->stats();
    out.Sample("fanfold_work_items_total", {{"stage", "orchestrator"}, {"outcome", "received"}},
               static_cast<double>(engine.orchestration.messages));
    out.Sample("fanfold_work_items_total", {{"stage", "orchestrator"}, {"outcome", "poison"}},
               static_cast<double>(engine.orchestration.poisoned));
    out.Sample("fanfold_work_items_total", {{"stage", "activities"}, {"outcome", "completed"}},
               static_cast<double>(engine.activity.completed));
    out.Sample("fanfold_work_items_total", {{"stage", "activities"}, {"outcome", "failed"}},
               static_cast<double>(engine.activity.failed));
    out.Sample("fanfold_work_items_total", {{"stage", "activities"}, {"outcome", "poison"}},
               static_cast<double>(engine.activity.poisoned));
    in_flight.emplace_back("activities", engine.activity.running);
    errors.emplace_back("engine", engine.errors);
  }
  out.Family("fanfold_in_flight", "gauge", "Messages or activities being worked on now.");
  for (const auto& [stage, count] : in_flight)
    out.Sample("fanfold_in_flight", {{"stage", stage}}, static_cast<double>(count));
  out.Family("fanfold_stage_errors_total", "counter",
             "Storage errors while polling or settling messages (the message comes back).");
  for (const auto& [stage, count] : errors)
    out.Sample("fanfold_stage_errors_total", {{"stage", stage}}, static_cast<double>(count));
  if (sources_.worker == nullptr) return;
  const auto counter = [&out](const char* name, const char* help, std::uint64_t value) {
    out.Family(name, "counter", help);
    out.Sample(name, {}, static_cast<double>(value));
  };
  counter("fanfold_orchestration_checkpoints_total", "Orchestration checkpoints committed.",
          engine.orchestration.checkpoints);
  counter("fanfold_orchestration_lost_races_total",
          "Checkpoints another worker committed first (ETag 412), redone on fresh state.",
          engine.orchestration.conflicts);
  counter("fanfold_orchestration_duplicates_total",
          "Control messages recognised as already processed (redeliveries).",
          engine.orchestration.duplicates);
  counter("fanfold_orchestration_full_replays_total",
          "Instance states rebuilt from the history table rather than this worker's cache.",
          engine.orchestration.full_replays);
  counter("fanfold_poll_requests_total",
          "Queue poll requests of this process, every queue it serves (engine and stages).",
          engine.poll_requests);
  counter("fanfold_empty_poll_requests_total", "Those of the poll requests that found nothing.",
          engine.empty_poll_requests);
  out.Family("fanfold_lane_poll_requests_total", "counter",
             "The poll requests by lane (a queue, or the round over the control queues) and "
             "outcome (work or empty): which queues the polling bill is for.");
  for (const auto& lane : engine.polls_by_lane) {
    out.Sample("fanfold_lane_poll_requests_total", {{"lane", lane.lane}, {"outcome", "work"}},
               static_cast<double>(lane.requests - lane.empty_requests));
    out.Sample("fanfold_lane_poll_requests_total", {{"lane", lane.lane}, {"outcome", "empty"}},
               static_cast<double>(lane.empty_requests));
  }
}

void WorkerMetrics::WriteStorage(telemetry::MetricsText& out) const {
  const storage::CounterSnapshot counts = storage::StorageCounters::Global().Snapshot();
  const auto by_kind = [&out](const char* name, const char* help,
                              const std::array<uint64_t, storage::kOperationKindCount>& values) {
    out.Family(name, "counter", help);
    for (int i = 0; i < storage::kOperationKindCount; ++i) {
      const auto kind = static_cast<storage::OperationKind>(i);
      if (kind == storage::OperationKind::kCount) continue;
      out.Sample(name,
                 {{"service", ServiceName(storage::ServiceOf(kind))},
                  {"kind", storage::OperationKindName(kind)}},
                 static_cast<double>(values[static_cast<std::size_t>(i)]));
    }
  };
  by_kind("fanfold_storage_requests_total",
          "HTTP requests sent to Azure Storage (what Azure bills), by service and kind.",
          counts.attempts);
  by_kind("fanfold_storage_operations_total",
          "Logical storage calls, each counted once however often it was retried.",
          counts.operations);
  by_kind("fanfold_storage_retries_total", "Storage requests that were retries of another.",
          counts.retries);
  out.Family("fanfold_storage_throttled_total", "counter", "Storage answers 429 or 503.");
  out.Sample("fanfold_storage_throttled_total", {}, static_cast<double>(counts.throttled));
  out.Family("fanfold_storage_transport_failures_total", "counter",
             "Storage requests that got no complete answer (reset, timeout, refused).");
  out.Sample("fanfold_storage_transport_failures_total", {},
             static_cast<double>(counts.transport_failures));
  out.Family("fanfold_storage_bytes_total", "counter", "Request and response body bytes.");
  out.Sample("fanfold_storage_bytes_total", {{"direction", "sent"}},
             static_cast<double>(counts.bytes_sent));
  out.Sample("fanfold_storage_bytes_total", {{"direction", "received"}},
             static_cast<double>(counts.bytes_received));
}

}  // namespace fanfold::cli
