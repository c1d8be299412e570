// Size decisions on the bytes that go on the wire, against storage: a checkpoint whose escaped
// JSON is over an entity group transaction's 4 MiB commits through a blob, atomically, and reads
// back; rows in the inline format still read; a payload whose message would pass 64 KiB once
// escaped and Base64-encoded is offloaded; a 10,000-task fan-out completes.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "orchestrator/messages.hpp"
#include "queuestore/queue_validation.hpp"
#include "storage/blob/blob_service_client.hpp"
#include "tablestore/odata_filter.hpp"
#include "tablestore/table_service_client.hpp"
#include "tests/orchestrator/engine_test_support.hpp"

namespace fanfold::orchestrator {
namespace {

using nlohmann::json;
using test::BackgroundWorker;
using test::OpenHub;

// Fails every $batch request while armed, before it reaches the service: a worker that dies
// between writing a checkpoint's blob and committing its row.
class BatchKiller final : public storage::Transport {
 public:
  explicit BatchKiller(std::shared_ptr<storage::Transport> inner) : inner_(std::move(inner)) {}
  storage::Result<storage::HttpResponse> Send(storage::HttpRequest& request) override {
    if (armed_ && request.kind == storage::OperationKind::kTableBatch) {
      return storage::Status::Transport("killed before the transaction was sent");
    }
    return inner_->Send(request);
  }
  std::atomic<bool> armed_{false};

