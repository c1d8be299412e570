// The Azure Functions custom handler contract, for queue triggers. The host POSTs
//   {"Data": {"<binding>": "<message text>"}, "Metadata": {"Id": ..., "PopReceipt": ...,
//    "DequeueCount": 1, "InsertionTime": ..., "sys": {...}}}
// to /<function>, and expects {"Outputs": {...}, "Logs": [...], "ReturnValue": ...} back: a
// 2xx answer completes the invocation (the host deletes the message), anything else fails it
// (the host makes it visible again after host.json's visibilityTimeout, and counts a delivery).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "queuestore/queue_models.hpp"
#include "storage/result.hpp"

namespace fanfold::functions {

// The message of a queue-trigger invocation. Metadata values are read whether the host sends
// them as JSON values or as JSON text inside strings ("\"abc\"", "1"), since both are seen.
storage::Result<queuestore::ReceivedMessage> ParseQueueInvocation(std::string_view body,
                                                                  std::string_view binding);

// The answer body: no output bindings, the given log lines, no return value.
std::string InvocationResponse(const std::vector<std::string>& logs);

}  // namespace fanfold::functions
