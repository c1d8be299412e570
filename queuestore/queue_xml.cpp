#include "queuestore/queue_xml.hpp"

#include <charconv>
#include <pugixml.hpp>

#include "storage/crypto.hpp"
#include "storage/http_date.hpp"

namespace fanfold::queuestore {
namespace {

using storage::Result;
using storage::Status;
using storage::Timestamp;

class StringWriter final : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string* out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_->append(static_cast<const char*>(data), size);
  }

 private:
  std::string* out_;
};

Status Malformed(std::string_view what, std::string_view detail) {
  return Status::Corruption("malformed " + std::string(what) +
                            " answer from the Queue service: " + std::string(detail));
}

// Loads the document and returns its root element, which must be named `root_name`.
Result<pugi::xml_node> LoadRoot(pugi::xml_document& document, std::string_view xml,
                                const char* root_name, std::string_view what) {
  const pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size());
  if (!parsed) return Malformed(what, std::string("not XML (") + parsed.description() + ")");
  const pugi::xml_node root = document.child(root_name);
  if (!root) return Malformed(what, std::string("no <") + root_name + "> element");
  return root;
}

Status RequiredText(pugi::xml_node node, const char* name, std::string_view what,
                    std::string* out) {
  const pugi::xml_node child = node.child(name);
  if (!child) return Malformed(what, std::string("a message has no <") + name + ">");
  *out = child.child_value();
  if (out->empty()) return Malformed(what, std::string("a message has an empty <") + name + ">");
  return Status::Ok();
}

Status RequiredTime(pugi::xml_node node, const char* name, std::string_view what, Timestamp* out) {
  std::string text;
  FANFOLD_RETURN_IF_ERROR(RequiredText(node, name, what, &text));
  const auto time = ParseServiceTime(text);
  if (!time) return Malformed(what, std::string("<") + name + "> is not an RFC 1123 time");
  *out = *time;
  return Status::Ok();
}

Status RequiredCount(pugi::xml_node node, const char* name, std::string_view what, int64_t* out) {
  std::string text;
  FANFOLD_RETURN_IF_ERROR(RequiredText(node, name, what, &text));
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, *out);
  if (error != std::errc() || ptr != end || *out < 0) {
    return Malformed(what, std::string("<") + name + "> is not a count");
  }
  return Status::Ok();
}

// A missing MessageText is read as empty: the element carries no information then anyway.
void DecodeContent(pugi::xml_node node, std::string* content, bool* raw) {
  const std::string_view text = node.child("MessageText").child_value();
  if (auto decoded = storage::Base64Decode(text)) {
    *content = std::move(*decoded);
    *raw = false;
  } else {
    *content = std::string(text);
    *raw = true;
  }
}

}  // namespace

std::string BuildMessageBody(std::string_view content) {
  pugi::xml_document document;
  const std::string encoded = storage::Base64Encode(content);
  document.append_child("QueueMessage").append_child("MessageText").text().set(encoded.c_str());
  std::string out;
  StringWriter writer(&out);
  document.save(writer, "", pugi::format_raw, pugi::encoding_utf8);
  return out;
}

std::optional<Timestamp> ParseServiceTime(std::string_view text) {
  // Whole seconds: the service says "Fri, 31 Dec 9999 23:59:59 GMT" for a message that never
  // expires, past what storage::ParseRfc1123's nanosecond clock holds.
  const auto seconds = storage::ParseRfc1123Seconds(text);
  if (!seconds) return std::nullopt;
  return Timestamp(*seconds);
}

