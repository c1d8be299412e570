#include "pipelines/tenant_report.hpp"

#include <chrono>

#include "pipelines/tenants.hpp"

namespace fanfold::pipelines {

double TenantReport::MeanBytesPerSecond() const {
  if (completed_seconds <= 0) return 0;
  return static_cast<double>(completed_bytes) / completed_seconds;
}

std::string TenantOfJob(const JobRow& row) {
  return row.tenant.empty() ? TenantOfBlob(row.blob) : row.tenant;
}

void TenantTotals::Add(const JobRow& row) {
  const std::string tenant = TenantOfJob(row);
  TenantReport& report = by_tenant_[tenant];
  report.tenant = tenant;
  ++report.files;
  report.bytes += row.size;
  report.rows += row.rows;
  report.rejected += row.rejected;
  switch (row.state) {
    case JobState::kQueued:
      ++report.queued;
      break;
    case JobState::kRunning:
      ++report.running;
      break;
    case JobState::kFailed:
      ++report.failed;
      break;
    case JobState::kRefused:
      ++report.refused;
      break;
    case JobState::kCompleted:
      ++report.completed;
      if (row.created && row.finished) {
        report.completed_bytes += row.size;
        report.completed_seconds +=
            std::chrono::duration<double>(*row.finished - *row.created).count();
      }
      break;
  }
}

std::vector<TenantReport> TenantTotals::Reports(const std::vector<std::string>& also) const {
  std::map<std::string, TenantReport> by_tenant = by_tenant_;
  for (const auto& name : also)
    by_tenant[name].tenant = name;
  std::vector<TenantReport> reports;
  for (auto& [name, report] : by_tenant)
    reports.push_back(std::move(report));
  return reports;
}

std::vector<TenantReport> SummarizeTenants(const std::vector<JobRow>& rows,
                                           const std::vector<std::string>& also) {
  TenantTotals totals;
  for (const auto& row : rows)
    totals.Add(row);
  return totals.Reports(also);
}

}  // namespace fanfold::pipelines