 private:
  std::shared_ptr<storage::Transport> inner_;
};

// 19,000 quotes and 100 each of a backslash, a control character, 'é' and an emoji: 39,404 bytes
// as a JSON string in a message (so it stays inline: under PayloadStore's budget), 40,600 once
// more escaped in the history's ASCII-only JSON, and about 80,000 on the wire in a property.
std::string EscapeHeavyPayload(int seed) {
  std::string text(19000, '"');
  for (int i = 0; i < 100; ++i)
    text += "\\\x01\xc3\xa9\xf0\x9f\x98\x80";
  return text + std::to_string(seed);
}

// An ExecutionStarted and 90 TaskScheduled events with escape-heavy inputs: about 4.1 million
// characters of stored JSON (under the 12 x 360,000 the raw-size rule allowed) but over 7 MB of
// $batch body, far past the 4 MiB an entity group transaction may carry.
std::vector<HistoryEvent> LargeCheckpoint() {
  std::vector<HistoryEvent> events;
  HistoryEvent started;
  started.type = EventType::kExecutionStarted;
  started.name = "big";
  started.payload = "{\"n\":90}";
  events.push_back(started);
  for (int i = 0; i < 90; ++i) {
    HistoryEvent scheduled;
    scheduled.type = EventType::kTaskScheduled;
    scheduled.task_id = i;
    scheduled.name = "work";
    scheduled.payload = EscapeHeavyPayload(i);
    scheduled.timestamp =
        storage::Timestamp(std::chrono::microseconds(1'700'000'000'000'000LL + i));
    events.push_back(scheduled);
  }
  return events;
}

std::vector<HistoryEvent> SmallCheckpoint(int first_task) {
  HistoryEvent completed;
  completed.type = EventType::kTaskCompleted;
  completed.task_id = first_task;
  completed.payload = "\"done \\\" \xe2\x9c\x93\"";
  return {completed};
}

class EncodedSizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = OpenHub(Options());
    ASSERT_NE(hub_, nullptr);
    client_ = std::make_unique<TaskHubClient>(hub_);
  }
  void TearDown() override {
    if (hub_) (void)hub_->DeleteAll();
  }
  virtual TaskHubOptions Options() { return test::FastHubOptions(); }

  tablestore::TableClient HistoryTable() const {
    return tablestore::TableServiceClient(fanfold::testing::TestAccount(), {})
        .GetTableClient(hub_->names().history_table);
  }
  std::map<std::string, tablestore::Entity> Rows(const std::string& instance) const {
    std::map<std::string, tablestore::Entity> rows;
    tablestore::QueryOptions query;
    query.filter = tablestore::Eq("PartitionKey", instance);
    const auto status = HistoryTable().QueryEntities(query).ForEach([&](const auto& row) {
      rows.emplace(row.row_key(), row);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return rows;
  }
  std::vector<std::string> Blobs(const std::string& instance) const {
    storage::ListBlobsOptions options;
    options.prefix = instance + "/";
    auto blobs = storage::BlobServiceClient(fanfold::testing::TestAccount(), {})
                     .GetContainerClient(hub_->names().large_message_container)
                     .ListAllBlobs(options);
    EXPECT_TRUE(blobs.ok()) << blobs.status().ToString();
    std::vector<std::string> names;
    if (blobs.ok()) {
      for (const auto& blob : *blobs)
        names.push_back(blob.name);
    }
    return names;
  }

  std::shared_ptr<TaskHub> hub_;
  std::unique_ptr<TaskHubClient> client_;
};

TEST_F(EncodedSizeTest, ACheckpointOverFourMiBOnTheWireCommitsThroughABlobAndReadsBack) {
  const auto& history = hub_->history();
  const auto big = LargeCheckpoint();
  auto etag = history.Append("big", "", 0, big);
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();

  // One small row names the blob; it committed with the sentinel.
  const auto rows = Rows("big");
  ASSERT_EQ(rows.size(), 2u);
  const auto& row = rows.at("0000000000");
  EXPECT_TRUE(row.Has("EventsBlob"));
  EXPECT_FALSE(row.Has("Events0"));
  EXPECT_EQ(*row.GetInt32("Count"), 91);
  EXPECT_EQ(Blobs("big").size(), 1u);

  // A small checkpoint after it is inline again.
  const auto small = SmallCheckpoint(0);
  auto next = history.Append("big", *etag, big.size(), small);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_TRUE(Rows("big").at("0000000091").Has("Events0"));

  auto loaded = history.Load("big");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  std::vector<HistoryEvent> expected = big;
  expected.insert(expected.end(), small.begin(), small.end());
  ASSERT_EQ(loaded->events.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(loaded->events[i], expected[i]) << "event " << i;
  EXPECT_EQ(loaded->checkpoint_starts, (std::vector<size_t>{0, 91}));
  EXPECT_EQ(loaded->sentinel_etag, *next);
}

TEST_F(EncodedSizeTest, AnEventLargerThanARowCommitsThroughABlob) {
  // Failure details are not offloaded like payloads: one event can outgrow a whole inline row.
  HistoryEvent failed;
  failed.type = EventType::kTaskFailed;
  failed.task_id = 3;
  failed.failure = FailureDetails{"ActivityFailed", "it broke", std::string(400000, '"')};
  auto etag = hub_->history().Append("huge-event", "", 0, {failed});
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  auto loaded = hub_->history().Load("huge-event");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->events.size(), 1u);
  EXPECT_EQ(loaded->events[0], failed);
}

TEST_F(EncodedSizeTest, ALostRaceOfABlobCheckpointChangesNoHistory) {
  const auto& history = hub_->history();
  auto etag = history.Append("race", "", 0, SmallCheckpoint(0));
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  auto winner = history.Append("race", *etag, 1, SmallCheckpoint(1));
  ASSERT_TRUE(winner.ok()) << winner.status().ToString();
  // The loser's view is one checkpoint old: its sentinel guard refuses the whole checkpoint.
  auto loser = history.Append("race", *etag, 1, LargeCheckpoint());
  ASSERT_FALSE(loser.ok());
  EXPECT_TRUE(loser.status().IsPreconditionFailed() || loser.status().IsConflict())
      << loser.status().ToString();
  auto loaded = history.Load("race");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->events.size(), 2u);
  EXPECT_EQ(loaded->sentinel_etag, *winner);
}

TEST_F(EncodedSizeTest, RowsInTheInlineFormatStillRead) {
  // Exactly what earlier versions wrote: one checkpoint over two rows, its JSON split across
  // Events0..N properties, and the sentinel.
  std::vector<json> events;
  for (const auto& event : SmallCheckpoint(0))
    events.push_back(ToJson(event));
  HistoryEvent scheduled;
  scheduled.type = EventType::kTaskScheduled;
  scheduled.task_id = 1;
  scheduled.name = "work";
  scheduled.payload = "\"" + std::string(50, '"') + "\"";
  events.push_back(ToJson(scheduled));
  tablestore::Transaction transaction;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string text = json::array({events[i]}).dump(-1, ' ', true);
    tablestore::Entity row("old", "000000000" + std::to_string(i));
    row.Set("Checkpoint", static_cast<int64_t>(0));
    row.Set("Count", 1);
    row.Set("Events0", text.substr(0, 20));
    row.Set("Events1", text.substr(20));
    transaction.Insert(row);
  }
  tablestore::Entity sentinel("old", "~sentinel");
  sentinel.Set("Length", static_cast<int64_t>(2));
  transaction.Insert(sentinel);
  auto written = HistoryTable().SubmitTransaction(transaction);
  ASSERT_TRUE(written.ok()) << written.status().ToString();

  auto loaded = hub_->history().Load("old");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->events.size(), 2u);
  EXPECT_EQ(loaded->events[0], SmallCheckpoint(0)[0]);
  EXPECT_EQ(loaded->events[1], scheduled);
  EXPECT_EQ(loaded->checkpoint_starts, (std::vector<size_t>{0}));
}

TEST_F(EncodedSizeTest, PurgeDeletesTheCheckpointBlobs) {
  auto etag = hub_->history().Append("purged", "", 0, LargeCheckpoint());
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  ASSERT_EQ(Blobs("purged").size(), 1u);
  ASSERT_TRUE(hub_->history().Purge("purged").ok());
  EXPECT_TRUE(Blobs("purged").empty());
  EXPECT_TRUE(Rows("purged").empty());
  auto loaded = hub_->history().Load("purged");
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->events.empty());
}

