#include "bench/pipeline_bench_storage.hpp"

#include <nlohmann/json.hpp>

namespace fanfold::bench {
namespace {

void ReadKinds(const nlohmann::json& json, const char* key,
               std::array<uint64_t, storage::kOperationKindCount>* out) {
  if (!json.contains(key) || !json[key].is_object()) return;
  for (int i = 0; i < storage::kOperationKindCount; ++i) {
    const char* name = storage::OperationKindName(static_cast<storage::OperationKind>(i));
    if (json[key].contains(name)) (*out)[static_cast<std::size_t>(i)] = json[key][name];
  }
}

}  // namespace

storage::CounterSnapshot SnapshotFromJson(const nlohmann::json& json) {
  storage::CounterSnapshot snapshot;
  if (!json.is_object()) return snapshot;
  ReadKinds(json, "operations", &snapshot.operations);
  ReadKinds(json, "attempts", &snapshot.attempts);
  ReadKinds(json, "retries", &snapshot.retries);
  snapshot.bytes_sent = json.value("bytes_sent", 0ULL);
  snapshot.bytes_received = json.value("bytes_received", 0ULL);
  snapshot.throttled = json.value("throttled", 0ULL);
  snapshot.transport_failures = json.value("transport_failures", 0ULL);
  return snapshot;
}

nlohmann::json StorageJson(const storage::CounterSnapshot& workers,
                           const storage::CounterSnapshot& driver) {
  return {{"workers", workers.ToJson()},
          {"driver", driver.ToJson()},
          {"total", (workers + driver).ToJson()}};
}

}  // namespace fanfold::bench
