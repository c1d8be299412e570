#include "pipelines/tenant_upload.hpp"

#include <sys/stat.h>

#include <fstream>
#include <set>

#include "activities/input_format.hpp"
#include "pipelines/tenant_usage.hpp"
#include "pipelines/upload.hpp"

namespace fanfold::pipelines {
namespace {

using storage::Result;
using storage::Status;

// The format the trigger's probe will find: forced by --format, else detected from the head
// (the first max_line_bytes + 1 bytes, exactly what PartitionBlob reads).
Result<activities::InputFormat> SniffFormat(const std::string& path,
                                            activities::InputFormat forced) {
  if (forced != activities::InputFormat::kAuto) return forced;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::string head(activities::kDefaultMaxLineBytes + 1, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return activities::DetectInputFormat(head);
}

}  // namespace

Result<TenantUploadCheck> CheckTenantUpload(const PipelineContext& context,
                                            const TenantsConfig* config, const std::string& tenant,
                                            const std::vector<std::string>& files,
                                            const UploadOptions& options) {
  TenantUploadCheck check;
  if (config == nullptr) return check;
  const TenantLookup lookup = FindTenant(*config, tenant);
  if (!lookup.known) {
    check.refusal = "tenant " + tenant +
                    " is not in the tenants file: use a listed tenant, or add it to the file";
    return check;
  }
  if (lookup.limits == nullptr) return check;
  const TenantLimits& limits = *lookup.limits;
  const std::string who = "tenant " + TenantLabel(tenant);
  std::uint64_t new_bytes = 0;
  std::set<std::string> replaced;
  for (const auto& file : files) {
    struct stat info {};
    if (stat(file.c_str(), &info) != 0) return Status::IoError("cannot read " + file);
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (limits.max_file_bytes && size > *limits.max_file_bytes) {
      check.refusal = who + ": " + file + " is " + BytesText(size) +
                      ", over its max_file_bytes of " + BytesText(*limits.max_file_bytes) +
                      ": split it ('fanfold split FILE --parts N -o DIR') and upload the parts";
      return check;
    }
    auto format = SniffFormat(file, options.format);
    if (!format.ok()) return format.status();
    if (!limits.Allows(*format)) {
      check.refusal = who + ": " + file + " is in format " +
                      std::string(activities::InputFormatName(*format)) +
                      ", not one of its formats (" + limits.FormatsText() +
                      "): convert it, or have the format added to the tenants file";
      return check;
    }
    new_bytes += size;
    replaced.insert(TenantBlobName(tenant, UploadBlobName(file)));
  }
  if (limits.max_stored_bytes) {
    auto stored = TenantStoredBytes(context, tenant, replaced);
    if (!stored.ok()) return stored.status();
    if (*stored + new_bytes > *limits.max_stored_bytes) {
      check.refusal = who + ": stored bytes with these files would be " +
                      BytesText(*stored + new_bytes) + ", over its max_stored_bytes of " +
                      BytesText(*limits.max_stored_bytes) + " (" + BytesText(*stored) +
                      " stored now): delete old uploads of " + tenant +
                      " or raise max_stored_bytes";
      return check;
    }
  }
  if (limits.max_concurrent_jobs) {
    auto running = TenantRunningJobs(context, tenant);
    if (!running.ok()) return running.status();
    if (*running >= *limits.max_concurrent_jobs) {
      check.notice = TenantLabel(tenant) + " has " + std::to_string(*running) + " of " +
                     std::to_string(*limits.max_concurrent_jobs) +
                     " jobs running: the new jobs wait Queued until one finishes";
    }
  }
  return check;
}

Result<std::vector<UploadedJob>> UploadTenantFiles(const PipelineContext& context,
                                                   const std::string& tenant,
                                                   const std::vector<std::string>& files,
                                                   const UploadOptions& options) {
  FANFOLD_RETURN_IF_ERROR(context.CreateCommonResources());
  std::vector<UploadedJob> uploaded;
  for (const auto& file : files) {
    auto job = UploadFileAs(context, file, TenantBlobName(tenant, UploadBlobName(file)), options);
    if (!job.ok()) return job.status();
    uploaded.push_back(std::move(*job));
  }
  return uploaded;
}

}  // namespace fanfold::pipelines