// A hub whose $batch requests can be made to fail, without retries.
class CrashingHubTest : public EncodedSizeTest {
 protected:
  TaskHubOptions Options() override {
    killer_ = std::make_shared<BatchKiller>(storage::DefaultTransport());
    TaskHubOptions options = test::FastHubOptions();
    options.pipeline.transport = killer_;
    options.pipeline.retry.max_retries = 0;
    return options;
  }
  std::shared_ptr<BatchKiller> killer_;
};

TEST_F(CrashingHubTest, ACrashBetweenTheBlobAndTheRowLeavesTheOldHistoryValid) {
  const auto& history = hub_->history();
  auto etag = history.Append("crash", "", 0, SmallCheckpoint(0));
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();

  killer_->armed_ = true;
  auto crashed = history.Append("crash", *etag, 1, LargeCheckpoint());
  killer_->armed_ = false;
  ASSERT_FALSE(crashed.ok());
  EXPECT_EQ(Blobs("crash").size(), 1u);  // written, never named

  auto before = history.Load("crash");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->events.size(), 1u);
  EXPECT_EQ(before->sentinel_etag, *etag);

  // The worker that takes over commits the same checkpoint from the same view.
  auto retried = history.Append("crash", *etag, 1, LargeCheckpoint());
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  auto after = history.Load("crash");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->events.size(), 92u);
  EXPECT_EQ(after->events.back(), LargeCheckpoint().back());

  ASSERT_TRUE(history.Purge("crash").ok());
  EXPECT_TRUE(Blobs("crash").empty());  // the unnamed blob too
}

std::string Quotes(size_t n) {
  return std::string(n, '"');
}

