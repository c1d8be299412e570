// QueueServiceClient: the Queue service of one storage account. Lists queues and hands out
// QueueClients, which share its pipeline (and so its transport, retry options and counters).
// Queue names are validated here, so every QueueClient it returns addresses a valid name.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "queuestore/queue_client.hpp"
#include "queuestore/queue_models.hpp"
#include "queuestore/queue_options.hpp"
#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"

namespace fanfold::queuestore {

class QueueServiceClient {
 public:
  // Talks to account.queue_endpoint, signing with SigningScheme::kBlobOrQueue.
  explicit QueueServiceClient(const storage::StorageAccount& account,
                              const storage::PipelineOptions& options = {});
  // For callers that already hold a suitable (kBlobOrQueue) pipeline.
  QueueServiceClient(storage::Url queue_endpoint,
                     std::shared_ptr<const storage::Pipeline> pipeline);

  const storage::Url& endpoint() const { return endpoint_; }

  // A client for the queue `name` (InvalidArgument for an invalid name). Sends nothing: the
  // queue need not exist yet.
  storage::Result<QueueClient> GetQueueClient(std::string_view name) const;

  // One page of List Queues (kQueueAdmin).
  storage::Result<QueueListPage> ListQueues(const ListQueuesOptions& options = {}) const;
  // Every queue the options select, following next_marker from options.marker on (one
  // kQueueAdmin operation per page; max_results sets the page size).
  storage::Result<std::vector<QueueItem>> ListAllQueues(
      const ListQueuesOptions& options = {}) const;

 private:
  storage::Url endpoint_;
  std::shared_ptr<const storage::Pipeline> pipeline_;
};

}  // namespace fanfold::queuestore
