// The `partition` activity: turns an uploaded blob into the job's plan. It costs one Get Blob
// Properties (size and ETag; If-Match when the caller knows which upload the job is for) and, for
// a non-empty blob, one ranged Get Blob of the head (the first max_line_bytes + 1 bytes, pinned to
// that ETag), which tells the format, whether line 1 is a header, and whether the blob is text.
// Every later read of the job is pinned to the ETag returned here, so a job reads one version.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "activities/chunk_plan.hpp"
#include "activities/input_format.hpp"
#include "activities/limits.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

// Largest blob a job accepts unless told otherwise: 64 GiB, room for TPC-H SF 1000's customer
// table (about 24 GB) while still refusing a blob that is plainly not a customer file.
inline constexpr std::uint64_t kDefaultMaxFileBytes = 64ull << 30;
// Chunk size when the caller names neither a count nor a size: 8 MiB, a few seconds of work.
inline constexpr std::uint64_t kDefaultChunkBytes = 8ull << 20;

struct PartitionInput {
  std::string container;  // required
  std::string blob;       // required
  // ETag of the upload the job is for (as the upload or an event reported it). Empty (default):
  // the current version. Set: a blob replaced since then fails with IsPreconditionFailed().
  std::string expected_etag;
  // How to cut the file: at most one of the two may be set. chunk_count: that many chunks
  // (1..kMaxChunks; fewer when the file has fewer bytes). chunk_bytes: chunks of that size. Both
  // 0 (default): chunks of kDefaultChunkBytes.
  std::uint32_t chunk_count = 0;
  std::uint64_t chunk_bytes = 0;
  // kAuto (default) detects from line 1 (DetectInputFormat); kTpch or kCsv forces it.
  InputFormat format = InputFormat::kAuto;
  // Larger blobs are refused before any byte is read. Default kDefaultMaxFileBytes; at least 1.
  std::uint64_t max_file_bytes = kDefaultMaxFileBytes;
  // Longest line, as AggregateOptions::max_line_bytes (the aggregates must use the same value);
  // the head read is this + 1 bytes. Default 64 KiB, 1..kMaxMaxLineBytes.
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
};

struct PartitionOutput {
  std::string container;
  std::string blob;
  std::string etag;                         // the version every aggregate must read (If-Match)
  std::uint64_t size = 0;                   // of that version, bytes
  InputFormat format = InputFormat::kTpch;  // never kAuto: what every chunk is read as
  bool has_header = false;  // line 1 is a header; chunk 0 skips it (neither row nor reject)
  std::size_t max_line_bytes = kDefaultMaxLineBytes;  // what the head was probed with
  ChunkPlan plan;  // at least one chunk; an empty blob has the single chunk [0,0)

  friend bool operator==(const PartitionOutput&, const PartitionOutput&) = default;
};

// Refuses, with a message that says what to do: invalid input (InvalidArgument); a missing blob
// (404); a blob other than expected_etag (412); a blob larger than max_file_bytes
// (InvalidArgument, nothing read); a blob whose head is not text (InvalidArgument; the rule is in
// text_check.hpp). An empty blob is not an error: it plans one empty chunk and reads nothing.
storage::Result<PartitionOutput> PartitionBlob(const storage::BlobServiceClient& blobs,
                                               const PartitionInput& input);

// What probing a blob found out: enough to plan it again, with no storage call, exactly as
// PartitionBlob planned it (the trigger probes once and passes this on with the job).
struct ProbedBlob {
  std::string etag;
  std::uint64_t size = 0;
  InputFormat format = InputFormat::kTpch;  // never kAuto
  bool has_header = false;
};

// PartitionBlob's plan from a probe made earlier: the same output for the same input and probe.
storage::Result<PartitionOutput> PlanProbedBlob(const PartitionInput& input,
                                                const ProbedBlob& probe);

// Whether line 1 of a file is a header, from its head (the first max_line_bytes + 1 bytes, or the
// whole file if shorter), decided exactly as the aggregator of chunk 0 decides it.
bool HeadStartsWithHeader(std::string_view head, InputFormat format, std::size_t max_line_bytes);

// JSON, for queue messages, table properties and the CLI:
//   input:  {"container":"c","blob":"b","etag":"\"0x8D..\"","chunks":16,"chunk_bytes":0,
//            "format":"auto","max_file_bytes":68719476736,"max_line_bytes":65536}
//           (only container and blob are required; absent fields keep their defaults)
//   output: {"container":"c","blob":"b","etag":"\"0x8D..\"","size":24346144,"format":"tpch",
//            "header":false,"max_line_bytes":65536,"plan":{"size":24346144,"chunks":[...]}}
nlohmann::json PartitionInputToJsonValue(const PartitionInput& input);
std::string PartitionInputToJson(const PartitionInput& input);
storage::Result<PartitionInput> PartitionInputFromJsonValue(const nlohmann::json& json);
storage::Result<PartitionInput> PartitionInputFromJson(std::string_view text);

nlohmann::json PartitionOutputToJsonValue(const PartitionOutput& output);
std::string PartitionOutputToJson(const PartitionOutput& output);
storage::Result<PartitionOutput> PartitionOutputFromJsonValue(const nlohmann::json& json);
storage::Result<PartitionOutput> PartitionOutputFromJson(std::string_view text);

}  // namespace fanfold::activities
