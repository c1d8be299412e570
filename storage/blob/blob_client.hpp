// BlobClient: one block blob, addressed by container and name. Cheap to create and copy (a
// shared pipeline and a URL), safe to use from many threads at once. Every operation returns its
// outcome as a value: a missing blob is IsNotFound(), a lost create-once race IsConflict() (409
// BlobAlreadyExists), a stale ETag IsPreconditionFailed(). Names are validated when the client is
// made; an invalid one makes every operation fail with kInvalidArgument before sending anything.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/blob/blob_models.hpp"
#include "storage/blob/blob_options.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"

namespace fanfold::storage {

// Receives the downloaded bytes in order, in chunks of any size; returning false stops the
// download, which then fails with kAborted.
using BlobChunkSink = std::function<bool(std::string_view chunk)>;

class BlobClient {
 public:
  // container_url is the container's URL (endpoint + container name).
  BlobClient(std::shared_ptr<const Pipeline> pipeline, const Url& container_url,
             std::string container_name, std::string blob_name);

  const std::string& container_name() const { return container_name_; }
  const std::string& name() const { return blob_name_; }
  // Without query: safe to log.
  std::string url() const { return url_.ToStringWithoutQuery(); }

  // One Put Blob of `content` (at most 5000 MiB), replacing any blob of this name unless
  // options.conditions say otherwise. options.transfer is not used.
  Result<BlobUploadResult> Upload(std::string content, const BlobUploadOptions& options = {}) const;

  // Uploads a local file: one Put Blob up to options.transfer.single_upload_threshold, else
  // Put Block calls (options.transfer.concurrency in parallel, blocks read with pread, so memory
  // stays near concurrency × block_size) and one Put Block List that makes them the blob.
  // Fails with kIoError if the file cannot be read or changes while it is being uploaded.
  Result<BlobUploadResult> UploadFile(const std::string& path,
                                      const BlobUploadOptions& options = {}) const;

  // Streams bytes [offset, offset + length) to `sink` (length kToEndOfBlob: to the end) without
  // holding the range in memory. A range crossing the end yields the bytes up to the end; a range
  // starting at or after the end fails with HTTP 416 InvalidRange (except offset 0 of an empty
  // blob, which yields nothing; Azure refuses every range of an empty blob, so that case costs
  // one extra Get Blob Properties). A transfer cut midway resumes, on the pipeline's retry, from
  // the first byte the sink has not had, pinned to the first answer's ETag: a blob replaced
  // meanwhile fails with 412 and never mixes versions. On failure the sink may already hold a
  // prefix. Costs one Get Blob when the range fits in options.initial_chunk_size or
  // options.conditions.if_match names the version, else two (plus retried attempts).
  Result<BlobDownloadResult> DownloadRange(uint64_t offset, uint64_t length,
                                           const BlobChunkSink& sink,
                                           const BlobDownloadOptions& options = {}) const;

  // DownloadRange into a file created or truncated at `path`; the file is removed on failure.
  Result<BlobDownloadResult> DownloadToFile(const std::string& path, uint64_t offset = 0,
                                            uint64_t length = kToEndOfBlob,
                                            const BlobDownloadOptions& options = {}) const;

  // DownloadRange into memory: for blobs known to be small.
  Result<BlobContent> DownloadToString(uint64_t offset = 0, uint64_t length = kToEndOfBlob,
                                       const BlobDownloadOptions& options = {}) const;

  // Get Blob Properties (HEAD): size, ETag, last modified, content type, MD5 and metadata.
  Result<BlobProperties> GetProperties(const BlobGetPropertiesOptions& options = {}) const;

  // Lease Blob (blob_lease.cpp). A lease lasts `duration` (15 to 60 s; Azure's range) unless
  // renewed. Acquire proposes `lease_id` (a GUID) and returns the one granted; a blob leased by
  // someone else is IsConflict() (409 LeaseAlreadyPresent). Renew and Release of a lease that is
  // no longer ours (taken over, broken) are IsConflict() too. Break with period 0 ends any
  // lease at once, whoever holds it: a new Acquire then succeeds.
  Result<std::string> AcquireLease(std::chrono::seconds duration,
                                   const std::string& lease_id) const;
  Status RenewLease(const std::string& lease_id) const;
  Status ReleaseLease(const std::string& lease_id) const;
  Status BreakLease(std::chrono::seconds break_period) const;
  // Set Blob Metadata, replacing all of it; `lease_id` is required while the blob is leased.
  Status SetMetadata(const BlobMetadata& metadata, const std::string& lease_id = "") const;

  // Delete Blob. A missing blob is IsNotFound().
  Status Delete(const BlobDeleteOptions& options = {}) const;
  // true when this call deleted the blob, false when there was none.
  Result<bool> DeleteIfExists(const BlobDeleteOptions& options = {}) const;

 private:
  HttpRequest NewRequest(HttpMethod method, OperationKind kind) const;
  // Renew or release: the Lease Blob actions that name the lease held.
  Status LeaseAction(const char* action, const std::string& lease_id) const;
  Result<BlobUploadResult> PutBlob(std::string content, const BlobUploadOptions& options) const;
  Result<BlobUploadResult> UploadFileInBlocks(int fd, uint64_t size,
                                              const BlobUploadOptions& options) const;
  Status PutBlock(const std::string& block_id, std::string& buffer,
                  const BlobUploadOptions& options) const;
  Result<BlobUploadResult> PutBlockList(const std::vector<std::string>& block_ids, uint64_t size,
                                        const BlobUploadOptions& options) const;

  std::shared_ptr<const Pipeline> pipeline_;
  Url url_;
  std::string container_name_;
  std::string blob_name_;
  Status name_status_;  // why the names are invalid; OK when they are valid
};

}  // namespace fanfold::storage
