// One task hub's storage: its tables, queues and large-message container, with the stores built
// on them. Cheap to share: every member is a client value over a shared pipeline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "orchestrator/history_store.hpp"
#include "orchestrator/instance_store.hpp"
#include "orchestrator/messages.hpp"
#include "orchestrator/payload_store.hpp"
#include "orchestrator/task_hub_names.hpp"
#include "queuestore/queue_client.hpp"
#include "storage/blob/blob_container_client.hpp"
#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"

namespace fanfold::orchestrator {

struct TaskHubOptions {
  std::string name = "fanfold";  // 3-40 letters and digits
  int partition_count = 4;       // control queues; instances are spread over them by id hash
  storage::PipelineOptions pipeline;
};

class TaskHub {
 public:
  static storage::Result<std::shared_ptr<TaskHub>> Open(const storage::StorageAccount& account,
                                                        const TaskHubOptions& options = {});

  // Creates the tables, queues and container that do not exist yet.
  storage::Status CreateIfNotExists() const;
  // Deletes every resource of the hub (tests and `fanfold hub delete`).
  storage::Status DeleteAll() const;

  const TaskHubNames& names() const { return names_; }
  const HistoryStore& history() const { return *history_; }
  const InstanceStore& instances() const { return *instances_; }
  const PayloadStore& payloads() const { return *payloads_; }
  const queuestore::QueueClient& control_queue(int partition) const {
    return control_queues_.at(static_cast<size_t>(partition));
  }
  const queuestore::QueueClient& control_queue_for(const std::string& instance_id) const {
    return control_queue(names_.PartitionOf(instance_id));
  }
  const queuestore::QueueClient& work_item_queue() const { return *work_items_; }
  const queuestore::QueueClient& poison_queue() const { return *poison_; }
  // The partition leases' container (its lease blobs are made on first use).
  const storage::BlobContainerClient& lease_container() const { return *leases_; }

  // Sends a control message to the instance's queue, its event payloads offloaded if large.
  storage::Status SendControl(ControlMessage message,
                              std::chrono::seconds delay = std::chrono::seconds(0)) const;
  // Sends events to an instance in as few control messages as fit the size limit.
  storage::Status SendEvents(const std::string& instance_id,
                             std::vector<HistoryEvent> events) const;
  // Sends tasks as work items of at most max_per_message tasks each (and within the size
  // limit), several requests at a time.
  storage::Status SendWorkItems(const std::string& instance_id, std::vector<WorkItemTask> tasks,
                                size_t max_per_message) const;

 private:
  TaskHub() = default;

  storage::StorageAccount account_;
  TaskHubOptions options_;
  TaskHubNames names_;
  std::unique_ptr<PayloadStore> payloads_;
  std::unique_ptr<HistoryStore> history_;
  std::unique_ptr<InstanceStore> instances_;
  std::vector<queuestore::QueueClient> control_queues_;
  std::unique_ptr<queuestore::QueueClient> work_items_;
  std::unique_ptr<queuestore::QueueClient> poison_;
  std::unique_ptr<storage::BlobContainerClient> leases_;
};

}  // namespace fanfold::orchestrator
