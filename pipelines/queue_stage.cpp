#include "pipelines/queue_stage.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "queuestore/queue_options.hpp"
#include "telemetry/log.hpp"

namespace fanfold::pipelines {

std::string JobNamedIn(std::string_view content) {
  const nlohmann::json json = nlohmann::json::parse(content, nullptr, false);
  if (!json.is_object()) return {};
  const auto job = json.find("job");
  return job != json.end() && job->is_string() ? job->get<std::string>() : std::string();
}

QueueStageOptions QueueStage::Normalized(QueueStageOptions options) {
  options.concurrency = std::clamp(options.concurrency, 1, 32);
  options.max_dequeue = std::max(options.max_dequeue, 1);
  options.visibility_timeout = std::max(options.visibility_timeout, std::chrono::seconds(2));
  return options;
}

queuestore::QueueConsumerOptions QueueStage::ConsumerOptions(const QueueStageOptions& options) {
  queuestore::QueueConsumerOptions consumer;
  consumer.name = options.name;
  consumer.visibility_timeout = options.visibility_timeout;
  consumer.max_dequeue_count = options.max_dequeue;
  return consumer;
}

QueueStage::QueueStage(queuestore::QueueClient queue, queuestore::QueueClient poison,
                       QueueStageOptions options, MessageHandler handler, PoisonHook on_poison)
    : options_(Normalized(std::move(options))),
      consumer_(std::move(queue), std::move(poison), ConsumerOptions(options_)),
      pacer_(options_.pacer ? options_.pacer
                            : std::make_shared<queuestore::PollPacer>(options_.pacing)),
      lane_(pacer_->AddLane(options_.name.empty() ? consumer_.queue().name() : options_.name)),
      handler_(std::move(handler)),
      on_poison_(std::move(on_poison)),
      renewer_(consumer_) {}

QueueStage::~QueueStage() {
  Stop();
}

storage::Status QueueStage::Prepare() const {
  return consumer_.Prepare();
}

void QueueStage::Stop() {
  {
    // Under the lock, so a Run that has just checked stop_ is already waiting when told.
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  pacer_->Interrupt();
}

QueueStageStats QueueStage::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  QueueStageStats out = stats_;
  out.in_flight = static_cast<std::uint64_t>(running_);
  return out;
}

storage::Status QueueStage::HandleReceived(const queuestore::ReceivedMessage& message) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++running_;
  }
  // Never renewed here: whoever received it keeps it hidden.
  queuestore::HeldMessage held(message);
  const storage::Status settled = Process(held);
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  changed_.notify_all();
  return settled;
}

void QueueStage::Log(const std::string& event, const std::string& text) const {
  telemetry::LogWarn(event, {{"stage", options_.name}, {"message", text}});
}

void QueueStage::Run() {
  while (!stop_) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || running_ < options_.concurrency; });
      if (stop_) break;
    }
    if (!pacer_->AwaitTurn(lane_, stop_)) break;
    int free_slots = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      free_slots = options_.concurrency - running_;
    }
    auto messages = consumer_.Receive(free_slots);
    pacer_->Record(lane_, !messages.ok() || messages->empty() ? queuestore::PollResult::kEmpty
                          : static_cast<int>(messages->size()) >= free_slots
                              ? queuestore::PollResult::kFull
                              : queuestore::PollResult::kDrained);
    if (!messages.ok()) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++stats_.errors;
      }
      Log("stage.poll_failed", "polling " + queue_name() + ": " + messages.status().ToString());
    }
    if (!messages.ok() || messages->empty()) continue;
    for (auto& message : *messages) {
      auto held = std::make_shared<queuestore::HeldMessage>(std::move(message));
      renewer_.Add(held);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++running_;
      }
      std::thread([this, held] {
        (void)Process(*held);
        std::lock_guard<std::mutex> lock(mutex_);
        --running_;
        changed_.notify_all();
      }).detach();
    }
  }
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return running_ == 0; });
}

MessageOutcome QueueStage::Handle(const queuestore::ReceivedMessage& message) {
  if (consumer_.OverDequeueLimit(message)) {
    return MessageOutcome::Poison(consumer_.DequeueLimitReason(message));
  }
  // A handler that throws is retried, and past the dequeue limit poisoned: it never takes the
  // worker down. Its text is kept for the retry log (exception texts are the handler's own).
  try {
    return handler_(message);
  } catch (const std::exception& error) {
    return MessageOutcome::Retry(std::string("handler threw: ") + error.what(),
                                 std::chrono::seconds(1));
  } catch (...) {
    return MessageOutcome::Retry("handler threw a non-standard exception", std::chrono::seconds(1));
  }
}

storage::Status QueueStage::Process(queuestore::HeldMessage& held) {
  const MessageOutcome outcome = Handle(held.message());
  // No renewal after this: the settle below uses the receipt the last renewal left.
  renewer_.Remove(held);
  return Settle(held, outcome);
}

storage::Status QueueStage::MoveToPoison(queuestore::HeldMessage& held, const std::string& reason) {
  const queuestore::ReceivedMessage& message = held.message();
  if (on_poison_) {
    storage::Status told;
    try {
      told = on_poison_(message, reason);
    } catch (const std::exception& error) {
      told = storage::Status::Aborted(std::string("the poison hook threw: ") + error.what());
    }
    if (!told.ok()) Log("stage.error", "could not report a poisoned message: " + told.ToString());
  }
  nlohmann::json fields = nlohmann::json::object();
  if (const std::string job = JobNamedIn(message.content); !job.empty()) fields["job"] = job;
  return consumer_.Poison(held, reason, fields);
}

storage::Status QueueStage::Settle(queuestore::HeldMessage& held, const MessageOutcome& outcome) {
  const queuestore::ReceivedMessage& message = held.message();
  storage::Status status;
  switch (outcome.verdict) {
    case Verdict::kDone:
      status = consumer_.Delete(held);
      break;
    case Verdict::kRetry:
      status = consumer_.Release(held, outcome.delay);
      Log("message.retry", "delivery " + std::to_string(message.dequeue_count) + " of " +
                               std::to_string(options_.max_dequeue) + ": " + outcome.reason);
      break;
    case Verdict::kDefer: {
      // Re-post, then delete: a crash in between leaves a duplicate, which handlers tolerate.
      queuestore::PutMessageOptions put;
      put.visibility_delay = outcome.delay;
      put.time_to_live = queuestore::kNeverExpires;
      auto reposted = consumer_.queue().PutMessage(message.content, put);
      status = reposted.ok() ? consumer_.Delete(held) : reposted.status();
      break;
    }
    case Verdict::kPoison:
      status = MoveToPoison(held, outcome.reason);
      break;
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
  // The consumer reports a message no longer ours (handled or redelivered elsewhere) as Ok.
  if (!status.ok()) ++stats_.errors;
  return status;
}

}  // namespace fanfold::pipelines
