#include "telemetry/event_metrics.hpp"

#include "telemetry/log.hpp"

namespace fanfold::telemetry {
namespace {

std::string StringField(const nlohmann::json& fields, const char* name, const char* otherwise) {
  const auto found = fields.find(name);
  return found != fields.end() && found->is_string() && !found->get<std::string>().empty()
             ? found->get<std::string>()
             : std::string(otherwise);
}

double NumberField(const nlohmann::json& fields, const char* name) {
  const auto found = fields.find(name);
  return found != fields.end() && found->is_number() ? found->get<double>() : 0.0;
}

bool HasNumber(const nlohmann::json& fields, const char* name) {
  const auto found = fields.find(name);
  return found != fields.end() && found->is_number();
}

}  // namespace

EventMetrics::~EventMetrics() {
  if (observer_id_ != 0) RemoveLogObserver(observer_id_);
}

void EventMetrics::Subscribe() {
  if (observer_id_ != 0) return;
  observer_id_ = AddLogObserver([this](LogLevel, std::string_view event,
                                       const nlohmann::json& fields) { Observe(event, fields); });
}

Histogram& EventMetrics::HistogramFor(std::map<std::string, std::unique_ptr<Histogram>>& family,
                                      const std::string& label) {
  auto& slot = family[label];
  if (!slot) slot = std::make_unique<Histogram>(LatencyBucketsSeconds());
  return *slot;
}

void EventMetrics::Observe(std::string_view event, const nlohmann::json& fields_in) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json& fields = fields_in.is_object() ? fields_in : kEmpty;
  const double seconds = NumberField(fields, "duration_ms") / 1000.0;
  std::lock_guard<std::mutex> lock(mutex_);
  if (event == "activity.completed" || event == "activity.failed") {
    const std::string activity = StringField(fields, "activity", "unknown");
    ++activities_[{activity, event == "activity.completed" ? "completed" : "failed"}];
    if (HasNumber(fields, "duration_ms"))
      HistogramFor(activity_seconds_, activity).Observe(seconds);
  } else if (event == "chunk.aggregated" || event == "chunk.failed") {
    ++chunks_[event == "chunk.aggregated" ? "aggregated" : "failed"];
    if (HasNumber(fields, "duration_ms")) chunk_seconds_.Observe(seconds);
    rows_ += static_cast<std::uint64_t>(NumberField(fields, "rows"));
    rejected_rows_ += static_cast<std::uint64_t>(NumberField(fields, "rejected"));
    bytes_ += static_cast<std::uint64_t>(NumberField(fields, "bytes"));
  } else if (event == "job.accepted" || event == "job.completed" || event == "job.failed" ||
             event == "job.refused") {
    const std::string pipeline = StringField(fields, "pipeline", "none");
    ++jobs_[{pipeline, std::string(event.substr(4))}];
    if (event == "job.completed" && HasNumber(fields, "duration_ms")) {
      HistogramFor(job_seconds_, pipeline).Observe(seconds);
    }
  } else if (event == "message.poisoned") {
    ++poisoned_[StringField(fields, "stage", "unknown")];
  } else if (event == "trigger.ignored") {
    ++ignored_events_[StringField(fields, "action", "unknown")];
  }
}

void EventMetrics::Write(MetricsText& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  out.Family("fanfold_activities_total", "counter",
             "Activities run by this process, by activity name and outcome.");
  for (const auto& [key, count] : activities_)
    out.Sample("fanfold_activities_total", {{"activity", key.first}, {"outcome", key.second}},
               static_cast<double>(count));
  out.Family("fanfold_activity_duration_seconds", "histogram",
             "Time to run one activity, by activity name.");
  for (const auto& [activity, histogram] : activity_seconds_)
    out.HistogramSamples("fanfold_activity_duration_seconds", {{"activity", activity}},
                         histogram->snapshot());
  out.Family("fanfold_chunks_total", "counter",
             "Chunk aggregations (either pipeline), by outcome: aggregated or failed.");
  for (const char* outcome : {"aggregated", "failed"}) {
    const auto found = chunks_.find(outcome);
    out.Sample("fanfold_chunks_total", {{"outcome", outcome}},
               static_cast<double>(found == chunks_.end() ? 0 : found->second));
  }
  out.Family("fanfold_chunk_duration_seconds", "histogram",
             "Time to read and aggregate one chunk.");
  out.HistogramSamples("fanfold_chunk_duration_seconds", {}, chunk_seconds_.snapshot());
  out.Family("fanfold_input_rows_total", "counter", "Rows aggregated (rejected ones included).");
  out.Sample("fanfold_input_rows_total", {}, static_cast<double>(rows_));
  out.Family("fanfold_rejected_rows_total", "counter", "Malformed rows counted and skipped.");
  out.Sample("fanfold_rejected_rows_total", {}, static_cast<double>(rejected_rows_));
  out.Family("fanfold_input_bytes_total", "counter", "Bytes of uploaded files read by chunks.");
  out.Sample("fanfold_input_bytes_total", {}, static_cast<double>(bytes_));
  out.Family("fanfold_jobs_total", "counter",
             "Jobs this process saw reach a step, by pipeline and outcome (accepted, completed, "
             "failed, refused).");
  for (const auto& [key, count] : jobs_)
    out.Sample("fanfold_jobs_total", {{"pipeline", key.first}, {"outcome", key.second}},
               static_cast<double>(count));
  out.Family("fanfold_job_duration_seconds", "histogram",
             "Time from a job's acceptance to its result, for jobs this process completed.");
  for (const auto& [pipeline, histogram] : job_seconds_)
    out.HistogramSamples("fanfold_job_duration_seconds", {{"pipeline", pipeline}},
                         histogram->snapshot());
  out.Family("fanfold_messages_poisoned_total", "counter",
             "Messages moved to a poison queue, by stage.");
  for (const auto& [stage, count] : poisoned_)
    out.Sample("fanfold_messages_poisoned_total", {{"stage", stage}}, static_cast<double>(count));
  out.Family("fanfold_trigger_ignored_events_total", "counter",
             "Upload events that started no job, by why: duplicate, superseded (the blob changed "
             "or went), foreign-container (not the upload container).");
  for (const auto& [action, count] : ignored_events_)
    out.Sample("fanfold_trigger_ignored_events_total", {{"action", action}},
               static_cast<double>(count));
}

}  // namespace fanfold::telemetry
