// Suite 1: one job of one file per run, at each fan-out width and worker count.
#include <algorithm>
#include <cstdio>

#include "activities/merge_activity.hpp"
#include "bench/pipeline_bench_execution.hpp"
#include "bench/pipeline_bench_suites.hpp"
#include "bench/pipeline_bench_summary.hpp"

namespace fanfold::bench {
namespace {

nlohmann::json SpanJson(WallClock::time_point origin, WallClock::time_point start,
                        WallClock::time_point end) {
  return {{"start", SecondsBetween(origin, start)}, {"end", SecondsBetween(origin, end)}};
}

// Seconds since the event was posted, for each stage the logs show; null where they show none.
nlohmann::json StagesJson(const JobTimeline& timeline, WallClock::time_point posted) {
  nlohmann::json stages = {
      {"trigger", nullptr}, {"plan", nullptr}, {"aggregate", nullptr}, {"merge", nullptr}};
  if (timeline.accepted) stages["trigger"] = SpanJson(posted, posted, *timeline.accepted);
  if (timeline.planned) {
    stages["plan"] = SpanJson(posted, timeline.planned->start, timeline.planned->end);
  }
  if (!timeline.chunks.empty()) {
    auto start = timeline.chunks.front().span.start;
    auto end = timeline.chunks.front().span.end;
    for (const auto& chunk : timeline.chunks) {
      start = std::min(start, chunk.span.start);
      end = std::max(end, chunk.span.end);
    }
    stages["aggregate"] = SpanJson(posted, start, end);
  }
  if (timeline.merged) {
    stages["merge"] = SpanJson(posted, timeline.merged->start, timeline.merged->end);
  }
  return stages;
}

nlohmann::json ChunkSpansJson(const JobTimeline& timeline, WallClock::time_point posted,
                              std::vector<double>* ok_seconds) {
  nlohmann::json spans = nlohmann::json::array();
  for (const auto& chunk : timeline.chunks) {
    nlohmann::json span = {{"chunk", chunk.chunk},
                           {"worker", chunk.worker},
                           {"start", SecondsBetween(posted, chunk.span.start)},
                           {"end", SecondsBetween(posted, chunk.span.end)},
                           {"rows", chunk.rows},
                           {"bytes", chunk.bytes},
                           {"ok", chunk.ok}};
    if (!chunk.ok) span["error"] = chunk.error;
    if (chunk.ok) ok_seconds->push_back(SecondsBetween(chunk.span.start, chunk.span.end));
    spans.push_back(std::move(span));
  }
  return spans;
}

storage::Result<nlohmann::json> RunOnce(const BenchEnvironment& env, const InputSpec& file,
                                        pipelines::PipelineKind pipeline, int chunks, int workers) {
  const std::string label = file.id + " " + pipelines::PipelineKindName(pipeline) +
                            " chunks=" + std::to_string(chunks) +
                            " workers=" + std::to_string(workers);
  ExecutionSpec spec;
  spec.paths = {file.path};
  spec.upload.pipeline = pipeline;
  spec.upload.chunk_count = static_cast<std::uint32_t>(chunks);
  spec.workers = workers;
  spec.poll_interval = std::chrono::milliseconds(100);
  spec.label = label;
  auto outcome = Execute(env, spec);
  if (!outcome.ok()) return outcome.status();

  const Reference* reference = env.ReferenceOf(file.path);
  nlohmann::json run = {{"file", file.id},
                        {"pipeline", pipelines::PipelineKindName(pipeline)},
                        {"chunks", chunks},
                        {"workers", workers}};
  const Submission* submission =
      outcome->submissions.empty() ? nullptr : &outcome->submissions.front();
  const pipelines::JobRow* row = nullptr;
  if (submission != nullptr) {
    const auto it = outcome->rows.find(submission->job);
    if (it != outcome->rows.end()) row = &it->second;
  }
  run["job"] = submission != nullptr ? submission->job : "";
  run["state"] = row != nullptr ? pipelines::JobStateName(row->state) : "NotStarted";
  run["exact"] = row != nullptr && JobIsExact(*row, reference);
  double latency = 0;
  if (submission != nullptr) {
    run["upload_seconds"] = SecondsBetween(submission->upload_start, submission->posted);
    if (row != nullptr && row->finished) {
      latency = SecondsBetween(submission->posted, FinishedTime(*row));
    }
  }
  run["latency_seconds"] = latency;
  run["wall_seconds"] = outcome->wall_seconds;
  const double bytes = reference != nullptr ? static_cast<double>(reference->bytes) : 0;
  const double rows = reference != nullptr ? static_cast<double>(reference->rows) : 0;
  run["throughput_mb_per_s"] = latency > 0 ? bytes / 1e6 / latency : 0.0;
  run["rows_per_s"] = latency > 0 ? rows / latency : 0.0;

  const auto timeline =
      submission != nullptr ? outcome->timelines.find(submission->job) : outcome->timelines.end();
  std::vector<double> chunk_seconds;
  if (timeline != outcome->timelines.end()) {
    run["stages"] = StagesJson(timeline->second, submission->posted);
    run["chunk_spans"] = ChunkSpansJson(timeline->second, submission->posted, &chunk_seconds);
  } else {
    run["stages"] = StagesJson(JobTimeline{}, WallClock::now());
    run["chunk_spans"] = nlohmann::json::array();
  }
  const double p50 = Percentile(chunk_seconds, 50);
  const double max =
      chunk_seconds.empty() ? 0.0 : *std::max_element(chunk_seconds.begin(), chunk_seconds.end());
  run["chunk_seconds"] = {{"p50", p50},
                          {"max", max},
                          {"mean", Mean(chunk_seconds)},
                          {"straggler_ratio", p50 > 0 ? max / p50 : 0.0}};
  AddCostFields(outcome->deployment, outcome->driver_storage, "chunk", chunks, &run);
  if (!outcome->wait_status.ok()) run["error"] = outcome->wait_status.ToString();
  if (row != nullptr && !row->error.empty()) run["job_error"] = row->error;

  std::fprintf(stderr,
               "pipeline bench: fanout %s: %s%s, latency %.2f s, %.1f MB/s, %llu requests, "
               "wall %.1f s\n",
               label.c_str(), run["state"].get<std::string>().c_str(),
               run["exact"].get<bool>() ? " exact" : " NOT EXACT", latency,
               run["throughput_mb_per_s"].get<double>(),
               static_cast<unsigned long long>(run["requests_total"].get<std::uint64_t>()),
               outcome->wall_seconds);
  return run;
}

}  // namespace

bool JobIsExact(const pipelines::JobRow& row, const Reference* reference) {
  if (reference == nullptr || row.state != pipelines::JobState::kCompleted) return false;
  auto merged = activities::MergeOutputFromJson(row.result);
  return merged.ok() && MatchesReference(*reference, merged->result);
}

storage::Result<nlohmann::json> RunFanoutSuite(const BenchEnvironment& env) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& id : env.plan.fanout_files) {
    const InputSpec& file = env.files.at(id);
    for (const int workers : env.plan.fanout_workers) {
      for (const int chunks : env.plan.fanout_chunks) {
        for (const auto pipeline :
             {pipelines::PipelineKind::kOrchestrated, pipelines::PipelineKind::kChained}) {
          auto run = RunOnce(env, file, pipeline, chunks, workers);
          if (!run.ok()) return run.status();
          runs.push_back(std::move(*run));
        }
      }
    }
  }
  return runs;
}

}  // namespace fanfold::bench
