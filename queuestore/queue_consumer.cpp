#include "queuestore/queue_consumer.hpp"

#include <algorithm>

#include "queuestore/message_not_held.hpp"
#include "queuestore/poison_envelope.hpp"
#include "queuestore/queue_options.hpp"
#include "storage/utf8_text.hpp"
#include "telemetry/log.hpp"

namespace fanfold::queuestore {

using storage::Result;
using storage::Status;

namespace {

// A settle or renewal that finds the message gone to someone else is not this holder's error.
Status NotHeldIsOk(const Status& status) {
  return IsMessageNotHeld(status) ? Status::Ok() : status;
}

// A reason in a log line: enough to act on, never a whole exception text.
constexpr size_t kMaxLoggedReasonBytes = 1000;

}  // namespace

std::string UnreadableReason(std::string_view what, std::string_view content) {
  std::string reason = "unreadable " + std::string(what) + ": ";
  if (content.empty()) return reason + "the message is empty";
  if (!storage::IsValidUtf8(content)) {
    return reason + "the message is not valid UTF-8 (" + std::to_string(content.size()) + " bytes)";
  }
  if (!nlohmann::json::accept(content)) {
    return reason + "the message is not JSON (" + std::to_string(content.size()) + " bytes)";
  }
  return reason + "JSON of the wrong shape (" + std::to_string(content.size()) + " bytes)";
}

HeldMessage::HeldMessage(ReceivedMessage message)
    : message_(std::move(message)), pop_receipt_(message_.pop_receipt) {}

std::string HeldMessage::pop_receipt() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pop_receipt_;
}

bool HeldMessage::settled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return settled_;
}

QueueConsumer::QueueConsumer(QueueClient queue, QueueClient poison, QueueConsumerOptions options)
    : queue_(std::move(queue)), poison_(std::move(poison)), options_(std::move(options)) {
  if (options_.name.empty()) options_.name = queue_.name();
  options_.max_dequeue_count = std::max(options_.max_dequeue_count, 1);
  options_.visibility_timeout =
      std::clamp(options_.visibility_timeout, std::chrono::seconds(1), kMaxVisibilityTimeout);
}

Status QueueConsumer::Prepare() const {
  for (const auto* queue : {&queue_, &poison_}) {
    auto created = queue->Create();
    if (!created.ok()) return created.status();
  }
  return Status::Ok();
}

Result<std::vector<ReceivedMessage>> QueueConsumer::Receive(int max_messages) const {
  GetMessagesOptions get;
  get.max_messages = std::clamp(max_messages, 1, kMaxMessagesPerRequest);
  get.visibility_timeout = options_.visibility_timeout;
  return queue_.GetMessages(get);
}

bool QueueConsumer::OverDequeueLimit(const ReceivedMessage& message) const {
  return message.dequeue_count > options_.max_dequeue_count;
}

std::string QueueConsumer::DequeueLimitReason(const ReceivedMessage& message) const {
  return "delivered " + std::to_string(message.dequeue_count) +
         " times without being handled (a worker crashed or hung on it each time)";
}

Status QueueConsumer::Renew(HeldMessage& held) const {
  std::lock_guard<std::mutex> lock(held.mutex_);
  if (held.settled_) return Status::Ok();
  auto renewed = queue_.UpdateMessage(held.id(), held.pop_receipt_, options_.visibility_timeout);
  if (!renewed.ok()) return renewed.status();
  held.pop_receipt_ = renewed->pop_receipt;
  return Status::Ok();
}

Status QueueConsumer::Delete(HeldMessage& held) const {
  std::lock_guard<std::mutex> lock(held.mutex_);
  if (held.settled_) return Status::Ok();
  const Status deleted = queue_.DeleteMessage(held.id(), held.pop_receipt_);
  if (deleted.ok() || IsMessageNotHeld(deleted)) held.settled_ = true;
  return NotHeldIsOk(deleted);
}

Status QueueConsumer::Release(HeldMessage& held, std::chrono::seconds delay) const {
  std::lock_guard<std::mutex> lock(held.mutex_);
  if (held.settled_) return Status::Ok();
  auto released = queue_.UpdateMessage(held.id(), held.pop_receipt_, delay);
  if (released.ok()) held.pop_receipt_ = released->pop_receipt;
  if (released.ok() || IsMessageNotHeld(released.status())) held.settled_ = true;
  return NotHeldIsOk(released.status());
}

