#include "tablestore/table_service_client.hpp"

#include <nlohmann/json.hpp>

#include "tablestore/table_protocol.hpp"
#include "tablestore/validation.hpp"

namespace fanfold::tablestore {
namespace {

using storage::HttpMethod;
using storage::HttpRequest;
using storage::OperationKind;
using storage::Result;
using storage::Status;

HttpRequest AdminRequest(HttpMethod method, storage::Url url, std::chrono::milliseconds timeout) {
  HttpRequest request;
  request.method = method;
  request.url = std::move(url);
  request.kind = OperationKind::kTableAdmin;
  request.timeout = timeout;
  AddODataHeaders(request);
  return request;
}

}  // namespace

TableServiceClient::TableServiceClient(const storage::StorageAccount& account,
                                       const storage::PipelineOptions& options)
    : endpoint_(account.table_endpoint),
      pipeline_(storage::MakeStoragePipeline(account.credential, storage::SigningScheme::kTable,
                                             options)) {}

TableServiceClient::TableServiceClient(storage::Url endpoint,
                                       std::shared_ptr<const storage::Pipeline> pipeline)
    : endpoint_(std::move(endpoint)), pipeline_(std::move(pipeline)) {}

Status TableServiceClient::CreateTable(std::string_view name, const RequestOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateTableName(name));
  HttpRequest request =
      AdminRequest(HttpMethod::kPost, ResourceUrl(endpoint_, "Tables"), options.timeout);
  request.headers["Prefer"] = "return-no-content";
  SetJsonBody(request, nlohmann::json{{"TableName", std::string(name)}}.dump());
  return SendChecked(*pipeline_, request).status();
}

Result<bool> TableServiceClient::CreateTableIfNotExists(std::string_view name,
                                                        const RequestOptions& options) const {
  const Status created = CreateTable(name, options);
  if (created.ok()) return true;
  // TableBeingDeleted is a 409 too, but the table does not exist: that must stay an error.
  if (created.IsConflict() && created.error_code() == "TableAlreadyExists") return false;
  return created;
}

Status TableServiceClient::DeleteTable(std::string_view name, const RequestOptions& options) const {
  FANFOLD_RETURN_IF_ERROR(ValidateTableName(name));
  // The name is letters and digits only (validated), so it needs no escaping inside the quotes.
  HttpRequest request =
      AdminRequest(HttpMethod::kDelete,
                   ResourceUrl(endpoint_, "Tables('" + std::string(name) + "')"), options.timeout);
  return SendChecked(*pipeline_, request).status();
}

TablePager TableServiceClient::QueryTables(TableQueryOptions options) const {
  return TablePager(pipeline_, ResourceUrl(endpoint_, "Tables"), std::move(options));
}

TableClient TableServiceClient::GetTableClient(std::string table_name) const {
  return TableClient(endpoint_, std::move(table_name), pipeline_);
}

}  // namespace fanfold::tablestore
