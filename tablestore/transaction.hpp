// Entity group transactions: up to 100 writes to one partition that the service applies all
// together or not at all. Azure's rules (one partition, each row once, <= 100 actions, <= 4 MiB)
// are checked before sending, since Azurite accepts a transaction that spans partitions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "storage/status.hpp"
#include "tablestore/entity.hpp"

namespace fanfold::tablestore {

// "The transaction can include at most 100 entities, and its total payload may be no more than
// 4 MiB in size" (Azure docs, "Performing entity group transactions"). The payload is measured on
// the encoded $batch body (EncodedTransactionBytes in encoded_size.hpp), escaping included.
inline constexpr size_t kMaxTransactionActions = 100;
inline constexpr size_t kMaxTransactionBodyBytes = 4 * 1024 * 1024;

enum class TransactionActionType {
  kInsert,           // fails with 409 when the row exists
  kInsertOrMerge,    // upsert, keeping properties the entity does not set
  kInsertOrReplace,  // upsert, dropping properties the entity does not set
  kReplace,          // Update Entity with If-Match
  kMerge,            // Merge Entity with If-Match
  kDelete,           // Delete Entity with If-Match
};
// "insert", "insert-or-merge", ...
const char* TransactionActionName(TransactionActionType type);

struct TransactionAction {
  TransactionActionType type = TransactionActionType::kInsert;
  // The entity to write; for kDelete only its keys are used.
  Entity entity;
  // kReplace, kMerge, kDelete: the ETag the row must still have, or "*" for any. Else empty.
  std::string if_match;
};

class Transaction {
 public:
  Transaction& Insert(Entity entity);
  Transaction& InsertOrMerge(Entity entity);
  Transaction& InsertOrReplace(Entity entity);
  Transaction& Replace(Entity entity, std::string if_match);
  Transaction& Merge(Entity entity, std::string if_match);
  Transaction& Delete(std::string partition_key, std::string row_key, std::string if_match);

  const std::vector<TransactionAction>& actions() const { return actions_; }
  size_t size() const { return actions_.size(); }
  bool empty() const { return actions_.empty(); }

  // InvalidArgument unless: 1 to 100 actions, one PartitionKey, each RowKey once, every entity
  // valid (see ValidateEntity), and an If-Match on every action that needs one. The 4 MiB body
  // limit is checked when the body is built.
  storage::Status Validate() const;

 private:
  std::vector<TransactionAction> actions_;
};

struct TransactionActionResult {
  int http_status = 0;  // the action's own status, 204 for every kind when all went well
  std::string etag;     // the row's new ETag; empty for kDelete
};

struct TransactionResult {
  std::vector<TransactionActionResult> actions;  // one per action, in order
};

// A failed transaction is one Status carrying the HTTP status and error code of the action the
// service blamed (IsConflict, IsPreconditionFailed, ...), with a message that starts
// "transaction action <index> failed". This reads the index back: the blamed action's; nullopt when
// the service did not say which one (or the Status is not from a transaction).
std::optional<size_t> FailedActionIndex(const storage::Status& status);

}  // namespace fanfold::tablestore
