#include "orchestrator/task_hub.hpp"

#include <nlohmann/json.hpp>

#include "orchestrator/parallel_io.hpp"
#include "queuestore/queue_service_client.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "storage/header_policies.hpp"
#include "tablestore/encoded_size.hpp"
#include "tablestore/table_service_client.hpp"

namespace fanfold::orchestrator {

using storage::Result;
using storage::Status;

Result<std::shared_ptr<TaskHub>> TaskHub::Open(const storage::StorageAccount& account,
                                               const TaskHubOptions& options) {
  auto names = TaskHubNames::For(options.name, options.partition_count);
  if (!names.ok()) return names.status();
  std::shared_ptr<TaskHub> hub(new TaskHub());
  hub->account_ = account;
  hub->options_ = options;
  hub->names_ = *names;

  const storage::BlobServiceClient blobs(account, options.pipeline);
  const tablestore::TableServiceClient tables(account, options.pipeline);
  const queuestore::QueueServiceClient queues(account, options.pipeline);
  hub->payloads_ =
      std::make_unique<PayloadStore>(blobs.GetContainerClient(names->large_message_container));
  hub->leases_ = std::make_unique<storage::BlobContainerClient>(
      blobs.GetContainerClient(names->lease_container));
  hub->history_ = std::make_unique<HistoryStore>(tables.GetTableClient(names->history_table),
                                                 hub->payloads_.get());
  hub->instances_ = std::make_unique<InstanceStore>(tables.GetTableClient(names->instances_table),
                                                    hub->payloads_.get());
  for (int partition = 0; partition < names->partition_count; ++partition) {
    auto queue = queues.GetQueueClient(names->ControlQueue(partition));
    if (!queue.ok()) return queue.status();
    hub->control_queues_.push_back(std::move(*queue));
  }
  auto work_items = queues.GetQueueClient(names->work_item_queue);
  if (!work_items.ok()) return work_items.status();
  hub->work_items_ = std::make_unique<queuestore::QueueClient>(std::move(*work_items));
  auto poison = queues.GetQueueClient(names->poison_queue);
  if (!poison.ok()) return poison.status();
  hub->poison_ = std::make_unique<queuestore::QueueClient>(std::move(*poison));
  return hub;
}

Status TaskHub::CreateIfNotExists() const {
  const tablestore::TableServiceClient tables(account_, options_.pipeline);
  for (const auto& table : {names_.history_table, names_.instances_table}) {
    auto created = tables.CreateTableIfNotExists(table);
    if (!created.ok()) return created.status();
  }
  std::vector<const queuestore::QueueClient*> queues = {work_items_.get(), poison_.get()};
  for (const auto& queue : control_queues_)
    queues.push_back(&queue);
  for (const auto* queue : queues) {
    auto created = queue->Create();
    if (!created.ok()) return created.status();
  }
  const storage::BlobServiceClient blobs(account_, options_.pipeline);
  for (const auto& name : {names_.large_message_container, names_.lease_container}) {
    auto container = blobs.GetContainerClient(name).CreateIfNotExists();
    if (!container.ok()) return container.status();
  }
  return Status::Ok();
}

Status TaskHub::DeleteAll() const {
  const tablestore::TableServiceClient tables(account_, options_.pipeline);
  for (const auto& table : {names_.history_table, names_.instances_table}) {
    const Status status = tables.DeleteTable(table);
    if (!status.ok() && !status.IsNotFound()) return status;
  }
  std::vector<const queuestore::QueueClient*> queues = {work_items_.get(), poison_.get()};
  for (const auto& queue : control_queues_)
    queues.push_back(&queue);
  for (const auto* queue : queues) {
    const Status status = queue->Delete();
    if (!status.ok() && !status.IsNotFound()) return status;
  }
  const storage::BlobServiceClient blobs(account_, options_.pipeline);
  for (const auto& container : {names_.large_message_container, names_.lease_container}) {
    auto deleted = blobs.GetContainerClient(container).DeleteIfExists();
    if (!deleted.ok()) return deleted.status();
  }
  return Status::Ok();
}

Status TaskHub::SendControl(ControlMessage message, std::chrono::seconds delay) const {
  for (auto& event : message.events) {
    auto payload = payloads_->Offload(message.instance_id, event.payload);
    if (!payload.ok()) return payload.status();
    event.payload = std::move(*payload);
  }
  queuestore::PutMessageOptions options;
  options.visibility_delay = delay;
  options.time_to_live = queuestore::kNeverExpires;
  auto put = control_queue_for(message.instance_id).PutMessage(Serialize(message), options);
  return put.ok() ? Status::Ok() : put.status();
}

Status TaskHub::SendEvents(const std::string& instance_id, std::vector<HistoryEvent> events) const {
  std::vector<ControlMessage> messages;
  size_t bytes = 0;
  for (auto& event : events) {
    auto payload = payloads_->Offload(instance_id, event.payload);
    if (!payload.ok()) return payload.status();
    event.payload = std::move(*payload);
    const size_t size = ToJson(event).dump().size() + 1;
    if (messages.empty() || bytes + size > kMaxMessageBytes - 256) {
      messages.push_back(
          ControlMessage{storage::NewUuid(), instance_id, ControlKind::kEvent, {}, ""});
      bytes = 0;
    }
    messages.back().events.push_back(std::move(event));
    bytes += size;
  }
  return ForEachParallel(messages.size(), 8,
                         [&](size_t i) { return SendControl(std::move(messages[i])); });
}

Status TaskHub::SendWorkItems(const std::string& instance_id, std::vector<WorkItemTask> tasks,
                              size_t max_per_message) const {
  std::vector<WorkItemMessage> messages;
  size_t bytes = 0;
  for (auto& task : tasks) {
    auto input = payloads_->Offload(instance_id, task.input);
    if (!input.ok()) return input.status();
    task.input = std::move(*input);
    // As encoded in the message's JSON: an input full of quotes is twice its length there.
    const size_t size = tablestore::EncodedJsonStringBytes(task.input) +
                        tablestore::EncodedJsonStringBytes(task.name) + 64;
    if (messages.empty() || messages.back().tasks.size() >= std::max<size_t>(max_per_message, 1) ||
        bytes + size > kMaxMessageBytes - 256) {
      messages.push_back(WorkItemMessage{storage::NewUuid(), instance_id, {}});
      bytes = 0;
    }
    messages.back().tasks.push_back(std::move(task));
    bytes += size;
  }
  queuestore::PutMessageOptions options;
  options.time_to_live = queuestore::kNeverExpires;
  const Timestamp sent =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  for (auto& message : messages)
    message.sent = sent;
  return ForEachParallel(messages.size(), 16, [&](size_t i) {
    auto put = work_items_->PutMessage(Serialize(messages[i]), options);
    return put.ok() ? Status::Ok() : put.status();
  });
}

}  // namespace fanfold::orchestrator
