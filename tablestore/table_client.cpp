#include "tablestore/table_client.hpp"

#include <nlohmann/json.hpp>

#include "storage/header_policies.hpp"
#include "tablestore/batch_codec.hpp"
#include "tablestore/encoded_size.hpp"
#include "tablestore/entity_json.hpp"
#include "tablestore/table_protocol.hpp"
#include "tablestore/validation.hpp"

namespace fanfold::tablestore {
namespace {

using storage::HttpMethod;
using storage::HttpRequest;
using storage::OperationKind;
using storage::Result;
using storage::Status;

HttpRequest NewRequest(HttpMethod method, storage::Url url, OperationKind kind,
                       std::chrono::milliseconds timeout) {
  HttpRequest request;
  request.method = method;
  request.url = std::move(url);
  request.kind = kind;
  request.timeout = timeout;
  AddODataHeaders(request);
  return request;
}

Status RequireIfMatch(std::string_view if_match) {
  if (if_match.empty()) {
    return Status::InvalidArgument(
        "a conditional write needs If-Match: the entity's ETag, or \"*\" for any version");
  }
  return Status::Ok();
}

Status ValidateKeys(std::string_view partition_key, std::string_view row_key) {
  FANFOLD_RETURN_IF_ERROR(ValidateKey(partition_key, "PartitionKey"));
  return ValidateKey(row_key, "RowKey");
}

}  // namespace

TableClient::TableClient(storage::Url service_endpoint, std::string table_name,
                         std::shared_ptr<const storage::Pipeline> pipeline)
    : endpoint_(std::move(service_endpoint)),
      table_name_(std::move(table_name)),
      pipeline_(std::move(pipeline)) {}

Result<WriteResult> TableClient::InsertEntity(const Entity& entity,
                                              const RequestOptions& options) const {
  return Write(WriteKind::kInsert, entity, {}, options);
}
Result<WriteResult> TableClient::InsertOrMergeEntity(const Entity& entity,
                                                     const RequestOptions& options) const {
  return Write(WriteKind::kInsertOrMerge, entity, {}, options);
}
Result<WriteResult> TableClient::InsertOrReplaceEntity(const Entity& entity,
                                                       const RequestOptions& options) const {
  return Write(WriteKind::kInsertOrReplace, entity, {}, options);
}
Result<WriteResult> TableClient::ReplaceEntity(const Entity& entity, std::string_view if_match,
                                               const RequestOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(RequireIfMatch(if_match));
  return Write(WriteKind::kReplace, entity, if_match, options);
}
Result<WriteResult> TableClient::MergeEntity(const Entity& entity, std::string_view if_match,
                                             const RequestOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(RequireIfMatch(if_match));
  return Write(WriteKind::kMerge, entity, if_match, options);
}

Result<WriteResult> TableClient::Write(WriteKind kind, const Entity& entity,
                                       std::string_view if_match,
                                       const RequestOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateTableName(table_name_));
  FANFOLD_RETURN_IF_ERROR(ValidateEntity(entity));
  const storage::Url entity_url =
      ResourceUrl(endpoint_, EntityResource(table_name_, entity.partition_key(), entity.row_key()));
  HttpRequest request;
  switch (kind) {
    case WriteKind::kInsert:
      // Insert posts to the table itself; the service takes the keys from the body.
      request = NewRequest(HttpMethod::kPost, ResourceUrl(endpoint_, table_name_),
                           OperationKind::kTableWrite, options.timeout);
      // The caller has the entity already; the answer need only carry the ETag header.
      request.headers["Prefer"] = "return-no-content";
      break;
    case WriteKind::kInsertOrMerge:
    case WriteKind::kMerge:
      request =
          NewRequest(HttpMethod::kMerge, entity_url, OperationKind::kTableWrite, options.timeout);
      break;
    case WriteKind::kInsertOrReplace:
    case WriteKind::kReplace:
      request =
          NewRequest(HttpMethod::kPut, entity_url, OperationKind::kTableWrite, options.timeout);
      break;
  }
  // Without If-Match, MERGE and PUT are the upserts; with it, conditional updates.
  if (!if_match.empty()) request.headers["If-Match"] = std::string(if_match);
  SetJsonBody(request, EntityToJson(entity).dump());
  auto response = SendChecked(*pipeline_, request);
  if (!response.ok()) return response.status();
  const std::string& etag = response->Header("ETag");
  if (etag.empty()) return Status::Corruption("the service's write answer carries no ETag");
  return WriteResult{etag};
}

