// The storage resources of one task hub, named from the hub's name. Several hubs can share an
// account. Tables are "<Hub>History" and "<Hub>Instances"; queues and the container use the
// lower-case hub name, since queue and container names must be lower case.
#pragma once

#include <string>

#include "storage/result.hpp"

namespace fanfold::orchestrator {

struct TaskHubNames {
  std::string history_table;
  std::string instances_table;
  std::string work_item_queue;
  std::string poison_queue;
  std::string large_message_container;
  std::string lease_container;       // one lease blob per control queue (partition_leases.hpp)
  std::string control_queue_prefix;  // + two digits
  int partition_count = 4;

  // Hub names are 3-40 letters and digits, starting with a letter.
  static storage::Result<TaskHubNames> For(const std::string& hub, int partition_count);
  std::string ControlQueue(int partition) const;
  // Which control queue an instance's messages go to: a stable hash of its id.
  int PartitionOf(const std::string& instance_id) const;
};

}  // namespace fanfold::orchestrator
