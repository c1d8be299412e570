// QueueClient: one queue of the Queue service, over the standard storage pipeline (which signs,
// retries transient failures and counts). Message content is any bytes: it is Base64-encoded on
// the wire, so what one fanfold client puts, another gets back byte for byte.
// Invariants: every argument Azure would refuse is refused here first, with InvalidArgument and
// no request sent; every request carries its OperationKind; service errors are returned as
// Status values (404/409 included), never thrown. A QueueClient is cheap to copy and thread-safe.
//
// Delivery is at least once, as the service's: a message whose visibility timeout runs out
// before it is deleted is received again (with a higher dequeue count and a new pop receipt), and
// a Put Message retried after a lost answer may enqueue the message twice.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "queuestore/queue_models.hpp"
#include "queuestore/queue_options.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"

namespace fanfold::queuestore {

class QueueClient {
 public:
  // queue_url is the queue's address (endpoint + "/" + name); the name must already be valid.
  // QueueServiceClient::GetQueueClient is the usual way to get one.
  QueueClient(storage::Url queue_url, std::string name,
              std::shared_ptr<const storage::Pipeline> pipeline);

  const std::string& name() const { return name_; }
  const storage::Url& url() const { return queue_url_; }

  // Create Queue (kQueueAdmin). See CreateQueueOutcome for how an existing queue is reported.
  storage::Result<CreateQueueOutcome> Create(const CreateQueueOptions& options = {}) const;
  // Delete Queue (kQueueAdmin). A missing queue is a 404 QueueNotFound Status.
  storage::Status Delete() const;
  // Get Queue Metadata (kQueueAdmin): the approximate message count and the metadata.
  storage::Result<QueueProperties> GetProperties() const;
  // Clear Messages (kQueueAdmin): deletes every message. On a very large queue Azure may give up
  // part way with 500 OperationTimedOut; the pipeline retries that, and each retry continues.
  storage::Status ClearMessages() const;

  // Put Message (kQueuePut).
  storage::Result<EnqueuedMessage> PutMessage(std::string_view content,
                                              const PutMessageOptions& options = {}) const;
  // Get Messages (kQueueGet): up to max_messages visible messages, which become invisible to
  // others for the visibility timeout. An empty vector means none was visible.
  storage::Result<std::vector<ReceivedMessage>> GetMessages(
      const GetMessagesOptions& options = {}) const;
  // Peek Messages (kQueuePeek): visible messages, left visible and their dequeue count unchanged.
  storage::Result<std::vector<PeekedMessage>> PeekMessages(
      const PeekMessagesOptions& options = {}) const;
  // Update Message (kQueueUpdate): the message becomes invisible for visibility_timeout from now
  // (0 makes it visible at once) and, with options.content, gets new content. The pop receipt
  // passed in is dead afterwards; use the returned one. See IsMessageNotHeld for a lost message.
  storage::Result<UpdateReceipt> UpdateMessage(std::string_view message_id,
                                               std::string_view pop_receipt,
                                               std::chrono::seconds visibility_timeout,
                                               const UpdateMessageOptions& options = {}) const;
  // Delete Message (kQueueDelete). See IsMessageNotHeld for a message the caller no longer holds.
  storage::Status DeleteMessage(std::string_view message_id, std::string_view pop_receipt) const;

 private:
  storage::Url MessagesUrl() const;

  storage::Url queue_url_;
  std::string name_;
  std::shared_ptr<const storage::Pipeline> pipeline_;
};

}  // namespace fanfold::queuestore
