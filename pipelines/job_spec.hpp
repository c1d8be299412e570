// What one job is: which pipeline runs it, which upload it reads, and how the file is cut. The
// trigger builds it from a BlobCreated event and the blob's metadata; both pipelines carry it from
// stage to stage, and the Jobs table keeps it so `fanfold retry` can re-dispatch a job.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "activities/input_format.hpp"
#include "activities/partition_activity.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

enum class PipelineKind { kOrchestrated, kChained };

// "orchestrated", "chained".
const char* PipelineKindName(PipelineKind kind);
std::optional<PipelineKind> ParsePipelineKind(std::string_view text);

struct JobSpec {
  std::string job;  // the job id (MakeJobId), also the orchestration instance id
  PipelineKind pipeline = PipelineKind::kOrchestrated;
  std::string container;
  std::string blob;
  std::string etag;  // the upload's version, quoted as HTTP carries it: "\"0x8D...\""
  std::uint64_t size = 0;
  // Cutting: at most one of the two is non-zero (see PartitionInput).
  std::uint32_t chunk_count = 0;
  std::uint64_t chunk_bytes = 0;
  activities::InputFormat format = activities::InputFormat::kAuto;
  std::uint64_t max_file_bytes = activities::kDefaultMaxFileBytes;
  // Attempts of each chunk's aggregate before the chunk counts as failed (>= 1).
  int max_attempts = 3;
  // Set by the trigger once it has probed the upload (then `format` is the detected one, never
  // auto, and `size` the blob's): the stages plan the job from the spec alone, with no second
  // probe (PlanJob). Absent in specs written before it existed: those are probed again.
  std::optional<bool> has_header;

  // The partition input that reads exactly this upload (If-Match on etag).
  activities::PartitionInput ToPartitionInput() const;
  // The trigger's probe, when the spec carries one.
  std::optional<activities::ProbedBlob> Probe() const;
  friend bool operator==(const JobSpec&, const JobSpec&) = default;
};

// {"job":"...","pipeline":"chained","container":"uploads","blob":"a.tbl","etag":"\"0x..\"",
//  "size":123,"chunks":16,"chunk_bytes":0,"format":"auto","max_file_bytes":...,"max_attempts":3,
//  "header":false}  ("header" only once probed)
nlohmann::json JobSpecToJsonValue(const JobSpec& spec);
std::string JobSpecToJson(const JobSpec& spec);
storage::Result<JobSpec> JobSpecFromJsonValue(const nlohmann::json& json);
storage::Result<JobSpec> JobSpecFromJson(std::string_view text);

// The job's chunk plan: from the trigger's probe when the spec has one (no storage call), else by
// probing the blob (activities::PartitionBlob: a Get Blob Properties and a read of its head).
storage::Result<activities::PartitionOutput> PlanJob(const storage::BlobServiceClient& blobs,
                                                     const JobSpec& spec);

}  // namespace fanfold::pipelines
