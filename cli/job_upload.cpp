#include "cli/job_upload.hpp"

#include <cstdint>
#include <limits>

#include "activities/limits.hpp"
#include "activities/partition_activity.hpp"

namespace fanfold::cli {

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
  auto chunks = arguments.IntegerOr("chunks", 0, 1, std::numeric_limits<long long>::max());
  if (!chunks.ok()) return chunks.status();
  if (*chunks > static_cast<long long>(activities::kMaxChunks)) {
    return storage::Status::InvalidArgument(
        "--chunks " + std::to_string(*chunks) + " is over the " +
        std::to_string(activities::kMaxChunks) +
        " chunks a job may have (the widest fan-out tested in both pipelines); for more "
        "parallelism, run more workers");
  }
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

std::string NoWorkerHint(const std::string& deployment_flags) {
  return "fanfold: no worker has picked up the upload yet. Is one running on this deployment? "
         "Start one with: fanfold worker" +
         deployment_flags;
}

}  // namespace fanfold::cli
