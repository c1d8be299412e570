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
                     bool text, std::size_t bytes, bool truncated, const std::string& message) {
  return Dump(json{{"from", storage::ValidUtf8(from)},
                   {"reason", reason},
                   {"dequeue_count", dequeue_count},
                   {"encoding", text ? "text" : "base64"},
                   {"bytes", bytes},
                   {"truncated", truncated},
                   {"message", message}});
}

}  // namespace

std::string PoisonEnvelope(std::string_view from, std::string_view reason,
                           std::int64_t dequeue_count, std::string_view content) {
  const std::string why = storage::CutUtf8(reason, kMaxReasonBytes);
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
    return Envelope(from, why, dequeue_count, text, content.size(), part.size() < content.size(),
                    copy);
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
  PoisonedMessage message;
  message.from = parsed["from"].get<std::string>();
  message.reason = parsed.value("reason", "");
  message.truncated = parsed.value("truncated", false);
  message.content = parsed["message"].get<std::string>();
  if (parsed.value("encoding", "text") == "base64") {
    auto decoded = storage::Base64Decode(message.content);
    if (!decoded) return storage::Status::Corruption("poison message: its Base64 copy is broken");
    message.content = std::move(*decoded);
  }
  return message;
}

}  // namespace fanfold::queuestore
