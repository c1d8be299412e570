// What `fanfold upload`, `run` and `demo` share: the job options (--pipeline, --chunks,
// --chunk-size, --format), and the upload itself: each file to the uploads container under its
// base name, its options as blob metadata, then a BlobCreated event (Event Grid's schema) on the
// blob-events queue, which is what starts the job. The job id follows from the upload's ETag.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/result.hpp"

namespace fanfold::cli {

// --pipeline P, --chunks N, --chunk-size BYTES, --format F.
std::vector<OptionSpec> JobOptionSpecs();
// InvalidArgument (a usage error) naming the bad option.
storage::Result<pipelines::UploadOptions> ParseJobOptions(const Arguments& arguments);

struct UploadedJob {
  std::string file;      // as given
  std::string blob;      // its base name, in the uploads container
  std::string job;       // MakeJobId(container, blob, ETag of this upload)
  std::string pipeline;  // as asked, or "default" (the worker's --default-pipeline)
  std::uint64_t size = 0;
};

// Checks every file before anything is uploaded: InvalidArgument when two have one base name,
// IoError when one cannot be read or is not a regular file.
storage::Status CheckUploadFiles(const std::vector<std::string>& files);

// Creates the uploads container, events queues and Jobs table if missing, then uploads each file
// and posts its event, in order. Stops at the first failure.
storage::Result<std::vector<UploadedJob>> UploadFiles(const pipelines::PipelineContext& context,
                                                      const std::vector<std::string>& files,
                                                      const pipelines::UploadOptions& options);

// "no worker has picked up ... start one with: fanfold worker<flags>".
std::string NoWorkerHint(const std::string& deployment_flags);

}  // namespace fanfold::cli
