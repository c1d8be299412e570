#include "pipelines/queue_stage.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "queuestore/message_not_held.hpp"
#include "queuestore/queue_options.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

std::string JobNamedIn(std::string_view content) {
  const nlohmann::json json = nlohmann::json::parse(content, nullptr, false);
  if (!json.is_object()) return {};
  const auto job = json.find("job");
  return job != json.end() && job->is_string() ? job->get<std::string>() : std::string();
}

QueueStage::QueueStage(queuestore::QueueClient queue, queuestore::QueueClient poison,
                       QueueStageOptions options, MessageHandler handler, PoisonHook on_poison)
    : queue_(std::move(queue)),
      poison_(std::move(poison)),
      options_(std::move(options)),
      handler_(std::move(handler)),
      on_poison_(std::move(on_poison)) {
  options_.concurrency = std::clamp(options_.concurrency, 1, 32);
  options_.max_dequeue = std::max(options_.max_dequeue, 1);
  options_.visibility_timeout = std::max(options_.visibility_timeout, std::chrono::seconds(2));
}

QueueStage::~QueueStage() {
  Stop();
}

storage::Status QueueStage::Prepare() const {
  for (const auto* queue : {&queue_, &poison_}) {
    auto created = queue->Create();
    if (!created.ok()) return created.status();
  }
  return storage::Status::Ok();
}

void QueueStage::Stop() {
  stop_ = true;
  changed_.notify_all();
}

QueueStageStats QueueStage::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  QueueStageStats out = stats_;
  out.in_flight = static_cast<std::uint64_t>(running_);
  return out;
}

storage::Status QueueStage::HandleReceived(const queuestore::ReceivedMessage& message) {
  {
    // Never renewed here (Run's keeper is not running): whoever received it keeps it hidden.
    std::lock_guard<std::mutex> lock(mutex_);
    held_[message.message_id] = {message.pop_receipt, Clock::time_point::max()};
    ++running_;
  }
  const storage::Status settled = Process(message);
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  changed_.notify_all();
  return settled;
}

void QueueStage::Log(const std::string& event, const std::string& text) const {
  telemetry::LogWarn(event, {{"stage", options_.name}, {"message", text}});
}

std::string QueueStage::Receipt(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = held_.find(id);
  return it == held_.end() ? std::string() : it->second.pop_receipt;
}

void QueueStage::Run() {
  std::thread keeper([this] { KeepVisible(); });
  auto delay = options_.min_poll_interval;
  while (!stop_) {
    int free_slots = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || running_ < options_.concurrency; });
      if (stop_) break;
      free_slots = options_.concurrency - running_;
    }
    queuestore::GetMessagesOptions get;
    get.max_messages = std::min(free_slots, queuestore::kMaxMessagesPerRequest);
    get.visibility_timeout = options_.visibility_timeout;
    auto messages = queue_.GetMessages(get);
    if (!messages.ok()) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++stats_.errors;
      }
      Log("stage.poll_failed", "polling " + queue_.name() + ": " + messages.status().ToString());
    }
    if (!messages.ok() || messages->empty()) {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait_for(lock, delay, [&] { return stop_.load(); });
      delay = std::min(delay * 2, options_.max_poll_interval);
      continue;
    }
    delay = options_.min_poll_interval;
    for (auto& message : *messages) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        held_[message.message_id] = {message.pop_receipt,
                                     Clock::now() + options_.visibility_timeout / 2};
        ++running_;
      }
      std::thread([this, message = std::move(message)]() mutable {
        (void)Process(std::move(message));
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
        changed_.notify_all();
      }).detach();
    }
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return running_ == 0; });
  }
  changed_.notify_all();
  keeper.join();
}

void QueueStage::KeepVisible() {
  while (true) {
    std::vector<std::pair<std::string, std::string>> due;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait_for(lock, std::chrono::milliseconds(500));
      if (stop_ && running_ == 0) return;
      const auto now = Clock::now();
      for (auto& [id, held] : held_) {
        if (held.renew_at <= now) due.emplace_back(id, held.pop_receipt);
      }
    }
    for (const auto& [id, receipt] : due) {
      auto renewed = queue_.UpdateMessage(id, receipt, options_.visibility_timeout);
      std::lock_guard<std::mutex> lock(mutex_);
      const auto it = held_.find(id);
      if (it == held_.end() || it->second.pop_receipt != receipt) continue;  // settled meanwhile
      if (renewed.ok()) {
        it->second.pop_receipt = renewed->pop_receipt;
        it->second.renew_at = Clock::now() + options_.visibility_timeout / 2;
      } else {
        it->second.renew_at = Clock::now() + std::chrono::seconds(1);
      }
    }
  }
}

