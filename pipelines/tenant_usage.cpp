#include "pipelines/tenant_usage.hpp"

#include "pipelines/tenant_slots.hpp"

namespace fanfold::pipelines {

storage::Result<std::uint64_t> TenantStoredBytes(const PipelineContext& context,
                                                 const std::string& tenant,
                                                 const std::set<std::string>& except) {
  storage::ListBlobsOptions options;
  if (!tenant.empty()) options.prefix = tenant + "/";
  auto blobs =
      context.blobs.GetContainerClient(context.names.uploads_container).ListAllBlobs(options);
  if (!blobs.ok()) {
    // No uploads container yet (a first upload): nothing stored.
    if (blobs.status().IsNotFound()) return std::uint64_t{0};
    return blobs.status();
  }
  std::uint64_t total = 0;
  for (const auto& blob : *blobs) {
    if (except.count(blob.name) != 0) continue;
    if (tenant.empty() && blob.name.find('/') != std::string::npos) continue;
    total += blob.size;
  }
  return total;
}

storage::Result<std::int64_t> TenantRunningJobs(const PipelineContext& context,
                                                const std::string& tenant) {
  auto holders = TenantSlots(context.jobs).Holders(tenant);
  if (!holders.ok()) return holders.status();
  std::int64_t running = 0;
  for (const auto& job : *holders) {
    auto row = context.jobs.GetJob(job);
    if (!row.ok()) {
      if (row.status().IsNotFound()) continue;
      return row.status();
    }
    if (!IsFinished(row->state)) ++running;
  }
  return running;
}

}  // namespace fanfold::pipelines
