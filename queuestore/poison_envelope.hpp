// The one poison envelope: what every fanfold consumer (the engine's processors, the trigger and
// the chained stages) puts on a poison queue in place of a message it gives up on. It carries
// any bytes: text as text when it is valid UTF-8, else Base64 ("encoding"), so a message that is
// garbage is kept as it was, not "repaired". It always fits one queue message: when the copy
// would not (a message near 48 KiB, or one that JSON escaping swells), the copy is cut and the
// envelope says so ("truncated", with the original's size in "bytes").
//
//   {"from":"chain-chunks","reason":"...","dequeue_count":5,
//    "time":"2026-12-04T14:00:00.0000000Z","encoding":"text",
//    "bytes":312,"truncated":false,"message":"<the original content>"}
//
// "time" is when the message was poisoned (UTC); envelopes written before it existed lack it.
//
// `fanfold retry` of a chained job moves envelopes' messages back to "from".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/http_date.hpp"
#include "storage/result.hpp"

namespace fanfold::queuestore {

// Poisoned now.
std::string PoisonEnvelope(std::string_view from, std::string_view reason,
                           std::int64_t dequeue_count, std::string_view content);
std::string PoisonEnvelope(std::string_view from, std::string_view reason,
                           std::int64_t dequeue_count, std::string_view content,
                           storage::Timestamp time);

struct PoisonedMessage {
  std::string from;
  std::string reason;
  std::string content;  // the original bytes (or their first part, when truncated)
  bool truncated = false;
  std::int64_t dequeue_count = 0;
  std::uint64_t bytes = 0;  // the original's size
  std::string time;         // when it was poisoned, as written ("" in an older envelope)
};
storage::Result<PoisonedMessage> ParsePoisonEnvelope(std::string_view text);

}  // namespace fanfold::queuestore
