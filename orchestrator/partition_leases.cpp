#include "orchestrator/partition_leases.hpp"

#include <cstdio>

#include "storage/random_id.hpp"
#include "telemetry/log.hpp"

namespace fanfold::orchestrator {

using storage::Result;
using storage::Status;

namespace {

std::string LeaseBlobName(int partition) {
  char name[32];
  std::snprintf(name, sizeof name, "control-%02d", partition);
  return name;
}

}  // namespace

PartitionLeases::PartitionLeases(std::shared_ptr<const TaskHub> hub, std::string worker_id,
                                 PartitionLeaseOptions options)
    : hub_(std::move(hub)),
      me_(std::move(worker_id)),
      options_(options),
      container_(hub_->lease_container()),
      partitions_(hub_->names().partition_count) {}

storage::BlobClient PartitionLeases::BlobOf(int partition) const {
  return container_.GetBlobClient(LeaseBlobName(partition));
}

Status PartitionLeases::CreateLeaseBlobs() const {
  auto created = container_.CreateIfNotExists();
  if (!created.ok()) return created.status();
  for (int p = 0; p < partitions_; ++p) {
    storage::BlobUploadOptions once;
    once.conditions.if_none_match = "*";
    auto uploaded = BlobOf(p).Upload("", once);
    // 409: another worker made it first; 412: it exists (and may be leased).
    if (!uploaded.ok() && !uploaded.status().IsConflict() &&
        !uploaded.status().IsPreconditionFailed()) {
      return uploaded.status();
    }
  }
  return Status::Ok();
}

Result<std::vector<ListedLease>> PartitionLeases::List() {
  storage::ListBlobsOptions listing;
  listing.prefix = "control-";
  listing.include_metadata = true;
  auto page = container_.ListBlobs(listing);
  if (!page.ok() && page.status().IsNotFound()) {
    FANFOLD_RETURN_IF_ERROR(CreateLeaseBlobs());
    page = container_.ListBlobs(listing);
  }
  if (!page.ok()) return page.status();
  std::vector<ListedLease> leases(static_cast<size_t>(partitions_));
  int found = 0;
  for (const auto& blob : page->blobs) {
    int partition = -1;
    if (std::sscanf(blob.name.c_str(), "control-%d", &partition) != 1 || partition < 0 ||
        partition >= partitions_ || blob.name != LeaseBlobName(partition)) {
      continue;
    }
    ++found;
    ListedLease& lease = leases[static_cast<size_t>(partition)];
    lease.held = blob.lease_state == "leased" || blob.lease_state == "breaking";
    const auto owner = blob.metadata.find("owner");
    if (owner != blob.metadata.end()) lease.owner = owner->second;
  }
  // A missing lease blob would stay free for ever: make the missing ones (leases of a hub with
  // more partitions than before are new).
  if (found < partitions_) FANFOLD_RETURN_IF_ERROR(CreateLeaseBlobs());
  return leases;
}

bool PartitionLeases::Acquire(int partition, bool steal) {
  const storage::BlobClient blob = BlobOf(partition);
  if (steal) {
    const Status broken = blob.BreakLease(std::chrono::seconds(0));
    if (!broken.ok() && !broken.IsConflict()) return false;
  }
  auto lease = blob.AcquireLease(options_.lease_duration, storage::NewUuid());
  if (!lease.ok()) return false;  // 409: someone else was quicker
  // Who holds it, for the other workers' fair share; the lease works without it.
  (void)blob.SetMetadata({{"owner", me_}}, *lease);
  std::lock_guard<std::mutex> lock(mutex_);
  held_[partition] = *lease;
  return true;
}

void PartitionLeases::RunRound() {
  auto listed = List();
  if (!listed.ok()) {
    // Keep polling what we hold; the leases expire by themselves if this goes on.
    telemetry::LogWarn("partitions.list_failed", {{"error", listed.status().ToString()}});
    std::lock_guard<std::mutex> lock(mutex_);
    known_ = false;  // poll every partition until a listing says who owns what
    return;
  }
  OwnershipView view;
  view.me = me_;
  view.leases = *listed;
  std::map<int, std::string> held;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    held = held_;
  }
  for (const auto& [partition, id] : held)
    view.mine.insert(partition);
  const OwnershipPlan plan = PlanOwnership(view);

  std::vector<int> lost = plan.lost, released, acquired;
  for (const int p : plan.renew) {
    const Status renewed = BlobOf(p).RenewLease(held[p]);
    if (!renewed.ok() &&
        (renewed.IsConflict() || renewed.IsNotFound() || renewed.IsPreconditionFailed())) {
      lost.push_back(p);  // stolen or broken: stop polling it
    }
  }
  for (const int p : plan.release) {
    (void)BlobOf(p).ReleaseLease(held[p]);  // if it fails, the lease expires by itself
    released.push_back(p);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const int p : lost)
      held_.erase(p);
    for (const int p : released)
      held_.erase(p);
  }
  for (const int p : plan.acquire)
    if (Acquire(p, false)) acquired.push_back(p);
  if (plan.steal >= 0 && Acquire(plan.steal, true)) acquired.push_back(plan.steal);

  std::lock_guard<std::mutex> lock(mutex_);
  known_ = true;
  free_.clear();
  for (int p = 0; p < partitions_; ++p) {
    if (!view.leases[static_cast<size_t>(p)].held && held_.count(p) == 0) free_.insert(p);
  }
  for (const int p : released)
    free_.insert(p);
  if (!lost.empty() || !released.empty() || !acquired.empty()) {
    std::vector<int> owned;
    for (const auto& [partition, id] : held_)
      owned.push_back(partition);
    telemetry::LogInfo("partitions.changed", {{"acquired", acquired},
                                              {"released", released},
                                              {"lost", lost},
                                              {"owned", owned},
                                              {"stolen", plan.steal}});
  }
}

void PartitionLeases::ReleaseAll() {
  std::map<int, std::string> held;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    held.swap(held_);
    free_.clear();
  }
  for (const auto& [partition, id] : held)
    (void)BlobOf(partition).ReleaseLease(id);
  if (!held.empty()) telemetry::LogInfo("partitions.released_all", {{"count", held.size()}});
}

void PartitionLeases::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    // Idle: asleep until some lane finds work. Active: a round every round_interval.
    if (active_) {
      changed_.wait_for(lock, options_.round_interval, [this] { return stop_ || round_due_; });
    } else {
      changed_.wait(lock, [this] { return stop_ || round_due_; });
    }
    if (stop_) break;
    round_due_ = false;
    if (Clock::now() - last_work_ >= options_.idle_release) {
      active_ = false;
      known_ = false;
      lock.unlock();
      ReleaseAll();
      lock.lock();
      continue;
    }
    lock.unlock();
    RunRound();
    lock.lock();
  }
  lock.unlock();
  if (options_.release_on_stop) ReleaseAll();
}

void PartitionLeases::Stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stop_ = true;
  changed_.notify_all();
}

void PartitionLeases::NoteWork() {
  std::lock_guard<std::mutex> lock(mutex_);
  last_work_ = Clock::now();
  if (!active_) {
    active_ = true;
    round_due_ = true;
    changed_.notify_all();
  }
}

bool PartitionLeases::ShouldPoll(int partition) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!active_ || !known_) return true;
  return held_.count(partition) != 0 || free_.count(partition) != 0;
}

std::set<int> PartitionLeases::Owned() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::set<int> owned;
  for (const auto& [partition, id] : held_)
    owned.insert(partition);
  return owned;
}

bool PartitionLeases::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return active_;
}

}  // namespace fanfold::orchestrator
