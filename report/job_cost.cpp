#include "report/job_cost.hpp"

namespace fanfold::report {
namespace {

std::vector<WorkerUsage> Workers(const std::vector<Process>& processes) {
  std::vector<WorkerUsage> out;
  for (const Process& p : processes) {
    if (p.role == "worker") out.push_back({p.cpu_seconds, p.peak_rss_kib});
  }
  return out;
}

}  // namespace

const std::vector<std::string>& JobCostAssumptions() {
  static const std::vector<std::string> kAssumptions = {
      "Requests: every attempt on the wire (counters' `attempts`, workers + driver) is one billed "
      "request, idle polls of empty queues included; Azurite answers the same requests Azure "
      "would bill. Retries are attempts, so they are billed too.",
      "Compute: each worker is priced as Azure Functions on the Consumption plan. Billed "
      "execution seconds are taken to be the worker's CPU-busy seconds (user + system): a "
      "function waiting on storage is billed on Azure but idle here, and a worker's idle polling "
      "costs CPU here but would be the platform's on Azure, so this is an estimate, not a bound.",
      "Memory: each worker's peak RSS, rounded up to the next 128 MB (at least 128 MB, at most "
      "1,536 MB), as Consumption bills memory; GB-s = CPU seconds x that memory / 1,024.",
      "Executions: one per message a worker handled, counted as its Delete Message requests "
      "(every handled message is deleted once when settled; empty polls are not executions). In "
      "the orchestrated pipeline a work-item message carries up to 16 activity tasks, so Durable "
      "Functions, which bills one execution per activity and per orchestrator replay, would count "
      "more.",
      "Flex Consumption (on demand): each worker is one instance of the price table's instance "
      "memory (2,048 MB, main.bicep's default), billed for that whole memory while it executes, "
      "whatever the process uses; its active time is taken to be its CPU seconds, billed at "
      "least 1 s and then in 100 ms steps (Microsoft's Flex billing rules), one activity period "
      "per worker, so a worker that went idle and woke again would be billed more. Executions "
      "are counted as for Consumption. Flex scales each queue-triggered function on its own "
      "instances, so a real deployment may run more, smaller-busy instances than the benchmark's "
      "workers.",
      "Free grant: per-job figures are marginal costs past the monthly grant (Consumption: "
      "400,000 GB-s and 1 M executions; Flex Consumption on demand: 100,000 GB-s and 250,000 "
      "executions; per subscription); how many jobs a month each grant covers is given "
      "separately.",
      "Storage held: the input file at the blob hot price and the pipeline's own state at the "
      "Table (orchestrated) or Queue (chained) price, pro rata for the job's latency (a 730-hour "
      "month). The state's size is bounded by everything the workers sent (bytes_sent), an upper "
      "bound: overwritten rows and deleted messages count in full.",
      "Not priced: bandwidth (same-region traffic is free), Event Grid (one event per upload), "
      "Application Insights, and the Functions host's own storage use (leases, logs).",
  };
  return kAssumptions;
}

std::string StatePriceId(const std::string& pipeline) {
  return pipeline == "orchestrated" ? "table_stored_gb_month" : "queue_stored_gb_month";
}

JobUsage UsageOfRun(const FanoutRun& run, double file_bytes) {
  JobUsage usage;
  usage.requests_by_kind =
      run.storage.total.attempts.empty() ? run.requests_by_kind : run.storage.total.attempts;
  usage.file_bytes = file_bytes;
  usage.held_seconds = run.latency_seconds;
  usage.state_bytes = run.storage.workers.bytes_sent;
  usage.state_price_id = StatePriceId(run.pipeline);
  usage.workers = Workers(run.processes);
  usage.executions = run.storage.workers.attempts_of("queue_delete");
  return usage;
}

JobUsage UsageOfCase(const LoadCase& c) {
  JobUsage usage;
  usage.requests_by_kind =
      c.storage.total.attempts.empty() ? c.requests_by_kind : c.storage.total.attempts;
  usage.file_bytes = c.bytes;
  usage.held_seconds = c.latency.mean;
  usage.state_bytes = c.storage.workers.bytes_sent;
  usage.state_price_id = StatePriceId(c.pipeline);
  usage.workers = Workers(c.processes);
  usage.executions = c.storage.workers.attempts_of("queue_delete");
  return usage;
}

namespace {

storage::Result<RunCost> PriceUsage(const FanoutRun& run, const PipelineResults& results,
                                    const PriceTable& prices, bool work_only) {
  const InputFile* file = results.File(run.file);
  if (file == nullptr) return storage::Status::InvalidArgument("unknown file " + run.file);
  JobUsage usage = UsageOfRun(run, file->bytes);
  if (work_only) usage.requests_by_kind = WorkRequests(usage.requests_by_kind);
  storage::Result<CostBreakdown> cost = ComputeCost(usage, prices);
  if (!cost.ok()) return cost.status();
  storage::Result<double> per_gb = PerGb(cost->total_usd(), file->bytes);
  if (!per_gb.ok()) return per_gb.status();
  return RunCost{*cost, *per_gb, static_cast<double>(usage.executions)};
}

}  // namespace

storage::Result<RunCost> CostOfRun(const FanoutRun& run, const PipelineResults& results,
                                   const PriceTable& prices) {
  return PriceUsage(run, results, prices, false);
}

storage::Result<RunCost> WorkCostOfRun(const FanoutRun& run, const PipelineResults& results,
                                       const PriceTable& prices) {
  return PriceUsage(run, results, prices, true);
}

std::map<std::string, uint64_t> WorkRequests(const std::map<std::string, uint64_t>& attempts) {
  std::map<std::string, uint64_t> out;
  for (const auto& [kind, n] : attempts) {
    if (kind == "queue_admin" || kind == "table_admin" || kind == "blob_container") continue;
    out[kind] = n;
  }
  const auto deletes = out.find("queue_delete");
  const uint64_t handled = deletes == out.end() ? 0 : deletes->second;
  if (auto gets = out.find("queue_get"); gets != out.end() && gets->second > handled) {
    gets->second = handled;
  }
  return out;
}

}  // namespace fanfold::report