TEST_F(EncodedSizeTest, TheInlineLimitIsOnTheEncodedSize) {
  const PayloadStore& store = hub_->payloads();
  // A quote is two bytes in a message's JSON: 21,503 of them are 43,008 bytes with the string's
  // quotes, 57,344 once Base64-encoded, exactly the budget; one more is over it.
  EXPECT_EQ(PayloadStore::kMaxInlineMessageBytes, 57344u);
  EXPECT_TRUE(store.FitsInline(Quotes(21503)));
  EXPECT_FALSE(store.FitsInline(Quotes(21504)));
  // Plain ASCII is limited by the property instead: 2 bytes a character in UTF-16.
  EXPECT_TRUE(store.FitsInline(std::string(32767, 'x')));
  EXPECT_FALSE(store.FitsInline(std::string(32768, 'x')));
  // 'é' is sent as two bytes of UTF-8 (not escaped), like a quote: the message limits it too.
  std::string accents;
  for (int i = 0; i < 21503; ++i)
    accents += "\xc3\xa9";
  EXPECT_TRUE(store.FitsInline(accents));
  EXPECT_FALSE(store.FitsInline(accents + "\xc3\xa9"));
  // Bytes that are not UTF-8 cannot be a table string: they always go to a blob.
  EXPECT_FALSE(store.FitsInline("\xff"));
}

// The event payload of the one control message on the instance's queue.
std::string ReceivedPayload(const TaskHub& hub, const std::string& instance) {
  auto received = hub.control_queue_for(instance).GetMessages();
  EXPECT_TRUE(received.ok()) << received.status().ToString();
  if (!received.ok() || received->size() != 1) return "";
  EXPECT_LE(queuestore::EncodedMessageBytes((*received)[0].content),
            queuestore::kMaxEncodedMessageBytes);
  auto message = ParseControlMessage((*received)[0].content);
  EXPECT_TRUE(message.has_value());
  return message ? message->events.at(0).payload : "";
}

TEST_F(EncodedSizeTest, APayloadWhoseMessageWouldPass64KiBIsOffloaded) {
  // 24,000 quotes: 24,000 bytes raw (under the old 45 KiB rule) but 48,002 escaped and 64,004
  // once Base64-encoded: with its message around it, over 64 KiB.
  HistoryEvent raised;
  raised.type = EventType::kEventRaised;
  raised.name = "big";
  raised.payload = Quotes(24000);
  ASSERT_TRUE(hub_->SendControl(EventMessage("offloaded", raised)).ok());
  const std::string payload = ReceivedPayload(*hub_, "offloaded");
  EXPECT_TRUE(PayloadStore::IsReference(payload)) << payload.substr(0, 80);
  auto resolved = hub_->payloads().Resolve(payload);
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(*resolved, raised.payload);

  // Right at the budget it travels inline, and the message still fits.
  raised.payload = Quotes(21503);
  ASSERT_TRUE(hub_->SendControl(EventMessage("inline", raised)).ok());
  EXPECT_EQ(ReceivedPayload(*hub_, "inline"), raised.payload);
}

Task<std::string> Echoes(OrchestrationContext& context, std::string text) {
  co_return co_await context.call_activity<std::string>("echo", text);
}

// What a pipeline's chunk task carries: a descriptor of a few hundred bytes of JSON, many of
// them quotes. 10,000 of them make a scheduling checkpoint of about 7 MB on the wire.
json ChunkDescriptor(int i) {
  return {{"i", i},
          {"blob", "uploads/acme/customer-sf1.tbl"},
          {"etag", "\"0x8DC1F2A3B4C5D6E\""},
          {"offset", 2'500'000LL * i},
          {"length", 2'500'000},
          {"job", "customer-sf1-tbl-0123456789abcdef"},
          {"columns", json::array({"c_custkey", "c_name", "c_address", "c_nationkey", "c_phone",
                                   "c_acctbal", "c_mktsegment", "c_comment"})},
          {"note", "a \"quoted\" word, a tab\t, and \u00e9t\u00e9"}};
}

Task<long long> FanOut(OrchestrationContext& context, int n) {
  std::vector<Task<long long>> tasks;
  tasks.reserve(static_cast<size_t>(n));
  for (int i = 1; i <= n; ++i)
    tasks.push_back(context.call_activity<long long>("chunk", ChunkDescriptor(i)));
  long long sum = 0;
  for (const auto s : co_await when_all(tasks))
    sum += s;
  co_return sum;
}

// FANFOLD_FAN_OUT_TASKS=N runs the fan-out test at another width (by hand, to measure).
int FanOutWidth() {
  const char* text = std::getenv("FANFOLD_FAN_OUT_TASKS");
  return text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : 10000;
}

