#include "pipelines/upload.hpp"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "pipelines/blob_created_event.hpp"
#include "pipelines/job_id.hpp"
#include "storage/blob/blob_names.hpp"
#include "storage/crypto.hpp"
#include "storage/http_date.hpp"
#include "storage/random_id.hpp"
#include "storage/utf8_text.hpp"

namespace fanfold::pipelines {
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

}  // namespace

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
    // Refused here, naming the file, rather than by the first request of the upload.
    const storage::Status valid = storage::ValidateBlobName(name);
    if (!valid.ok()) {
      return storage::Status::InvalidArgument("cannot upload " + storage::ToValidUtf8(file) +
                                              ": a blob is named after the file, and " +
                                              valid.message() + "; rename the file");
    }
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

std::string UploadBlobName(const std::string& path) {
  return BaseName(path);
}

storage::Result<UploadedJob> UploadFile(const PipelineContext& context, const std::string& file,
                                        const UploadOptions& options) {
  return UploadFileAs(context, file, BaseName(file), options);
}

storage::Result<UploadedJob> UploadFileAs(const PipelineContext& context, const std::string& file,
                                          const std::string& blob_name,
                                          const UploadOptions& options) {
  const auto container = context.blobs.GetContainerClient(context.names.uploads_container);
  const std::string topic = context.account.blob_endpoint.ToStringWithoutQuery();
  UploadedJob job;
  job.file = file;
  job.blob = blob_name;
  job.pipeline = options.pipeline ? PipelineKindName(*options.pipeline) : "default";
  const auto blob = container.GetBlobClient(job.blob);
  storage::BlobUploadOptions upload_options;
  upload_options.metadata = UploadOptionsToMetadata(options);
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
  job.job = MakeJobId(context.names.uploads_container, job.blob, etag);

  BlobCreatedEvent event;
  event.id = storage::NewUuid();  // a random UUID, as Event Grid gives every event
  event.container = context.names.uploads_container;
  event.blob = job.blob;
  event.etag = UnquotedETag(etag);
  event.content_length = job.size;
  event.content_type = "application/octet-stream";
  event.url = blob.url();
  event.event_time = storage::FormatIso8601(
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
  auto posted =
      context.Queue(context.names.events_queue).PutMessage(BlobCreatedEventToJson(event, topic));
  if (!posted.ok()) return posted.status();
  return job;
}

storage::Result<std::vector<UploadedJob>> UploadFiles(const PipelineContext& context,
                                                      const std::vector<std::string>& files,
                                                      const UploadOptions& options) {
  FANFOLD_RETURN_IF_ERROR(CheckUploadFiles(files));
  FANFOLD_RETURN_IF_ERROR(context.CreateCommonResources());
  std::vector<UploadedJob> uploaded;
  for (const auto& file : files) {
    auto job = UploadFile(context, file, options);
    if (!job.ok()) return job.status();
    uploaded.push_back(std::move(*job));
  }
  return uploaded;
}

}  // namespace fanfold::pipelines
