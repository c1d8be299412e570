// How an upload asks for its job: blob metadata set by `fanfold upload`. A BlobCreated event
// carries no options, so they travel with the blob itself; a file uploaded by any other tool (no
// metadata) gets the worker's defaults.
#pragma once

#include <cstdint>
#include <optional>

#include "activities/input_format.hpp"
#include "pipelines/job_spec.hpp"
#include "storage/blob/blob_models.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

struct UploadOptions {
  std::optional<PipelineKind> pipeline;
  std::uint32_t chunk_count = 0;
  std::uint64_t chunk_bytes = 0;
  activities::InputFormat format = activities::InputFormat::kAuto;
};

// Metadata names: fanfoldpipeline, fanfoldchunks, fanfoldchunkbytes, fanfoldformat.
storage::BlobMetadata UploadOptionsToMetadata(const UploadOptions& options);
// InvalidArgument naming the bad entry (a person set it by hand, or another tool did).
storage::Result<UploadOptions> UploadOptionsFromMetadata(const storage::BlobMetadata& metadata);

}  // namespace fanfold::pipelines
