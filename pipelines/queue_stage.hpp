// A stage of work fed by one queue: polls it (when the process's PollPacer says: see
// queuestore/poll_pacer.hpp), runs a handler per message
// on a few threads, keeps each message invisible while its handler runs (so a slow handler is not
// redelivered under it, while a killed worker's messages come back after one visibility timeout),
// and settles each message by the handler's verdict. Messages delivered more than max_dequeue
// times go to the poison queue with the reason instead of looping forever. Receiving, renewing,
// settling and poisoning are queuestore::QueueConsumer's, as for the engine's processors: one
// poison envelope (queuestore/poison_envelope.hpp) for every queue fanfold reads.
//
// Delivery is at least once: a handler must be idempotent (the stages built on this are; see
// docs/architecture.md).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queuestore/poison_envelope.hpp"
#include "queuestore/poll_pacer.hpp"
#include "queuestore/queue_client.hpp"
#include "queuestore/queue_consumer.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

enum class Verdict {
  kDone,    // handled: delete the message
  kRetry,   // failed for now: leave it to come back after retry_after (counts as a delivery)
  kDefer,   // not ready yet: re-post it with a delay (the delivery count starts again)
  kPoison,  // will never succeed: move it to the poison queue with the reason
};

struct MessageOutcome {
  Verdict verdict = Verdict::kDone;
  std::string reason;             // kPoison (and kRetry, for the log)
  std::chrono::seconds delay{1};  // kRetry and kDefer
  static MessageOutcome Done() { return {}; }
  static MessageOutcome Retry(std::string why, std::chrono::seconds after) {
    return {Verdict::kRetry, std::move(why), after};
  }
  static MessageOutcome Defer(std::chrono::seconds after) { return {Verdict::kDefer, {}, after}; }
  static MessageOutcome Poison(std::string why) { return {Verdict::kPoison, std::move(why), {}}; }
};

using MessageHandler = std::function<MessageOutcome(const queuestore::ReceivedMessage&)>;
// Called before a message goes to the poison queue (by the handler's verdict or by too many
// deliveries), so the stage can tell whoever waits for its work. Errors are logged, not fatal.
using PoisonHook =
    std::function<storage::Status(const queuestore::ReceivedMessage&, const std::string& reason)>;

struct QueueStageOptions {
  std::string name;  // for logs: "trigger", "chain-aggregate", ...
  int concurrency = 2;
  int max_dequeue = 5;
  std::chrono::seconds visibility_timeout{60};
  // When to poll: the process's pacer, shared with the engine and the other stages; without
  // one, the stage makes its own from `pacing`.
  std::shared_ptr<queuestore::PollPacer> pacer;
  queuestore::PollPacerOptions pacing;
};

struct QueueStageStats {
  std::uint64_t handled = 0;
  std::uint64_t retried = 0;
  std::uint64_t deferred = 0;
  std::uint64_t poisoned = 0;
  std::uint64_t errors = 0;
  std::uint64_t in_flight = 0;  // messages being handled now
};

// The poison queue's message: the one envelope of queuestore/poison_envelope.hpp.
using queuestore::ParsePoisonEnvelope;
using queuestore::PoisonedMessage;
using queuestore::PoisonEnvelope;
// The "job" field of a message that is a JSON object holding one (the chained stages' messages),
// else "": so a poisoned message's log line and notification can name its job.
std::string JobNamedIn(std::string_view content);

class QueueStage {
 public:
  QueueStage(queuestore::QueueClient queue, queuestore::QueueClient poison,
             QueueStageOptions options, MessageHandler handler, PoisonHook on_poison = {});
  ~QueueStage();
  QueueStage(const QueueStage&) = delete;
  QueueStage& operator=(const QueueStage&) = delete;

  // Creates both queues if missing.
  storage::Status Prepare() const;
  // Polls until Stop(); returns when in-flight messages are settled.
  void Run();
  void Stop();
  // Handles and settles one message someone else received (an Azure Functions queue trigger),
  // without renewing its visibility (the receiver does). Ok once the message is settled (deleted,
  // re-posted, poisoned or released for a retry): it is then no longer the receiver's to delete.
  storage::Status HandleReceived(const queuestore::ReceivedMessage& message);
  QueueStageStats stats() const;
  const std::string& name() const { return options_.name; }
  const std::string& queue_name() const { return consumer_.queue().name(); }

 private:
  static QueueStageOptions Normalized(QueueStageOptions options);
  static queuestore::QueueConsumerOptions ConsumerOptions(const QueueStageOptions& options);
  // Runs the handler (or poisons a message over the dequeue limit) and settles the message.
  storage::Status Process(queuestore::HeldMessage& held);
  MessageOutcome Handle(const queuestore::ReceivedMessage& message);
  storage::Status Settle(queuestore::HeldMessage& held, const MessageOutcome& outcome);
  storage::Status MoveToPoison(queuestore::HeldMessage& held, const std::string& reason);
  void Log(const std::string& event, const std::string& text) const;

  QueueStageOptions options_;
  queuestore::QueueConsumer consumer_;
  std::shared_ptr<queuestore::PollPacer> pacer_;
  int lane_ = -1;
  MessageHandler handler_;
  PoisonHook on_poison_;
  // Keeps the messages Run received hidden while their handlers run.
  queuestore::VisibilityRenewer renewer_;

  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int running_ = 0;
  QueueStageStats stats_;
};

}  // namespace fanfold::pipelines
