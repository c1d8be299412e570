#include "pipelines/tenant_slots.hpp"

#include <algorithm>

namespace fanfold::pipelines {
namespace {

using storage::Result;
using storage::Status;

// Each lost round means another trigger took or freed a slot, i.e. made progress.
constexpr int kMaxRounds = 100;

std::string Join(const std::vector<std::string>& jobs) {
  std::string text;
  for (const auto& job : jobs) {
    if (!text.empty()) text.push_back(',');
    text += job;
  }
  return text;
}

// Job ids are slugs and hex ([a-z0-9-]): a comma never appears in one.
std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> jobs;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (comma != 0) jobs.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return jobs;
}

}  // namespace

std::string TenantSlotsPartitionKey(const std::string& tenant) {
  return "tenant-" + tenant;
}

Result<TenantSlots::SlotRow> TenantSlots::Read(const std::string& tenant) const {
  auto entity = jobs_.table().GetEntity(TenantSlotsPartitionKey(tenant), kTenantSlotsRowKey);
  if (!entity.ok()) {
    if (entity.status().IsNotFound()) return SlotRow{};
    return entity.status();
  }
  SlotRow row;
  row.etag = entity->etag();
  if (const auto* value = entity->Find("Jobs")) {
    auto text = value->As<std::string>();
    if (text.ok()) row.jobs = Split(*text);
  }
  return row;
}

Result<std::vector<std::string>> TenantSlots::StillRunning(
    const std::vector<std::string>& jobs) const {
  // Point reads, not one query: an OR of PartitionKeys is a table scan in Azure Tables, and
  // there are at most max_concurrent_jobs of them.
  std::vector<std::string> running;
  for (const auto& job : jobs) {
    auto row = jobs_.GetJob(job);
    if (!row.ok()) {
      if (row.status().IsNotFound()) continue;  // deleted: it holds nothing
      return row.status();
    }
    if (!IsFinished(row->state)) running.push_back(job);
  }
  return running;
}

Result<SlotDecision> TenantSlots::Acquire(const std::string& tenant, const std::string& job,
                                          std::int64_t limit) const {
  for (int round = 0; round < kMaxRounds; ++round) {
    auto row = Read(tenant);
    if (!row.ok()) return row.status();
    std::vector<std::string> holders = std::move(row->jobs);
    if (std::find(holders.begin(), holders.end(), job) != holders.end()) {
      return SlotDecision{true, static_cast<std::int64_t>(holders.size()), limit};
    }
    if (static_cast<std::int64_t>(holders.size()) >= limit) {
      auto running = StillRunning(holders);
      if (!running.ok()) return running.status();
      holders = std::move(*running);
      if (static_cast<std::int64_t>(holders.size()) >= limit) {
        // Not written back: the next acquire re-checks the same rows anyway, and a write here
        // would only add contention with the triggers that do take slots.
        return SlotDecision{false, static_cast<std::int64_t>(holders.size()), limit};
      }
    }
    holders.push_back(job);
    tablestore::Entity entity(TenantSlotsPartitionKey(tenant), std::string(kTenantSlotsRowKey));
    entity.Set("Jobs", Join(holders));
    auto written = row->etag.empty() ? jobs_.table().InsertEntity(entity)
                                     : jobs_.table().ReplaceEntity(entity, row->etag);
    if (written.ok()) {
      return SlotDecision{true, static_cast<std::int64_t>(holders.size()), limit};
    }
    // Another trigger changed (or created, or deleted) the row since we read it: decide again.
    const Status& lost = written.status();
    if (!lost.IsPreconditionFailed() && !lost.IsConflict() && !lost.IsNotFound()) {
      return written.status();
    }
  }
  return Status::Aborted("tenant " + tenant + ": gave up after " + std::to_string(kMaxRounds) +
                         " conflicting updates of its slot row");
}

Result<std::vector<std::string>> TenantSlots::Holders(const std::string& tenant) const {
  auto row = Read(tenant);
  if (!row.ok()) return row.status();
  return row->jobs;
}

}  // namespace fanfold::pipelines
