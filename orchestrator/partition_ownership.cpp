#include "orchestrator/partition_ownership.hpp"

#include <algorithm>
#include <map>

namespace fanfold::orchestrator {

OwnershipPlan PlanOwnership(const OwnershipView& view) {
  const int partitions = static_cast<int>(view.leases.size());
  // Partitions each other worker holds. One we believe ours that the listing names another
  // holder of was taken from us: lost (its renewal would fail anyway).
  OwnershipPlan plan;
  std::map<std::string, std::vector<int>> others;
  std::vector<int> mine;
  for (int p = 0; p < partitions; ++p) {
    const ListedLease& lease = view.leases[static_cast<size_t>(p)];
    const bool ours = view.mine.count(p) != 0;
    const bool taken = lease.held && !lease.owner.empty() && lease.owner != view.me;
    if (ours && !taken) {
      mine.push_back(p);
    } else {
      if (ours) plan.lost.push_back(p);
      if (lease.held) others[lease.owner].push_back(p);
    }
  }
  const int workers = static_cast<int>(others.size()) + 1;
  const int high = (partitions + workers - 1) / workers;
  const int low = partitions / workers;

  const int held = static_cast<int>(mine.size());
  if (held > high) {
    // Which ones go back is arbitrary; the highest-numbered, so a test can tell.
    plan.renew.assign(mine.begin(), mine.begin() + high);
    plan.release.assign(mine.begin() + high, mine.end());
    return plan;
  }
  plan.renew = mine;
  for (int p = 0; p < partitions && held + static_cast<int>(plan.acquire.size()) < high; ++p) {
    const ListedLease& lease = view.leases[static_cast<size_t>(p)];
    if (!lease.held && view.mine.count(p) == 0) plan.acquire.push_back(p);
  }
  const int after = held + static_cast<int>(plan.acquire.size());
  if (after >= low || others.empty()) return plan;
  const auto richest = std::max_element(
      others.begin(), others.end(),
      [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
  if (static_cast<int>(richest->second.size()) >= after + 2) plan.steal = richest->second.back();
  return plan;
}

}  // namespace fanfold::orchestrator