class EncodedSizeEngineTest : public EncodedSizeTest {
 protected:
  void SetUp() override {
    EncodedSizeTest::SetUp();
    registry_.AddOrchestrator("echoes", &Echoes);
    registry_.AddOrchestrator("fan_out", &FanOut);
    registry_.AddActivity<std::string, std::string>(
        "echo", [](ActivityContext&, const std::string& text) { return text; });
    registry_.AddActivity<long long, json>("chunk", [](ActivityContext&, const json& chunk) {
      const long long i = chunk.at("i").get<long long>();
      return i * i;
    });
  }
  Registry registry_;
};

TEST_F(EncodedSizeEngineTest, AnInputFullOfQuotesStartsRunsAndCompletes) {
  // 20,000 quotes are a 40,002-byte JSON input: under 45 KiB raw, but twice that escaped in a
  // message and 80,000 bytes as a UTF-16 property. Both places now get a blob reference.
  BackgroundWorker worker(hub_, registry_);
  const std::string text = Quotes(20000);
  auto id = client_->Start("echoes", text, "quotes");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto status = client_->WaitForCompletion(*id, std::chrono::seconds(60));
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  ASSERT_EQ(status->status, RuntimeStatus::kCompleted)
      << (status->failure ? status->failure->message : "");
  EXPECT_EQ(status->output, json(text).dump());
  EXPECT_EQ(status->input, json(text).dump());
}

TEST_F(EncodedSizeEngineTest, TenThousandTasksFanOutAndIn) {
  WorkerOptions options = test::FastWorkerOptions();
  options.activity_concurrency = 8;
  options.orchestration.visibility_timeout = std::chrono::seconds(30);
  BackgroundWorker worker(hub_, registry_, options);
  const int kTasks = FanOutWidth();
  const auto start = std::chrono::steady_clock::now();
  auto id = client_->Start("fan_out", kTasks, "ten-thousand");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // The bound grows with the width: 5 minutes per 10,000 tasks (about 15 times what it takes).
  auto status =
      client_->WaitForCompletion(*id, std::chrono::minutes(5 * (1 + (kTasks - 1) / 10000)));
  const auto stats = worker.worker().stats();
  ASSERT_TRUE(status.ok()) << status.status().ToString() << "; checkpoints "
                           << stats.orchestration.checkpoints << ", conflicts "
                           << stats.orchestration.conflicts << ", full replays "
                           << stats.orchestration.full_replays << ", duplicates "
                           << stats.orchestration.duplicates << ", activities "
                           << stats.activity.completed << ", errors " << stats.errors;
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(status->status, RuntimeStatus::kCompleted)
      << (status->failure ? status->failure->message : "");
  // 1² + ... + n² = n(n + 1)(2n + 1) / 6
  const long long n = kTasks;
  EXPECT_EQ(status->output, std::to_string(n * (n + 1) * (2 * n + 1) / 6));
  auto history = hub_->history().Load(*id);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  int scheduled = 0;
  int completed = 0;
  for (const auto& event : history->events) {
    scheduled += event.type == EventType::kTaskScheduled;
    completed += event.type == EventType::kTaskCompleted;
  }
  EXPECT_EQ(scheduled, kTasks);
  EXPECT_EQ(completed, kTasks);
  if (kTasks >= 10000) {
    // The scheduling checkpoint is over 4 MiB on the wire: it went through a blob.
    int blob_rows = 0;
    for (const auto& [key, row] : Rows(*id))
      blob_rows += row.Has("EventsBlob");
    EXPECT_GE(blob_rows, 1);
  }
  // A measurement for the report, never a pass/fail criterion.
  std::printf("[ measure  ] %d chunk tasks (no-op) in %.1f s, %zu checkpoints, %llu full replays\n",
              kTasks, elapsed_s, history->checkpoint_starts.size(),
              static_cast<unsigned long long>(stats.orchestration.full_replays));
}

}  // namespace
}  // namespace fanfold::orchestrator
