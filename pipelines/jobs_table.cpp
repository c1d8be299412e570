#include "pipelines/jobs_table.hpp"

#include <algorithm>
#include <chrono>
#include <functional>

#include "tablestore/odata_filter.hpp"
#include "tablestore/transaction.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines {
namespace {

using storage::Result;
using storage::Status;

using tablestore::Entity;
using tablestore::Transaction;

// Each round of an optimistic update loses only to a writer that made progress, so a bound this
// high is reached only when something rewrites the row in a loop.
constexpr int kMaxOptimisticRounds = 200;

bool LostRace(const Status& status) {
  return status.IsPreconditionFailed() || status.IsConflict();
}

Status TooContended(const std::string& job) {
  return Status::Aborted("job " + job + ": gave up after " + std::to_string(kMaxOptimisticRounds) +
                         " conflicting updates of its row");
}

// Every row of a query, each parsed by `parse`; the first unreadable row is the error.
template <typename Row>
Result<std::vector<Row>> CollectRows(tablestore::EntityPager pager,
                                     Result<Row> (*parse)(const Entity&)) {
  std::vector<Row> rows;
  Status bad;
  FANFOLD_RETURN_IF_ERROR(pager.ForEach([&](const Entity& entity) {
    auto row = parse(entity);
    if (!row.ok()) {
      bad = row.status();
      return false;
    }
    rows.push_back(std::move(*row));
    return true;
  }));
  FANFOLD_RETURN_IF_ERROR(bad);
  return rows;
}

// The chunk rows of a job: RowKeys "chunk-00000" to "chunk-99999" ('.' sorts right after '-').
tablestore::Filter ChunkRowsOf(const std::string& job) {
  return tablestore::And(
      tablestore::Eq("PartitionKey", job),
      tablestore::And(
          tablestore::Compare("RowKey", tablestore::Comparison::kGe, std::string("chunk-")),
          tablestore::Compare("RowKey", tablestore::Comparison::kLt, std::string("chunk."))));
}

}  // namespace

tablestore::EdmDateTime NowForTable() {
  return std::chrono::time_point_cast<tablestore::EdmTicks>(std::chrono::system_clock::now());
}

JobsTable::JobsTable(const storage::StorageAccount& account, std::string table_name,
                     const storage::PipelineOptions& options)
    : service_(account, options), table_(service_.GetTableClient(std::move(table_name))) {}

Status JobsTable::CreateIfNotExists() const {
  auto created = service_.CreateTableIfNotExists(table_.table_name());
  return created.ok() ? Status::Ok() : created.status();
}

Result<JobTransition> JobsTable::Insert(JobRow row) const {
  auto written = table_.InsertEntity(JobRowToEntity(row));
  if (written.ok()) {
    row.etag = written->etag;
    return JobTransition{true, std::move(row)};
  }
  if (!written.status().IsConflict()) return written.status();
  auto stored = GetJob(row.job);
  if (!stored.ok()) return stored.status();
  return JobTransition{false, std::move(*stored)};
}

Result<JobRow> JobsTable::GetJob(const std::string& job) const {
  auto entity = table_.GetEntity(job, kJobRowKey);
  if (!entity.ok()) return entity.status();
  return JobRowFromEntity(*entity);
}

Result<std::vector<JobRow>> JobsTable::ListJobs() const {
  std::vector<JobRow> rows;
  FANFOLD_RETURN_IF_ERROR(ForEachJob([&](JobRow row) {
    rows.push_back(std::move(row));
    return true;
  }));
  return rows;
}

Status JobsTable::ForEachJob(const std::function<bool(JobRow)>& visit) const {
  tablestore::QueryOptions query;
  query.filter = tablestore::Eq("RowKey", std::string(kJobRowKey));
  Status bad;
  FANFOLD_RETURN_IF_ERROR(table_.QueryEntities(query).ForEach([&](const Entity& entity) {
    auto row = JobRowFromEntity(entity);
    if (!row.ok()) {
      bad = row.status();
      return false;
    }
    return visit(std::move(*row));
  }));
  return bad;
}

Result<std::vector<ChunkRow>> JobsTable::ListChunks(const std::string& job) const {
  tablestore::QueryOptions query;
  query.filter = ChunkRowsOf(job);
  return CollectRows<ChunkRow>(table_.QueryEntities(query), &ChunkRowFromEntity);
}

