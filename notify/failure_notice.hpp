// What a failure notification says. The worker fills one when a job fails or a message goes to a
// poison queue; every field is free text from anywhere (blob names, error messages), so each
// body format escapes it for its receiver (see webhook_body.hpp).
#pragma once

#include <string>
#include <string_view>

namespace fanfold::notify {

inline constexpr std::string_view kJobFailed = "job.failed";
inline constexpr std::string_view kMessagePoisoned = "message.poisoned";

struct FailureNotice {
  std::string kind;           // kJobFailed or kMessagePoisoned
  std::string job;            // may be empty (a poisoned message of no known job)
  std::string file;           // "container/blob", may be empty
  std::string pipeline;       // "orchestrated" / "chained" / ""
  std::string reason;         // what went wrong, one line
  std::string queue;          // message.poisoned: the queue it came from and the poison queue
  std::string retry_command;  // e.g. "fanfold retry <job>" (may be empty)
  std::string worker;         // host:pid; WebhookNotifier fills it from the log options if empty
  std::string time;           // ISO 8601 UTC; WebhookNotifier fills it with "now" if empty
};

}  // namespace fanfold::notify
