// fanfold tenants: per tenant, what its uploads amounted to (files, bytes, rows, rejected rows,
// failed jobs, mean ingestion rate), from the Jobs table's job rows in one listing.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_status_view.hpp"
#include "cli/pipeline_access.hpp"
#include "pipelines/tenant_report.hpp"
#include "pipelines/tenants.hpp"

namespace fanfold::cli {
namespace {

int RunTenants(const Arguments& arguments) {
  if (!arguments.positionals().empty()) {
    std::fprintf(stderr, "fanfold tenants: takes no arguments\n");
    return kExitUsage;
  }
  // With a tenants file, its tenants are listed even before their first upload.
  auto tenants = pipelines::LoadTenantsFromFlagOrEnv(arguments.ValueOr("tenants", ""));
  if (!tenants.ok()) {
    std::fprintf(stderr, "fanfold tenants: %s\n", tenants.status().message().c_str());
    return kExitConfiguration;
  }
  std::vector<std::string> configured;
  if (tenants->has_value()) {
    for (const auto& [name, limits] : (*tenants)->tenants)
      configured.push_back(name);
  }
  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  auto rows = context->jobs.ListJobs();
  if (!rows.ok()) {
    if (IsTableMissing(rows.status()))
      rows = std::vector<pipelines::JobRow>{};  // no table yet
    else
      return ReportFailure("tenants", rows.status());
  }
  const auto reports = pipelines::SummarizeTenants(*rows, configured);
  if (arguments.Has("json")) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& report : reports)
      out.push_back(TenantJson(report));
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  std::printf("%s", TenantsText(reports).c_str());
  return kExitOk;
}

}  // namespace

Command TenantsCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  options.push_back({"tenants", true,
                     "the tenants file: its tenants are listed even with no upload yet "
                     "(default $FANFOLD_TENANTS_FILE)",
                     "FILE"});
  options.push_back({"json", false, "print JSON: one object per tenant"});
  return Command{
      "tenants",
      "per tenant: files, bytes, rows, rejected rows, failures, mean ingestion rate",
      "[--tenants FILE] [--json]",
      "One line per tenant (the first segment of the upload's blob name; (default) for\n"
      "uploads that name none): files (job rows, refused ones included), their bytes, rows\n"
      "and rejected rows read, jobs failed, refused, queued, running and completed, and the\n"
      "mean ingestion rate over completed jobs: the sum of their sizes over the sum of\n"
      "(finished - created), so time spent waiting for a concurrency slot counts.",
      options,
      RunTenants};
}

}  // namespace fanfold::cli
