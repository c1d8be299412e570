// The `aggregate` activity: one chunk of the job, read from the blob with ONE streamed ranged Get
// Blob of the chunk's read window, pinned with If-Match to the ETag partition returned (a blob
// replaced since then fails with 412, never a mix of two versions), fed to a ChunkAggregator as
// the bytes arrive and stopped as soon as the chunk's last line is complete. Memory stays at the
// transport's buffers plus one carried line, whatever the chunk size.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "activities/chunk_aggregator.hpp"
#include "activities/chunk_partial.hpp"
#include "activities/chunk_plan.hpp"
#include "activities/input_format.hpp"
#include "activities/partition_activity.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

struct AggregateInput {
  std::string container;        // required
  std::string blob;             // required
  std::string etag;             // required: the version partition planned (PartitionOutput::etag)
  std::uint64_t file_size = 0;  // PartitionOutput::size; a blob of another size is refused
  // Concrete (kTpch or kCsv) for every chunk but the one at byte 0 (see ChunkAggregator::Create);
  // pipelines pass PartitionOutput::format to all of them.
  InputFormat format = InputFormat::kTpch;
  ChunkRange chunk;          // one chunk of the plan
  AggregateOptions options;  // max_line_bytes must be the partition's
};

struct AggregateOutput {
  std::uint32_t chunk_index = 0;  // the chunk's index in the plan: what merge keys on
  ChunkPartial partial;
  // Bytes that arrived from storage: at least partial.bytes_read (what the aggregator consumed),
  // plus the rest of the transport buffer that held the chunk's last byte.
  std::uint64_t bytes_downloaded = 0;
  double milliseconds = 0;  // wall time of the read and the aggregation

  friend bool operator==(const AggregateOutput&, const AggregateOutput&) = default;
};

// Fails with: InvalidArgument for bad input (no ETag, a range outside file_size, kAuto off byte
// 0, invalid options); the 412 of a blob replaced since partition (IsPreconditionFailed()); 404
// for a deleted blob; Corruption when a read that reached the window's end shows a blob size
// other than file_size (one stopped early cannot tell, but the ETag fixes the size anyway); 416
// when the chunk starts past the blob's end; IoError when the bytes ended before the chunk's
// last line. Never a silently short partial. An empty chunk (the one
// chunk of an empty file) reads no byte: it costs one Get Blob Properties that checks, under
// If-Match, that the version still exists and is empty.
storage::Result<AggregateOutput> AggregateBlobChunk(const storage::BlobServiceClient& blobs,
                                                    const AggregateInput& input);

// The input of every chunk of a partition's plan, in plan order, all reading under its ETag and
// format. InvalidArgument when options.max_line_bytes is not the one the partition probed with
// (the two must agree for chunk 0 and the probe to see the same first line).
storage::Result<std::vector<AggregateInput>> MakeAggregateInputs(const PartitionOutput& partition,
                                                                 const AggregateOptions& options);

// JSON, for queue messages and table properties:
//   input:  {"container":"c","blob":"b","etag":"\"0x8D..\"","size":24346144,"format":"tpch",
//            "chunk":{"i":3,"b":4566150,"e":6088200},"options":{...AggregateOptionsToJsonValue}}
//   output: {"chunk":3,"partial":{...ChunkPartialToJsonValue},"downloaded":1540321,"ms":41.7}
nlohmann::json AggregateInputToJsonValue(const AggregateInput& input);
std::string AggregateInputToJson(const AggregateInput& input);
storage::Result<AggregateInput> AggregateInputFromJsonValue(const nlohmann::json& json);
storage::Result<AggregateInput> AggregateInputFromJson(std::string_view text);

nlohmann::json AggregateOutputToJsonValue(const AggregateOutput& output);
std::string AggregateOutputToJson(const AggregateOutput& output);
storage::Result<AggregateOutput> AggregateOutputFromJsonValue(const nlohmann::json& json);
storage::Result<AggregateOutput> AggregateOutputFromJson(std::string_view text);

}  // namespace fanfold::activities
