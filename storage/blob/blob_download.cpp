// BlobClient's downloads. A ranged read streams from libcurl to the caller's sink. The pipeline
// retries a transfer cut midway; before each new attempt the request is rewritten to start where
// the sink stopped (one byte early, see ResumeFrom) and is pinned with If-Match to the ETag of
// the first answer, so a resumed read can only continue the same version.
//
// The ETag is only known once an answer has completed, so unless the caller already named the
// version (conditions.if_match), the first request reads at most initial_chunk_size bytes into a
// buffer, delivered once its ETag is known; a cut inside that first request restarts it, since
// none of it has reached the sink. Everything after streams.
#include <algorithm>
#include <cstdio>

#include "storage/blob/blob_client.hpp"
#include "storage/blob/blob_http.hpp"
#include "storage/blob/blob_range.hpp"
#include "storage/blob/local_file.hpp"
#include "storage/error_response.hpp"

namespace fanfold::storage {
namespace {

// Where a streamed read stands: bytes [offset, offset + delivered) have reached the sink.
class StreamCursor {
 public:
  // `delivered` bytes from `offset` on have already reached the sink.
  StreamCursor(uint64_t offset, uint64_t delivered, uint64_t end, const BlobChunkSink& sink)
      : offset_(offset),
        end_(end),
        sink_(sink),
        position_(offset + delivered),
        delivered_(delivered) {}

  uint64_t delivered() const { return delivered_; }

  std::string RangeHeader(uint64_t start) const {
    return FormatRangeHeader(start, end_ == kToEndOfBlob ? kToEndOfBlob : end_ - start);
  }

  // Asks for the rest, starting one byte before it once anything arrived: the range then always
  // begins inside the blob, even when the cut came after the last byte (where "bytes=<size>-"
  // would be answered 416). The repeated byte is skipped by Accept.
  void ResumeFrom(HttpRequest& request) {
    const uint64_t next = offset_ + delivered_;
    position_ = delivered_ > 0 ? next - 1 : next;
    request.headers["x-ms-range"] = RangeHeader(position_);
  }

  // One chunk of the current attempt's body, which starts at the attempt's range start.
  bool Accept(const char* data, size_t size) {
    const uint64_t wanted = offset_ + delivered_;
    const size_t skip =
        position_ < wanted ? static_cast<size_t>(std::min<uint64_t>(size, wanted - position_)) : 0;
    position_ += size;
    if (skip == size) return true;
    if (!sink_(std::string_view(data + skip, size - skip))) return false;
    delivered_ += size - skip;
    return true;
  }

