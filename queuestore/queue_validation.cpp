#include "queuestore/queue_validation.hpp"

#include <string>

#include "storage/result.hpp"

namespace fanfold::queuestore {
namespace {

using storage::Status;

bool IsLowerOrDigit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

std::string Seconds(std::chrono::seconds value) {
  return std::to_string(value.count()) + " s";
}

Status CheckMaxMessages(int max_messages) {
  if (max_messages < 1 || max_messages > kMaxMessagesPerRequest) {
    return Status::InvalidArgument("max_messages is " + std::to_string(max_messages) +
                                   "; the Queue service accepts 1 to " +
                                   std::to_string(kMaxMessagesPerRequest));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateQueueName(std::string_view name) {
  const std::string shown = "queue name '" + std::string(name) + "'";
  if (name.size() < 3 || name.size() > 63) {
    return Status::InvalidArgument(shown + " is " + std::to_string(name.size()) +
                                   " characters long; it must have 3 to 63");
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '-') {
      if (i == 0 || i + 1 == name.size()) {
        return Status::InvalidArgument(shown + " must start and end with a letter or digit");
      }
      if (name[i - 1] == '-') {
        return Status::InvalidArgument(shown + " must not contain consecutive hyphens");
      }
    } else if (!IsLowerOrDigit(c)) {
      return Status::InvalidArgument(shown +
                                     " may hold only lower-case letters, digits and hyphens");
    }
  }
  return Status::Ok();
}

Status ValidateMessageContent(std::string_view content) {
  const size_t encoded = EncodedMessageSize(content.size());
  if (encoded <= kMaxEncodedMessageBytes) return Status::Ok();
  return Status::InvalidArgument(
      "queue message content is " + std::to_string(content.size()) + " bytes, " +
      std::to_string(encoded) + " bytes once Base64-encoded; the Queue service accepts at most " +
      std::to_string(kMaxEncodedMessageBytes) + " bytes of encoded text (" +
      std::to_string(kMaxMessageContentBytes) + " bytes of content)");
}

Status ValidateMessageHandle(std::string_view message_id, std::string_view pop_receipt) {
  if (message_id.empty()) return Status::InvalidArgument("message id is empty");
  if (pop_receipt.empty()) return Status::InvalidArgument("pop receipt is empty");
  return Status::Ok();
}

Status ValidateMetadata(const QueueMetadata& metadata) {
  for (const auto& [name, value] : metadata) {
    bool valid_name = !name.empty() && !IsDigit(name[0]);
    for (const char c : name)
      valid_name = valid_name && (IsAsciiLetter(c) || IsDigit(c) || c == '_');
    if (!valid_name) {
      return Status::InvalidArgument("metadata name '" + name +
                                     "' is not a C# identifier (ASCII letters, digits and '_', "
                                     "not starting with a digit)");
    }
    for (const char c : value) {
      if (c < 0x20 || c > 0x7E) {
        return Status::InvalidArgument("metadata value of '" + name + "' must be printable ASCII");
      }
    }
    if (!value.empty() && (value.front() == ' ' || value.back() == ' ')) {
      return Status::InvalidArgument("metadata value of '" + name +
                                     "' must not start or end with a blank");
    }
  }
  return Status::Ok();
}

Status ValidateListQueuesOptions(const ListQueuesOptions& options) {
  if (options.max_results < 0 || options.max_results > kMaxListResults) {
    return Status::InvalidArgument("max_results is " + std::to_string(options.max_results) +
                                   "; it must be 1 to " + std::to_string(kMaxListResults) +
                                   ", or 0 for the service's default");
  }
  return Status::Ok();
}

Status ValidatePutMessageOptions(const PutMessageOptions& options) {
  if (options.visibility_delay.count() < 0 || options.visibility_delay > kMaxVisibilityTimeout) {
    return Status::InvalidArgument("visibility_delay is " + Seconds(options.visibility_delay) +
                                   "; it must be 0 to " + Seconds(kMaxVisibilityTimeout));
  }
  if (options.time_to_live && *options.time_to_live != kNeverExpires) {
    const auto ttl = *options.time_to_live;
    if (ttl.count() < 1) {
      return Status::InvalidArgument("time_to_live is " + Seconds(ttl) +
                                     "; it must be at least 1 s, or kNeverExpires (-1)");
    }
    if (options.visibility_delay >= ttl) {
      return Status::InvalidArgument("visibility_delay (" + Seconds(options.visibility_delay) +
                                     ") must be shorter than time_to_live (" + Seconds(ttl) + ")");
    }
  }
  return Status::Ok();
}

Status ValidateGetMessagesOptions(const GetMessagesOptions& options) {
  FANFOLD_RETURN_IF_ERROR(CheckMaxMessages(options.max_messages));
  if (options.visibility_timeout.count() < 1 ||
      options.visibility_timeout > kMaxVisibilityTimeout) {
    return Status::InvalidArgument("visibility_timeout is " + Seconds(options.visibility_timeout) +
                                   "; Get Messages accepts 1 s to " +
                                   Seconds(kMaxVisibilityTimeout));
  }
  return Status::Ok();
}

Status ValidatePeekMessagesOptions(const PeekMessagesOptions& options) {
  return CheckMaxMessages(options.max_messages);
}

Status ValidateUpdateVisibilityTimeout(std::chrono::seconds visibility_timeout) {
  if (visibility_timeout.count() < 0 || visibility_timeout > kMaxVisibilityTimeout) {
    return Status::InvalidArgument("visibility_timeout is " + Seconds(visibility_timeout) +
                                   "; Update Message accepts 0 to " +
                                   Seconds(kMaxVisibilityTimeout));
  }
  return Status::Ok();
}

}  // namespace fanfold::queuestore
