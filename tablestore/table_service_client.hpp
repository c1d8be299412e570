// The Table service of one account: creating, deleting and listing tables, and TableClients that
// share this client's pipeline (retry policy, counters). "Already exists" and "not found" are
// answers: CreateTable gives IsConflict, CreateTableIfNotExists false, DeleteTable IsNotFound.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"
#include "tablestore/query.hpp"
#include "tablestore/request_options.hpp"
#include "tablestore/table_client.hpp"

namespace fanfold::tablestore {

class TableServiceClient {
 public:
  // A client of account.table_endpoint with the standard pipeline (SharedKey for tables, or SAS).
  explicit TableServiceClient(const storage::StorageAccount& account,
                              const storage::PipelineOptions& options = {});
  // A client on a caller-built pipeline, e.g. one with a fault-injecting transport.
  TableServiceClient(storage::Url endpoint, std::shared_ptr<const storage::Pipeline> pipeline);

  // Create Table; IsConflict (TableAlreadyExists) when it exists. Names are validated first.
  // Azure refuses to recreate a table for about 40 s after deleting it (409 TableBeingDeleted,
  // which CreateTableIfNotExists reports as an error); Azurite does not.
  storage::Status CreateTable(std::string_view name, const RequestOptions& options = {}) const;
  // True when this call created the table, false when it already existed.
  storage::Result<bool> CreateTableIfNotExists(std::string_view name,
                                               const RequestOptions& options = {}) const;
  // Delete Table with all its entities; IsNotFound when there is no such table.
  storage::Status DeleteTable(std::string_view name, const RequestOptions& options = {}) const;
  // A pager over the account's table names. Nothing is sent until its first NextPage().
  TablePager QueryTables(TableQueryOptions options = {}) const;

  // A client of one table (which need not exist yet).
  TableClient GetTableClient(std::string table_name) const;

  const storage::Url& endpoint() const { return endpoint_; }
  const std::shared_ptr<const storage::Pipeline>& pipeline() const { return pipeline_; }

 private:
  storage::Url endpoint_;
  std::shared_ptr<const storage::Pipeline> pipeline_;
};

}  // namespace fanfold::tablestore
