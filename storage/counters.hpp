// Counters of every storage call, by service and kind, plus attempts, retries and bytes.
// An "operation" is one logical call made by a client (counted once however many times it is
// retried); an "attempt" is one HTTP request on the wire (what Azure bills). Benchmarks and the
// cost model read snapshots; tests assert on them, since for a given workload they are exact.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace fanfold::storage {

enum class OperationKind : int {
  kBlobRead = 0,    // Get Blob (whole or range)
  kBlobWrite,       // Put Blob, Put Block, Put Block List
  kBlobList,        // List Blobs, List Containers
  kBlobProperties,  // Get Blob Properties
  kBlobDelete,      // Delete Blob
  kBlobContainer,   // Create/Delete Container
  kBlobLease,       // Lease Blob (acquire, renew, release, break) and Set Blob Metadata
  kTableRead,       // point Get Entity
  kTableWrite,      // Insert/Update/Merge/Upsert/Delete Entity
  kTableBatch,      // entity group transaction
  kTableQuery,      // Query Entities (one page)
  kTableAdmin,      // Create/Delete/Query Tables
  kQueuePut,        // Put Message
  kQueueGet,        // Get Messages
  kQueuePeek,       // Peek Messages
  kQueueDelete,     // Delete Message
  kQueueUpdate,     // Update Message
  kQueueAdmin,      // Create/Delete/Clear Queue, Get Metadata
  kOther,
  kCount,  // not a kind: the number of kinds
};
constexpr int kOperationKindCount = static_cast<int>(OperationKind::kCount);

enum class ServiceKind { kBlob, kTable, kQueue, kOther };
ServiceKind ServiceOf(OperationKind kind);
// "blob_read", "table_batch", ...: stable names used in JSON, CSV and the cost model.
const char* OperationKindName(OperationKind kind);

struct CounterSnapshot {
  std::array<uint64_t, kOperationKindCount> operations{};
  std::array<uint64_t, kOperationKindCount> attempts{};
  std::array<uint64_t, kOperationKindCount> retries{};
  uint64_t bytes_sent = 0;      // request bodies
  uint64_t bytes_received = 0;  // response bodies
  uint64_t throttled = 0;       // attempts answered 429 or 503
  uint64_t transport_failures = 0;

  uint64_t operations_of(OperationKind k) const { return operations[static_cast<int>(k)]; }
  uint64_t attempts_of(OperationKind k) const { return attempts[static_cast<int>(k)]; }
  uint64_t retries_of(OperationKind k) const { return retries[static_cast<int>(k)]; }
  uint64_t total_operations() const;
  uint64_t total_attempts() const;
  uint64_t total_retries() const;

  // Element-wise difference, for measuring one piece of work: after - before.
  CounterSnapshot operator-(const CounterSnapshot& before) const;
  // Element-wise sum, for adding up several processes' or rounds' counts.
  CounterSnapshot operator+(const CounterSnapshot& more) const;
  CounterSnapshot& operator+=(const CounterSnapshot& more);
  nlohmann::json ToJson() const;
};

class StorageCounters {
 public:
  void RecordOperation(OperationKind kind);
  void RecordAttempt(OperationKind kind, uint64_t bytes_sent, uint64_t bytes_received,
                     int http_status);
  void RecordRetry(OperationKind kind);
  CounterSnapshot Snapshot() const;
  void Reset();

  // The process-wide counters every pipeline records into unless given its own.
  static StorageCounters& Global();

 private:
  std::array<std::atomic<uint64_t>, kOperationKindCount> operations_{};
  std::array<std::atomic<uint64_t>, kOperationKindCount> attempts_{};
  std::array<std::atomic<uint64_t>, kOperationKindCount> retries_{};
  std::atomic<uint64_t> bytes_sent_{0};
  std::atomic<uint64_t> bytes_received_{0};
  std::atomic<uint64_t> throttled_{0};
  std::atomic<uint64_t> transport_failures_{0};
};

}  // namespace fanfold::storage
