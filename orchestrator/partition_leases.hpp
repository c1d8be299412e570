// Control-queue ownership through blob leases: one lease blob per control queue in the hub's
// lease container ("<hub>-leases/control-00"...). While a worker has work, a round every
// `round_interval` lists the leases (one request), renews those it holds and takes or gives back
// partitions by PlanOwnership (partition_ownership.hpp); it then polls only the partitions it
// owns and those nobody owns. So at most one worker polls each busy control queue, and an
// instance's episodes keep landing on the worker whose cache holds its replayed state (no
// history query, no lost race). After `idle_release` without work it gives every lease back and
// polls every partition again, paced like any idle lane: an idle worker pays nothing for leases.
//
// Correctness never depends on a lease: checkpoints stay guarded by the history's ETag, so two
// workers that both believe they own a partition (a lease lost between two rounds) cost a lost
// race, never a wrong history. A worker that dies keeps its partitions unpolled until its
// leases expire (`lease_duration`, 15-60 s; Durable Functions uses 30 s renewed every 10 s).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "orchestrator/partition_ownership.hpp"
#include "orchestrator/task_hub.hpp"
#include "storage/blob/blob_container_client.hpp"

namespace fanfold::orchestrator {

struct PartitionLeaseOptions {
  bool enabled = true;
  std::chrono::seconds lease_duration{30};
  std::chrono::seconds round_interval{10};  // a third of the lease: two renewals may fail
  std::chrono::seconds idle_release{60};    // no work for this long: give the leases back
  // Test hook: Stop() leaves the leases to expire, as a killed worker's would.
  bool release_on_stop = true;
};

class PartitionLeases {
 public:
  using Clock = std::chrono::steady_clock;

  PartitionLeases(std::shared_ptr<const TaskHub> hub, std::string worker_id,
                  PartitionLeaseOptions options);

  // The rounds, until Stop(); then gives back the leases it holds. Runs on its own thread.
  void Run();
  void Stop();
  // Some lane of this worker found work: it takes part in ownership (at once if it did not).
  void NoteWork();
  // Whether the orchestration lane should poll `partition` now.
  bool ShouldPoll(int partition) const;
  std::set<int> Owned() const;
  bool active() const;
  // One round now (tests drive rounds by hand with it).
  void RunRound();

 private:
  storage::Result<std::vector<ListedLease>> List();
  storage::Status CreateLeaseBlobs() const;
  bool Acquire(int partition, bool steal);
  void ReleaseAll();
  storage::BlobClient BlobOf(int partition) const;

  std::shared_ptr<const TaskHub> hub_;
  const std::string me_;
  const PartitionLeaseOptions options_;
  storage::BlobContainerClient container_;
  const int partitions_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<int, std::string> held_;  // partition -> lease id
  std::set<int> free_;               // nobody held them at the last round
  bool active_ = false;
  bool known_ = false;  // the last round's listing succeeded: held_ and free_ are current
  bool round_due_ = false;
  bool stop_ = false;
  Clock::time_point last_work_{};
};

}  // namespace fanfold::orchestrator
