// Runs independent storage calls concurrently (sending a fan-out's work items, deleting a
// batch's messages): on Azure and on Azurite alike, latency, not bandwidth, bounds a sequence
// of small requests, so a few in flight at once cut the wall time of a large fan-out.
#pragma once

#include <cstddef>
#include <functional>

#include "storage/status.hpp"

namespace fanfold::orchestrator {

// Calls fn(0..count-1) on up to max_parallel threads; returns the first failure (all calls
// are made either way, since they are independent).
storage::Status ForEachParallel(size_t count, size_t max_parallel,
                                const std::function<storage::Status(size_t)>& fn);

}  // namespace fanfold::orchestrator