 private:
  const uint64_t offset_;
  const uint64_t end_;  // exclusive; kToEndOfBlob when unknown
  const BlobChunkSink& sink_;
  uint64_t position_;  // blob offset of the next byte the current attempt will deliver
  uint64_t delivered_;
};

// Azure refuses a range that starts at or past the end with 416, but Azurite answers a range
// starting exactly at the end with an empty 206; this gives Azure's answer on both.
Status RangeOutsideBlob(uint64_t offset, uint64_t blob_size, const HttpResponse& response) {
  if (offset < blob_size || (offset == 0 && blob_size == 0)) return Status::Ok();
  return Status::Http(416, "InvalidRange",
                      "The range specified is invalid for the current size of the resource.",
                      response.Header("x-ms-request-id"));
}

}  // namespace

Result<BlobDownloadResult> BlobClient::DownloadRange(uint64_t offset, uint64_t length,
                                                     const BlobChunkSink& sink,
                                                     const BlobDownloadOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  if (length == 0) return Status::InvalidArgument("a download must ask for at least 1 byte");
  if (options.initial_chunk_size == 0) {
    return Status::InvalidArgument("initial_chunk_size must be at least 1 byte");
  }
  if (!sink) return Status::InvalidArgument("a download needs a sink");
  uint64_t end =
      length == kToEndOfBlob || length > kToEndOfBlob - offset ? kToEndOfBlob : offset + length;
  BlobRequestConditions conditions = options.conditions;
  BlobDownloadResult result;
  result.offset = offset;

  // A range request on an empty blob is refused with 416 even at offset 0, where the caller is
  // owed an empty answer; the properties then come from a HEAD under the same conditions.
  const auto empty_blob_or = [&](const Status& refused) -> Result<BlobDownloadResult> {
    BlobGetPropertiesOptions head;
    head.conditions = conditions;
    Result<BlobProperties> properties = GetProperties(head);
    if (!properties.ok()) return properties.status();
    if (properties->size != 0) return refused;  // the blob was refilled meanwhile
    result.properties = std::move(properties).value();
    return result;
  };

  if (conditions.if_match.empty() || conditions.if_match == "*") {
    const uint64_t first_end =
        end - offset <= options.initial_chunk_size ? end : offset + options.initial_chunk_size;
    std::string buffer;
    HttpRequest request = NewRequest(HttpMethod::kGet, OperationKind::kBlobRead);
    request.timeout = options.timeout;
    FANFOLD_RETURN_IF_ERROR(ApplyConditions(conditions, request));
    request.headers["x-ms-range"] = FormatRangeHeader(offset, first_end - offset);
    request.body_sink = [&buffer](const char* data, size_t size) {
      buffer.append(data, size);
      return true;
    };
    request.before_retry = [&buffer](HttpRequest&) { buffer.clear(); };
    Result<HttpResponse> response = pipeline_->Send(request);
    if (!response.ok()) return response.status();
    if (response->status == 416 && offset == 0) return empty_blob_or(StatusFromResponse(*response));
    FANFOLD_RETURN_IF_ERROR(CheckResponse(*response));
    result.properties = PropertiesFromHeaders(*response);
    FANFOLD_RETURN_IF_ERROR(RangeOutsideBlob(offset, result.properties.size, *response));
    if (result.properties.etag.empty()) {
      return Status::Corruption("Get Blob answer without an ETag");
    }
    const uint64_t blob_end = std::min(end, result.properties.size);
    const uint64_t expected = blob_end > offset ? std::min(first_end, blob_end) - offset : 0;
    if (buffer.size() != expected) {
      return Status::Corruption("Get Blob returned " + std::to_string(buffer.size()) +
                                " bytes where " + std::to_string(expected) + " were expected");
    }
    if (!buffer.empty() && !sink(buffer)) {
      return Status::Aborted("the download's sink stopped it");
    }
    result.length = buffer.size();
    if (offset + result.length >= blob_end) return result;
    end = blob_end;
    conditions.if_match = result.properties.etag;
  }

  StreamCursor cursor(offset, result.length, end, sink);

  HttpRequest request = NewRequest(HttpMethod::kGet, OperationKind::kBlobRead);
  request.timeout = options.timeout;
  FANFOLD_RETURN_IF_ERROR(ApplyConditions(conditions, request));
  request.headers["x-ms-range"] = cursor.RangeHeader(offset + cursor.delivered());
  request.body_sink = [&cursor](const char* data, size_t size) {
    return cursor.Accept(data, size);
  };
  request.before_retry = [&cursor](HttpRequest& retry) { cursor.ResumeFrom(retry); };
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  if (response->status == 416 && offset == 0 && cursor.delivered() == 0) {
    return empty_blob_or(StatusFromResponse(*response));
  }
  FANFOLD_RETURN_IF_ERROR(CheckResponse(*response));
  result.properties = PropertiesFromHeaders(*response);
  FANFOLD_RETURN_IF_ERROR(RangeOutsideBlob(offset, result.properties.size, *response));
  result.length = cursor.delivered();
  const uint64_t blob_end = std::min(end, result.properties.size);
  if (offset + result.length != blob_end) {
    return Status::Corruption("Get Blob ended at byte " + std::to_string(offset + result.length) +
                              " instead of " + std::to_string(blob_end));
  }
  return result;
}

Result<BlobDownloadResult> BlobClient::DownloadToFile(const std::string& path, uint64_t offset,
                                                      uint64_t length,
                                                      const BlobDownloadOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  Result<LocalFile> file = LocalFile::CreateForWrite(path);
  if (!file.ok()) return file.status();
  Status write_status;
  Result<BlobDownloadResult> result = DownloadRange(
      offset, length,
      [&](std::string_view chunk) {
        write_status = file->Append(chunk);
        return write_status.ok();
      },
      options);
  Status status = !write_status.ok() ? write_status : result.status();
  const Status closed = file->Close();
  if (status.ok()) status = closed;
  if (!status.ok()) {
    ::remove(path.c_str());
    return status;
  }
  return result;
}

Result<BlobContent> BlobClient::DownloadToString(uint64_t offset, uint64_t length,
                                                 const BlobDownloadOptions& options) const {
  BlobContent content;
  Result<BlobDownloadResult> result = DownloadRange(
      offset, length,
      [&content](std::string_view chunk) {
        content.data.append(chunk);
        return true;
      },
      options);
  if (!result.ok()) return result.status();
  content.download = std::move(result).value();
  return content;
}

}  // namespace fanfold::storage
