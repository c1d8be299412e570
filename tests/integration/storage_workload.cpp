#include "tests/integration/storage_workload.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include "tablestore/transaction.hpp"

namespace fanfold::integration {
namespace {

using queuestore::QueueClient;
using storage::Result;
using storage::Status;
using tablestore::Entity;
using tablestore::TableClient;

// 4 partitions × 40 rows: few enough that writes often hit rows earlier steps wrote (so merges,
// increments and deletes meet existing data), enough for transactions of distinct rows.
constexpr int kPartitions = 4;
constexpr int kRowsPerPartition = 40;
constexpr int kRowsPerTransaction = 4;
constexpr int kMaxRereads = 10;

// The generator's raw output is specified by the standard, so a seed means the same sequence on
// every platform (the <random> distributions are not).
class Draw {
 public:
  explicit Draw(uint64_t seed) : random_(seed) {}
  int Below(int bound) { return static_cast<int>(random_() % static_cast<uint64_t>(bound)); }

 private:
  std::mt19937_64 random_;
};

std::string PartitionKey(int partition) {
  return "p" + std::to_string(partition);
}

std::string RowKey(int row) {
  char text[8];
  std::snprintf(text, sizeof text, "r%02d", row);
  return text;
}

// The workload stopped on an outcome it does not expect; says at which step and doing what.
Status Stopped(int step, const std::string& what, const Status& status) {
  return Status::Aborted("step " + std::to_string(step) + " (" + what + "): " + status.ToString());
}

Status Upsert(const TableClient& table, int step, const std::string& pk, const std::string& rk,
              int variant) {
  Entity entity(pk, rk);
  entity.Set("Step", step);
  entity.Set("Payload", "value-" + std::to_string(step) + "-" + std::to_string(variant));
  entity.Set("Amount", static_cast<double>(step) * 0.25);
  return table.InsertOrReplaceEntity(entity).status();
}

Status MergeUpsert(const TableClient& table, int step, const std::string& pk,
                   const std::string& rk) {
  Entity entity(pk, rk);
  entity.Set("MergedAt", int64_t{step});
  entity.Set("Tag", step % 2 == 0 ? "even" : "odd");
  return table.InsertOrMergeEntity(entity).status();
}

// Read, add one to Counter, write back only if the row is unchanged (If-Match); on 412 (changed
// since the read), 404 (deleted since) or 409 (created since), read again. Answers the new value
// and how many re-reads it took.
Result<std::pair<int64_t, int>> Increment(const TableClient& table, int step, const std::string& pk,
                                          const std::string& rk) {
  for (int rereads = 0; rereads < kMaxRereads; ++rereads) {
    auto read = table.GetEntity(pk, rk);
    if (!read.ok()) {
      if (!read.status().IsNotFound()) return read.status();
      Entity fresh(pk, rk);
      fresh.Set("Counter", int64_t{1});
      fresh.Set("LastStep", step);
      auto inserted = table.InsertEntity(fresh);
      if (inserted.ok()) return std::make_pair(int64_t{1}, rereads);
      if (!inserted.status().IsConflict()) return inserted.status();
      continue;
    }
    // An upsert replaced the row without a Counter: count from zero again.
    const auto current = read->GetInt64("Counter");
    const int64_t value = (current.ok() ? *current : 0) + 1;
    Entity next(pk, rk);
    next.Set("Counter", value);
    next.Set("LastStep", step);
    auto merged = table.MergeEntity(next, read->etag());
    if (merged.ok()) return std::make_pair(value, rereads);
    if (!merged.status().IsPreconditionFailed() && !merged.status().IsNotFound()) {
      return merged.status();
    }
  }
  return Status::Aborted("no progress after " + std::to_string(kMaxRereads) + " re-reads");
}

// Answers "ok" or "absent": both are expected outcomes of an unconditional delete.
Result<std::string> DeleteRow(const TableClient& table, const std::string& pk,
                              const std::string& rk) {
  const Status deleted = table.DeleteEntity(pk, rk, tablestore::kMatchAny);
  if (deleted.ok()) return std::string("ok");
  if (deleted.IsNotFound()) return std::string("absent");
  return deleted;
}

// Upserts of kRowsPerTransaction distinct rows of one partition, alternating replace and merge.
Status UpsertTransaction(const TableClient& table, Draw& draw, int step, const std::string& pk) {
  std::vector<int> rows(kRowsPerPartition);
  for (int i = 0; i < kRowsPerPartition; ++i)
    rows[i] = i;
  tablestore::Transaction transaction;
  for (int i = 0; i < kRowsPerTransaction; ++i) {
    // A partial Fisher-Yates shuffle on our own draws, for the same reason as Draw.
    std::swap(rows[i], rows[i + draw.Below(kRowsPerPartition - i)]);
    Entity entity(pk, RowKey(rows[i]));
    if (i % 2 == 0) {
      entity.Set("Step", step);
      entity.Set("Batch", true);
      transaction.InsertOrReplace(std::move(entity));
    } else {
      entity.Set("BatchStep", int64_t{step});
      transaction.InsertOrMerge(std::move(entity));
    }
  }
  return table.SubmitTransaction(transaction).status();
}

}  // namespace

Result<WorkloadTrace> RunMixedWorkload(const TableClient& table, const QueueClient& queue,
                                       int steps, uint64_t seed) {
  // Shares: 25% upsert, 10% merge-upsert, 15% increment, 4% delete, 4% transaction, 24% put,
  // 18% get. More puts than gets, so that the queues end non-empty and comparing them means
  // something.
  Draw draw(seed);
  WorkloadTrace trace;
  for (int step = 0; step < steps; ++step) {
    const int kind = draw.Below(100);
    const std::string pk = PartitionKey(draw.Below(kPartitions));
    const std::string rk = RowKey(draw.Below(kRowsPerPartition));
    const std::string where = pk + "/" + rk;
    std::string line = std::to_string(step) + " ";
    if (kind < 25) {
      line += "upsert " + where;
      if (Status s = Upsert(table, step, pk, rk, draw.Below(1000)); !s.ok()) {
        return Stopped(step, line, s);
      }
    } else if (kind < 35) {
      line += "merge-upsert " + where;
      if (Status s = MergeUpsert(table, step, pk, rk); !s.ok()) return Stopped(step, line, s);
    } else if (kind < 50) {
      line += "increment " + where;
      auto result = Increment(table, step, pk, rk);
      if (!result.ok()) return Stopped(step, line, result.status());
      line += " -> " + std::to_string(result->first) + " rereads " + std::to_string(result->second);
    } else if (kind < 54) {
      line += "delete " + where;
      auto result = DeleteRow(table, pk, rk);
      if (!result.ok()) return Stopped(step, line, result.status());
      line += " " + *result;
    } else if (kind < 58) {
      line += "transaction " + pk;
      if (Status s = UpsertTransaction(table, draw, step, pk); !s.ok()) {
        return Stopped(step, line, s);
      }
    } else if (kind < 82) {
      const std::string content =
          "m" + std::to_string(step) + "-" + std::to_string(draw.Below(1000));
      line += "put";
      if (auto put = queue.PutMessage(content); !put.ok()) return Stopped(step, line, put.status());
      trace.put_contents.push_back(content);
    } else {
      line += "get";
      auto received = queue.GetMessages();
      if (!received.ok()) return Stopped(step, line, received.status());
      if (received->empty()) {
        line += " empty";
      } else {
        const auto& message = received->front();
        const Status deleted = queue.DeleteMessage(message.message_id, message.pop_receipt);
        if (!deleted.ok()) return Stopped(step, line + " delete", deleted);
        line += " dequeue " + std::to_string(message.dequeue_count);
        trace.received_contents.push_back(message.content);
      }
    }
    trace.steps.push_back(std::move(line));
  }
  return trace;
}

Result<WorkloadTrace> RunUpsertWorkload(const TableClient& table, int steps, uint64_t seed) {
  Draw draw(seed);
  WorkloadTrace trace;
  for (int step = 0; step < steps; ++step) {
    const int kind = draw.Below(100);
    const std::string pk = PartitionKey(draw.Below(kPartitions));
    const std::string rk = RowKey(draw.Below(kRowsPerPartition));
    std::string line = std::to_string(step) + " ";
    Status status;
    if (kind < 50) {
      line += "upsert " + pk + "/" + rk;
      status = Upsert(table, step, pk, rk, draw.Below(1000));
    } else if (kind < 75) {
      line += "merge-upsert " + pk + "/" + rk;
      status = MergeUpsert(table, step, pk, rk);
    } else if (kind < 90) {
      line += "transaction " + pk;
      status = UpsertTransaction(table, draw, step, pk);
    } else {
      line += "delete " + pk + "/" + rk;
      // A retried delete whose first answer was lost finds nothing: "absent" is success here.
      auto deleted = DeleteRow(table, pk, rk);
      status = deleted.status();
      if (deleted.ok()) line += " " + *deleted;
    }
    if (!status.ok()) return Stopped(step, line, status);
    trace.steps.push_back(std::move(line));
  }
  return trace;
}

Result<TableState> ReadTableState(const TableClient& table) {
  TableState state;
  tablestore::EntityPager pager = table.QueryEntities();
  FANFOLD_RETURN_IF_ERROR(pager.ForEach([&](const Entity& entity) {
    state.emplace(std::make_pair(entity.partition_key(), entity.row_key()), entity.properties());
    return true;
  }));
  return state;
}

Result<std::vector<std::string>> DrainQueue(const QueueClient& queue) {
  queuestore::GetMessagesOptions options;
  options.max_messages = queuestore::kMaxMessagesPerRequest;
  options.visibility_timeout = std::chrono::minutes(10);
  std::vector<std::string> contents;
  while (true) {
    auto received = queue.GetMessages(options);
    if (!received.ok()) return received.status();
    if (received->empty()) break;
    for (const auto& message : *received)
      contents.push_back(message.content);
  }
  std::sort(contents.begin(), contents.end());
  return contents;
}

}  // namespace fanfold::integration
