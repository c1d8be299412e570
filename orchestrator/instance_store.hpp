// Reads and writes the Instances table. Every write is conditional: creation is an Insert (an
// existing row wins), updates carry If-Match, and an update never replaces a projection built
// from a longer history than its own — so a stale worker cannot overwrite a newer or terminal
// status (Durable Functions' default store writes unconditionally and shows stale statuses).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orchestrator/instance_status.hpp"
#include "orchestrator/payload_store.hpp"
#include "storage/result.hpp"
#include "tablestore/query.hpp"
#include "tablestore/table_client.hpp"

namespace fanfold::orchestrator {

struct InstanceQuery {
  std::vector<RuntimeStatus> statuses;  // any of these; empty = all
  std::optional<Timestamp> created_from;
  std::optional<Timestamp> created_to;  // exclusive
  std::string instance_id_prefix;
  int page_size = 100;
  std::string continuation;  // from the previous page; empty for the first
};

struct InstancePage {
  std::vector<InstanceStatus> instances;
  std::string continuation;  // empty on the last page
};

class InstanceStore {
 public:
  InstanceStore(tablestore::TableClient table, const PayloadStore* payloads)
      : table_(std::move(table)), payloads_(payloads) {}

  // Inserts `status`; returns the stored row, which is the existing one if there was one.
  storage::Result<InstanceStatus> Create(const InstanceStatus& status) const;
  storage::Result<InstanceStatus> Get(const std::string& instance_id) const;
  // Writes `status` only over a projection built from a shorter history (or none), retrying
  // lost races. `known_etag` is the row's ETag as the caller last wrote it: tried first, it
  // saves a read when nobody else wrote since. Returns the row's ETag afterwards ("" if it was
  // left alone because a newer projection is stored).
  storage::Result<std::string> Advance(const InstanceStatus& status,
                                       const std::string& known_etag = "") const;
  storage::Result<InstancePage> Query(const InstanceQuery& query) const;
  storage::Status Delete(const std::string& instance_id) const;

 private:
  storage::Result<tablestore::Entity> ToEntity(const InstanceStatus& status) const;
  storage::Result<InstanceStatus> FromEntity(const tablestore::Entity& row) const;

  tablestore::TableClient table_;
  const PayloadStore* payloads_;
};

}  // namespace fanfold::orchestrator
