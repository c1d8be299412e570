#include "pipelines/jobs_table.hpp"

#include <unistd.h>

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

// Once every chunk has reported and some failed all their attempts, the job has failed, whichever
// chunk reported last: a failure may come first and the other chunks' successes after it.
bool FailIfEveryChunkReported(JobRow& job_row, const std::function<std::string()>& first_error) {
  if (job_row.state != JobState::kRunning || job_row.chunks_failed == 0 ||
      job_row.chunks_done + job_row.chunks_failed < job_row.chunks_total) {
    return false;
  }
  job_row.state = JobState::kFailed;
  job_row.finished = NowForTable();
  job_row.error = std::to_string(job_row.chunks_failed) + " of " +
                  std::to_string(job_row.chunks_total) +
                  " chunks failed every attempt; first error: " + first_error();
  return true;
}

void LogJobFailed(const JobRow& job_row) {
  nlohmann::json ended = job_row.EndLogFields();
  ended["failed_chunks"] = job_row.failed_chunks;
  ended["error"] = job_row.error;
  telemetry::LogError("job.failed", ended);
}
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

void InsertSorted(std::vector<std::uint32_t>& indices, std::uint32_t index) {
  const auto at = std::lower_bound(indices.begin(), indices.end(), index);
  if (at == indices.end() || *at != index) indices.insert(at, index);
}

void Erase(std::vector<std::uint32_t>& indices, std::uint32_t index) {
  indices.erase(std::remove(indices.begin(), indices.end(), index), indices.end());
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

}  // namespace

std::string ThisWorkerName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid());
}

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

Result<bool> JobsTable::InsertJob(const JobRow& row) const {
  auto written = table_.InsertEntity(JobRowToEntity(row));
  if (written.ok()) return true;
  if (written.status().IsConflict()) return false;
  return written.status();
}

Result<JobRow> JobsTable::GetJob(const std::string& job) const {
  auto entity = table_.GetEntity(job, kJobRowKey);
  if (!entity.ok()) return entity.status();
  return JobRowFromEntity(*entity);
}

Result<std::vector<JobRow>> JobsTable::ListJobs() const {
  tablestore::QueryOptions query;
  query.filter = tablestore::Eq("RowKey", std::string(kJobRowKey));
  return CollectRows<JobRow>(table_.QueryEntities(query), &JobRowFromEntity);
}

Result<std::vector<ChunkRow>> JobsTable::ListChunks(const std::string& job) const {
  tablestore::QueryOptions query;
  query.filter = tablestore::And(
      tablestore::Eq("PartitionKey", job),
      tablestore::And(
          tablestore::Compare("RowKey", tablestore::Comparison::kGe, std::string("chunk-")),
          tablestore::Compare("RowKey", tablestore::Comparison::kLt, std::string("chunk."))));
  return CollectRows<ChunkRow>(table_.QueryEntities(query), &ChunkRowFromEntity);
}

Result<JobRow> JobsTable::UpdateJob(const std::string& job,
                                    const std::function<bool(JobRow&)>& change) const {
  for (int round = 0; round < kMaxOptimisticRounds; ++round) {
    auto row = GetJob(job);
    if (!row.ok()) return row.status();
    if (!change(*row)) return row;
    auto written = table_.ReplaceEntity(JobRowToEntity(*row), row->etag);
    if (written.ok()) {
      row->etag = written->etag;
      return row;
    }
    if (!LostRace(written.status())) return written.status();
  }
  return TooContended(job);
}

Result<JobsTable::JobAndChunk> JobsTable::ReadJobAndChunk(const std::string& job,
                                                          std::uint32_t index) const {
  // One query answers both rows: one round trip instead of two point reads.
  tablestore::QueryOptions query;
  query.filter = tablestore::And(tablestore::Eq("PartitionKey", job),
                                 tablestore::Or(tablestore::Eq("RowKey", std::string(kJobRowKey)),
                                                tablestore::Eq("RowKey", ChunkRowKey(index))));
  auto pager = table_.QueryEntities(query);
  std::optional<JobRow> job_row;
  std::optional<ChunkRow> chunk_row;
  Status bad;
  FANFOLD_RETURN_IF_ERROR(pager.ForEach([&](const Entity& entity) {
    if (entity.row_key() == kJobRowKey) {
      auto row = JobRowFromEntity(entity);
      if (!row.ok()) bad = row.status();
      if (row.ok()) job_row = std::move(*row);
    } else {
      auto row = ChunkRowFromEntity(entity);
      if (!row.ok()) bad = row.status();
      if (row.ok()) chunk_row = std::move(*row);
    }
    return bad.ok();
  }));
  FANFOLD_RETURN_IF_ERROR(bad);
  if (!job_row) return Status::Http(404, "ResourceNotFound", "job " + job + " has no job row", "");
  return JobAndChunk{std::move(*job_row), std::move(chunk_row)};
}

