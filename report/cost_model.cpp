#include "report/cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/meters.hpp"

namespace fanfold::report {

using storage::Result;
using storage::Status;

namespace {

// The price ids of one plan's compute meters and free grant.
struct PlanMeters {
  const char* per_gb_second;
  const char* per_million_executions;
  const char* free_gb_seconds;
  const char* free_executions;
};

PlanMeters MetersOf(HostingPlan plan) {
  if (plan == HostingPlan::kFlexConsumption) {
    return {"flex_gb_second", "flex_million_executions", "flex_free_gb_seconds",
            "flex_free_executions"};
  }
  return {"functions_gb_second", "functions_million_executions", "functions_free_gb_seconds",
          "functions_free_executions"};
}

// A rule stored as a whole number of milliseconds (the usd field holds the quantity).
Result<int64_t> WholeMs(const PriceTable& prices, const char* id) {
  Result<double> value = prices.Usd(id);
  if (!value.ok()) return value.status();
  if (!(*value > 0) || *value != std::floor(*value)) {
    return Status::InvalidArgument(std::string(id) + " must be a whole number of ms above 0");
  }
  return static_cast<int64_t>(*value);
}

Status AddFlexCompute(const JobUsage& usage, const PriceTable& prices, CostBreakdown* cost) {
  Result<int64_t> min_ms = WholeMs(prices, "flex_min_billed_ms");
  Result<int64_t> step_ms = WholeMs(prices, "flex_billed_step_ms");
  if (!min_ms.ok()) return min_ms.status();
  if (!step_ms.ok()) return step_ms.status();
  Result<double> per_gbs = prices.Usd("flex_gb_second");
  Result<double> per_million = prices.Usd("flex_million_executions");
  if (!per_gbs.ok()) return per_gbs.status();
  if (!per_million.ok()) return per_million.status();
  for (const WorkerUsage& worker : usage.workers) {
    cost->flex_gb_seconds +=
        FlexWorkerGbSeconds(worker, prices.flex_instance_memory_mb, *min_ms, *step_ms);
  }
  cost->flex_gb_seconds_usd = cost->flex_gb_seconds * *per_gbs;
  cost->flex_executions_usd = static_cast<double>(usage.executions) / 1e6 * *per_million;
  return Status::Ok();
}

}  // namespace

double BilledMemoryMb(double used_mb, double step_mb, double max_mb) {
  const double steps = std::max(1.0, std::ceil(used_mb / step_mb));
  return std::min(steps * step_mb, max_mb);
}

double WorkerGbSeconds(const WorkerUsage& worker, double step_mb, double max_mb) {
  const double billed_mb = BilledMemoryMb(worker.peak_rss_kib / 1024.0, step_mb, max_mb);
  return worker.cpu_seconds * billed_mb / 1024.0;
}

int64_t FlexBilledMs(double active_seconds, int64_t min_ms, int64_t step_ms) {
  const int64_t us = std::llround(active_seconds * 1e6);
  if (us <= 0) return 0;
  const int64_t step_us = step_ms * 1000;
  const int64_t ms = (us + step_us - 1) / step_us * step_ms;
  return std::max(min_ms, ms);
}

double FlexWorkerGbSeconds(const WorkerUsage& worker, double instance_memory_mb, int64_t min_ms,
                           int64_t step_ms) {
  const int64_t ms = FlexBilledMs(worker.cpu_seconds, min_ms, step_ms);
  return static_cast<double>(ms) / 1000.0 * instance_memory_mb / 1024.0;
}

double HeldUsd(double bytes, double seconds, double usd_per_gb_month, double month_hours) {
  return bytes / 1e9 * usd_per_gb_month * seconds / (month_hours * 3600.0);
}

Result<CostBreakdown> ComputeCost(const JobUsage& usage, const PriceTable& prices) {
  CostBreakdown cost;
  for (const auto& [kind, count] : usage.requests_by_kind) {
    Result<MeterMapping> meter = MeterForName(kind);
    if (!meter.ok()) return meter.status();
    Result<double> per_10k = prices.Usd(meter->price_id);
    if (!per_10k.ok()) return per_10k.status();
    const double usd = static_cast<double>(count) / 10000.0 * *per_10k;
    cost.requests_usd_by_price[meter->price_id] += usd;
    cost.requests_by_price[meter->price_id] += count;
    cost.requests_usd += usd;
  }

  Result<double> blob_gb_month = prices.Usd("blob_stored_gb_month");
  if (!blob_gb_month.ok()) return blob_gb_month.status();
  cost.file_held_usd =
      HeldUsd(usage.file_bytes, usage.held_seconds, *blob_gb_month, prices.month_hours);
  if (usage.state_bytes > 0) {
    Result<double> state_gb_month = prices.Usd(usage.state_price_id);
    if (!state_gb_month.ok()) return state_gb_month.status();
    cost.state_held_usd =
        HeldUsd(usage.state_bytes, usage.held_seconds, *state_gb_month, prices.month_hours);
  }

  Result<double> step = prices.Usd("functions_memory_step_mb");
  Result<double> max = prices.Usd("functions_memory_max_mb");
  Result<double> per_gbs = prices.Usd("functions_gb_second");
  Result<double> per_million = prices.Usd("functions_million_executions");
  for (const auto* r : {&step, &max, &per_gbs, &per_million}) {
    if (!r->ok()) return r->status();
  }
  if (*step <= 0) return Status::InvalidArgument("functions_memory_step_mb must be > 0");
  for (const WorkerUsage& worker : usage.workers) {
    cost.gb_seconds += WorkerGbSeconds(worker, *step, *max);
  }
  cost.gb_seconds_usd = cost.gb_seconds * *per_gbs;
  cost.executions_usd = static_cast<double>(usage.executions) / 1e6 * *per_million;
  if (Status flex = AddFlexCompute(usage, prices, &cost); !flex.ok()) return flex;
  return cost;
}

Result<double> PerGb(double usd, double bytes) {
  if (!(bytes > 0)) return Status::InvalidArgument("cost per GB of a run with no input bytes");
  return usd / (bytes / 1e9);
}

Result<double> MonthlyComputeUsd(HostingPlan plan, double gb_seconds_per_job,
                                 double executions_per_job, double jobs, const PriceTable& prices) {
  const PlanMeters meters = MetersOf(plan);
  Result<double> free_gbs = prices.Usd(meters.free_gb_seconds);
  Result<double> free_exec = prices.Usd(meters.free_executions);
  Result<double> per_gbs = prices.Usd(meters.per_gb_second);
  Result<double> per_million = prices.Usd(meters.per_million_executions);
  for (const auto* r : {&free_gbs, &free_exec, &per_gbs, &per_million}) {
    if (!r->ok()) return r->status();
  }
  const double billed_gbs = std::max(0.0, gb_seconds_per_job * jobs - *free_gbs);
  const double billed_exec = std::max(0.0, executions_per_job * jobs - *free_exec);
  return billed_gbs * *per_gbs + billed_exec / 1e6 * *per_million;
}

Result<double> JobsCoveredByFreeGrant(HostingPlan plan, double gb_seconds_per_job,
                                      double executions_per_job, const PriceTable& prices) {
  const PlanMeters meters = MetersOf(plan);
  Result<double> free_gbs = prices.Usd(meters.free_gb_seconds);
  Result<double> free_exec = prices.Usd(meters.free_executions);
  if (!free_gbs.ok()) return free_gbs.status();
  if (!free_exec.ok()) return free_exec.status();
  double jobs = std::numeric_limits<double>::infinity();
  if (gb_seconds_per_job > 0) jobs = std::min(jobs, *free_gbs / gb_seconds_per_job);
  if (executions_per_job > 0) jobs = std::min(jobs, *free_exec / executions_per_job);
  return jobs;
}

Result<double> PremiumEp1MonthUsd(const PriceTable& prices) {
  Result<double> vcpu = prices.Usd("premium_vcpu_hour");
  Result<double> gb = prices.Usd("premium_gb_hour");
  if (!vcpu.ok()) return vcpu.status();
  if (!gb.ok()) return gb.status();
  return (prices.premium_ep1_vcpu * *vcpu + prices.premium_ep1_memory_gb * *gb) *
         prices.month_hours;
}

}  // namespace fanfold::report
