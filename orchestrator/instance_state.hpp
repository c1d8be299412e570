// What the orchestration processor knows about one instance between work items: its committed
// history (grouped by checkpoint), the sentinel ETag that history was read under, what history
// already answers (for de-duplication), and a live replay executor. Kept in a small cache so an
// instance that receives N activity results in N batches is replayed once, not N times; the
// sentinel ETag decides whether a cached state is still current.
#pragma once

#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "orchestrator/history_event.hpp"
#include "orchestrator/instance_status.hpp"
#include "orchestrator/replay_executor.hpp"

namespace fanfold::orchestrator {

struct InstanceState {
  std::string instance_id;
  std::string sentinel_etag;  // "" before the first checkpoint
  std::string status_etag;    // of the Instances row as this worker last wrote it; "" unknown
  std::vector<HistoryEvent> events;
  std::vector<size_t> checkpoint_starts;
  std::unique_ptr<ReplayExecutor> executor;  // replayed up to `events`, or null before start

  // Derived from `events` by Record().
  std::set<std::string> seen_messages;
  std::set<int> answered_tasks;           // completed, failed or fired
  std::map<int, size_t> scheduled_tasks;  // task id -> index of its TaskScheduled/TimerCreated
  InstanceStatus status;

  // Adds committed events (one checkpoint) to the state.
  void Record(const std::vector<HistoryEvent>& checkpoint);
  // The checkpoint (index range into events) that holds the event from message `message_id`.
  std::pair<size_t, size_t> CheckpointOf(const std::string& message_id) const;
  // Task ids named by the latest failed completion (what a rewind re-runs).
  std::vector<int> FailedTasksOfLastCompletion() const;

 private:
  void Apply(const HistoryEvent& event, size_t index);
};

// A bounded least-recently-used cache of instance states, safe for several threads.
class InstanceStateCache {
 public:
  explicit InstanceStateCache(size_t capacity) : capacity_(capacity) {}
  // Takes the state out (so one thread works on it at a time); null when absent.
  std::unique_ptr<InstanceState> Take(const std::string& instance_id);
  void Put(std::unique_ptr<InstanceState> state);
  size_t size() const;

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::list<std::string> order_;  // front = most recently used
  std::unordered_map<std::string,
                     std::pair<std::unique_ptr<InstanceState>, std::list<std::string>::iterator>>
      states_;
};

}  // namespace fanfold::orchestrator
