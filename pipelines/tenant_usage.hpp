// What a tenant uses now, read from storage the same way by the trigger (which enforces) and by
// `fanfold upload --tenant` (which checks first, to refuse before sending a byte).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "pipelines/pipeline_context.hpp"
#include "pipelines/tenants.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

// The bytes of the tenant's blobs in the uploads container, except those in `except` (the blobs
// an upload would replace). One List Blobs per 5000 blobs under "<tenant>/"; for no tenant, the
// whole container is listed and only names without '/' count.
storage::Result<std::uint64_t> TenantStoredBytes(const PipelineContext& context,
                                                 const std::string& tenant,
                                                 const std::set<std::string>& except = {});

// Jobs of the tenant that hold a concurrency slot and have not finished (one read of the slot row
// and one per listed job): what the trigger compares with max_concurrent_jobs.
storage::Result<std::int64_t> TenantRunningJobs(const PipelineContext& context,
                                                const std::string& tenant);

}  // namespace fanfold::pipelines
