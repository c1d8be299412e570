#include "tablestore/table_protocol.hpp"

#include "storage/error_response.hpp"

namespace fanfold::tablestore {
namespace {

std::string EncodeKey(std::string_view key) {
  std::string doubled;
  doubled.reserve(key.size());
  for (const char c : key) {
    doubled += c;
    if (c == '\'') doubled += '\'';
  }
  return storage::PercentEncode(doubled);
}

}  // namespace

void AddODataHeaders(storage::HttpRequest& request) {
  request.headers["DataServiceVersion"] = "3.0";
  request.headers["MaxDataServiceVersion"] = "3.0;NetFx";
  request.headers["Accept"] = kAcceptJson;
}

void SetJsonBody(storage::HttpRequest& request, std::string body) {
  request.headers["Content-Type"] = kJsonContentType;
  request.body = std::move(body);
}

storage::Result<storage::HttpResponse> SendChecked(const storage::Pipeline& pipeline,
                                                   storage::HttpRequest& request) {
  storage::Result<storage::HttpResponse> response = pipeline.Send(request);
  if (!response.ok()) return response.status();
  FANFOLD_RETURN_IF_ERROR(storage::CheckResponse(*response));
  return response;
}

std::string EntityResource(std::string_view table, std::string_view partition_key,
                           std::string_view row_key) {
  return std::string(table) + "(PartitionKey='" + EncodeKey(partition_key) + "',RowKey='" +
         EncodeKey(row_key) + "')";
}

storage::Url ResourceUrl(const storage::Url& endpoint, std::string_view raw_resource) {
  storage::Url url = endpoint;
  if (url.path.empty() || url.path.back() != '/') url.path += '/';
  url.path += raw_resource;
  return url;
}

}  // namespace fanfold::tablestore
