// BlobClient::UploadFile: a small file in one Put Blob; a large one as blocks uploaded in
// parallel and committed with one Put Block List. Memory stays near concurrency × block_size
// because each worker reads its next block with pread into a buffer it reuses, and nothing
// else holds file bytes. A file that changes while it is read is never committed.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "storage/blob/blob_client.hpp"
#include "storage/blob/blob_http.hpp"
#include "storage/blob/blob_names.hpp"
#include "storage/blob/blob_xml.hpp"
#include "storage/blob/block_plan.hpp"
#include "storage/blob/local_file.hpp"
#include "storage/crypto.hpp"
#include "storage/error_response.hpp"
#include "storage/http_date.hpp"
#include "storage/random_id.hpp"

namespace fanfold::storage {
namespace {

Status ValidateTransfer(const BlobTransferOptions& transfer) {
  if (transfer.concurrency < 1) return Status::InvalidArgument("concurrency must be at least 1");
  if (transfer.block_size == 0 || transfer.block_size > kMaxBlockSize) {
    return Status::InvalidArgument("block_size must be between 1 byte and 4000 MiB");
  }
  if (transfer.single_upload_threshold > kMaxPutBlobSize) {
    return Status::InvalidArgument("single_upload_threshold must be at most 5000 MiB");
  }
  return Status::Ok();
}

// Checked after reading and before committing, so a blob never holds a torn copy of a file.
Status CheckUnchanged(const LocalFile& file, const FileStamp& before) {
  Result<FileStamp> after = file.Stamp();
  if (!after.ok()) return after.status();
  if (!(*after == before)) {
    return Status::IoError("'" + file.path() + "' changed while it was being uploaded");
  }
  return Status::Ok();
}

// Hands out block indexes to the workers and keeps the first failure; once one block fails the
// others stop taking new ones, since the upload as a whole has failed.
class BlockQueue {
 public:
  explicit BlockQueue(size_t count) : count_(count) {}

  bool Next(size_t* index) {
    if (failed_.load()) return false;
    *index = next_.fetch_add(1);
    return *index < count_;
  }
  void Fail(Status status) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (first_error_.ok()) first_error_ = std::move(status);
    failed_.store(true);
  }
  Status first_error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return first_error_;
  }

 private:
  const size_t count_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> failed_{false};
  mutable std::mutex mutex_;
  Status first_error_;
};

}  // namespace

Result<BlobUploadResult> BlobClient::UploadFile(const std::string& path,
                                                const BlobUploadOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(name_status_);
  FANFOLD_RETURN_IF_ERROR(ValidateTransfer(options.transfer));
  FANFOLD_RETURN_IF_ERROR(ValidateMetadata(options.metadata));
  Result<LocalFile> file = LocalFile::OpenForRead(path);
  if (!file.ok()) return file.status();
  Result<FileStamp> stamp = file->Stamp();
  if (!stamp.ok()) return stamp.status();

  if (stamp->size <= options.transfer.single_upload_threshold) {
    std::string content(stamp->size, '\0');
    FANFOLD_RETURN_IF_ERROR(file->ReadAt(0, content.size(), content.data()));
    FANFOLD_RETURN_IF_ERROR(CheckUnchanged(*file, *stamp));
    return PutBlob(std::move(content), options);
  }

  Result<std::vector<BlockSpan>> plan = PlanBlocks(stamp->size, options.transfer.block_size);
  if (!plan.ok()) return plan.status();
  const std::string upload_id = NewUuid();
  std::vector<std::string> block_ids;
  block_ids.reserve(plan->size());
  for (size_t i = 0; i < plan->size(); ++i) {
    block_ids.push_back(MakeBlockId(upload_id, static_cast<uint32_t>(i)));
  }

  BlockQueue queue(plan->size());
  const auto work = [&] {
    std::string buffer;  // reused: one block's worth of memory per worker
    size_t index = 0;
    while (queue.Next(&index)) {
      const BlockSpan& span = (*plan)[index];
      buffer.resize(span.length);
      Status status = file->ReadAt(span.offset, span.length, buffer.data());
      if (status.ok()) status = PutBlock(block_ids[index], buffer, options);
      if (!status.ok()) {
        queue.Fail(std::move(status));
        return;
      }
    }
  };
  const size_t workers = std::min(plan->size(), static_cast<size_t>(options.transfer.concurrency));
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (size_t i = 1; i < workers; ++i)
    threads.emplace_back(work);
  work();  // the calling thread is one of the workers
  for (std::thread& thread : threads)
    thread.join();
  FANFOLD_RETURN_IF_ERROR(queue.first_error());

  FANFOLD_RETURN_IF_ERROR(CheckUnchanged(*file, *stamp));
  return PutBlockList(block_ids, stamp->size, options);
}

Status BlobClient::PutBlock(const std::string& block_id, std::string& buffer,
                            const BlobUploadOptions& options) const {
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobWrite);
  request.url.AddQuery("comp", "block");
  request.url.AddQuery("blockid", block_id);
  request.timeout = options.timeout;
  if (options.verify_content_md5) request.headers["Content-MD5"] = Base64Encode(Md5(buffer));
  request.body = std::move(buffer);
  Result<HttpResponse> response = pipeline_->Send(request);
  buffer = std::move(request.body);  // hand the allocation back for the next block
  if (!response.ok()) return response.status();
  return CheckResponse(*response);
}

Result<BlobUploadResult> BlobClient::PutBlockList(const std::vector<std::string>& block_ids,
                                                  uint64_t size,
                                                  const BlobUploadOptions& options) const {
  HttpRequest request = NewRequest(HttpMethod::kPut, OperationKind::kBlobWrite);
  request.url.AddQuery("comp", "blocklist");
  request.timeout = options.timeout;
  if (!options.content_type.empty()) {
    request.headers["x-ms-blob-content-type"] = options.content_type;
  }
  FANFOLD_RETURN_IF_ERROR(ApplyMetadata(options.metadata, request));
  FANFOLD_RETURN_IF_ERROR(ApplyConditions(options.conditions, request));
  request.body = BuildBlockListXml(block_ids);
  if (options.verify_content_md5) {
    request.headers["Content-MD5"] = Base64Encode(Md5(request.body));
  }
  auto result = UploadResultFrom(pipeline_->Send(request), size);
  if (result.ok()) result->block_count = static_cast<uint32_t>(block_ids.size());
  return result;
}

}  // namespace fanfold::storage
