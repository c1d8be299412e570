#include "functions/invocation.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace fanfold::functions {
namespace {

using nlohmann::json;

// A string holding JSON text ("\"abc\"") is unwrapped once; anything else is kept.
json Unwrap(const json& value) {
  if (!value.is_string()) return value;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    json inner = json::parse(text, nullptr, false);
    if (inner.is_string()) return inner;
  }
  return value;
}

std::string MetadataString(const json& metadata, const char* name) {
  const auto found = metadata.find(name);
  if (found == metadata.end()) return {};
  const json value = Unwrap(*found);
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::int64_t MetadataCount(const json& metadata, const char* name) {
  const auto found = metadata.find(name);
  if (found == metadata.end()) return 0;
  const json value = Unwrap(*found);
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string())
    return std::strtoll(value.get_ref<const std::string&>().c_str(), nullptr, 10);
  return 0;
}

}  // namespace

storage::Result<queuestore::ReceivedMessage> ParseQueueInvocation(std::string_view body,
                                                                  std::string_view binding) {
  const json request = json::parse(body, nullptr, false);
  if (!request.is_object()) {
    return storage::Status::InvalidArgument("invocation: the body is not a JSON object");
  }
  const auto data = request.find("Data");
  if (data == request.end() || !data->is_object()) {
    return storage::Status::InvalidArgument("invocation: no \"Data\" object");
  }
  const auto item = data->find(std::string(binding));
  if (item == data->end()) {
    return storage::Status::InvalidArgument("invocation: \"Data\" has no \"" +
                                            std::string(binding) + "\" (the trigger binding)");
  }
  queuestore::ReceivedMessage message;
  // A queue message arrives as its text; a host that parsed JSON text may send the value.
  message.content = item->is_string() ? item->get<std::string>() : item->dump();
  const auto metadata_found = request.find("Metadata");
  const json metadata = metadata_found != request.end() && metadata_found->is_object()
                            ? *metadata_found
                            : json::object();
  message.message_id = MetadataString(metadata, "Id");
  message.pop_receipt = MetadataString(metadata, "PopReceipt");
  message.dequeue_count = MetadataCount(metadata, "DequeueCount");
  if (message.message_id.empty() || message.pop_receipt.empty()) {
    return storage::Status::InvalidArgument(
        "invocation: \"Metadata\" lacks the message's Id or PopReceipt (is this a queue "
        "trigger?)");
  }
  if (message.dequeue_count < 1) message.dequeue_count = 1;
  return message;
}

std::string InvocationResponse(const std::vector<std::string>& logs) {
  return json{{"Outputs", json::object()}, {"Logs", logs}, {"ReturnValue", nullptr}}.dump();
}

}  // namespace fanfold::functions
