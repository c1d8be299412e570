#include "storage/counters.hpp"

#include <nlohmann/json.hpp>

namespace fanfold::storage {

ServiceKind ServiceOf(OperationKind kind) {
  switch (kind) {
    case OperationKind::kBlobRead:
    case OperationKind::kBlobWrite:
    case OperationKind::kBlobList:
    case OperationKind::kBlobProperties:
    case OperationKind::kBlobDelete:
    case OperationKind::kBlobContainer:
    case OperationKind::kBlobLease:
      return ServiceKind::kBlob;
    case OperationKind::kTableRead:
    case OperationKind::kTableWrite:
    case OperationKind::kTableBatch:
    case OperationKind::kTableQuery:
    case OperationKind::kTableAdmin:
      return ServiceKind::kTable;
    case OperationKind::kQueuePut:
    case OperationKind::kQueueGet:
    case OperationKind::kQueuePeek:
    case OperationKind::kQueueDelete:
    case OperationKind::kQueueUpdate:
    case OperationKind::kQueueAdmin:
      return ServiceKind::kQueue;
    default:
      return ServiceKind::kOther;
  }
}

const char* OperationKindName(OperationKind kind) {
  static constexpr const char* kNames[kOperationKindCount] = {
      "blob_read",    "blob_write",     "blob_list",   "blob_properties",
      "blob_delete",  "blob_container", "blob_lease",  "table_read",
      "table_write",  "table_batch",    "table_query", "table_admin",
      "queue_put",    "queue_get",      "queue_peek",  "queue_delete",
      "queue_update", "queue_admin",    "other"};
  const int index = static_cast<int>(kind);
  return index >= 0 && index < kOperationKindCount ? kNames[index] : "other";
}

namespace {
uint64_t Sum(const std::array<uint64_t, kOperationKindCount>& values) {
  uint64_t total = 0;
  for (const auto v : values)
    total += v;
  return total;
}
}  // namespace

uint64_t CounterSnapshot::total_operations() const {
  return Sum(operations);
}
uint64_t CounterSnapshot::total_attempts() const {
  return Sum(attempts);
}
uint64_t CounterSnapshot::total_retries() const {
  return Sum(retries);
}

CounterSnapshot CounterSnapshot::operator-(const CounterSnapshot& before) const {
  CounterSnapshot out;
  for (int i = 0; i < kOperationKindCount; ++i) {
    out.operations[i] = operations[i] - before.operations[i];
    out.attempts[i] = attempts[i] - before.attempts[i];
    out.retries[i] = retries[i] - before.retries[i];
  }
  out.bytes_sent = bytes_sent - before.bytes_sent;
  out.bytes_received = bytes_received - before.bytes_received;
  out.throttled = throttled - before.throttled;
  out.transport_failures = transport_failures - before.transport_failures;
  return out;
}

CounterSnapshot& CounterSnapshot::operator+=(const CounterSnapshot& more) {
  for (int i = 0; i < kOperationKindCount; ++i) {
    operations[i] += more.operations[i];
    attempts[i] += more.attempts[i];
    retries[i] += more.retries[i];
  }
  bytes_sent += more.bytes_sent;
  bytes_received += more.bytes_received;
  throttled += more.throttled;
  transport_failures += more.transport_failures;
  return *this;
}

CounterSnapshot CounterSnapshot::operator+(const CounterSnapshot& more) const {
  CounterSnapshot out = *this;
  out += more;
  return out;
}

nlohmann::json CounterSnapshot::ToJson() const {
  nlohmann::json ops = nlohmann::json::object();
  nlohmann::json attempts_json = nlohmann::json::object();
  nlohmann::json retries_json = nlohmann::json::object();
  for (int i = 0; i < kOperationKindCount; ++i) {
    const char* name = OperationKindName(static_cast<OperationKind>(i));
    if (operations[i] != 0) ops[name] = operations[i];
    if (attempts[i] != 0) attempts_json[name] = attempts[i];
    if (retries[i] != 0) retries_json[name] = retries[i];
  }
  return {{"operations", ops},
          {"attempts", attempts_json},
          {"retries", retries_json},
          {"total_operations", total_operations()},
          {"total_attempts", total_attempts()},
          {"bytes_sent", bytes_sent},
          {"bytes_received", bytes_received},
          {"throttled", throttled},
          {"transport_failures", transport_failures}};
}

void StorageCounters::RecordOperation(OperationKind kind) {
  operations_[static_cast<int>(kind)].fetch_add(1, std::memory_order_relaxed);
}

void StorageCounters::RecordAttempt(OperationKind kind, uint64_t bytes_sent,
                                    uint64_t bytes_received, int http_status) {
  attempts_[static_cast<int>(kind)].fetch_add(1, std::memory_order_relaxed);
  bytes_sent_.fetch_add(bytes_sent, std::memory_order_relaxed);
  bytes_received_.fetch_add(bytes_received, std::memory_order_relaxed);
  if (http_status == 429 || http_status == 503) throttled_.fetch_add(1, std::memory_order_relaxed);
  if (http_status == 0) transport_failures_.fetch_add(1, std::memory_order_relaxed);
}

void StorageCounters::RecordRetry(OperationKind kind) {
  retries_[static_cast<int>(kind)].fetch_add(1, std::memory_order_relaxed);
}

CounterSnapshot StorageCounters::Snapshot() const {
  CounterSnapshot out;
  for (int i = 0; i < kOperationKindCount; ++i) {
    out.operations[i] = operations_[i].load(std::memory_order_relaxed);
    out.attempts[i] = attempts_[i].load(std::memory_order_relaxed);
    out.retries[i] = retries_[i].load(std::memory_order_relaxed);
  }
  out.bytes_sent = bytes_sent_.load(std::memory_order_relaxed);
  out.bytes_received = bytes_received_.load(std::memory_order_relaxed);
  out.throttled = throttled_.load(std::memory_order_relaxed);
  out.transport_failures = transport_failures_.load(std::memory_order_relaxed);
  return out;
}

void StorageCounters::Reset() {
  for (int i = 0; i < kOperationKindCount; ++i) {
    operations_[i].store(0);
    attempts_[i].store(0);
    retries_[i].store(0);
  }
  bytes_sent_.store(0);
  bytes_received_.store(0);
  throttled_.store(0);
  transport_failures_.store(0);
}

StorageCounters& StorageCounters::Global() {
  static StorageCounters counters;
  return counters;
}

}  // namespace fanfold::storage
