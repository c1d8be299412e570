#include "pipelines/tenant_upload.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "activities/input_format.hpp"
#include "pipelines/blob_created_event.hpp"
#include "pipelines/job_id.hpp"
#include "pipelines/tenant_usage.hpp"
#include "storage/crypto.hpp"
#include "storage/http_date.hpp"

namespace fanfold::pipelines {
namespace {

using storage::Result;
using storage::Status;

// As pipelines/upload.cpp: the same bytes with the same options keep the blob and its job.
constexpr const char* kContentDigestKey = "fanfoldsha256";

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

Result<std::string> FileSha256Hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  storage::Sha256Hasher hasher;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.Update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (!in.eof()) return Status::IoError("error reading " + path);
  return storage::LowerHex(hasher.Finish());
}

std::string NewEventId() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t high = random();
  const std::uint64_t low = random();
  char text[40];
  std::snprintf(text, sizeof text, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xffff),
                static_cast<unsigned long long>(high & 0xfff),
                static_cast<unsigned long long>(0x8000 | ((low >> 48) & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

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

Result<TenantUploadedFile> UploadAs(const PipelineContext& context, const std::string& file,
                                    const std::string& blob_name, const UploadOptions& options) {
  const auto container = context.blobs.GetContainerClient(context.names.uploads_container);
  TenantUploadedFile job;
  job.file = file;
  job.blob = blob_name;
  job.pipeline = options.pipeline ? PipelineKindName(*options.pipeline) : "default";
  const auto blob = container.GetBlobClient(job.blob);
  storage::BlobUploadOptions upload_options;
  upload_options.metadata = UploadOptionsToMetadata(options);
  auto digest = FileSha256Hex(file);
  if (!digest.ok()) return digest.status();
  upload_options.metadata[kContentDigestKey] = *digest;
  std::string etag;
  auto existing = blob.GetProperties();
  if (existing.ok() && existing->metadata == upload_options.metadata) {
    etag = existing->etag;
    job.size = existing->size;
  } else {
    auto put = blob.UploadFile(file, upload_options);
    if (!put.ok()) return put.status();
    etag = put->etag;
    job.size = put->size;
  }
  job.job = MakeJobId(context.names.uploads_container, job.blob, etag);
  BlobCreatedEvent event;
  event.id = NewEventId();
  event.container = context.names.uploads_container;
  event.blob = job.blob;
  event.etag = UnquotedETag(etag);
  event.content_length = job.size;
  event.content_type = "application/octet-stream";
  event.url = blob.url();
  event.event_time = storage::FormatIso8601(
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
  auto posted = context.Queue(context.names.events_queue)
                    .PutMessage(BlobCreatedEventToJson(
                        event, context.account.blob_endpoint.ToStringWithoutQuery()));
  if (!posted.ok()) return posted.status();
  return job;
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
    replaced.insert(TenantBlobName(tenant, BaseName(file)));
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

Result<std::vector<TenantUploadedFile>> UploadTenantFiles(const PipelineContext& context,
                                                          const std::string& tenant,
                                                          const std::vector<std::string>& files,
                                                          const UploadOptions& options) {
  FANFOLD_RETURN_IF_ERROR(context.CreateCommonResources());
  std::vector<TenantUploadedFile> uploaded;
  for (const auto& file : files) {
    auto job = UploadAs(context, file, TenantBlobName(tenant, BaseName(file)), options);
    if (!job.ok()) return job.status();
    uploaded.push_back(std::move(*job));
  }
  return uploaded;
}

}  // namespace fanfold::pipelines