storage::Status QueueStage::Process(queuestore::ReceivedMessage message) {
  MessageOutcome outcome;
  if (message.dequeue_count > options_.max_dequeue) {
    outcome = MessageOutcome::Poison("delivered " + std::to_string(message.dequeue_count) +
                                     " times without being handled (a worker crashed or hung "
                                     "on it each time)");
  } else {
    try {
      outcome = handler_(message);
    } catch (const std::exception& error) {
      outcome = MessageOutcome::Retry(std::string("handler threw: ") + error.what(),
                                      std::chrono::seconds(1));
    } catch (...) {
      outcome = MessageOutcome::Retry("handler threw something not a std::exception",
                                      std::chrono::seconds(1));
    }
  }
  const storage::Status settled = Settle(message, outcome);
  std::lock_guard<std::mutex> lock(mutex_);
  held_.erase(message.message_id);
  return settled;
}

storage::Status QueueStage::MoveToPoison(const queuestore::ReceivedMessage& message,
                                         const std::string& reason) {
  if (on_poison_) {
    const storage::Status told = on_poison_(message, reason);
    if (!told.ok()) Log("stage.error", "could not report a poisoned message: " + told.ToString());
  }
  queuestore::PutMessageOptions put;
  put.time_to_live = queuestore::kNeverExpires;
  auto moved = poison_.PutMessage(
      PoisonEnvelope(queue_.name(), reason, message.dequeue_count, message.content), put);
  if (!moved.ok()) {
    // Keep the original: it comes back after its visibility timeout and is poisoned again.
    Log("stage.error",
        "could not move a message to " + poison_.name() + ": " + moved.status().ToString());
    return moved.status();
  }
  const storage::Status deleted =
      queue_.DeleteMessage(message.message_id, Receipt(message.message_id));
  if (!deleted.ok() && !queuestore::IsMessageNotHeld(deleted)) {
    Log("stage.error", "could not delete a poisoned message: " + deleted.ToString());
  }
  return deleted;
}

storage::Status QueueStage::Settle(const queuestore::ReceivedMessage& message,
                                   const MessageOutcome& outcome) {
  const std::string receipt = Receipt(message.message_id);
  storage::Status status;
  switch (outcome.verdict) {
    case Verdict::kDone:
      status = queue_.DeleteMessage(message.message_id, receipt);
      break;
    case Verdict::kRetry: {
      auto updated = queue_.UpdateMessage(message.message_id, receipt, outcome.delay);
      status = updated.status();
      Log("message.retry", "delivery " + std::to_string(message.dequeue_count) + " of " +
                               std::to_string(options_.max_dequeue) + ": " + outcome.reason);
      break;
    }
    case Verdict::kDefer: {
      // Re-post, then delete: a crash in between leaves a duplicate, which handlers tolerate.
      queuestore::PutMessageOptions put;
      put.visibility_delay = outcome.delay;
      put.time_to_live = queuestore::kNeverExpires;
      auto reposted = queue_.PutMessage(message.content, put);
      status =
          reposted.ok() ? queue_.DeleteMessage(message.message_id, receipt) : reposted.status();
      break;
    }
    case Verdict::kPoison: {
      nlohmann::json fields = {{"stage", options_.name},
                               {"queue", queue_.name()},
                               {"poison_queue", poison_.name()},
                               {"dequeue_count", message.dequeue_count},
                               {"error", outcome.reason}};
      if (const std::string job = JobNamedIn(message.content); !job.empty()) fields["job"] = job;
      telemetry::LogError("message.poisoned", fields);
      status = MoveToPoison(message, outcome.reason);
      break;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  switch (outcome.verdict) {
    case Verdict::kDone:
      ++stats_.handled;
      break;
    case Verdict::kRetry:
      ++stats_.retried;
      break;
    case Verdict::kDefer:
      ++stats_.deferred;
      break;
    case Verdict::kPoison:
      ++stats_.poisoned;
      break;
  }
  // A message that is no longer ours was handled or redelivered elsewhere: not an error.
  if (queuestore::IsMessageNotHeld(status)) return storage::Status::Ok();
  if (!status.ok()) ++stats_.errors;
  return status;
}

}  // namespace fanfold::pipelines