Status QueueConsumer::Poison(HeldMessage& held, const std::string& reason,
                             const nlohmann::json& log_fields) const {
  std::lock_guard<std::mutex> lock(held.mutex_);
  if (held.settled_) return Status::Ok();
  const ReceivedMessage& message = held.message();
  nlohmann::json fields = log_fields.is_object() ? log_fields : nlohmann::json::object();
  fields["stage"] = options_.name;
  fields["queue"] = queue_.name();
  fields["poison_queue"] = poison_.name();
  fields["dequeue_count"] = message.dequeue_count;
  fields["bytes"] = message.content.size();
  fields["error"] = storage::TruncateUtf8(reason, kMaxLoggedReasonBytes);
  PutMessageOptions put;
  put.time_to_live = kNeverExpires;  // kept until a person (or `retry`) deals with it
  auto moved = poison_.PutMessage(
      PoisonEnvelope(queue_.name(), reason, message.dequeue_count, message.content), put);
  if (!moved.ok()) {
    fields["poison_error"] = moved.status().ToString();
    telemetry::LogWarn("message.poison_failed", fields);
    return moved.status();
  }
  const Status deleted = queue_.DeleteMessage(held.id(), held.pop_receipt_);
  if (!deleted.ok() && !IsMessageNotHeld(deleted)) {
    // The envelope is kept; the message comes back and is poisoned again (a duplicate envelope).
    fields["poison_error"] = deleted.ToString();
    telemetry::LogWarn("message.poison_failed", fields);
    return deleted;
  }
  held.settled_ = true;
  telemetry::LogError("message.poisoned", fields);
  return Status::Ok();
}

Status QueueConsumer::Poison(const ReceivedMessage& message, const std::string& reason,
                             const nlohmann::json& log_fields) const {
  HeldMessage held(message);
  return Poison(held, reason, log_fields);
}

VisibilityRenewer::VisibilityRenewer(const QueueConsumer& consumer)
    : consumer_(consumer), thread_([this] { Loop(); }) {}

VisibilityRenewer::~VisibilityRenewer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

VisibilityRenewer::Clock::duration VisibilityRenewer::Interval() const {
  return consumer_.options().visibility_timeout / 3;
}

void VisibilityRenewer::Add(std::shared_ptr<HeldMessage> held) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const HeldMessage* key = held.get();
    entries_[key] = Entry{std::move(held), Clock::now() + Interval()};
  }
  changed_.notify_all();
}

void VisibilityRenewer::Remove(const HeldMessage& held) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(&held);
}

void VisibilityRenewer::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    auto next = Clock::time_point::max();
    for (const auto& [key, entry] : entries_)
      next = std::min(next, entry.renew_at);
    if (next == Clock::time_point::max()) {
      changed_.wait(lock);
      continue;
    }
    changed_.wait_until(lock, next);  // or until something is added or removed, or stop
    std::vector<std::shared_ptr<HeldMessage>> due;
    const auto now = Clock::now();
    for (const auto& [key, entry] : entries_) {
      if (entry.renew_at <= now) due.push_back(entry.held);
    }
    if (due.empty()) continue;
    lock.unlock();
    // The renewal holds the message's own mutex (in QueueConsumer::Renew), never this one: a
    // handler adding or removing messages is not kept waiting by a slow request.
    for (const auto& held : due) {
      const Status renewed = consumer_.Renew(*held);
      if (renewed.ok() && !held->settled()) ++renewals_;
      std::lock_guard<std::mutex> relock(mutex_);
      const auto it = entries_.find(held.get());
      if (it == entries_.end() || it->second.held != held) continue;  // removed meanwhile
      if (held->settled() || IsMessageNotHeld(renewed)) {
        entries_.erase(it);
      } else {
        // A failed renewal is tried again soon: the message is still hidden for a while.
        it->second.renew_at =
            Clock::now() + (renewed.ok() ? Interval() : Clock::duration(std::chrono::seconds(1)));
      }
    }
    lock.lock();
  }
}

}  // namespace fanfold::queuestore
