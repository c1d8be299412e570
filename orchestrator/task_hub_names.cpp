#include "orchestrator/task_hub_names.hpp"

#include <cctype>
#include <cstdio>

namespace fanfold::orchestrator {

storage::Result<TaskHubNames> TaskHubNames::For(const std::string& hub, int partition_count) {
  bool valid =
      hub.size() >= 3 && hub.size() <= 40 && std::isalpha(static_cast<unsigned char>(hub[0])) != 0;
  for (const char c : hub)
    valid = valid && std::isalnum(static_cast<unsigned char>(c)) != 0;
  if (!valid) {
    return storage::Status::InvalidArgument("task hub name '" + hub +
                                            "' must be 3-40 letters and digits, starting with a "
                                            "letter");
  }
  if (partition_count < 1 || partition_count > 16) {
    return storage::Status::InvalidArgument("a task hub has 1 to 16 control queues");
  }
  std::string lower = hub;
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  TaskHubNames names;
  names.history_table = hub + "History";
  names.instances_table = hub + "Instances";
  names.work_item_queue = lower + "-workitems";
  names.poison_queue = lower + "-poison";
  names.large_message_container = lower + "-largemessages";
  names.lease_container = lower + "-leases";
  names.control_queue_prefix = lower + "-control-";
  names.partition_count = partition_count;
  return names;
}

std::string TaskHubNames::ControlQueue(int partition) const {
  char suffix[16];  // room for any int: GCC checks the whole range
  std::snprintf(suffix, sizeof suffix, "%02d", partition);
  return control_queue_prefix + suffix;
}

int TaskHubNames::PartitionOf(const std::string& instance_id) const {
  // FNV-1a: stable across processes and builds, unlike std::hash.
  uint32_t hash = 2166136261u;
  for (const char c : instance_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return static_cast<int>(hash % static_cast<uint32_t>(partition_count));
}

}  // namespace fanfold::orchestrator
