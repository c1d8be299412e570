// Keeps large payloads out of queue messages and table rows: a payload that would not fit, as
// encoded on the wire, in a queue message or a table property is written to a blob in the hub's
// large-message container and replaced by a reference; Resolve() reads it back. Sizes are the
// encoded ones (JSON escaping, then Base64 for a message; UTF-16 for a property), never the raw
// length: 40 KiB of quotes is 80 KiB in a message's JSON and 107 KiB once Base64-encoded.
// Blob names start with "<instance id>/", so purging an instance finds every blob it wrote; each
// name is new (a UUID), so a blob is never overwritten and a blob no committed row names is
// garbage that only waits for the purge.
#pragma once

#include <string>

#include "queuestore/queue_options.hpp"
#include "storage/blob/blob_container_client.hpp"
#include "storage/result.hpp"
#include "tablestore/validation.hpp"

namespace fanfold::orchestrator {

class PayloadStore {
 public:
  // A payload travels inside a message's JSON (a control message's event, a work item's task),
  // Base64-encoded into MessageText, whose limit is queuestore::kMaxEncodedMessageBytes (64 KiB).
  // It may use at most this much of it; the rest is for the message around it (ids, event
  // fields, the other tasks' or events' JSON of a batch).
  static constexpr size_t kMaxInlineMessageBytes = queuestore::kMaxEncodedMessageBytes - 8 * 1024;
  // A payload is also stored as one String property (the instance row's Input, Output,
  // CustomStatus), whose limit is 64 KiB in UTF-16 (tablestore::kMaxPropertyValueBytes).
  static constexpr size_t kMaxInlinePropertyBytes = tablestore::kMaxPropertyValueBytes;

  // `max_inline_message_bytes` lowers the message budget (tests use it to force offloading).
  explicit PayloadStore(storage::BlobContainerClient container,
                        size_t max_inline_message_bytes = kMaxInlineMessageBytes)
      : container_(std::move(container)), max_inline_message_bytes_(max_inline_message_bytes) {}

  // True when `payload` fits both budgets above, encoded, and so may travel inline.
  bool FitsInline(const std::string& payload) const;
  // The payload itself when it fits inline, else a reference to the blob now holding it.
  storage::Result<std::string> Offload(const std::string& instance_id,
                                       const std::string& payload) const;
  // Always writes `content` to a new blob "<instance id>/<label>-<uuid>" and returns a reference
  // to it (for content that is large by construction, such as a checkpoint's history).
  storage::Result<std::string> Store(const std::string& instance_id, const std::string& label,
                                     const std::string& content) const;
  // The payload a reference stands for; any other text is returned as it is.
  storage::Result<std::string> Resolve(const std::string& payload) const;
  static bool IsReference(const std::string& payload);
  // Deletes every blob this store wrote for the instance.
  storage::Status DeleteAll(const std::string& instance_id) const;

 private:
  storage::BlobContainerClient container_;
  size_t max_inline_message_bytes_;
};

}  // namespace fanfold::orchestrator