Result<JobTransition> JobsTable::Move(const std::string& job,
                                      const std::function<bool(JobRow&)>& change) const {
  for (int round = 0; round < kMaxOptimisticRounds; ++round) {
    auto row = GetJob(job);
    if (!row.ok()) return row.status();
    if (!change(*row)) return JobTransition{false, std::move(*row)};
    auto written = table_.ReplaceEntity(JobRowToEntity(*row), row->etag);
    if (written.ok()) {
      row->etag = written->etag;
      return JobTransition{true, std::move(*row)};
    }
    if (!LostRace(written.status())) return written.status();
  }
  return TooContended(job);
}

Result<std::optional<ChunkRow>> JobsTable::GetChunk(const std::string& job,
                                                    std::uint32_t index) const {
  auto entity = table_.GetEntity(job, ChunkRowKey(index));
  if (!entity.ok()) {
    if (entity.status().IsNotFound()) return std::optional<ChunkRow>();
    return entity.status();
  }
  auto row = ChunkRowFromEntity(*entity);
  if (!row.ok()) return row.status();
  return std::optional<ChunkRow>(std::move(*row));
}

Status JobsTable::RecordChunkDone(const std::string& job, ChunkRow done) const {
  done.state = ChunkState::kDone;
  done.error.clear();
  done.updated = NowForTable();
  return table_.InsertOrReplaceEntity(ChunkRowToEntity(job, done)).status();
}

Status JobsTable::RecordChunkFailure(const std::string& job, const ChunkRow& range,
                                     std::string_view error) const {
  for (int round = 0; round < kMaxOptimisticRounds; ++round) {
    auto existing = GetChunk(job, range.index);
    if (!existing.ok()) return existing.status();
    if (*existing && (*existing)->state == ChunkState::kDone) return Status::Ok();
    ChunkRow row = *existing ? **existing : range;
    row.state = ChunkState::kRetrying;
    row.attempts += 1;
    row.worker = range.worker;
    row.queued = range.queued;
    row.started = range.started;
    row.error = ReasonForRow(error);
    row.updated = NowForTable();
    const Entity entity = ChunkRowToEntity(job, row);
    auto written = *existing ? table_.ReplaceEntity(entity, row.etag) : table_.InsertEntity(entity);
    if (written.ok()) return Status::Ok();
    if (!LostRace(written.status())) return written.status();
  }
  return TooContended(job);
}

Result<ChunkTally> JobsTable::TallyChunks(const std::string& job) const {
  tablestore::QueryOptions query;
  query.filter = ChunkRowsOf(job);
  query.select = {"PartitionKey", "RowKey", "Chunk", "State", "Rows", "Rejected"};
  ChunkTally tally;
  Status bad;
  FANFOLD_RETURN_IF_ERROR(table_.QueryEntities(query).ForEach([&](const Entity& entity) {
    auto row = ChunkRowFromEntity(entity);
    if (!row.ok()) {
      bad = row.status();
      return false;
    }
    if (row->state == ChunkState::kDone) {
      tally.done += 1;
      tally.rows += row->rows;
      tally.rejected += row->rejected;
    } else {
      tally.failed.push_back(row->index);  // rows arrive in RowKey, so chunk, order
    }
    return true;
  }));
  FANFOLD_RETURN_IF_ERROR(bad);
  return tally;
}

Status JobsTable::DeleteJob(const std::string& job) const {
  tablestore::QueryOptions query;
  query.filter = tablestore::Eq("PartitionKey", job);
  query.select = {"PartitionKey", "RowKey"};
  auto pager = table_.QueryEntities(query);
  std::vector<std::string> keys;
  FANFOLD_RETURN_IF_ERROR(pager.ForEach([&](const Entity& entity) {
    keys.push_back(entity.row_key());
    return true;
  }));
  for (std::size_t at = 0; at < keys.size(); at += tablestore::kMaxTransactionActions) {
    Transaction transaction;
    for (std::size_t i = at; i < keys.size() && i < at + tablestore::kMaxTransactionActions; ++i) {
      transaction.Delete(job, keys[i], "*");
    }
    FANFOLD_RETURN_IF_ERROR(table_.SubmitTransaction(transaction).status());
  }
  return Status::Ok();
}

}  // namespace fanfold::pipelines
