// fanfold upload: each file becomes a job. The file goes to the uploads container, its options
// travel as blob metadata, and a BlobCreated event (Azure Event Grid's schema) on the
// blob-events queue starts it, exactly as an Event Grid subscription would in Azure.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/hub_access.hpp"
#include "cli/job_upload.hpp"
#include "cli/job_waiting.hpp"
#include "cli/json_text.hpp"
#include "cli/pipeline_access.hpp"
#include "cli/result_output.hpp"
#include "pipelines/tenant_upload.hpp"
#include "pipelines/tenants.hpp"

namespace fanfold::cli {
namespace {

std::string UploadJson(const UploadedJob& upload, const pipelines::JobRow* row) {
  JsonObjectText item;
  item.Add("job", JsonString(upload.job));
  item.Add("file", JsonString(upload.file));
  item.Add("blob", JsonString(upload.blob));
  item.Add("pipeline", JsonString(row != nullptr ? row->pipeline : upload.pipeline));
  item.Add("size", std::to_string(upload.size));
  if (row != nullptr) {
    item.Add("state", JsonString(pipelines::JobStateName(row->state)));
    if (!row->error.empty()) item.Add("error", JsonString(row->error));
    auto result = row->state == pipelines::JobState::kCompleted ? ReadJobResult(*row)
                                                                : storage::Status::Aborted("");
    item.Add("result", result.ok() ? ResultJsonText(*row, &*result, 4) : "null");
  }
  return item.Render(2);
}

int RunUpload(const Arguments& arguments) {
  const auto& files = arguments.positionals();
  if (files.empty()) return UsageError("upload", "give one or more files to upload");
  auto options = ParseJobOptions(arguments);
  if (!options.ok()) return UsageError("upload", options.status().message());
  auto timeout = ParseTimeout(arguments);
  if (!timeout.ok()) return UsageError("upload", timeout.status().message());
  const storage::Status checked = CheckUploadFiles(files);
  if (checked.IsInvalidArgument()) return UsageError("upload", checked.message());
  if (!checked.ok()) {
    std::fprintf(stderr, "fanfold upload: %s\n", checked.message().c_str());
    return kExitFailure;
  }
  const std::string tenant = arguments.ValueOr("tenant", "");
  if (arguments.Has("tenant") && !pipelines::IsValidTenantName(tenant)) {
    return UsageError("upload",
                      "--tenant must be 1..63 lowercase letters, digits, '-' or '_', starting "
                      "with a letter or digit");
  }
  auto tenants = pipelines::LoadTenantsFromFlagOrEnv(arguments.ValueOr("tenants", ""));
  if (!tenants.ok()) {
    std::fprintf(stderr, "fanfold upload: %s\n", tenants.status().message().c_str());
    return kExitConfiguration;
  }
  int exit_code = kExitOk;
  auto context = OpenPipelines(arguments, &exit_code);
  if (context == nullptr) return exit_code;
  const std::string flags = DeploymentFlags(arguments);
  const bool json = arguments.Has("json");

  // The trigger enforces the same limits (a client can lie); checking here first saves sending
  // a file that would only be refused.
  auto check = pipelines::CheckTenantUpload(*context, tenants->has_value() ? &**tenants : nullptr,
                                            tenant, files, *options);
  if (!check.ok()) return ReportFailure("upload", check.status());
  if (!check->refusal.empty()) {
    std::fprintf(stderr, "fanfold upload: refused, nothing uploaded: %s\n", check->refusal.c_str());
    return kExitFailure;
  }
  if (!check->notice.empty()) {
    std::fprintf(stderr, "fanfold upload: note: %s\n", check->notice.c_str());
  }

  auto uploaded = tenant.empty() ? UploadFiles(*context, files, *options)
                                 : pipelines::UploadTenantFiles(*context, tenant, files, *options);
  if (!uploaded.ok()) return ReportFailure("upload", uploaded.status());
  if (!arguments.Has("wait")) {
    if (json) {
      std::vector<std::string> items;
      for (const auto& upload : *uploaded)
        items.push_back(UploadJson(upload, nullptr));
      std::printf("%s\n", JsonArrayLines(items, 0).c_str());
    } else {
      for (const auto& upload : *uploaded)
        std::printf("%s\n", upload.job.c_str());
    }
    for (const auto& upload : *uploaded) {
      std::fprintf(stderr, "fanfold upload: %s (%llu bytes) is job %s\n", upload.file.c_str(),
                   static_cast<unsigned long long>(upload.size), upload.job.c_str());
    }
    if (!uploaded->empty()) {
      std::fprintf(stderr,
                   "Follow with: fanfold status%s --watch   (result: fanfold result JOB%s)\n",
                   flags.c_str(), flags.c_str());
    }
    return kExitOk;
  }

  std::vector<std::string> jobs;
  for (const auto& upload : *uploaded)
    jobs.push_back(upload.job);
  if (!json) {
    for (const auto& upload : *uploaded) {
      std::fprintf(stderr, "fanfold upload: %s is job %s; waiting\n", upload.file.c_str(),
                   upload.job.c_str());
    }
  }
  JobWaitOptions wait;
  wait.timeout = *timeout;
  wait.no_row_hint = NoWorkerHint(flags);
  auto rows = WaitForJobs(*context, jobs, wait);
  if (!rows.ok()) {
    if (rows.status().IsTimeout()) {
      std::fprintf(stderr, "fanfold upload: %s\nFollow with: fanfold status%s --watch\n",
                   rows.status().message().c_str(), flags.c_str());
      return kExitFailure;
    }
    return ReportFailure("upload", rows.status());
  }
  bool all_completed = true;
  std::vector<std::string> items;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    all_completed = all_completed && row.state == pipelines::JobState::kCompleted;
    if (json) {
      items.push_back(UploadJson((*uploaded)[i], &row));
      if (row.state != pipelines::JobState::kCompleted) ExplainUnfinished("upload", row, flags);
      continue;
    }
    if (i > 0) std::printf("\n");
    auto result = ReadJobResult(row);
    std::printf("file %s\n%s", (*uploaded)[i].file.c_str(),
                JobResultText(row, result.ok() ? &*result : nullptr).c_str());
    if (row.state != pipelines::JobState::kCompleted) ExplainUnfinished("upload", row, flags);
  }
  if (json) std::printf("%s\n", JsonArrayLines(items, 0).c_str());
  return all_completed ? kExitOk : kExitFailure;
}

}  // namespace

