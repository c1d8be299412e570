// Storage counters as the results carry them: workers' --stats-file JSON read back into
// snapshots, summed, and the STORAGE object of bench/pipeline-results.md.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "storage/counters.hpp"

namespace fanfold::bench {

// The inverse of CounterSnapshot::ToJson(); unknown kind names are ignored.
storage::CounterSnapshot SnapshotFromJson(const nlohmann::json& json);

// {"workers": ..., "driver": ..., "total": ...}
nlohmann::json StorageJson(const storage::CounterSnapshot& workers,
                           const storage::CounterSnapshot& driver);

}  // namespace fanfold::bench
