#include "tablestore/transaction.hpp"

#include <charconv>
#include <set>
#include <string_view>

#include "tablestore/validation.hpp"

namespace fanfold::tablestore {
namespace {

using storage::Status;

constexpr std::string_view kFailurePrefix = "transaction action ";

bool NeedsIfMatch(TransactionActionType type) {
  return type == TransactionActionType::kReplace || type == TransactionActionType::kMerge ||
         type == TransactionActionType::kDelete;
}

// A delete sends no properties, so only its keys must be valid.
Status ValidateActionEntity(const TransactionAction& action) {
  if (action.type != TransactionActionType::kDelete) return ValidateEntity(action.entity);
  FANFOLD_RETURN_IF_ERROR(ValidateKey(action.entity.partition_key(), "PartitionKey"));
  return ValidateKey(action.entity.row_key(), "RowKey");
}

}  // namespace

const char* TransactionActionName(TransactionActionType type) {
  switch (type) {
    case TransactionActionType::kInsert:
      return "insert";
    case TransactionActionType::kInsertOrMerge:
      return "insert-or-merge";
    case TransactionActionType::kInsertOrReplace:
      return "insert-or-replace";
    case TransactionActionType::kReplace:
      return "replace";
    case TransactionActionType::kMerge:
      return "merge";
    case TransactionActionType::kDelete:
      return "delete";
  }
  return "unknown";
}

Transaction& Transaction::Insert(Entity entity) {
  actions_.push_back({TransactionActionType::kInsert, std::move(entity), {}});
  return *this;
}
Transaction& Transaction::InsertOrMerge(Entity entity) {
  actions_.push_back({TransactionActionType::kInsertOrMerge, std::move(entity), {}});
  return *this;
}
Transaction& Transaction::InsertOrReplace(Entity entity) {
  actions_.push_back({TransactionActionType::kInsertOrReplace, std::move(entity), {}});
  return *this;
}
Transaction& Transaction::Replace(Entity entity, std::string if_match) {
  actions_.push_back({TransactionActionType::kReplace, std::move(entity), std::move(if_match)});
  return *this;
}
Transaction& Transaction::Merge(Entity entity, std::string if_match) {
  actions_.push_back({TransactionActionType::kMerge, std::move(entity), std::move(if_match)});
  return *this;
}
Transaction& Transaction::Delete(std::string partition_key, std::string row_key,
                                 std::string if_match) {
  actions_.push_back({TransactionActionType::kDelete,
                      Entity(std::move(partition_key), std::move(row_key)), std::move(if_match)});
  return *this;
}

Status Transaction::Validate() const {
  if (actions_.empty()) return Status::InvalidArgument("a transaction needs at least one action");
  if (actions_.size() > kMaxTransactionActions) {
    return Status::InvalidArgument("a transaction may hold at most 100 actions, not " +
                                   std::to_string(actions_.size()));
  }
  const std::string& partition = actions_.front().entity.partition_key();
  std::set<std::string_view> rows;
  for (size_t i = 0; i < actions_.size(); ++i) {
    const TransactionAction& action = actions_[i];
    const std::string where = "transaction action " + std::to_string(i) + " (" +
                              TransactionActionName(action.type) + "): ";
    const Status valid = ValidateActionEntity(action);
    if (!valid.ok()) return Status::InvalidArgument(where + valid.message());
    if (action.entity.partition_key() != partition) {
      return Status::InvalidArgument(
          where + "all actions of a transaction must share one PartitionKey; action 0 has '" +
          partition + "' and this one '" + action.entity.partition_key() + "'");
    }
    if (!rows.insert(action.entity.row_key()).second) {
      return Status::InvalidArgument(where + "RowKey '" + action.entity.row_key() +
                                     "' appears more than once; a transaction may touch each "
                                     "row only once");
    }
    if (NeedsIfMatch(action.type) && action.if_match.empty()) {
      return Status::InvalidArgument(where + "needs an If-Match ETag (or \"*\")");
    }
    if (!NeedsIfMatch(action.type) && !action.if_match.empty()) {
      return Status::InvalidArgument(where + "takes no If-Match");
    }
  }
  return Status::Ok();
}

std::optional<size_t> FailedActionIndex(const Status& status) {
  const std::string& message = status.message();
  if (status.ok() || !std::string_view(message).starts_with(kFailurePrefix)) return std::nullopt;
  size_t index = 0;
  const char* begin = message.data() + kFailurePrefix.size();
  const char* end = message.data() + message.size();
  const auto [stop, error] = std::from_chars(begin, end, index);
  if (error != std::errc() || stop == begin ||
      std::string_view(stop, end - stop).rfind(" failed", 0) != 0) {
    return std::nullopt;
  }
  return index;
}

}  // namespace fanfold::tablestore
