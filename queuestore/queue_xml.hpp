// The Queue service's XML bodies: the QueueMessage request body and the answers of Put Message,
// Get Messages, Peek Messages and List Queues. Pure functions of text, so they are unit-tested
// on canned answers (including Azure's, which the integration tests cannot reach).
// Content is Base64-encoded into MessageText here and decoded back here, nowhere else.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "queuestore/queue_models.hpp"
#include "storage/result.hpp"

namespace fanfold::queuestore {

// <QueueMessage><MessageText>Base64(content)</MessageText></QueueMessage>, escaped by pugixml.
std::string BuildMessageBody(std::string_view content);

// Put Message's QueueMessagesList holding one message.
storage::Result<EnqueuedMessage> ParseEnqueuedMessage(std::string_view xml);
// Get Messages' QueueMessagesList (possibly empty).
storage::Result<std::vector<ReceivedMessage>> ParseReceivedMessages(std::string_view xml);
// Peek Messages' QueueMessagesList (possibly empty).
storage::Result<std::vector<PeekedMessage>> ParsePeekedMessages(std::string_view xml);
// List Queues' EnumerationResults.
storage::Result<QueueListPage> ParseQueueListPage(std::string_view xml);

// The RFC 1123 times the Queue service writes ("Fri, 31 Dec 9999 23:59:59 GMT"). Unlike
// storage::ParseRfc1123 this returns a microsecond Timestamp, which reaches year 9999 (the
// expiration time of a message that never expires); nanosecond system_clock does not.
std::optional<storage::Timestamp> ParseServiceTime(std::string_view text);

}  // namespace fanfold::queuestore
