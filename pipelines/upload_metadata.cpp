#include "pipelines/upload_metadata.hpp"

#include <charconv>
#include <string>

#include "activities/limits.hpp"

namespace fanfold::pipelines {
namespace {

constexpr const char* kPipelineKey = "fanfoldpipeline";
constexpr const char* kChunksKey = "fanfoldchunks";
constexpr const char* kChunkBytesKey = "fanfoldchunkbytes";
constexpr const char* kFormatKey = "fanfoldformat";

const std::string* Find(const storage::BlobMetadata& metadata, const char* key) {
  // Metadata names are case-insensitive for the service; they come back as they were written.
  for (const auto& [name, value] : metadata) {
    if (name.size() != std::char_traits<char>::length(key)) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(name[i])) == key[i];
    }
    if (same) return &value;
  }
  return nullptr;
}

bool ParseCount(const std::string& text, std::uint64_t* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

storage::BlobMetadata UploadOptionsToMetadata(const UploadOptions& options) {
  storage::BlobMetadata metadata;
  if (options.pipeline) metadata[kPipelineKey] = PipelineKindName(*options.pipeline);
  if (options.chunk_count != 0) metadata[kChunksKey] = std::to_string(options.chunk_count);
  if (options.chunk_bytes != 0) metadata[kChunkBytesKey] = std::to_string(options.chunk_bytes);
  if (options.format != activities::InputFormat::kAuto) {
    metadata[kFormatKey] = std::string(activities::InputFormatName(options.format));
  }
  return metadata;
}

storage::Result<UploadOptions> UploadOptionsFromMetadata(const storage::BlobMetadata& metadata) {
  UploadOptions options;
  if (const auto* pipeline = Find(metadata, kPipelineKey)) {
    options.pipeline = ParsePipelineKind(*pipeline);
    if (!options.pipeline) {
      return storage::Status::InvalidArgument("metadata " + std::string(kPipelineKey) + "=" +
                                              *pipeline +
                                              ": the pipeline must be orchestrated or chained");
    }
  }
  std::uint64_t number = 0;
  if (const auto* chunks = Find(metadata, kChunksKey)) {
    if (!ParseCount(*chunks, &number) || number == 0 || number > activities::kMaxChunks) {
      return storage::Status::InvalidArgument("metadata " + std::string(kChunksKey) + "=" +
                                              *chunks + ": the chunk count must be 1.." +
                                              std::to_string(activities::kMaxChunks));
    }
    options.chunk_count = static_cast<std::uint32_t>(number);
  }
  if (const auto* bytes = Find(metadata, kChunkBytesKey)) {
    if (!ParseCount(*bytes, &number) || number == 0) {
      return storage::Status::InvalidArgument("metadata " + std::string(kChunkBytesKey) + "=" +
                                              *bytes + ": the chunk size must be a byte count");
    }
    options.chunk_bytes = number;
  }
  if (options.chunk_count != 0 && options.chunk_bytes != 0) {
    return storage::Status::InvalidArgument("metadata sets both " + std::string(kChunksKey) +
                                            " and " + kChunkBytesKey + "; set one");
  }
  if (const auto* format = Find(metadata, kFormatKey)) {
    auto parsed = activities::ParseInputFormat(*format);
    if (!parsed.ok()) return parsed.status();
    options.format = *parsed;
  }
  return options;
}

}  // namespace fanfold::pipelines
