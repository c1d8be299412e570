#include "tablestore/encoded_size.hpp"

#include <nlohmann/json.hpp>
#include <variant>

#include "tablestore/batch_codec.hpp"
#include "tablestore/entity_json.hpp"

namespace fanfold::tablestore {
namespace {

// Length of the UTF-8 sequence a lead byte starts; 1 for a byte that cannot lead one.
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

size_t EscapedAsciiBytes(unsigned char c, bool ensure_ascii) {
  switch (c) {
    case '"':
    case '\\':
    case '\b':
    case '\f':
    case '\n':
    case '\r':
    case '\t':
      return 2;
    default:
      if (c < 0x20 || (ensure_ascii && c == 0x7F)) return 6;  // \u00XX
      return 1;
  }
}

// A fixed-length stand-in for the UUIDs that name a batch's boundaries.
constexpr std::string_view kSizingUuid = "00000000-0000-4000-8000-000000000000";

}  // namespace

size_t EncodedJsonStringBytes(std::string_view text, bool ensure_ascii) {
  size_t bytes = 2;  // the quotes
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      bytes += EscapedAsciiBytes(lead, ensure_ascii);
      ++i;
      continue;
    }
    const size_t length = std::min(SequenceLength(lead), text.size() - i);
    if (!ensure_ascii) {
      bytes += length;
    } else {
      bytes += length == 4 ? 12 : 6;  // a surrogate pair, or one \uXXXX
    }
    i += length;
  }
  return bytes;
}

size_t EncodedPropertyBytes(const std::string& name, const PropertyValue& value) {
  if (const auto* text = std::get_if<std::string>(&value.variant())) {
    return 1 + EncodedJsonStringBytes(name) + 1 + EncodedJsonStringBytes(*text);
  }
  // Numbers, times, GUIDs and Base64 are short; let the serializer itself say how it writes
  // them (a double's shortest round-trip form is not worth re-deriving).
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  AddPropertyToJson(object, name, value);
  return 1 + object.dump().size() - 2;  // the comma before, without the braces
}

size_t EncodedEntityBytes(const Entity& entity) {
  // {"PartitionKey":<pk>,"RowKey":<rk><,property>...}
  size_t bytes = 1 + EncodedJsonStringBytes("PartitionKey") + 1 +
                 EncodedJsonStringBytes(entity.partition_key()) + 1 +
                 EncodedJsonStringBytes("RowKey") + 1 + EncodedJsonStringBytes(entity.row_key()) +
                 1;
  for (const auto& [name, value] : entity.properties())
    bytes += EncodedPropertyBytes(name, value);
  return bytes;
}

size_t EncodedTransactionBytes(const storage::Url& endpoint, std::string_view table,
                               const Transaction& transaction) {
  return EncodeTransaction(endpoint, table, transaction, kSizingUuid, kSizingUuid).body.size();
}

}  // namespace fanfold::tablestore
