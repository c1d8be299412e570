#include "queuestore/queue_service_client.hpp"

#include <utility>

#include "queuestore/queue_request.hpp"
#include "queuestore/queue_validation.hpp"
#include "queuestore/queue_xml.hpp"

namespace fanfold::queuestore {

QueueServiceClient::QueueServiceClient(const storage::StorageAccount& account,
                                       const storage::PipelineOptions& options)
    : QueueServiceClient(account.queue_endpoint,
                         storage::MakeStoragePipeline(
                             account.credential, storage::SigningScheme::kBlobOrQueue, options)) {}

QueueServiceClient::QueueServiceClient(storage::Url queue_endpoint,
                                       std::shared_ptr<const storage::Pipeline> pipeline)
    : endpoint_(std::move(queue_endpoint)), pipeline_(std::move(pipeline)) {}

storage::Result<QueueClient> QueueServiceClient::GetQueueClient(std::string_view name) const {
  FANFOLD_RETURN_IF_ERROR(ValidateQueueName(name));
  storage::Url url = endpoint_;
  url.AppendPath(name);
  return QueueClient(std::move(url), std::string(name), pipeline_);
}

storage::Result<QueueListPage> QueueServiceClient::ListQueues(
    const ListQueuesOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateListQueuesOptions(options));
  storage::Url url = endpoint_;
  url.AddQuery("comp", "list");
  if (!options.prefix.empty()) url.AddQuery("prefix", options.prefix);
  if (!options.marker.empty()) url.AddQuery("marker", options.marker);
  if (options.max_results > 0) url.AddQuery("maxresults", std::to_string(options.max_results));
  if (options.include_metadata) url.AddQuery("include", "metadata");
  auto request = MakeQueueRequest(storage::HttpMethod::kGet, std::move(url),
                                  storage::OperationKind::kQueueAdmin);
  auto response = SendQueueRequest(*pipeline_, request);
  if (!response.ok()) return response.status();
  return ParseQueueListPage(response->body);
}

storage::Result<std::vector<QueueItem>> QueueServiceClient::ListAllQueues(
    const ListQueuesOptions& options) const {
  ListQueuesOptions page_options = options;
  std::vector<QueueItem> queues;
  do {
    auto page = ListQueues(page_options);
    if (!page.ok()) return page.status();
    for (auto& item : page->queues) {
      queues.push_back(std::move(item));
    }
    page_options.marker = std::move(page->next_marker);
  } while (!page_options.marker.empty());
  return queues;
}

}  // namespace fanfold::queuestore
