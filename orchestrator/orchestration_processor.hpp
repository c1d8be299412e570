// Processes control messages for instances: the orchestration half of a worker.
// Per instance, a batch of messages becomes at most one checkpoint, committed in this order:
//   1. history (the commit point: one transaction guarded by the sentinel ETag)
//   2. outgoing messages (work items, timers)
//   3. the status projection
//   4. deleting the consumed messages
// A crash between any two steps is repaired by redelivery: every event records the message it
// came from, so a redelivered message is recognised, and the checkpoint that consumed it is
// found in history and its sends (2) and status (3) are done again. Duplicated sends are
// harmless: answers are de-duplicated by task id.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/instance_state.hpp"
#include "orchestrator/registry.hpp"
#include "orchestrator/task_hub.hpp"
#include "queuestore/queue_consumer.hpp"
#include "queuestore/queue_models.hpp"

namespace fanfold::orchestrator {

// Where a test can make the processor stop as if its process had died.
enum class CommitStep { kBeforeHistory, kAfterHistory, kAfterSends, kAfterStatus };

struct OrchestrationProcessorOptions {
  int max_dequeue_count = 5;  // a message received more often than this goes to the poison queue
  std::chrono::seconds visibility_timeout{60};  // how long a fetched batch stays hidden
  size_t cache_capacity = 512;                  // instances kept replayed in memory
  // A fan-out of N activities goes out as about target_work_items queue messages of at most
  // max_tasks_per_work_item tasks each: fewer messages cost fewer transactions, enough of them
  // keep every worker busy.
  size_t target_work_items = 32;
  size_t max_tasks_per_work_item = 16;
  // Test hook: return true to "crash" at this step (processing stops, nothing after it runs).
  std::function<bool(CommitStep)> crash_at;
  std::function<Timestamp()> clock;  // defaults to the system clock
  // Called after work items were sent (a worker wakes its own idle activity pollers with it).
  std::function<void()> on_work_items_sent;
};

struct OrchestrationStats {
  uint64_t messages = 0;
  uint64_t checkpoints = 0;
  uint64_t duplicates = 0;
  uint64_t conflicts = 0;     // lost races: another worker committed first
  uint64_t full_replays = 0;  // states rebuilt from storage rather than taken from the cache
  uint64_t poisoned = 0;
};

class OrchestrationProcessor {
 public:
  OrchestrationProcessor(std::shared_ptr<const TaskHub> hub, const Registry& registry,
                         OrchestrationProcessorOptions options = {});

  // Fetches up to 32 messages from one control queue and processes them; returns how many.
  storage::Result<size_t> PollOnce(int partition);
  // Processes messages someone else received from control queue `partition`: PollOnce's second
  // half, and what an Azure Functions queue trigger calls. Every message is settled (deleted,
  // released or deferred) unless an error is returned, in which case none was lost: each one
  // reappears after its visibility timeout.
  storage::Result<size_t> ProcessMessages(int partition,
                                          std::vector<queuestore::ReceivedMessage> received);
  OrchestrationStats stats() const;

 private:
  struct Incoming;
  storage::Status ProcessInstance(const std::string& instance_id, std::vector<Incoming>& batch,
                                  int partition);
  storage::Status ProcessAttempt(const std::string& instance_id, const std::vector<Incoming>& batch,
                                 int partition, std::set<std::string>& side_effects_done,
                                 bool& lost_race);
  // *from_cache says whether the state came from this worker's cache (and may be stale).
  storage::Result<std::unique_ptr<InstanceState>> LoadState(const std::string& instance_id,
                                                            bool* from_cache);
  // Runs the orchestrator's EndedHandler when `status` is an end; its error is this batch's.
  storage::Status TellOwnerIfEnded(const InstanceStatus& status) const;
  // A start message poisoned before its instance started: the owner hears a Poison failure.
  storage::Status TellOwnerStartPoisoned(const ControlMessage& message, Timestamp now) const;
  storage::Status Commit(InstanceState& state, std::vector<HistoryEvent> accepted, bool rewind,
                         bool& crashed);
  storage::Status SendActions(const InstanceState& state,
                              const std::vector<OrchestratorAction>& actions);
  storage::Status RecoverCheckpoint(const InstanceState& state, size_t begin, size_t end);
  storage::Status SendTimer(const std::string& instance_id, int task_id, Timestamp fire_at);
  // Moves a message to the poison queue through its partition's consumer (any bytes).
  storage::Status Poison(const queuestore::ReceivedMessage& message, int partition,
                         const std::string& reason);
  bool Crash(CommitStep step) const { return options_.crash_at && options_.crash_at(step); }
  Timestamp Now() const;

  std::shared_ptr<const TaskHub> hub_;
  const Registry& registry_;
  OrchestrationProcessorOptions options_;
  InstanceStateCache cache_;
  std::vector<queuestore::QueueConsumer> consumers_;  // one per control queue
  mutable std::mutex stats_mutex_;
  OrchestrationStats stats_;
};

}  // namespace fanfold::orchestrator
