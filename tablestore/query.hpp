// Paged queries over entities and tables. The service answers at most 1,000 rows a request (maybe
// fewer, even none, while more remain) plus continuation headers the pager sends back; holding one
// page at a time, a pager streams any number of rows, each exactly once. A failed page leaves the
// pager where it was, so NextPage() retries it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"
#include "tablestore/entity.hpp"
#include "tablestore/odata_filter.hpp"

namespace fanfold::tablestore {

// Where a query resumes: the service's NextPartitionKey/NextRowKey continuation (opaque values).
struct EntityContinuation {
  std::string next_partition_key;
  std::string next_row_key;
  bool empty() const { return next_partition_key.empty() && next_row_key.empty(); }
};

struct QueryOptions {
  // Which entities; default: all of them.
  Filter filter;
  // Properties to return ($select); default: all. Names are validated. An entity read with a
  // $select lacks its keys unless PartitionKey and RowKey are selected too.
  std::vector<std::string> select;
  // At most this many entities over all pages; default: no limit.
  std::optional<size_t> top;
  // Entities asked for per request ($top), 1 to 1,000; default 1,000, the service's maximum.
  int page_size = 1000;
  // Resume a query from a continuation a previous pager reported; default: from the start.
  EntityContinuation start;
  // Limit of each page request. Default 30 s.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

class EntityPager {
 public:
  // True once the last page has been returned (or `top` entities have).
  bool done() const { return done_; }
  // The next page: up to page_size entities, possibly none while !done(). After done(), an empty
  // page. Each page is one kTableQuery operation.
  storage::Result<std::vector<Entity>> NextPage();
  // Streams the remaining entities to visit, page by page, until visit returns false or the
  // query is done.
  storage::Status ForEach(const std::function<bool(const Entity&)>& visit);
  // Where the next page starts: save it to resume later with QueryOptions::start. Empty when no
  // rows remain (it stays set when the query stopped only because `top` was reached).
  const EntityContinuation& continuation() const { return continuation_; }

 private:
  friend class TableClient;
  EntityPager(std::shared_ptr<const storage::Pipeline> pipeline, storage::Url query_url,
              QueryOptions options);

  std::shared_ptr<const storage::Pipeline> pipeline_;
  storage::Url query_url_;
  QueryOptions options_;
  storage::Status invalid_;  // options that can never be sent
  EntityContinuation continuation_;
  size_t returned_ = 0;
  bool done_ = false;
};

struct TableQueryOptions {
  // Which tables, by TableName (e.g. And(Ge("TableName", "abc"), Lt("TableName", "abd")) for a
  // prefix); default: all of them.
  Filter filter;
  // At most this many tables over all pages; default: no limit.
  std::optional<size_t> top;
  // Tables asked for per request, 1 to 1,000. Default 1,000.
  int page_size = 1000;
  // Limit of each page request. Default 30 s.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

class TablePager {
 public:
  bool done() const { return done_; }
  // The next page of table names; each page is one kTableAdmin operation.
  storage::Result<std::vector<std::string>> NextPage();
  storage::Status ForEach(const std::function<bool(const std::string&)>& visit);

 private:
  friend class TableServiceClient;
  TablePager(std::shared_ptr<const storage::Pipeline> pipeline, storage::Url tables_url,
             TableQueryOptions options);

  std::shared_ptr<const storage::Pipeline> pipeline_;
  storage::Url tables_url_;
  TableQueryOptions options_;
  storage::Status invalid_;
  std::string next_table_name_;
  size_t returned_ = 0;
  bool done_ = false;
};

}  // namespace fanfold::tablestore