Result<EnqueuedMessage> ParseEnqueuedMessage(std::string_view xml) {
  constexpr std::string_view kWhat = "Put Message";
  pugi::xml_document document;
  auto root = LoadRoot(document, xml, "QueueMessagesList", kWhat);
  if (!root.ok()) return root.status();
  const pugi::xml_node node = root->child("QueueMessage");
  if (!node) return Malformed(kWhat, "no <QueueMessage>");
  EnqueuedMessage message;
  FANFOLD_RETURN_IF_ERROR(RequiredText(node, "MessageId", kWhat, &message.message_id));
  FANFOLD_RETURN_IF_ERROR(RequiredText(node, "PopReceipt", kWhat, &message.pop_receipt));
  FANFOLD_RETURN_IF_ERROR(RequiredTime(node, "InsertionTime", kWhat, &message.insertion_time));
  FANFOLD_RETURN_IF_ERROR(RequiredTime(node, "ExpirationTime", kWhat, &message.expiration_time));
  FANFOLD_RETURN_IF_ERROR(RequiredTime(node, "TimeNextVisible", kWhat, &message.next_visible_time));
  return message;
}

Result<std::vector<ReceivedMessage>> ParseReceivedMessages(std::string_view xml) {
  constexpr std::string_view kWhat = "Get Messages";
  pugi::xml_document document;
  auto root = LoadRoot(document, xml, "QueueMessagesList", kWhat);
  if (!root.ok()) return root.status();
  std::vector<ReceivedMessage> messages;
  for (const pugi::xml_node node : root->children("QueueMessage")) {
    ReceivedMessage& message = messages.emplace_back();
    FANFOLD_RETURN_IF_ERROR(RequiredText(node, "MessageId", kWhat, &message.message_id));
    FANFOLD_RETURN_IF_ERROR(RequiredText(node, "PopReceipt", kWhat, &message.pop_receipt));
    FANFOLD_RETURN_IF_ERROR(RequiredCount(node, "DequeueCount", kWhat, &message.dequeue_count));
    FANFOLD_RETURN_IF_ERROR(RequiredTime(node, "InsertionTime", kWhat, &message.insertion_time));
    FANFOLD_RETURN_IF_ERROR(RequiredTime(node, "ExpirationTime", kWhat, &message.expiration_time));
    FANFOLD_RETURN_IF_ERROR(
        RequiredTime(node, "TimeNextVisible", kWhat, &message.next_visible_time));
    DecodeContent(node, &message.content, &message.content_is_raw);
  }
  return messages;
}

Result<std::vector<PeekedMessage>> ParsePeekedMessages(std::string_view xml) {
  constexpr std::string_view kWhat = "Peek Messages";
  pugi::xml_document document;
  auto root = LoadRoot(document, xml, "QueueMessagesList", kWhat);
  if (!root.ok()) return root.status();
  std::vector<PeekedMessage> messages;
  for (const pugi::xml_node node : root->children("QueueMessage")) {
    PeekedMessage& message = messages.emplace_back();
    FANFOLD_RETURN_IF_ERROR(RequiredText(node, "MessageId", kWhat, &message.message_id));
    FANFOLD_RETURN_IF_ERROR(RequiredCount(node, "DequeueCount", kWhat, &message.dequeue_count));
    FANFOLD_RETURN_IF_ERROR(RequiredTime(node, "InsertionTime", kWhat, &message.insertion_time));
    FANFOLD_RETURN_IF_ERROR(RequiredTime(node, "ExpirationTime", kWhat, &message.expiration_time));
    DecodeContent(node, &message.content, &message.content_is_raw);
  }
  return messages;
}

Result<QueueListPage> ParseQueueListPage(std::string_view xml) {
  constexpr std::string_view kWhat = "List Queues";
  pugi::xml_document document;
  auto root = LoadRoot(document, xml, "EnumerationResults", kWhat);
  if (!root.ok()) return root.status();
  QueueListPage page;
  for (const pugi::xml_node node : root->child("Queues").children("Queue")) {
    QueueItem& item = page.queues.emplace_back();
    item.name = node.child_value("Name");
    if (item.name.empty()) return Malformed(kWhat, "a queue has no <Name>");
    for (const pugi::xml_node entry : node.child("Metadata").children()) {
      if (entry.type() == pugi::node_element) item.metadata[entry.name()] = entry.child_value();
    }
  }
  page.next_marker = root->child_value("NextMarker");
  return page;
}

}  // namespace fanfold::queuestore
