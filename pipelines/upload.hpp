// The upload that starts a job, shared by `fanfold upload`/`run`/`demo` and the pipeline
// benchmark: each file goes to the uploads container under its base name, with its options as
// blob metadata, then a BlobCreated event (Event Grid's schema) goes to the blob-events queue,
// which is what starts the job. The job id follows from the upload's ETag.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipelines/pipeline_context.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

struct UploadedJob {
  std::string file;      // as given
  std::string blob;      // its base name, in the uploads container
  std::string job;       // MakeJobId(container, blob, ETag of this upload)
  std::string pipeline;  // as asked, or "default" (the worker's --default-pipeline)
  std::uint64_t size = 0;
};

// Checks every file before anything is uploaded: InvalidArgument when two have one base name or
// a base name cannot be a blob's (storage::ValidateBlobName: control characters, invalid UTF-8),
// IoError when one cannot be read or is not a regular file.
storage::Status CheckUploadFiles(const std::vector<std::string>& files);

// Uploads one file and posts its event. The uploads container and the events queue must exist
// (PipelineContext::CreateCommonResources): callers that time each upload do that once, apart.
storage::Result<UploadedJob> UploadFile(const PipelineContext& context, const std::string& file,
                                        const UploadOptions& options);
// The same, under another blob name (a tenant's upload goes to "<tenant>/<base name>").
storage::Result<UploadedJob> UploadFileAs(const PipelineContext& context, const std::string& file,
                                          const std::string& blob_name,
                                          const UploadOptions& options);

// The file's name without its directories: the blob name of a plain upload.
std::string UploadBlobName(const std::string& path);

// Creates the uploads container, events queues and Jobs table if missing, then uploads each file
// and posts its event, in order. Stops at the first failure.
storage::Result<std::vector<UploadedJob>> UploadFiles(const PipelineContext& context,
                                                      const std::vector<std::string>& files,
                                                      const UploadOptions& options);

}  // namespace fanfold::pipelines