Command UploadCommand() {
  std::vector<OptionSpec> options = PipelineOptions();
  for (auto& option : JobOptionSpecs())
    options.push_back(std::move(option));
  options.push_back({"wait", false, "wait for the jobs to finish and print their results"});
  options.push_back(TimeoutOption());
  options.push_back({"json", false, "print JSON: one object per file (job, file, ...)"});
  options.push_back({"tenant", true,
                     "upload as this tenant: blobs go to uploads/TENANT/ and its limits apply",
                     "TENANT"});
  options.push_back({"tenants", true,
                     "the tenants file with the limits to check (default $FANFOLD_TENANTS_FILE; "
                     "none: no limits)",
                     "FILE"});
  return Command{
      "upload",
      "upload files; each becomes a job (prints the job ids)",
      "FILE... [--pipeline orchestrated|chained] [--chunks N | --chunk-size BYTES] [--format F] "
      "[--tenant T] [--wait] [--json]",
      "Uploads each FILE to the uploads container under its base name, with the job's\n"
      "options as blob metadata, and posts a BlobCreated event (Azure Event Grid's event\n"
      "schema) to the blob-events queue: a worker's trigger turns it into a job, as it would\n"
      "an event from a real Event Grid subscription. Prints one job id per file. With --wait,\n"
      "waits until every job finished and prints the results; exit status 1 when one did not\n"
      "complete (Failed: 'fanfold retry JOB'; Refused: the reason is shown). Needs a running\n"
      "worker ('fanfold worker') to make progress. With --tenant T the blobs are named\n"
      "T/<base name> and, given a tenants file, T's limits (formats, file size, stored\n"
      "bytes) are checked first: a file over one is refused with exit status 1 and nothing\n"
      "is uploaded; with all of T's concurrency slots taken the jobs wait Queued.",
      options,
      RunUpload};
}

}  // namespace fanfold::cli