Result<bool> JobsTable::CommitChunkAndJob(const std::string& job, const ChunkRow& chunk,
                                          bool chunk_exists, const JobRow& job_row) const {
  // The chunk row is inserted when it was never written, else replaced in the version read; the
  // job row in the version read. Either changed meanwhile: a lost race (false), nothing written.
  Transaction transaction;
  Entity entity = ChunkRowToEntity(job, chunk);
  if (chunk_exists) {
    transaction.Replace(std::move(entity), chunk.etag);
  } else {
    transaction.Insert(std::move(entity));
  }
  transaction.Replace(JobRowToEntity(job_row), job_row.etag);
  auto committed = table_.SubmitTransaction(transaction);
  if (committed.ok()) return true;
  if (LostRace(committed.status())) return false;
  return committed.status();
}

Result<ChunkAttempt> JobsTable::BeginChunkAttempt(const std::string& job, std::uint32_t index,
                                                  std::uint64_t begin, std::uint64_t end,
                                                  const std::string& worker) const {
  for (int round = 0; round < kMaxOptimisticRounds; ++round) {
    auto existing = table_.GetEntity(job, ChunkRowKey(index));
    ChunkRow row;
    if (existing.ok()) {
      auto parsed = ChunkRowFromEntity(*existing);
      if (!parsed.ok()) return parsed.status();
      row = std::move(*parsed);
      if (row.state == ChunkState::kDone) {
        return ChunkAttempt{true, row, row.attempts - row.retry_base};
      }
    } else if (!existing.status().IsNotFound()) {
      return existing.status();
    } else {
      row.index = index;
      row.begin = begin;
      row.end = end;
    }
    // A failed chunk being run again (rewind) stays Failed in the job's counters until it
    // reports; its row shows the new attempt.
    if (row.state != ChunkState::kFailed) row.state = ChunkState::kRunning;
    row.attempts += 1;
    row.worker = worker;
    row.updated = NowForTable();
    const Entity entity = ChunkRowToEntity(job, row);
    auto written =
        existing.ok() ? table_.ReplaceEntity(entity, row.etag) : table_.InsertEntity(entity);
    if (written.ok()) {
      row.etag = written->etag;
      const std::int64_t attempt = row.attempts - row.retry_base;
      return ChunkAttempt{false, std::move(row), attempt};
    }
    if (!LostRace(written.status())) return written.status();
  }
  return TooContended(job);
}

Result<ChunkReportOutcome> JobsTable::ReportChunkSuccess(const std::string& job,
                                                         const ChunkRow& done) const {
  for (int round = 0; round < kMaxOptimisticRounds; ++round) {
    auto read = ReadJobAndChunk(job, done.index);
    if (!read.ok()) return read.status();
    JobRow& job_row = read->job;
    const bool exists = read->chunk.has_value();
    if (exists && read->chunk->state == ChunkState::kDone)
      return ChunkReportOutcome::kAlreadyCounted;
    const bool was_failed = exists && read->chunk->state == ChunkState::kFailed &&
                            std::find(job_row.failed_chunks.begin(), job_row.failed_chunks.end(),
                                      done.index) != job_row.failed_chunks.end();
    ChunkRow chunk = done;
    chunk.state = ChunkState::kDone;
    chunk.updated = NowForTable();
    chunk.error.clear();
    if (exists) {
      chunk.attempts = std::max(chunk.attempts, read->chunk->attempts);
      chunk.retry_base = read->chunk->retry_base;
      chunk.etag = read->chunk->etag;
    }
    job_row.chunks_done += 1;
    job_row.rows += chunk.rows;
    job_row.rejected += chunk.rejected;
    if (was_failed) {
      job_row.chunks_failed -= 1;
      Erase(job_row.failed_chunks, done.index);
    }
    // A chunk that reports late (after the job was marked Failed) revives a job that has no
    // failed chunk left.
    if (job_row.state == JobState::kFailed && job_row.chunks_failed == 0) {
      job_row.state = JobState::kRunning;
      job_row.finished.reset();
      job_row.error.clear();
    }
    const bool failed_now = FailIfEveryChunkReported(job_row, [&] {
      // The failure that came first is in its chunk's row.
      auto failed = ReadJobAndChunk(job, job_row.failed_chunks.front());
      return failed.ok() && failed->chunk
                 ? failed->chunk->error
                 : std::string("see `fanfold status ") + job + " --chunks`";
    });
    auto committed = CommitChunkAndJob(job, chunk, exists, job_row);
    if (!committed.ok()) return committed.status();
    if (*committed) {
      if (failed_now) LogJobFailed(job_row);
      return ChunkReportOutcome::kCounted;
    }
  }
  return TooContended(job);
}

