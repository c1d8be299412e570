#include "orchestrator/instance_store.hpp"

#include <nlohmann/json.hpp>

#include "storage/crypto.hpp"
#include "storage/utf8_text.hpp"
#include "tablestore/odata_filter.hpp"

namespace fanfold::orchestrator {
namespace {

using storage::Result;
using storage::Status;

constexpr const char* kRowKey = "instance";
constexpr int kMaxAdvanceAttempts = 20;
// Under the 32K UTF-16 units of a string property, counted in bytes (never fewer than units).
constexpr std::size_t kMaxFailureBytes = 30000;

tablestore::EdmDateTime ToEdm(Timestamp time) {
  return std::chrono::time_point_cast<tablestore::EdmTicks>(time);
}
Timestamp FromEdm(tablestore::EdmDateTime time) {
  return std::chrono::time_point_cast<std::chrono::microseconds>(time);
}

std::string StringOr(const tablestore::Entity& row, const char* name) {
  auto value = row.GetString(name);
  return value.ok() ? *value : std::string();
}

Timestamp TimeOr(const tablestore::Entity& row, const char* name) {
  auto value = row.GetDateTime(name);
  return value.ok() ? FromEdm(*value) : Timestamp{};
}

// The smallest string greater than every string with this prefix (for a prefix range query).
std::string PrefixUpperBound(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = prefix.back();
    if (static_cast<unsigned char>(last) < 0x7F) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

}  // namespace

Result<tablestore::Entity> InstanceStore::ToEntity(const InstanceStatus& status) const {
  tablestore::Entity row(status.instance_id, kRowKey);
  row.Set("Name", status.name);
  row.Set("RuntimeStatus", RuntimeStatusName(status.status));
  for (const auto& [name, text] :
       {std::pair<const char*, const std::string*>{"Input", &status.input},
        {"Output", &status.output},
        {"CustomStatus", &status.custom_status}}) {
    auto stored = payloads_ != nullptr ? payloads_->Offload(status.instance_id, *text)
                                       : Result<std::string>(*text);
    if (!stored.ok()) return stored.status();
    row.Set(name, std::move(*stored));
  }
  row.Set("CreatedTime", ToEdm(status.created));
  row.Set("LastUpdatedTime", ToEdm(status.last_updated));
  if (status.completed != Timestamp{}) row.Set("CompletedTime", ToEdm(status.completed));
  if (status.failure) {
    row.Set("FailureType", status.failure->error_type);
    // A failure's text may quote anything (an exception's bytes): the table refuses invalid UTF-8.
    row.Set("FailureMessage", storage::TruncateUtf8(status.failure->message, kMaxFailureBytes));
    row.Set("FailureDetails", storage::TruncateUtf8(status.failure->details, kMaxFailureBytes));
  }
  row.Set("HistoryLength", status.history_length);
  return row;
}

Result<InstanceStatus> InstanceStore::FromEntity(const tablestore::Entity& row) const {
  InstanceStatus status;
  status.instance_id = row.partition_key();
  status.etag = row.etag();
  status.name = StringOr(row, "Name");
  const auto runtime = RuntimeStatusFromName(StringOr(row, "RuntimeStatus"));
  if (!runtime) return Status::Corruption("instance " + status.instance_id + " has no status");
  status.status = *runtime;
  for (const auto& [name, text] : {std::pair<const char*, std::string*>{"Input", &status.input},
                                   {"Output", &status.output},
                                   {"CustomStatus", &status.custom_status}}) {
    std::string stored = StringOr(row, name);
    if (payloads_ != nullptr) {
      auto resolved = payloads_->Resolve(stored);
      if (!resolved.ok()) return resolved.status();
      stored = std::move(*resolved);
    }
    *text = std::move(stored);
  }
  status.created = TimeOr(row, "CreatedTime");
  status.last_updated = TimeOr(row, "LastUpdatedTime");
  status.completed = TimeOr(row, "CompletedTime");
  if (row.Has("FailureType")) {
    status.failure = FailureDetails{StringOr(row, "FailureType"), StringOr(row, "FailureMessage"),
                                    StringOr(row, "FailureDetails")};
  }
  auto length = row.GetInt64("HistoryLength");
  status.history_length = length.ok() ? *length : 0;
  return status;
}

Result<InstanceStatus> InstanceStore::Create(const InstanceStatus& status) const {
  auto row = ToEntity(status);
  if (!row.ok()) return row.status();
  auto inserted = table_.InsertEntity(*row);
  if (inserted.ok()) {
    InstanceStatus created = status;
    created.etag = inserted->etag;
    return created;
  }
  if (inserted.status().IsConflict()) return Get(status.instance_id);
  return inserted.status();
}

Result<InstanceStatus> InstanceStore::Get(const std::string& instance_id) const {
  auto row = table_.GetEntity(instance_id, kRowKey);
  if (!row.ok()) return row.status();
  return FromEntity(*row);
}

Result<std::string> InstanceStore::Advance(const InstanceStatus& status,
                                           const std::string& known_etag) const {
  auto row = ToEntity(status);
  if (!row.ok()) return row.status();
  if (!known_etag.empty()) {
    // Nobody else writes an instance's row while its worker holds it, so this usually works;
    // the creation time it carries is the one this worker read before.
    auto replaced = table_.ReplaceEntity(*row, known_etag);
    if (replaced.ok()) return replaced->etag;
    if (!replaced.status().IsPreconditionFailed()) return replaced.status();
  }
  for (int attempt = 0; attempt < kMaxAdvanceAttempts; ++attempt) {
    auto current = Get(status.instance_id);
    if (!current.ok() && !current.status().IsNotFound()) return current.status();
    if (!current.ok()) {
      auto inserted = table_.InsertEntity(*row);
      if (inserted.ok()) return inserted->etag;
      if (!inserted.status().IsConflict()) return inserted.status();
      continue;  // someone created it meanwhile: compare with theirs
    }
    // Equal length: already written (a redelivered message doing its step again).
    if (current->history_length >= status.history_length) return current->etag;
    InstanceStatus merged = status;
    merged.created = current->created;  // creation time is the client's, not the worker's
    auto merged_row = ToEntity(merged);
    if (!merged_row.ok()) return merged_row.status();
    auto replaced = table_.ReplaceEntity(*merged_row, current->etag);
    if (replaced.ok()) return replaced->etag;
    if (!replaced.status().IsPreconditionFailed()) return replaced.status();
  }
  return Status::Http(412, "ConditionNotMet",
                      "instance " + status.instance_id + " kept changing; status not updated", "");
}

Result<InstancePage> InstanceStore::Query(const InstanceQuery& query) const {
  tablestore::Filter filter;
  const auto add = [&filter](const tablestore::Filter& clause) {
    filter = filter.empty() ? clause : tablestore::And(filter, clause);
  };
  if (!query.statuses.empty()) {
    tablestore::Filter any;
    for (const auto status : query.statuses) {
      const auto clause = tablestore::Eq("RuntimeStatus", RuntimeStatusName(status));
      any = any.empty() ? clause : tablestore::Or(any, clause);
    }
    add(any);
  }
  if (query.created_from) add(tablestore::Ge("CreatedTime", ToEdm(*query.created_from)));
  if (query.created_to) add(tablestore::Lt("CreatedTime", ToEdm(*query.created_to)));
  if (!query.instance_id_prefix.empty()) {
    add(tablestore::Ge("PartitionKey", query.instance_id_prefix));
    const std::string upper = PrefixUpperBound(query.instance_id_prefix);
    if (!upper.empty()) add(tablestore::Lt("PartitionKey", upper));
  }
  tablestore::QueryOptions options;
  options.filter = filter;
  options.page_size = std::clamp(query.page_size, 1, 1000);
  if (!query.continuation.empty()) {
    const auto decoded = storage::Base64Decode(query.continuation);
    const auto json = nlohmann::json::parse(decoded.value_or(""), nullptr, false);
    if (!json.is_object() || !json.contains("pk") || !json.contains("rk")) {
      return Status::InvalidArgument("the continuation token is not one this store issued");
    }
    options.start.next_partition_key = json["pk"].get<std::string>();
    options.start.next_row_key = json["rk"].get<std::string>();
  }
  auto pager = table_.QueryEntities(options);
  auto rows = pager.NextPage();
  if (!rows.ok()) return rows.status();
  InstancePage page;
  for (const auto& row : *rows) {
    auto status = FromEntity(row);
    if (!status.ok()) return status.status();
    page.instances.push_back(std::move(*status));
  }
  if (!pager.done() && !pager.continuation().empty()) {
    page.continuation = storage::Base64Encode(nlohmann::json{
        {"pk", pager.continuation().next_partition_key},
        {"rk", pager.continuation().next_row_key}}.dump());
  }
  return page;
}

Status InstanceStore::Delete(const std::string& instance_id) const {
  const Status status = table_.DeleteEntity(instance_id, kRowKey, "*");
  return status.IsNotFound() ? Status::Ok() : status;
}

}  // namespace fanfold::orchestrator
