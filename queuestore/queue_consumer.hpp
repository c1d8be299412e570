// QueueConsumer: the one way fanfold takes work from a queue, shared by the engine's processors
// (control and work-item queues) and the queue stages (the trigger and the chained pipeline):
// receive with a visibility timeout, keep a message hidden while its handler runs, settle it
// with the pop receipt that holds it now, and move what cannot be handled to the poison queue in
// one envelope format (queuestore/poison_envelope.hpp).
//
// Invariants:
// - Every request made with a message's pop receipt (renew, delete, release, poison) runs under
//   that message's own mutex, and each stores the receipt the service answered with: a renewal
//   and a settle never overlap, and a settle always uses the receipt the last renewal left. (Two
//   runtimes used to do this separately; one renewed outside its lock and then deleted with the
//   receipt the renewal had just killed, so the message came back and ran twice.)
// - A settle that finds the message no longer held (IsMessageNotHeld) is Ok: whoever holds it
//   now answers for it.
// - Poison never loses a message: the envelope is put first and the original deleted after, so
//   a crash in between leaves a duplicate envelope, never nothing. Any bytes can be poisoned.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "queuestore/queue_client.hpp"
#include "queuestore/queue_models.hpp"
#include "storage/result.hpp"

namespace fanfold::queuestore {

struct QueueConsumerOptions {
  // Who consumes, for logs and metrics ("orchestrator", "activities", "trigger", "chain-split"...).
  // Default: the queue's name.
  std::string name{};
  // How long a received message stays hidden; renewals extend it by as much. Default: 60 s.
  std::chrono::seconds visibility_timeout{60};
  // A message received more often than this is poisoned instead of handled again. Default: 5.
  int max_dequeue_count = 5;
};

// The poison reason for a message that could not be read as a `what` ("control message", "work
// item"...): "unreadable <what>: " and whether it is empty, not valid UTF-8, not JSON, or JSON
// of the wrong shape. It names the problem, never the bytes (reasons reach logs).
std::string UnreadableReason(std::string_view what, std::string_view content);

// A received message and the pop receipt that holds it now. Shared between the handler's thread
// and a VisibilityRenewer; every receipt-using request goes through QueueConsumer.
class HeldMessage {
 public:
  explicit HeldMessage(ReceivedMessage message);
  HeldMessage(const HeldMessage&) = delete;
  HeldMessage& operator=(const HeldMessage&) = delete;

  // As received (its pop_receipt field is the first receipt; see pop_receipt()).
  const ReceivedMessage& message() const { return message_; }
  const std::string& id() const { return message_.message_id; }
  // The receipt that holds the message now.
  std::string pop_receipt() const;
  // Deleted, released or poisoned: no request is made with it again.
  bool settled() const;

 private:
  friend class QueueConsumer;
  const ReceivedMessage message_;
  mutable std::mutex mutex_;  // held across each request that uses or replaces the receipt
  std::string pop_receipt_;
  bool settled_ = false;
};

class QueueConsumer {
 public:
  QueueConsumer(QueueClient queue, QueueClient poison, QueueConsumerOptions options = {});

  const QueueClient& queue() const { return queue_; }
  const QueueClient& poison_queue() const { return poison_; }
  const QueueConsumerOptions& options() const { return options_; }

  // Creates both queues if missing.
  storage::Status Prepare() const;
  // Get Messages: up to max_messages (clamped to 1..32), hidden for the visibility timeout.
  storage::Result<std::vector<ReceivedMessage>> Receive(int max_messages) const;

  // True when the message has been delivered more often than max_dequeue_count.
  bool OverDequeueLimit(const ReceivedMessage& message) const;
  // The poison reason for such a message.
  std::string DequeueLimitReason(const ReceivedMessage& message) const;

  // Extends the message's invisibility by the visibility timeout and keeps the new receipt.
  // Ok without a request once the message is settled.
  storage::Status Renew(HeldMessage& held) const;
  // Delete Message with the current receipt.
  storage::Status Delete(HeldMessage& held) const;
  // Makes the message visible again after `delay` (0: at once); it counts as a delivery.
  storage::Status Release(HeldMessage& held, std::chrono::seconds delay) const;
  // Puts the poison envelope (source queue, reason, dequeue count, time, original bytes) on the
  // poison queue, then deletes the message with the current receipt, and logs
  // "message.poisoned" (stage, queue, poison queue, dequeue count, reason and `log_fields`; never
  // the body). An error leaves the message where it was: it comes back and is poisoned again.
  storage::Status Poison(HeldMessage& held, const std::string& reason,
                         const nlohmann::json& log_fields = nlohmann::json::object()) const;
  // The same for a message nobody renews (it was received and is settled on one thread).
  storage::Status Poison(const ReceivedMessage& message, const std::string& reason,
                         const nlohmann::json& log_fields = nlohmann::json::object()) const;

 private:
  QueueClient queue_;
  QueueClient poison_;
  QueueConsumerOptions options_;
};

// Keeps held messages hidden while their handlers run: one thread renews each message a third of
// the visibility timeout after its last renewal, until it is settled or removed. A message whose
// renewal finds it no longer held is dropped (its settle will find the same and be Ok).
class VisibilityRenewer {
 public:
  // `consumer` must outlive the renewer.
  explicit VisibilityRenewer(const QueueConsumer& consumer);
  ~VisibilityRenewer();
  VisibilityRenewer(const VisibilityRenewer&) = delete;
  VisibilityRenewer& operator=(const VisibilityRenewer&) = delete;

  void Add(std::shared_ptr<HeldMessage> held);
  void Remove(const HeldMessage& held);
  std::uint64_t renewals() const { return renewals_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::shared_ptr<HeldMessage> held;
    Clock::time_point renew_at;
  };
  void Loop();
  Clock::duration Interval() const;

  const QueueConsumer& consumer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<const HeldMessage*, Entry> entries_;
  bool stop_ = false;
  std::atomic<std::uint64_t> renewals_{0};
  std::thread thread_;
};

}  // namespace fanfold::queuestore
