#include "pipelines/job_spec.hpp"

#include <nlohmann/json.hpp>

#include "activities/activity_json.hpp"

namespace fanfold::pipelines {

const char* PipelineKindName(PipelineKind kind) {
  return kind == PipelineKind::kChained ? "chained" : "orchestrated";
}

std::optional<PipelineKind> ParsePipelineKind(std::string_view text) {
  if (text == "orchestrated") return PipelineKind::kOrchestrated;
  if (text == "chained") return PipelineKind::kChained;
  return std::nullopt;
}

activities::PartitionInput JobSpec::ToPartitionInput() const {
  activities::PartitionInput input;
  input.container = container;
  input.blob = blob;
  input.expected_etag = etag;
  input.chunk_count = chunk_count;
  input.chunk_bytes = chunk_bytes;
  input.format = format;
  input.max_file_bytes = max_file_bytes;
  return input;
}

std::optional<activities::ProbedBlob> JobSpec::Probe() const {
  if (!has_header || format == activities::InputFormat::kAuto) return std::nullopt;
  return activities::ProbedBlob{etag, size, format, *has_header};
}

storage::Result<activities::PartitionOutput> PlanJob(const storage::BlobServiceClient& blobs,
                                                     const JobSpec& spec) {
  if (const auto probe = spec.Probe()) {
    return activities::PlanProbedBlob(spec.ToPartitionInput(), *probe);
  }
  return activities::PartitionBlob(blobs, spec.ToPartitionInput());
}

nlohmann::json JobSpecToJsonValue(const JobSpec& spec) {
  nlohmann::json json = {{"job", spec.job},
                         {"pipeline", PipelineKindName(spec.pipeline)},
                         {"container", spec.container},
                         {"blob", spec.blob},
                         {"etag", spec.etag},
                         {"size", spec.size},
                         {"chunks", spec.chunk_count},
                         {"chunk_bytes", spec.chunk_bytes},
                         {"format", activities::InputFormatName(spec.format)},
                         {"max_file_bytes", spec.max_file_bytes},
                         {"max_attempts", spec.max_attempts}};
  if (spec.has_header) json["header"] = *spec.has_header;
  return json;
}

std::string JobSpecToJson(const JobSpec& spec) {
  return JobSpecToJsonValue(spec).dump();
}

storage::Result<JobSpec> JobSpecFromJsonValue(const nlohmann::json& json) {
  activities::JsonObjectReader reader(json, "job spec");
  JobSpec spec;
  std::string pipeline;
  std::uint64_t chunks = 0;
  std::uint64_t attempts = 3;
  reader.String("job", &spec.job);
  reader.String("pipeline", &pipeline);
  reader.String("container", &spec.container);
  reader.String("blob", &spec.blob);
  reader.String("etag", &spec.etag);
  reader.Unsigned("size", &spec.size, false);
  reader.Unsigned("chunks", &chunks, false, activities::kMaxChunks);
  reader.Unsigned("chunk_bytes", &spec.chunk_bytes, false);
  reader.Format("format", &spec.format, false);
  reader.Unsigned("max_file_bytes", &spec.max_file_bytes, false);
  reader.Unsigned("max_attempts", &attempts, false, 100);
  bool has_header = false;
  if (json.is_object() && json.contains("header") && reader.Bool("header", &has_header)) {
    spec.has_header = has_header;
  }
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  const auto kind = ParsePipelineKind(pipeline);
  if (!kind) {
    return storage::Status::Corruption(
        "job spec: pipeline must be \"orchestrated\" or \"chained\"");
  }
  if (spec.job.empty() || attempts == 0) {
    return storage::Status::Corruption("job spec: job must be set and max_attempts at least 1");
  }
  spec.pipeline = *kind;
  spec.chunk_count = static_cast<std::uint32_t>(chunks);
  spec.max_attempts = static_cast<int>(attempts);
  return spec;
}

storage::Result<JobSpec> JobSpecFromJson(std::string_view text) {
  auto json = activities::ParseActivityJson(text, "job spec");
  if (!json.ok()) return json.status();
  return JobSpecFromJsonValue(*json);
}

}  // namespace fanfold::pipelines
