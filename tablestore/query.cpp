#include "tablestore/query.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tablestore/entity_json.hpp"
#include "tablestore/table_protocol.hpp"
#include "tablestore/validation.hpp"

namespace fanfold::tablestore {
namespace {

using storage::HttpRequest;
using storage::HttpResponse;
using storage::Result;
using storage::Status;

constexpr int kMaxPageSize = 1000;

Status ValidatePaging(int page_size, const Filter& filter) {
  if (page_size < 1 || page_size > kMaxPageSize) {
    return Status::InvalidArgument("page_size must be 1 to 1000, not " + std::to_string(page_size));
  }
  return filter.status();
}

Status ValidateSelect(const std::vector<std::string>& select) {
  for (const std::string& name : select) {
    if (name == "PartitionKey" || name == "RowKey" || name == "Timestamp") continue;
    const Status valid = ValidatePropertyName(name);
    if (!valid.ok()) return Status::InvalidArgument("$select: " + valid.message());
  }
  return Status::Ok();
}

// How many rows to ask for next: the page size, or fewer when `top` is nearly reached.
size_t NextRequestSize(int page_size, const std::optional<size_t>& top, size_t returned) {
  const auto size = static_cast<size_t>(page_size);
  return top ? std::min(size, *top - returned) : size;
}

HttpRequest PageRequest(const storage::Url& url, std::chrono::milliseconds timeout,
                        storage::OperationKind kind, const Filter& filter, size_t top) {
  HttpRequest request;
  request.method = storage::HttpMethod::kGet;
  request.url = url;
  request.kind = kind;
  request.timeout = timeout;
  AddODataHeaders(request);
  if (!filter.empty()) request.url.AddQuery("$filter", filter.expression());
  request.url.AddQuery("$top", std::to_string(top));
  return request;
}

// The "value" array of a query answer.
Result<nlohmann::json> ValueArray(const HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::Corruption("query answer is not a JSON object");
  }
  auto value = body.find("value");
  if (value == body.end() || !value->is_array()) {
    return Status::Corruption("query answer has no \"value\" array");
  }
  return std::move(*value);
}

}  // namespace

EntityPager::EntityPager(std::shared_ptr<const storage::Pipeline> pipeline, storage::Url query_url,
                         QueryOptions options)
    : pipeline_(std::move(pipeline)),
      query_url_(std::move(query_url)),
      options_(std::move(options)),
      continuation_(options_.start) {
  invalid_ = ValidatePaging(options_.page_size, options_.filter);
  if (invalid_.ok()) invalid_ = ValidateSelect(options_.select);
  done_ = options_.top.has_value() && *options_.top == 0;
}

Result<std::vector<Entity>> EntityPager::NextPage() {
  if (!invalid_.ok()) return invalid_;
  std::vector<Entity> entities;
  if (done_) return entities;
  const size_t wanted = NextRequestSize(options_.page_size, options_.top, returned_);
  HttpRequest request = PageRequest(query_url_, options_.timeout,
                                    storage::OperationKind::kTableQuery, options_.filter, wanted);
  if (!options_.select.empty()) {
    std::string joined;
    for (const std::string& name : options_.select)
      joined += (joined.empty() ? "" : ",") + name;
    request.url.AddQuery("$select", joined);
  }
  if (!continuation_.next_partition_key.empty()) {
    request.url.AddQuery("NextPartitionKey", continuation_.next_partition_key);
  }
  if (!continuation_.next_row_key.empty()) {
    request.url.AddQuery("NextRowKey", continuation_.next_row_key);
  }
  auto response = SendChecked(*pipeline_, request);
  if (!response.ok()) return response.status();
  auto values = ValueArray(*response);
  if (!values.ok()) return values.status();
  if (values->size() > wanted) {
    return Status::Corruption("query answer holds more entities than were asked for");
  }
  entities.reserve(values->size());
  for (const nlohmann::json& object : *values) {
    auto entity = EntityFromJson(object);
    if (!entity.ok()) return entity.status();
    entities.push_back(std::move(entity).value());
  }
  // Only now that the page is complete does the pager move on, so a failure can be retried.
  continuation_ = {response->Header("x-ms-continuation-NextPartitionKey"),
                   response->Header("x-ms-continuation-NextRowKey")};
  returned_ += entities.size();
  if (continuation_.empty() || (options_.top && returned_ >= *options_.top)) done_ = true;
  return entities;
}

Status EntityPager::ForEach(const std::function<bool(const Entity&)>& visit) {
  while (!done()) {
    auto page = NextPage();
    if (!page.ok()) return page.status();
    for (const Entity& entity : *page) {
      if (!visit(entity)) return Status::Ok();
    }
  }
  return Status::Ok();
}

TablePager::TablePager(std::shared_ptr<const storage::Pipeline> pipeline, storage::Url tables_url,
                       TableQueryOptions options)
    : pipeline_(std::move(pipeline)),
      tables_url_(std::move(tables_url)),
      options_(std::move(options)) {
  invalid_ = ValidatePaging(options_.page_size, options_.filter);
  done_ = options_.top.has_value() && *options_.top == 0;
}

Result<std::vector<std::string>> TablePager::NextPage() {
  if (!invalid_.ok()) return invalid_;
  std::vector<std::string> names;
  if (done_) return names;
  const size_t wanted = NextRequestSize(options_.page_size, options_.top, returned_);
  HttpRequest request = PageRequest(tables_url_, options_.timeout,
                                    storage::OperationKind::kTableAdmin, options_.filter, wanted);
  if (!next_table_name_.empty()) request.url.AddQuery("NextTableName", next_table_name_);
  auto response = SendChecked(*pipeline_, request);
  if (!response.ok()) return response.status();
  auto values = ValueArray(*response);
  if (!values.ok()) return values.status();
  for (const nlohmann::json& object : *values) {
    const auto name = object.is_object() ? object.find("TableName") : object.end();
    if (!object.is_object() || name == object.end() || !name->is_string()) {
      return Status::Corruption("table listing entry has no TableName");
    }
    names.push_back(name->get<std::string>());
  }
  next_table_name_ = response->Header("x-ms-continuation-NextTableName");
  returned_ += names.size();
  if (next_table_name_.empty() || (options_.top && returned_ >= *options_.top)) done_ = true;
  return names;
}

Status TablePager::ForEach(const std::function<bool(const std::string&)>& visit) {
  while (!done()) {
    auto page = NextPage();
    if (!page.ok()) return page.status();
    for (const std::string& name : *page) {
      if (!visit(name)) return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace fanfold::tablestore
