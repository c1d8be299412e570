// Client-side checks of everything Azure would refuse, run before a request is built so that a
// bad argument costs no round trip and is reported the same way against Azure and Azurite (which
// accepts some of what Azure refuses). Every failure is InvalidArgument and says what the limit is.
#pragma once

#include <chrono>
#include <string_view>

#include "queuestore/queue_options.hpp"
#include "storage/status.hpp"

namespace fanfold::queuestore {

// 3-63 characters of lower-case letters, digits and single hyphens, starting and ending with a
// letter or digit.
storage::Status ValidateQueueName(std::string_view name);

// Length of the Base64 text that carries `content_bytes` bytes on the wire.
constexpr size_t EncodedMessageSize(size_t content_bytes) {
  return (content_bytes + 2) / 3 * 4;
}
// Bytes of the MessageText that carries `content` as sent (BuildMessageBody): its Base64 form,
// which XML never escapes (A-Z a-z 0-9 + / =). This is what kMaxEncodedMessageBytes limits, so
// it is the size to decide on, whatever escaping made `content` (JSON text, say).
constexpr size_t EncodedMessageBytes(std::string_view content) {
  return EncodedMessageSize(content.size());
}
// The encoded content must fit in kMaxEncodedMessageBytes.
storage::Status ValidateMessageContent(std::string_view content);

// A message id and pop receipt as Delete and Update need them: both non-empty (an empty id would
// address the whole queue's messages: DELETE .../messages is Clear Messages).
storage::Status ValidateMessageHandle(std::string_view message_id, std::string_view pop_receipt);

// Names are C# identifiers (ASCII letters, digits, '_', not starting with a digit); values are
// printable ASCII without leading or trailing blanks, since they travel as signed HTTP headers.
storage::Status ValidateMetadata(const QueueMetadata& metadata);

storage::Status ValidateListQueuesOptions(const ListQueuesOptions& options);
storage::Status ValidatePutMessageOptions(const PutMessageOptions& options);
storage::Status ValidateGetMessagesOptions(const GetMessagesOptions& options);
storage::Status ValidatePeekMessagesOptions(const PeekMessagesOptions& options);
// Update Message's visibility timeout: 0 (visible at once) to 7 days.
storage::Status ValidateUpdateVisibilityTimeout(std::chrono::seconds visibility_timeout);

}  // namespace fanfold::queuestore
