// Entity operations on one table. Every write answers the entity's new ETag; passing it as
// If-Match to a later write applies that write only if nobody changed the row since, and a stale
// ETag is an ordinary answer (IsPreconditionFailed) that changes nothing. Inputs are validated
// before sending. A TableClient is safe to share between threads; a pager is not.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"
#include "tablestore/entity.hpp"
#include "tablestore/query.hpp"
#include "tablestore/request_options.hpp"  // kMatchAny
#include "tablestore/transaction.hpp"

namespace fanfold::tablestore {

struct WriteResult {
  std::string etag;  // the entity's new ETag
};

struct GetEntityOptions {
  // Properties to return ($select); default: all.
  std::vector<std::string> select;
  // Limit of each attempt. Default 30 s.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

// Retries happen in the pipeline. A write whose first attempt was applied but whose answer was
// lost is reported by its retry: 409 for an insert, 412 for a conditional write.
class TableClient {
 public:
  // `service_endpoint` is the account's Table endpoint (StorageAccount::table_endpoint). The name
  // is validated by each operation, which fails with InvalidArgument for a bad one.
  TableClient(storage::Url service_endpoint, std::string table_name,
              std::shared_ptr<const storage::Pipeline> pipeline);

  const std::string& table_name() const { return table_name_; }

  // Insert Entity; IsConflict when the row exists.
  storage::Result<WriteResult> InsertEntity(const Entity& entity,
                                            const RequestOptions& options = {}) const;
  // Insert Or Merge Entity: creates the row or updates the properties the entity sets.
  storage::Result<WriteResult> InsertOrMergeEntity(const Entity& entity,
                                                   const RequestOptions& options = {}) const;
  // Insert Or Replace Entity: creates the row or replaces all its properties.
  storage::Result<WriteResult> InsertOrReplaceEntity(const Entity& entity,
                                                     const RequestOptions& options = {}) const;
  // Update Entity: replaces all properties of an existing row whose ETag matches `if_match`
  // (an ETag, or kMatchAny "*"); IsPreconditionFailed when it does not, IsNotFound when the row
  // is gone.
  storage::Result<WriteResult> ReplaceEntity(const Entity& entity, std::string_view if_match,
                                             const RequestOptions& options = {}) const;
  // Merge Entity: as ReplaceEntity, but properties the entity does not set are kept.
  storage::Result<WriteResult> MergeEntity(const Entity& entity, std::string_view if_match,
                                           const RequestOptions& options = {}) const;
  // Delete Entity under the same If-Match rule; IsNotFound when the row does not exist.
  storage::Status DeleteEntity(std::string_view partition_key, std::string_view row_key,
                               std::string_view if_match, const RequestOptions& options = {}) const;

  // Get (point query) of one row, with its ETag and Timestamp; IsNotFound when absent.
  storage::Result<Entity> GetEntity(std::string_view partition_key, std::string_view row_key,
                                    const GetEntityOptions& options = {}) const;

  // A pager over the entities options selects. Nothing is sent until its first NextPage().
  EntityPager QueryEntities(QueryOptions options = {}) const;

  // Runs the transaction as one $batch request (one kTableBatch operation). Validation failures
  // are InvalidArgument and send nothing. On success, one result per action; on failure nothing
  // was changed and the Status is the blamed action's (see transaction.hpp).
  storage::Result<TransactionResult> SubmitTransaction(const Transaction& transaction,
                                                       const RequestOptions& options = {}) const;
  // Bytes of the $batch body SubmitTransaction would send for a valid `transaction`: what is
  // compared with kMaxTransactionBodyBytes.
  size_t EncodedTransactionBytes(const Transaction& transaction) const;

 private:
  enum class WriteKind { kInsert, kInsertOrMerge, kInsertOrReplace, kReplace, kMerge };
  storage::Result<WriteResult> Write(WriteKind kind, const Entity& entity,
                                     std::string_view if_match,
                                     const RequestOptions& options) const;

  storage::Url endpoint_;
  std::string table_name_;
  std::shared_ptr<const storage::Pipeline> pipeline_;
};

}  // namespace fanfold::tablestore
