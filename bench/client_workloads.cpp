#include "bench/client_workloads.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "queuestore/queue_service_client.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "storage/random_id.hpp"
#include "tablestore/table_service_client.hpp"

namespace fanfold::bench {

using storage::Result;
using storage::Status;

// The work of one round of queue_put (how many it started) or queue_delete (what it deletes).
struct ClientWorkloads::Pool {
  std::atomic<size_t> next{0};
  std::vector<std::pair<std::string, std::string>> receipts;  // (message id, pop receipt)
};

namespace {

// 64 bytes, about the size of the small messages fanfold's orchestration sends.
const std::string kMessage = "fanfold-bench-message-0123456789abcdefghijklmnopqrstuvwxyzABCDEF";

OpOutcome Fail(OpContext& context, const Status& status) {
  *context.error = status.ToString();
  return OpOutcome::kFailed;
}

Result<std::unique_ptr<queuestore::QueueClient>> NewQueue(
    const queuestore::QueueServiceClient& service, const std::string& name) {
  auto queue = service.GetQueueClient(name);
  if (!queue.ok()) return queue.status();
  auto created = queue->Create();
  if (!created.ok()) return created.status();
  return std::make_unique<queuestore::QueueClient>(std::move(queue).value());
}

std::string RandomBytes(uint64_t size) {
  std::mt19937_64 random(12345);
  std::string bytes(size, '\0');
  for (uint64_t i = 0; i < size; i += 8) {
    const uint64_t word = random();
    for (uint64_t b = 0; b < 8 && i + b < size; ++b)
      bytes[i + b] = static_cast<char>((word >> (8 * b)) & 0xFF);
  }
  return bytes;
}

}  // namespace

int ClientWorkloads::RequestsPerOperation(const std::string& name) {
  return name == "queue_cycle" ? 3 : 1;
}

Result<std::unique_ptr<ClientWorkloads>> ClientWorkloads::Create(
    const storage::StorageAccount& account, storage::StorageCounters* counters,
    const WorkloadSettings& settings) {
  if (settings.range_bytes == 0 || settings.range_bytes > settings.blob_bytes) {
    return Status::InvalidArgument("the range must be 1 byte to the blob's size");
  }
  std::unique_ptr<ClientWorkloads> workloads(new ClientWorkloads());
  workloads->account_ = account;
  workloads->counters_ = counters;
  workloads->settings_ = settings;
  const std::string uuid = storage::NewUuid();
  workloads->name_suffix_ = uuid.substr(0, 8) + uuid.substr(9, 4);
  workloads->table_name_ = "bench" + workloads->name_suffix_;
  workloads->peek_queue_name_ = "benchpeek" + workloads->name_suffix_;
  workloads->pool_ = std::make_unique<Pool>();
  return workloads;
}

storage::PipelineOptions ClientWorkloads::PipelineOptions() const {
  storage::PipelineOptions options;
  options.counters = counters_;
  return options;
}

Status ClientWorkloads::EnsureTable() {
  if (table_) return Status::Ok();
  const tablestore::TableServiceClient tables(account_, PipelineOptions());
  FANFOLD_RETURN_IF_ERROR(tables.CreateTable(table_name_));
  table_ = std::make_unique<tablestore::TableClient>(tables.GetTableClient(table_name_));
  return Status::Ok();
}

Status ClientWorkloads::EnsureReadTarget(const std::string& operation) {
  if (operation == "table_get") {
    if (get_entity_written_) return Status::Ok();
    FANFOLD_RETURN_IF_ERROR(EnsureTable());
    tablestore::Entity entity(kGetPartitionKey, kGetRowKey);
    entity.Set("Payload", kMessage);
    entity.Set("Count", int64_t{42});
    entity.Set("Amount", 3.5);
    FANFOLD_RETURN_IF_ERROR(table_->InsertOrReplaceEntity(entity).status());
    get_entity_written_ = true;
    return Status::Ok();
  }
  if (operation == "queue_peek") {
    if (peek_queue_) return Status::Ok();
    const queuestore::QueueServiceClient queues(account_, PipelineOptions());
    auto peek = NewQueue(queues, peek_queue_name_);
    if (!peek.ok()) return peek.status();
    FANFOLD_RETURN_IF_ERROR((*peek)->PutMessage(kMessage).status());
    peek_queue_ = std::move(peek).value();
    return Status::Ok();
  }
  return Status::InvalidArgument("no read target for " + operation);
}

Status ClientWorkloads::EnsureWorkQueues() {
  if (put_queue_) return Status::Ok();
  const queuestore::QueueServiceClient queues(account_, PipelineOptions());
  for (auto [name, slot] :
       {std::pair{"benchcycle", &cycle_queue_}, std::pair{"benchget", &get_queue_},
        std::pair{"benchdelete", &delete_queue_}, std::pair{"benchput", &put_queue_}}) {
    auto queue = NewQueue(queues, name + name_suffix_);
    if (!queue.ok()) return queue.status();
    *slot = std::move(queue).value();
  }
  return Status::Ok();
}

Status ClientWorkloads::EnsureBlob() {
  if (blob_) return Status::Ok();
  const storage::BlobServiceClient blobs(account_, PipelineOptions());
  container_ = std::make_unique<storage::BlobContainerClient>(
      blobs.GetContainerClient("bench" + name_suffix_));
  FANFOLD_RETURN_IF_ERROR(container_->Create());
  auto blob = std::make_unique<storage::BlobClient>(container_->GetBlobClient("ranges.bin"));
  FANFOLD_RETURN_IF_ERROR(blob->Upload(RandomBytes(settings_.blob_bytes)).status());
  blob_ = std::move(blob);
  return Status::Ok();
}

ClientWorkloads::~ClientWorkloads() {
  // Best effort: a private Azurite vanishes anyway, but a real account would keep the data.
  if (table_)
    (void)tablestore::TableServiceClient(account_, PipelineOptions()).DeleteTable(table_name_);
  if (container_) (void)container_->Delete();
  for (const auto* queue : {peek_queue_.get(), cycle_queue_.get(), put_queue_.get(),
                            get_queue_.get(), delete_queue_.get()}) {
    if (queue != nullptr) (void)queue->Delete();
  }
}

Status ClientWorkloads::ClearWorkQueues() const {
  for (const auto* queue :
       {put_queue_.get(), get_queue_.get(), delete_queue_.get(), cycle_queue_.get()}) {
    if (queue != nullptr) FANFOLD_RETURN_IF_ERROR(queue->ClearMessages());
  }
  return Status::Ok();
}

Status ClientWorkloads::PutPool(const queuestore::QueueClient& queue, Pool* receipts) const {
  constexpr int kFillers = 8;
  const size_t messages = settings_.queue_pool;
  if (receipts != nullptr) {
    receipts->receipts.clear();
    receipts->next = 0;
  }
  std::atomic<size_t> next{0};
  std::mutex mutex;
  Status failure;
  std::vector<std::thread> fillers;
  for (int f = 0; f < kFillers; ++f) {
    fillers.emplace_back([&] {
      while (next.fetch_add(1) < messages) {
        auto put = queue.PutMessage(kMessage);
        std::lock_guard<std::mutex> lock(mutex);
        if (!put.ok()) {
          failure = put.status();
          return;
        }
        // A Put Message's pop receipt deletes the message as well as a received one would.
        if (receipts != nullptr) receipts->receipts.emplace_back(put->message_id, put->pop_receipt);
      }
    });
  }
  for (std::thread& filler : fillers)
    filler.join();
  return failure;
}

Result<ClientWorkloads::Prepared> ClientWorkloads::Prepare(const std::string& operation) {
  FANFOLD_RETURN_IF_ERROR(ClearWorkQueues());
  if (operation == "table_upsert") {
    FANFOLD_RETURN_IF_ERROR(EnsureTable());
    const tablestore::TableClient& table = *table_;
    return Prepared{Operation([&table](OpContext& context) {
                      char row[16];
                      std::snprintf(row, sizeof row, "r%04llu",
                                    static_cast<unsigned long long>(context.iteration % 1000));
                      tablestore::Entity entity("u" + std::to_string(context.thread), row);
                      entity.Set("Payload", kMessage);
                      entity.Set("Count", static_cast<int64_t>(context.iteration));
                      entity.Set("Amount", 3.5);
                      const auto written = table.InsertOrReplaceEntity(entity);
                      return written.ok() ? OpOutcome::kDone : Fail(context, written.status());
                    }),
                    {}};
  }
  if (operation == "table_get") {
    FANFOLD_RETURN_IF_ERROR(EnsureReadTarget(operation));
    const tablestore::TableClient& table = *table_;
    return Prepared{Operation([&table](OpContext& context) {
                      const auto read = table.GetEntity(kGetPartitionKey, kGetRowKey);
                      return read.ok() ? OpOutcome::kDone : Fail(context, read.status());
                    }),
                    {}};
  }
  if (operation == "queue_peek") {
    FANFOLD_RETURN_IF_ERROR(EnsureReadTarget(operation));
    const queuestore::QueueClient& queue = *peek_queue_;
    return Prepared{Operation([&queue](OpContext& context) {
                      const auto peeked = queue.PeekMessages();
                      if (!peeked.ok()) return Fail(context, peeked.status());
                      if (peeked->size() != 1)
                        return Fail(context, Status::Corruption("peek found no message"));
                      return OpOutcome::kDone;
                    }),
                    {}};
  }
  if (operation == "blob_range_read") {
    FANFOLD_RETURN_IF_ERROR(EnsureBlob());
    const storage::BlobClient& blob = *blob_;
    const uint64_t range = settings_.range_bytes;
    const uint64_t offsets = settings_.blob_bytes - range + 1;
    return Prepared{Operation([&blob, range, offsets](OpContext& context) {
                      const uint64_t offset = (*context.random)() % offsets;
                      uint64_t received = 0;
                      const auto read =
                          blob.DownloadRange(offset, range, [&received](std::string_view chunk) {
                            received += chunk.size();
                            return true;
                          });
                      if (!read.ok()) return Fail(context, read.status());
                      if (received != range)
                        return Fail(context, Status::Corruption("short range read"));
                      return OpOutcome::kDone;
                    }),
                    {}};
  }

  FANFOLD_RETURN_IF_ERROR(EnsureWorkQueues());
  if (operation == "queue_cycle") {
    const queuestore::QueueClient& queue = *cycle_queue_;
    return Prepared{Operation([&queue](OpContext& context) {
                      if (auto put = queue.PutMessage(kMessage); !put.ok())
                        return Fail(context, put.status());
                      const auto received = queue.GetMessages();
                      if (!received.ok()) return Fail(context, received.status());
                      if (received->empty())
                        return Fail(context, Status::Corruption("get found no message"));
                      const Status deleted = queue.DeleteMessage(received->front().message_id,
                                                                 received->front().pop_receipt);
                      return deleted.ok() ? OpOutcome::kDone : Fail(context, deleted);
                    }),
                    {}};
  }

  const size_t pool_size = settings_.queue_pool;
  Pool& pool = *pool_;
  if (operation == "queue_put") {
    const queuestore::QueueClient& queue = *put_queue_;
    pool.next = 0;
    Refill refill = [&queue, &pool] {
      pool.next = 0;
      return queue.ClearMessages();
    };
    return Prepared{[&queue, &pool, pool_size](OpContext& context) {
                      if (pool.next.fetch_add(1) >= pool_size) return OpOutcome::kExhausted;
                      const auto put = queue.PutMessage(kMessage);
                      return put.ok() ? OpOutcome::kDone : Fail(context, put.status());
                    },
                    refill};
  }
  if (operation == "queue_get") {
    const queuestore::QueueClient& queue = *get_queue_;
    FANFOLD_RETURN_IF_ERROR(PutPool(queue, nullptr));
    Refill refill = [this, &queue] {
      // The received messages are still there, invisible: clear them before the next pool.
      FANFOLD_RETURN_IF_ERROR(queue.ClearMessages());
      return PutPool(queue, nullptr);
    };
    return Prepared{[&queue](OpContext& context) {
                      const auto received = queue.GetMessages();  // 1 message, hidden 30 s
                      if (!received.ok()) return Fail(context, received.status());
                      return received->empty() ? OpOutcome::kExhausted : OpOutcome::kDone;
                    },
                    refill};
  }
  if (operation == "queue_delete") {
    const queuestore::QueueClient& queue = *delete_queue_;
    FANFOLD_RETURN_IF_ERROR(PutPool(queue, &pool));
    Refill refill = [this, &queue, &pool] { return PutPool(queue, &pool); };
    return Prepared{[&queue, &pool](OpContext& context) {
                      const size_t index = pool.next.fetch_add(1);
                      if (index >= pool.receipts.size()) return OpOutcome::kExhausted;
                      const auto& [id, receipt] = pool.receipts[index];
                      const Status deleted = queue.DeleteMessage(id, receipt);
                      return deleted.ok() ? OpOutcome::kDone : Fail(context, deleted);
                    },
                    refill};
  }
  return Status::InvalidArgument("unknown operation: " + operation);
}

}  // namespace fanfold::bench
