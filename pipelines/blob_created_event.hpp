// The BlobCreated event in Azure Event Grid's event schema: what `fanfold upload` posts to the
// blob-events queue, and what an Event Grid subscription of a real storage account (with a
// Storage Queue handler) delivers to the same queue. Only the fields the trigger needs are read;
// everything else a real event carries is ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::pipelines {

inline constexpr std::string_view kBlobCreatedEventType = "Microsoft.Storage.BlobCreated";

struct BlobCreatedEvent {
  std::string id;  // the event's id (unique per event; a redelivered event keeps it)
  std::string container;
  std::string blob;
  std::string etag;  // as Event Grid writes it: without quotes
  std::uint64_t content_length = 0;
  std::string content_type;
  std::string url;         // the blob's URL
  std::string event_time;  // ISO 8601
};

// One event object: {"topic":..., "subject":"/blobServices/default/containers/C/blobs/B",
// "eventType":"Microsoft.Storage.BlobCreated", "id":..., "eventTime":..., "data":{"api":"PutBlob",
// "eTag":..., "contentType":..., "contentLength":N, "blobType":"BlockBlob", "url":...},
// "dataVersion":"", "metadataVersion":"1"}. `account_topic` is the topic (the storage account's
// resource id, or any name for Azurite).
std::string BlobCreatedEventToJson(const BlobCreatedEvent& event, std::string_view account_topic);

// Reads a queue message holding one event object or an array of them (Event Grid's batch
// form). Events of other types are skipped, not errors: a subscription may deliver more than one
// type to the queue. Corruption names what is wrong with a message that is not such an event.
storage::Result<std::vector<BlobCreatedEvent>> ParseBlobCreatedEvents(std::string_view message);

}  // namespace fanfold::pipelines
