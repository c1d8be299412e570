#include "pipelines/blob_created_event.hpp"

#include <nlohmann/json.hpp>

#include "pipelines/job_id.hpp"

namespace fanfold::pipelines {
namespace {

constexpr std::string_view kSubjectPrefix = "/blobServices/default/containers/";
constexpr std::string_view kBlobsMarker = "/blobs/";

storage::Status Bad(const std::string& problem) {
  return storage::Status::Corruption("blob event: " + problem);
}

storage::Result<BlobCreatedEvent> ParseOne(const nlohmann::json& json) {
  if (!json.is_object()) return Bad("an event must be a JSON object");
  const auto subject = json.find("subject");
  const auto data = json.find("data");
  if (subject == json.end() || !subject->is_string()) return Bad("no \"subject\" string");
  if (data == json.end() || !data->is_object()) return Bad("no \"data\" object");
  const std::string& text = subject->get_ref<const std::string&>();
  if (text.rfind(kSubjectPrefix, 0) != 0) return Bad("subject is not a blob's: " + text);
  const std::size_t container_begin = kSubjectPrefix.size();
  const std::size_t marker = text.find(kBlobsMarker, container_begin);
  if (marker == std::string::npos || marker == container_begin ||
      marker + kBlobsMarker.size() == text.size()) {
    return Bad("subject names no container and blob: " + text);
  }
  BlobCreatedEvent event;
  event.container = text.substr(container_begin, marker - container_begin);
  event.blob = text.substr(marker + kBlobsMarker.size());
  event.id = json.value("id", "");
  event.event_time = json.value("eventTime", "");
  const auto etag = data->find("eTag");
  if (etag == data->end() || !etag->is_string() || etag->get_ref<const std::string&>().empty()) {
    return Bad("data.eTag is missing");
  }
  event.etag = UnquotedETag(etag->get<std::string>());
  const auto length = data->find("contentLength");
  if (length != data->end()) {
    if (!length->is_number_unsigned()) return Bad("data.contentLength is not a byte count");
    event.content_length = length->get<std::uint64_t>();
  }
  event.content_type = data->value("contentType", "");
  event.url = data->value("url", "");
  return event;
}

}  // namespace

std::string BlobCreatedEventToJson(const BlobCreatedEvent& event, std::string_view account_topic) {
  const nlohmann::json json = {{"topic", account_topic},
                               {"subject", std::string(kSubjectPrefix) + event.container +
                                               std::string(kBlobsMarker) + event.blob},
                               {"eventType", kBlobCreatedEventType},
                               {"id", event.id},
                               {"eventTime", event.event_time},
                               {"data",
                                {{"api", "PutBlob"},
                                 {"eTag", UnquotedETag(event.etag)},
                                 {"contentType", event.content_type},
                                 {"contentLength", event.content_length},
                                 {"blobType", "BlockBlob"},
                                 {"url", event.url}}},
                               {"dataVersion", ""},
                               {"metadataVersion", "1"}};
  return json.dump();
}

storage::Result<std::vector<BlobCreatedEvent>> ParseBlobCreatedEvents(std::string_view message) {
  const nlohmann::json json = nlohmann::json::parse(message, nullptr, false);
  if (json.is_discarded()) return Bad("the message is not JSON");
  std::vector<BlobCreatedEvent> events;
  const auto take = [&](const nlohmann::json& one) -> storage::Status {
    // Another event type is skipped; JSON that is no Event Grid event at all is refused (and so
    // poisoned with the reason), not silently taken for an event of no interest.
    const auto type = one.is_object() ? one.find("eventType") : one.end();
    if (!one.is_object() || type == one.end() || !type->is_string()) {
      return Bad("not an Event Grid event (no \"eventType\" string)");
    }
    if (type->get_ref<const std::string&>() != kBlobCreatedEventType) return storage::Status::Ok();
    auto event = ParseOne(one);
    if (!event.ok()) return event.status();
    events.push_back(std::move(*event));
    return storage::Status::Ok();
  };
  if (json.is_array()) {
    for (const auto& one : json)
      FANFOLD_RETURN_IF_ERROR(take(one));
  } else {
    FANFOLD_RETURN_IF_ERROR(take(json));
  }
  return events;
}

}  // namespace fanfold::pipelines
