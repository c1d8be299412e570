#include "queuestore/poison_envelope.hpp"

#include <nlohmann/json.hpp>

#include "queuestore/queue_options.hpp"
#include "storage/crypto.hpp"
#include "storage/utf8_text.hpp"

namespace fanfold::queuestore {
namespace {

using nlohmann::json;

// A reason is for a person; the message is what must survive.
constexpr std::size_t kMaxReasonBytes = 2000;

// Valid UTF-8 is dumped as it is (ensure_ascii off: "é" stays 2 bytes, not 6); only control
// characters, quotes and backslashes are escaped.
std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Envelope(std::string_view from, const std::string& reason, std::int64_t dequeue_count,
                     const std::string& time, bool text, std::size_t bytes, bool truncated,
                     const std::string& message) {
  return Dump(json{{"from", storage::ToValidUtf8(from)},
                   {"reason", reason},
                   {"dequeue_count", dequeue_count},
                   {"time", time},
                   {"encoding", text ? "text" : "base64"},
                   {"bytes", bytes},
                   {"truncated", truncated},
                   {"message", message}});
}

// The fields of an object already known to hold "from" and "message" strings.
storage::Result<PoisonedMessage> Read(const nlohmann::json& parsed) {
  PoisonedMessage message;
  message.from = parsed["from"].get<std::string>();
  message.reason = parsed.value("reason", "");
  message.truncated = parsed.value("truncated", false);
  const auto count = parsed.find("dequeue_count");
  if (count != parsed.end() && count->is_number_integer()) {
    message.dequeue_count = count->get<std::int64_t>();
  }
  message.time = parsed.value("time", "");
  message.content = parsed["message"].get<std::string>();
  if (parsed.value("encoding", "text") == "base64") {
    auto decoded = storage::Base64Decode(message.content);
    if (!decoded) return storage::Status::Corruption("poison message: its Base64 copy is broken");
    message.content = std::move(*decoded);
  }
  const auto bytes = parsed.find("bytes");
  message.bytes = bytes != parsed.end() && bytes->is_number_unsigned() ? bytes->get<std::uint64_t>()
                                                                       : message.content.size();
  return message;
}

}  // namespace

std::string PoisonEnvelope(std::string_view from, std::string_view reason,
                           std::int64_t dequeue_count, std::string_view content) {
  return PoisonEnvelope(
      from, reason, dequeue_count, content,
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
}

std::string PoisonEnvelope(std::string_view from, std::string_view reason,
                           std::int64_t dequeue_count, std::string_view content,
                           storage::Timestamp time) {
  const std::string when = storage::FormatIso8601(time);
  const std::string why = storage::TruncateUtf8(reason, kMaxReasonBytes);
  const bool text = storage::IsValidUtf8(content);
  const auto encode = [&](std::size_t keep) {
    std::string_view part = content.substr(0, keep);
    if (text) {
      // Never end inside a character.
      while (!part.empty() && part.size() < content.size() &&
             (static_cast<unsigned char>(content[part.size()]) & 0xC0) == 0x80) {
        part.remove_suffix(1);
      }
    }
    const std::string copy = text ? std::string(part) : storage::Base64Encode(part);
    return Envelope(from, why, dequeue_count, when, text, content.size(),
                    part.size() < content.size(), copy);
  };
  std::string whole = encode(content.size());
  if (whole.size() <= kMaxMessageContentBytes) return whole;
  // The longest copy that fits: escaping is not uniform, so search for it.
  std::size_t fits = 0;
  std::size_t too_long = content.size();
  std::string best = encode(0);
  while (too_long - fits > 1) {
    const std::size_t middle = fits + (too_long - fits) / 2;
    std::string candidate = encode(middle);
    if (candidate.size() <= kMaxMessageContentBytes) {
      fits = middle;
      best = std::move(candidate);
    } else {
      too_long = middle;
    }
  }
  return best;
}

storage::Result<PoisonedMessage> ParsePoisonEnvelope(std::string_view text) {
  const json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("from") || !parsed["from"].is_string() ||
      !parsed.contains("message") || !parsed["message"].is_string()) {
    return storage::Status::Corruption("poison message: not a fanfold poison envelope");
  }
  // A field of the wrong type (value() throws on one) makes it no envelope, never an exception.
  try {
    return Read(parsed);
  } catch (const json::exception&) {
    return storage::Status::Corruption("poison message: a field of the wrong type");
  }
}

}  // namespace fanfold::queuestore
