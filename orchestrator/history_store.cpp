#include "orchestrator/history_store.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <variant>

#include "tablestore/odata_filter.hpp"
#include "tablestore/transaction.hpp"
#include "tablestore/validation.hpp"

namespace fanfold::orchestrator {
namespace {

using storage::Result;
using storage::Status;

constexpr const char* kSentinelRowKey = "~sentinel";  // sorts after every numbered row
constexpr const char* kEventsBlobProperty = "EventsBlob";

// Service-side limits of an inline row, measured as the service does (UTF-16). The events' JSON
// is written ASCII-only (ensure_ascii), so characters and UTF-16 code units agree.
// Characters per Events property: a String value is under 64 KiB of UTF-16.
constexpr size_t kCharsPerProperty = 30000;
static_assert(2 * kCharsPerProperty + 4 <= tablestore::kMaxPropertyValueBytes);
// Properties per row: 12 full ones are 720,000 bytes of UTF-16, under the 1 MiB entity limit
// with room for the keys and the small properties.
constexpr size_t kPropertiesPerRow = 12;
static_assert(kPropertiesPerRow * (2 * kCharsPerProperty + 4 + 8 + 2 * 8) + 4096 <=
              tablestore::kMaxEntityBytes);
// The wire-side limits (100 actions, 4 MiB of encoded $batch body, where JSON escaping doubles
// every quote of the events' JSON) are checked on the transaction itself: see FitsOneTransaction.

std::string RowKeyFor(size_t sequence) {
  char key[16];
  std::snprintf(key, sizeof key, "%010zu", sequence);
  return key;
}

std::string DumpEvents(const nlohmann::json& events) {
  return events.dump(-1, ' ', /*ensure_ascii=*/true);
}

// Splits one checkpoint's events into rows whose Events properties each hold a JSON array.
Result<std::vector<tablestore::Entity>> PackRows(const std::string& instance_id, size_t first,
                                                 const std::vector<nlohmann::json>& events) {
  std::vector<tablestore::Entity> rows;
  const size_t row_capacity = kCharsPerProperty * kPropertiesPerRow;
  size_t index = 0;
  while (index < events.size()) {
    const size_t row_first = first + index;
    nlohmann::json batch = nlohmann::json::array();
    size_t chars = 2;
    while (index < events.size()) {
      const size_t size = DumpEvents(events[index]).size() + 1;
      if (!batch.empty() && chars + size > row_capacity) break;
      batch.push_back(events[index]);
      chars += size;
      ++index;
    }
    const std::string text = DumpEvents(batch);
    if (text.size() > row_capacity) {  // then the checkpoint goes to a blob
      return Status::InvalidArgument("a single history event is larger than a history row");
    }
    tablestore::Entity row(instance_id, RowKeyFor(row_first));
    row.Set("Checkpoint", static_cast<int64_t>(first));
    row.Set("Count", static_cast<int32_t>(batch.size()));
    int part = 0;
    for (size_t offset = 0; offset < text.size(); offset += kCharsPerProperty) {
      row.Set("Events" + std::to_string(part++), text.substr(offset, kCharsPerProperty));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The checkpoint's rows and the sentinel's new value, as one transaction.
tablestore::Transaction CheckpointTransaction(std::vector<tablestore::Entity> rows,
                                              const std::string& instance_id,
                                              const std::string& expected_etag, size_t length) {
  tablestore::Transaction transaction;
  for (auto& row : rows)
    transaction.Insert(std::move(row));
  tablestore::Entity sentinel(instance_id, kSentinelRowKey);
  sentinel.Set("Length", static_cast<int64_t>(length));
  if (expected_etag.empty()) {
    transaction.Insert(std::move(sentinel));
  } else {
    transaction.Replace(std::move(sentinel), expected_etag);
  }
  return transaction;
}

// Azure's entity group transaction limits, on the body as it would be sent.
bool FitsOneTransaction(const tablestore::TableClient& table,
                        const tablestore::Transaction& transaction) {
  if (transaction.size() > tablestore::kMaxTransactionActions) return false;
  // Escaping only adds bytes: when the text alone is over the limit, skip encoding the body.
  size_t text_bytes = 0;
  for (const auto& action : transaction.actions()) {
    for (const auto& [name, value] : action.entity.properties()) {
      if (const auto* text = std::get_if<std::string>(&value.variant())) text_bytes += text->size();
    }
  }
  return text_bytes <= tablestore::kMaxTransactionBodyBytes &&
         table.EncodedTransactionBytes(transaction) <= tablestore::kMaxTransactionBodyBytes;
}

Result<std::vector<nlohmann::json>> ParseEvents(const std::string& text,
                                                const tablestore::Entity& row) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) {
    return Status::Corruption("history row " + row.row_key() + " of " + row.partition_key() +
                              " does not hold a JSON array of events");
  }
  // Count is written with every row; a blob that lost or gained events is corruption.
  const auto count = row.GetInt32("Count");
  if (count.ok() && static_cast<size_t>(*count) != json.size()) {
    return Status::Corruption("history row " + row.row_key() + " of " + row.partition_key() +
                              " holds " + std::to_string(json.size()) + " events, its Count " +
                              std::to_string(*count));
  }
  return std::vector<nlohmann::json>(json.begin(), json.end());
}

Result<std::vector<nlohmann::json>> UnpackRow(const tablestore::Entity& row,
                                              const PayloadStore* payloads) {
  if (row.Has(kEventsBlobProperty)) {
    auto reference = row.GetString(kEventsBlobProperty);
    if (!reference.ok() || payloads == nullptr || !PayloadStore::IsReference(*reference)) {
      return Status::Corruption("history row " + row.row_key() + " of " + row.partition_key() +
                                " names its events' blob but it cannot be read");
    }
    auto text = payloads->Resolve(*reference);
    if (!text.ok()) return text.status();
    return ParseEvents(*text, row);
  }
  std::string text;
  for (int part = 0;; ++part) {
    auto value = row.GetString("Events" + std::to_string(part));
    if (!value.ok()) break;
    text += *value;
  }
  return ParseEvents(text, row);
}

}  // namespace

Result<HistorySnapshot> HistoryStore::Load(const std::string& instance_id) const {
  HistorySnapshot snapshot;
  tablestore::QueryOptions query;
  query.filter = tablestore::Eq("PartitionKey", instance_id);
  auto pager = table_.QueryEntities(query);
  size_t committed = 0;
  bool has_sentinel = false;
  std::vector<tablestore::Entity> rows;
  Status status = pager.ForEach([&](const tablestore::Entity& row) {
    if (row.row_key() == kSentinelRowKey) {
      has_sentinel = true;
      snapshot.sentinel_etag = row.etag();
      committed = static_cast<size_t>(row.GetInt64("Length").ok() ? *row.GetInt64("Length") : 0);
    } else {
      rows.push_back(row);
    }
    return true;
  });
  if (!status.ok()) return status;
  if (!has_sentinel) return snapshot;
  int64_t last_checkpoint = -1;
  for (const auto& row : rows) {
    // Rows at or past the sentinel's length were never committed (cannot happen with one
    // transaction per checkpoint, but history we did not write is not trusted blindly).
    if (snapshot.events.size() >= committed) break;
    auto events = UnpackRow(row, payloads_);
    if (!events.ok()) return events.status();
    const int64_t checkpoint = row.GetInt64("Checkpoint").ok() ? *row.GetInt64("Checkpoint") : -1;
    if (checkpoint != last_checkpoint) {
      snapshot.checkpoint_starts.push_back(snapshot.events.size());
      last_checkpoint = checkpoint;
    }
    for (const auto& json : *events) {
      auto event = HistoryEventFromJson(json);
      if (!event) return Status::Corruption("unreadable history event in " + instance_id);
      if (payloads_ != nullptr) {
        auto payload = payloads_->Resolve(event->payload);
        if (!payload.ok()) return payload.status();
        event->payload = std::move(*payload);
      }
      snapshot.events.push_back(std::move(*event));
    }
  }
  if (snapshot.events.size() != committed) {
    return Status::Corruption("history of " + instance_id + " holds " +
                              std::to_string(snapshot.events.size()) + " events, its sentinel " +
                              std::to_string(committed));
  }
  return snapshot;
}

Result<std::string> HistoryStore::SentinelEtag(const std::string& instance_id) const {
  tablestore::GetEntityOptions options;
  options.select = {"Length"};
  auto sentinel = table_.GetEntity(instance_id, kSentinelRowKey, options);
  if (sentinel.ok()) return sentinel->etag();
  if (sentinel.status().IsNotFound()) return std::string();
  return sentinel.status();
}

Result<std::string> HistoryStore::Append(const std::string& instance_id,
                                         const std::string& expected_etag, size_t committed,
                                         const std::vector<HistoryEvent>& events) const {
  std::vector<nlohmann::json> encoded;
  encoded.reserve(events.size());
  for (const auto& event : events) {
    HistoryEvent stored = event;
    if (payloads_ != nullptr) {
      auto payload = payloads_->Offload(instance_id, event.payload);
      if (!payload.ok()) return payload.status();
      stored.payload = std::move(*payload);
    }
    encoded.push_back(ToJson(stored));
  }
  const size_t length = committed + events.size();
  tablestore::Transaction transaction;
  auto rows = PackRows(instance_id, committed, encoded);
  if (rows.ok()) {
    transaction = CheckpointTransaction(std::move(*rows), instance_id, expected_etag, length);
  }
  if (!rows.ok() || !FitsOneTransaction(table_, transaction)) {
    if (payloads_ == nullptr) {
      return rows.ok() ? Status::InvalidArgument("checkpoint of " + std::to_string(events.size()) +
                                                 " events is too large for one transaction")
                       : rows.status();
    }
    // The body goes to a new blob first; the row naming it commits with the sentinel, so a
    // crash in between leaves only an unnamed blob and the old history intact.
    auto reference = payloads_->Store(instance_id, "history-" + RowKeyFor(committed),
                                      DumpEvents(nlohmann::json(encoded)));
    if (!reference.ok()) return reference.status();
    tablestore::Entity row(instance_id, RowKeyFor(committed));
    row.Set("Checkpoint", static_cast<int64_t>(committed));
    row.Set("Count", static_cast<int32_t>(events.size()));
    row.Set(kEventsBlobProperty, std::move(*reference));
    std::vector<tablestore::Entity> small;
    small.push_back(std::move(row));
    transaction = CheckpointTransaction(std::move(small), instance_id, expected_etag, length);
  }
  auto result = table_.SubmitTransaction(transaction);
  if (!result.ok()) return result.status();
  return result->actions.back().etag;
}

Status HistoryStore::Purge(const std::string& instance_id) const {
  tablestore::QueryOptions query;
  query.filter = tablestore::Eq("PartitionKey", instance_id);
  query.select = {"RowKey"};
  std::vector<std::string> row_keys;
  Status status = table_.QueryEntities(query).ForEach([&](const tablestore::Entity& row) {
    row_keys.push_back(row.row_key());
    return true;
  });
  if (!status.ok()) return status;
  for (size_t start = 0; start < row_keys.size(); start += tablestore::kMaxTransactionActions) {
    tablestore::Transaction transaction;
    const size_t end = std::min(row_keys.size(), start + tablestore::kMaxTransactionActions);
    for (size_t i = start; i < end; ++i)
      transaction.Delete(instance_id, row_keys[i], "*");
    auto result = table_.SubmitTransaction(transaction);
    if (!result.ok() && !result.status().IsNotFound()) return result.status();
  }
  return payloads_ != nullptr ? payloads_->DeleteAll(instance_id) : Status::Ok();
}

}  // namespace fanfold::orchestrator
