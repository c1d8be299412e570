// Options of the queue operations, and the service limits they are checked against before a
// request is sent (Azurite is more lenient than Azure, so the client enforces Azure's rules).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "queuestore/queue_models.hpp"

namespace fanfold::queuestore {

// Azure's limits (REST API 2011-08-18 and later). "A message can be up to 64 KiB in size"
// (Put Message), counted on the MessageText as sent: for us its Base64 text.
inline constexpr size_t kMaxEncodedMessageBytes = 64 * 1024;  // Base64 text inside MessageText
inline constexpr size_t kMaxMessageContentBytes = kMaxEncodedMessageBytes / 4 * 3;  // 49152
inline constexpr int kMaxMessagesPerRequest = 32;  // numofmessages of Get and Peek
inline constexpr std::chrono::seconds kMaxVisibilityTimeout{7 * 24 * 3600};
inline constexpr int kMaxListResults = 5000;
// A time to live that means "never expires" (API 2017-07-29 and later).
inline constexpr std::chrono::seconds kNeverExpires{-1};

struct CreateQueueOptions {
  // Metadata to give a new queue. Names must be C# identifiers; values printable ASCII.
  // Default: none.
  QueueMetadata metadata{};
};

struct ListQueuesOptions {
  // Only queues whose name starts with this. Default: all queues.
  std::string prefix{};
  // Where to continue: a previous page's next_marker. Default: the first page.
  std::string marker{};
  // Largest page wanted, 1..kMaxListResults; 0 leaves it to the service (5000). Default: 0.
  int max_results = 0;
  // Also return each queue's metadata. Default: false.
  bool include_metadata = false;
};

struct PutMessageOptions {
  // How long the new message stays invisible, 0..7 days; must be shorter than time_to_live.
  // Default: 0 (visible at once).
  std::chrono::seconds visibility_delay{0};
  // How long the message lives: at least 1 s, or kNeverExpires. Default: unset, which the
  // service takes as 7 days.
  std::optional<std::chrono::seconds> time_to_live{};
};

struct GetMessagesOptions {
  // At most this many messages, 1..32. Default: 1.
  int max_messages = 1;
  // How long received messages stay invisible to others, 1 s..7 days. Default: 30 s.
  std::chrono::seconds visibility_timeout{30};
};

struct PeekMessagesOptions {
  // At most this many messages, 1..32. Default: 1.
  int max_messages = 1;
};

struct UpdateMessageOptions {
  // New content for the message; unset keeps the current content. Default: unset.
  std::optional<std::string> content{};
};

}  // namespace fanfold::queuestore
