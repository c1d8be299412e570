#include "queuestore/queue_metadata.hpp"

#include <string>

namespace fanfold::queuestore {

void AddMetadataHeaders(const QueueMetadata& metadata, storage::Headers* headers) {
  for (const auto& [name, value] : metadata) {
    (*headers)[std::string(kMetadataHeaderPrefix) + name] = value;
  }
}

QueueMetadata MetadataFromHeaders(const storage::Headers& headers) {
  QueueMetadata metadata;
  for (const auto& [name, value] : headers) {
    if (name.size() <= kMetadataHeaderPrefix.size()) continue;
    const std::string_view prefix(name.data(), kMetadataHeaderPrefix.size());
    if (storage::CaseInsensitiveLess{}(prefix, kMetadataHeaderPrefix) ||
        storage::CaseInsensitiveLess{}(kMetadataHeaderPrefix, prefix)) {
      continue;
    }
    metadata[name.substr(kMetadataHeaderPrefix.size())] = value;
  }
  return metadata;
}

}  // namespace fanfold::queuestore
