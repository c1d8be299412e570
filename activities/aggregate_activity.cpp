#include "activities/aggregate_activity.hpp"

#include <chrono>

#include "activities/activity_status.hpp"

namespace fanfold::activities {
namespace {

storage::Status ValidateInput(const AggregateInput& input) {
  if (input.container.empty() || input.blob.empty()) {
    return storage::Status::InvalidArgument("aggregate needs a container and a blob name");
  }
  if (input.etag.empty()) {
    // Without it, chunks could read different versions of a blob replaced mid-job.
    return storage::Status::InvalidArgument(
        "aggregate needs the ETag partition returned, so every chunk reads the same version");
  }
  return storage::Status::Ok();
}

std::string ChunkLabel(const AggregateInput& input) {
  return "chunk " + std::to_string(input.chunk.index) + " [" + std::to_string(input.chunk.begin) +
         "," + std::to_string(input.chunk.end) + ") of " + BlobLabel(input.container, input.blob);
}

storage::Status WrongSize(const std::string& label, std::uint64_t actual, std::uint64_t planned) {
  return storage::Status::Corruption(label + " is " + std::to_string(actual) +
                                     " bytes but the job planned " + std::to_string(planned) +
                                     ": the aggregate input does not match its partition");
}

// The chunk of an empty file reads nothing, but still proves the planned version exists and is
// empty, so that a job over a blob replaced meanwhile fails here as it would for a non-empty one.
storage::Status CheckEmptyVersion(const storage::BlobClient& blob, const AggregateInput& input,
                                  const std::string& label) {
  storage::BlobGetPropertiesOptions options;
  options.conditions.if_match = input.etag;
  storage::Result<storage::BlobProperties> properties = blob.GetProperties(options);
  if (!properties.ok()) {
    return ExplainBlobFailure(properties.status(), "checking", label, input.etag);
  }
  if (properties->size != input.file_size)
    return WrongSize(label, properties->size, input.file_size);
  return storage::Status::Ok();
}

}  // namespace

storage::Result<AggregateOutput> AggregateBlobChunk(const storage::BlobServiceClient& blobs,
                                                    const AggregateInput& input) {
  const auto started = std::chrono::steady_clock::now();
  FANFOLD_RETURN_IF_ERROR(ValidateInput(input));
  storage::Result<ChunkAggregator> aggregator =
      ChunkAggregator::Create(input.chunk, input.file_size, input.format, input.options);
  if (!aggregator.ok()) return WithContext(aggregator.status(), ChunkLabel(input));
  const storage::BlobClient blob =
      blobs.GetContainerClient(input.container).GetBlobClient(input.blob);
  const std::string label = BlobLabel(input.container, input.blob);

  AggregateOutput output;
  output.chunk_index = input.chunk.index;
  const ByteRange window = aggregator->read_window();
  if (window.size() == 0) {
    FANFOLD_RETURN_IF_ERROR(CheckEmptyVersion(blob, input, label));
  } else {
    storage::BlobDownloadOptions options;
    options.conditions.if_match = input.etag;  // also makes it a single Get Blob
    storage::Result<storage::BlobDownloadResult> read = blob.DownloadRange(
        window.begin, window.size(),
        [&](std::string_view piece) {
          output.bytes_downloaded += piece.size();
          aggregator->Feed(piece);
          // The read-ahead past the chunk's end is only there to finish its last line: stop.
          return !aggregator->done();
        },
        options);
    // Once the chunk is done, whatever ended the read (our own stop, reported as kAborted, or a
    // failure after the last byte we needed) cannot change the partial: every byte it holds came
    // from 2xx answers under If-Match, i.e. from the planned version.
    if (!read.ok() && !aggregator->done()) {
      if (read.status().http_status() == 416) {
        return WithContext(read.status(), label + " is shorter than the " +
                                              std::to_string(input.file_size) +
                                              " bytes the job planned: " + ChunkLabel(input) +
                                              " starts past its end");
      }
      return ExplainBlobFailure(read.status(), "reading " + ChunkLabel(input) + " from", label,
                                input.etag);
    }
    if (read.ok() && read->properties.size != input.file_size) {
      return WrongSize(label, read->properties.size, input.file_size);
    }
  }
  storage::Result<ChunkPartial> partial = aggregator->Finish();
  if (!partial.ok()) return WithContext(partial.status(), ChunkLabel(input));
  output.partial = std::move(partial).value();
  output.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return output;
}

storage::Result<std::vector<AggregateInput>> MakeAggregateInputs(const PartitionOutput& partition,
                                                                 const AggregateOptions& options) {
  if (options.max_line_bytes != partition.max_line_bytes) {
    return storage::Status::InvalidArgument(
        "aggregate max_line_bytes (" + std::to_string(options.max_line_bytes) +
        ") must equal the partition's (" + std::to_string(partition.max_line_bytes) + ")");
  }
  std::vector<AggregateInput> inputs;
  inputs.reserve(partition.plan.chunks.size());
  for (const ChunkRange& chunk : partition.plan.chunks) {
    inputs.push_back({partition.container, partition.blob, partition.etag, partition.size,
                      partition.format, chunk, options});
  }
  return inputs;
}

}  // namespace fanfold::activities
