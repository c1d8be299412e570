#include "cli/job_upload.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "activities/limits.hpp"
#include "activities/partition_activity.hpp"
#include "pipelines/blob_created_event.hpp"
#include "pipelines/job_id.hpp"
#include "storage/crypto.hpp"
#include "storage/http_date.hpp"

namespace fanfold::cli {
namespace {

// Metadata that marks what an upload holds, so that uploading the same bytes with the same
// options again keeps the blob (and its ETag, hence its job) instead of starting a second job.
constexpr const char* kContentDigestKey = "fanfoldsha256";

storage::Result<std::string> FileSha256Hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return storage::Status::IoError("cannot read " + path);
  storage::Sha256Hasher hasher;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.Update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (!in.eof()) return storage::Status::IoError("error reading " + path);
  return storage::LowerHex(hasher.Finish());
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// A random UUID (version 4) for the event's id, as Event Grid gives every event.
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

}  // namespace

std::vector<OptionSpec> JobOptionSpecs() {
  static_assert(activities::kDefaultChunkBytes == 8ull << 20, "--chunks' help names the default");
  return {
      {"pipeline", true, "orchestrated or chained (default: the worker's --default-pipeline)", "P"},
      {"chunks", true, "cut the file into N chunks (default: chunks of 8 MiB)", "N"},
      {"chunk-size", true, "cut the file into chunks of about BYTES each", "BYTES"},
      {"format", true, "auto, tpch or csv (default auto: from the first line)", "F"}};
}

storage::Result<pipelines::UploadOptions> ParseJobOptions(const Arguments& arguments) {
  pipelines::UploadOptions options;
  if (const auto pipeline = arguments.Value("pipeline")) {
    options.pipeline = pipelines::ParsePipelineKind(*pipeline);
    if (!options.pipeline) {
      return storage::Status::InvalidArgument("--pipeline must be orchestrated or chained, not '" +
                                              *pipeline + "'");
    }
  }
  if (arguments.Has("chunks") && arguments.Has("chunk-size")) {
    return storage::Status::InvalidArgument("give --chunks or --chunk-size, not both");
  }
  auto chunks = arguments.IntegerOr("chunks", 0, 1, activities::kMaxChunks);
  if (!chunks.ok()) return chunks.status();
  options.chunk_count = static_cast<std::uint32_t>(*chunks);
  auto chunk_bytes = arguments.IntegerOr("chunk-size", 0, 1, INT64_MAX);
  if (!chunk_bytes.ok()) return chunk_bytes.status();
  options.chunk_bytes = static_cast<std::uint64_t>(*chunk_bytes);
  if (const auto format = arguments.Value("format")) {
    auto parsed = activities::ParseInputFormat(*format);
    if (!parsed.ok()) {
      return storage::Status::InvalidArgument("--format must be auto, tpch or csv, not '" +
                                              *format + "'");
    }
    options.format = *parsed;
  }
  return options;
}

storage::Status CheckUploadFiles(const std::vector<std::string>& files) {
  std::map<std::string, std::string> by_name;
  for (const auto& file : files) {
    struct stat info {};
    if (stat(file.c_str(), &info) != 0) {
      return storage::Status::IoError("cannot read " + file + ": no such file");
    }
    if (!S_ISREG(info.st_mode)) {
      return storage::Status::IoError(file + " is not a regular file");
    }
    const std::string name = BaseName(file);
    const auto [it, inserted] = by_name.emplace(name, file);
    if (!inserted) {
      return storage::Status::InvalidArgument(
          it->second + " and " + file + " would both be uploaded as '" + name +
          "' (a blob is named after the file's base name): rename one, or upload them in two "
          "commands");
    }
  }
  return storage::Status::Ok();
}

storage::Result<std::vector<UploadedJob>> UploadFiles(const pipelines::PipelineContext& context,
                                                      const std::vector<std::string>& files,
                                                      const pipelines::UploadOptions& options) {
  FANFOLD_RETURN_IF_ERROR(CheckUploadFiles(files));
  FANFOLD_RETURN_IF_ERROR(context.CreateCommonResources());
  const auto container = context.blobs.GetContainerClient(context.names.uploads_container);
  const auto events = context.Queue(context.names.events_queue);
  const std::string topic = context.account.blob_endpoint.ToStringWithoutQuery();
  std::vector<UploadedJob> uploaded;
  for (const auto& file : files) {
    UploadedJob job;
    job.file = file;
    job.blob = BaseName(file);
    job.pipeline = options.pipeline ? pipelines::PipelineKindName(*options.pipeline) : "default";
    const auto blob = container.GetBlobClient(job.blob);
    storage::BlobUploadOptions upload_options;
    upload_options.metadata = pipelines::UploadOptionsToMetadata(options);
    auto digest = FileSha256Hex(file);
    if (!digest.ok()) return digest.status();
    upload_options.metadata[kContentDigestKey] = *digest;
    // The same bytes with the same options are already there: keep that version, so the event
    // names the job that exists (the trigger then starts nothing new).
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
    job.job = pipelines::MakeJobId(context.names.uploads_container, job.blob, etag);

    pipelines::BlobCreatedEvent event;
    event.id = NewEventId();
    event.container = context.names.uploads_container;
    event.blob = job.blob;
    event.etag = pipelines::UnquotedETag(etag);
    event.content_length = job.size;
    event.content_type = "application/octet-stream";
    event.url = blob.url();
    event.event_time = storage::FormatIso8601(
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
    auto posted = events.PutMessage(pipelines::BlobCreatedEventToJson(event, topic));
    if (!posted.ok()) return posted.status();
    uploaded.push_back(std::move(job));
  }
  return uploaded;
}

std::string NoWorkerHint(const std::string& deployment_flags) {
  return "fanfold: no worker has picked up the upload yet. Is one running on this deployment? "
         "Start one with: fanfold worker" +
         deployment_flags;
}

}  // namespace fanfold::cli
