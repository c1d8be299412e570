// Which control queues a worker should own: the rule, as a pure function of one listing of the
// partition leases (orchestrator/partition_leases.hpp runs it against storage).
//
// Every worker that has work to do takes, each round, a fair share of the partitions: with W
// workers owning leases (itself included), between floor(P/W) and ceil(P/W) of the P partitions.
// - It renews what it holds and releases what it holds beyond ceil(P/W), so a newcomer finds
//   them free on its next round.
// - It acquires free partitions (never leased, released, expired, broken) up to ceil(P/W).
// - A worker still below floor(P/W) when nothing is free steals one partition from the worker
//   that holds the most, if that one holds at least two more than itself: a newcomer would
//   otherwise never be counted (only lease holders are visible in the listing).
// A round changes the shares by at most one steal per worker, so they converge in a few rounds
// without two workers taking turns at one partition.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace fanfold::orchestrator {

// One partition's lease as the listing showed it.
struct ListedLease {
  bool held = false;  // leased (or breaking): someone owns it now
  std::string owner;  // the holder's worker id (blob metadata), "" when unknown
};

struct OwnershipView {
  std::string me;                   // this worker's id
  std::vector<ListedLease> leases;  // one per partition, in partition order
  std::set<int> mine;               // the partitions whose leases this worker holds
};

struct OwnershipPlan {
  std::vector<int> renew;    // held and kept
  std::vector<int> release;  // held beyond the fair share
  std::vector<int> lost;     // believed held, but the listing names another holder
  std::vector<int> acquire;  // free, up to the fair share
  int steal = -1;            // a partition to break and acquire, or -1
};

OwnershipPlan PlanOwnership(const OwnershipView& view);

}  // namespace fanfold::orchestrator