Status TableClient::DeleteEntity(std::string_view partition_key, std::string_view row_key,
                                 std::string_view if_match, const RequestOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateTableName(table_name_));
  FANFOLD_RETURN_IF_ERROR(ValidateKeys(partition_key, row_key));
  FANFOLD_RETURN_IF_ERROR(RequireIfMatch(if_match));
  HttpRequest request =
      NewRequest(HttpMethod::kDelete,
                 ResourceUrl(endpoint_, EntityResource(table_name_, partition_key, row_key)),
                 OperationKind::kTableWrite, options.timeout);
  request.headers["If-Match"] = std::string(if_match);
  return SendChecked(*pipeline_, request).status();
}

Result<Entity> TableClient::GetEntity(std::string_view partition_key, std::string_view row_key,
                                      const GetEntityOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateTableName(table_name_));
  FANFOLD_RETURN_IF_ERROR(ValidateKeys(partition_key, row_key));
  HttpRequest request = NewRequest(
      HttpMethod::kGet, ResourceUrl(endpoint_, EntityResource(table_name_, partition_key, row_key)),
      OperationKind::kTableRead, options.timeout);
  if (!options.select.empty()) {
    std::string joined;
    for (const std::string& name : options.select) {
      if (name != "PartitionKey" && name != "RowKey" && name != "Timestamp") {
        FANFOLD_RETURN_IF_ERROR(ValidatePropertyName(name));
      }
      joined += (joined.empty() ? "" : ",") + name;
    }
    request.url.AddQuery("$select", joined);
  }
  auto response = SendChecked(*pipeline_, request);
  if (!response.ok()) return response.status();
  const nlohmann::json body =
      nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Status::Corruption("Get Entity answer is not JSON");
  auto entity = EntityFromJson(body);
  if (!entity.ok()) return entity.status();
  if (entity->etag().empty()) entity->set_etag(response->Header("ETag"));
  return entity;
}

EntityPager TableClient::QueryEntities(QueryOptions options) const {
  EntityPager pager(pipeline_, ResourceUrl(endpoint_, table_name_ + "()"), std::move(options));
  if (const Status valid = ValidateTableName(table_name_); !valid.ok()) pager.invalid_ = valid;
  return pager;
}

Result<TransactionResult> TableClient::SubmitTransaction(const Transaction& transaction,
                                                         const RequestOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateTableName(table_name_));
  FANFOLD_RETURN_IF_ERROR(transaction.Validate());
  EncodedBatch batch = EncodeTransaction(endpoint_, table_name_, transaction, storage::NewUuid(),
                                         storage::NewUuid());
  if (batch.body.size() > kMaxTransactionBodyBytes) {
    return Status::InvalidArgument("transaction body is " + std::to_string(batch.body.size()) +
                                   " bytes; at most 4 MiB is allowed");
  }
  HttpRequest request = NewRequest(HttpMethod::kPost, ResourceUrl(endpoint_, "$batch"),
                                   OperationKind::kTableBatch, options.timeout);
  request.headers["Content-Type"] = batch.content_type;
  request.body = std::move(batch.body);
  auto response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  return DecodeTransactionResponse(*response, transaction);
}

size_t TableClient::EncodedTransactionBytes(const Transaction& transaction) const {
  return tablestore::EncodedTransactionBytes(endpoint_, table_name_, transaction);
}

}  // namespace fanfold::tablestore
