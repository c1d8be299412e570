// Queue metadata travels as x-ms-meta-<name> headers, both ways. The names keep their case on
// the wire; QueueMetadata compares them case-insensitively, as the service does.
#pragma once

#include <string_view>

#include "queuestore/queue_models.hpp"
#include "storage/http_message.hpp"

namespace fanfold::queuestore {

inline constexpr std::string_view kMetadataHeaderPrefix = "x-ms-meta-";

// Adds one x-ms-meta-<name> header per entry. Validate the metadata first (ValidateMetadata).
void AddMetadataHeaders(const QueueMetadata& metadata, storage::Headers* headers);
// Collects the x-ms-meta-* headers of an answer.
QueueMetadata MetadataFromHeaders(const storage::Headers& headers);

}  // namespace fanfold::queuestore