Result<ChunkReportOutcome> JobsTable::ReportChunkFailure(const std::string& job,
                                                         std::uint32_t index,
                                                         const std::string& error,
                                                         bool final) const {
  for (int round = 0; round < kMaxOptimisticRounds; ++round) {
    auto read = ReadJobAndChunk(job, index);
    if (!read.ok()) return read.status();
    JobRow& job_row = read->job;
    const bool exists = read->chunk.has_value();
    if (exists && read->chunk->state == ChunkState::kDone)
      return ChunkReportOutcome::kAlreadyCounted;
    ChunkRow chunk = exists ? *read->chunk : ChunkRow{};
    chunk.index = index;
    chunk.error = error;
    chunk.updated = NowForTable();
    const bool counted_failed =
        std::find(job_row.failed_chunks.begin(), job_row.failed_chunks.end(), index) !=
        job_row.failed_chunks.end();
    if (!final || counted_failed) {
      chunk.state = final ? ChunkState::kFailed : ChunkState::kRetrying;
      auto written = exists ? table_.ReplaceEntity(ChunkRowToEntity(job, chunk), chunk.etag)
                            : table_.InsertEntity(ChunkRowToEntity(job, chunk));
      if (written.ok()) return ChunkReportOutcome::kRecorded;
      if (!LostRace(written.status())) return written.status();
      continue;
    }
    chunk.state = ChunkState::kFailed;
    job_row.chunks_failed += 1;
    InsertSorted(job_row.failed_chunks, index);
    const bool failed_now = FailIfEveryChunkReported(job_row, [&] { return error; });
    auto committed = CommitChunkAndJob(job, chunk, exists, job_row);
    if (!committed.ok()) return committed.status();
    if (*committed) {
      if (failed_now) LogJobFailed(job_row);
      return ChunkReportOutcome::kCounted;
    }
  }
  return TooContended(job);
}

Result<std::vector<std::uint32_t>> JobsTable::ResetFailedChunks(const std::string& job) const {
  auto job_row = GetJob(job);
  if (!job_row.ok()) return job_row.status();
  if (job_row->state != JobState::kFailed) {
    return Status::InvalidArgument("job " + job + " is " + JobStateName(job_row->state) +
                                   "; only a Failed job can be retried");
  }
  // Chunk rows first, up to 100 per transaction, then the job row. A crash in between leaves
  // chunks Retrying under a Failed job, and the next `fanfold retry` resets them again.
  auto chunks = ListChunks(job);
  if (!chunks.ok()) return chunks.status();
  std::vector<std::uint32_t> reset;
  Transaction transaction;
  const auto flush = [&]() -> Status {
    if (transaction.empty()) return Status::Ok();
    auto committed = table_.SubmitTransaction(transaction);
    transaction = Transaction();
    if (committed.ok()) return Status::Ok();
    if (LostRace(committed.status())) {
      return Status::Aborted("job " + job +
                             ": a chunk changed while it was being reset; run the retry again");
    }
    return committed.status();
  };
  for (ChunkRow& chunk : *chunks) {
    if (chunk.state != ChunkState::kFailed && chunk.state != ChunkState::kRetrying) continue;
    chunk.state = ChunkState::kRetrying;
    chunk.retry_base = chunk.attempts;
    chunk.updated = NowForTable();
    reset.push_back(chunk.index);
    transaction.Replace(ChunkRowToEntity(job, chunk), chunk.etag);
    if (transaction.size() == tablestore::kMaxTransactionActions) FANFOLD_RETURN_IF_ERROR(flush());
  }
  FANFOLD_RETURN_IF_ERROR(flush());
  auto updated = UpdateJob(job, [](JobRow& row) {
    if (row.state != JobState::kFailed) return false;
    row.state = JobState::kRunning;
    row.chunks_failed = 0;
    row.failed_chunks.clear();
    row.error.clear();
    row.finished.reset();
    return true;
  });
  if (!updated.ok()) return updated.status();
  return reset;
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
