// What `fanfold upload`, `run` and `demo` share: the job options (--pipeline, --chunks,
// --chunk-size, --format) and the upload (pipelines/upload.hpp): each file to the uploads
// container, then a BlobCreated event on the blob-events queue, which starts the job.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "pipelines/upload.hpp"
#include "pipelines/upload_metadata.hpp"
#include "storage/result.hpp"

namespace fanfold::cli {

// --pipeline P, --chunks N, --chunk-size BYTES, --format F.
std::vector<OptionSpec> JobOptionSpecs();
// InvalidArgument (a usage error) naming the bad option.
storage::Result<pipelines::UploadOptions> ParseJobOptions(const Arguments& arguments);

// The upload itself lives in pipelines/upload.hpp (the pipeline benchmark uploads too).
using pipelines::CheckUploadFiles;
using pipelines::UploadedJob;
using pipelines::UploadFiles;

// "no worker has picked up ... start one with: fanfold worker<flags>".
std::string NoWorkerHint(const std::string& deployment_flags);

}  // namespace fanfold::cli
