#include "notify/webhook_notifier.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "notify/delivery_policy.hpp"
#include "notify/webhook_body.hpp"
#include "storage/curl_transport.hpp"
#include "telemetry/log.hpp"

namespace fanfold::notify {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Delivery {
  std::string body;
  std::string kind;  // kind and job only label the log lines
  std::string job;
};

// The URL to send to, with the path and query exactly as configured: Url::Parse decodes the
// query and ToString encodes it again, which can change a signed URL ('+' would become %2B).
storage::Result<storage::Url> VerbatimUrl(std::string_view text) {
  storage::Result<storage::Url> url = storage::Url::Parse(text);
  if (!url.ok()) return url;
  const auto authority_start = text.find("://") + 3;
  const auto authority_end = text.find_first_of("/?#", authority_start);
  std::string rest(authority_end == std::string_view::npos ? std::string_view()
                                                           : text.substr(authority_end));
  rest.resize(std::min(rest.size(), rest.find('#')));  // a fragment is never sent
  if (rest.empty() || rest.front() != '/') rest.insert(rest.begin(), '/');
  url->authority = std::string(text.substr(authority_start, authority_end - authority_start));
  url->path = std::move(rest);
  url->query.clear();
  return url;
}

void ReplaceAll(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

// One queue and sender thread per target. Everything but `random` and `thread` is guarded by
// State::mutex; the configuration fields never change once the thread runs.
struct Lane {
  WebhookTarget target;
  std::string display;  // WebhookDisplayName(target): all that logs may show of it
  storage::Url url;
  std::deque<Delivery> waiting;
  bool busy = false;           // a delivery is being sent or waits for its next attempt
  bool dropping = false;       // in a burst of drops
  bool drop_unlogged = false;  // a burst started and the lane's thread has yet to log it
  std::uint64_t dropped = 0;   // this target's drops, for that log line
  std::condition_variable wake;
  std::mt19937_64 random{std::random_device{}()};  // jitter; used by the lane's thread only
  std::thread thread;
};

}  // namespace

struct WebhookNotifier::State {
  NotifierOptions options;
  std::vector<std::unique_ptr<Lane>> lanes;
  mutable std::mutex mutex;
  std::condition_variable idle;  // a lane finished a delivery
  Stats stats;
  std::optional<Clock::time_point> drain_deadline;  // set when the destructor starts
  bool stopping = false;
  std::uint64_t abandoned = 0;  // dropped at shutdown

  bool IsIdle() const {
    return std::all_of(lanes.begin(), lanes.end(),
                       [](const auto& lane) { return lane->waiting.empty() && !lane->busy; });
  }
  bool PastDrainDeadline() const { return drain_deadline && Clock::now() >= *drain_deadline; }
  void Run(Lane& lane);
  void LogDropBurst(Lane& lane, std::unique_lock<std::mutex>& lock);
  void Deliver(Lane& lane, const Delivery& delivery, std::unique_lock<std::mutex>& lock);
  std::string Scrub(std::string text, const Lane& lane) const;
};

// A transport error should not quote the URL, but should one ever do so, its log line shows the
// scheme and host instead.
std::string WebhookNotifier::State::Scrub(std::string text, const Lane& lane) const {
  ReplaceAll(text, lane.target.url, lane.display);
  if (lane.url.path.size() > 1) ReplaceAll(text, lane.url.path, "/***");
  return text;
}

// Notify never logs, so that it may be called from a telemetry::LogObserver (inside Log); the
// lane's own thread writes the line that starts a burst of drops.
void WebhookNotifier::State::LogDropBurst(Lane& lane, std::unique_lock<std::mutex>& lock) {
  if (!lane.drop_unlogged) return;
  lane.drop_unlogged = false;
  const nlohmann::json fields = {{"target", lane.display},
                                 {"why", "queue full: dropping the oldest waiting notifications"},
                                 {"max_pending", options.max_pending},
                                 {"dropped_total", lane.dropped}};
  lock.unlock();
  telemetry::LogWarn("notify.dropped", fields);
  lock.lock();
}

void WebhookNotifier::State::Run(Lane& lane) {
  std::unique_lock<std::mutex> lock(mutex);
  while (true) {
    lane.wake.wait(lock, [&] { return stopping || !lane.waiting.empty() || lane.drop_unlogged; });
    if (stopping) return;  // the destructor counts what is left
    LogDropBurst(lane, lock);
    if (lane.waiting.empty()) continue;
    const Delivery delivery = std::move(lane.waiting.front());
    lane.waiting.pop_front();
    lane.busy = true;
    Deliver(lane, delivery, lock);
    lane.busy = false;
    idle.notify_all();
  }
}

void WebhookNotifier::State::Deliver(Lane& lane, const Delivery& delivery,
                                     std::unique_lock<std::mutex>& lock) {
  for (int attempt = 1;; ++attempt) {
    if (stopping || PastDrainDeadline()) {
      ++stats.dropped;
      ++abandoned;
      return;
    }
    if (attempt > 1) ++stats.retries;
    milliseconds timeout = options.request_timeout;
    if (drain_deadline) {
      // While shutting down, no new request may outlive the drain.
      const auto left = std::chrono::duration_cast<milliseconds>(*drain_deadline - Clock::now());
      timeout = std::clamp(left, milliseconds(1), timeout);
    }
    lock.unlock();

    storage::HttpRequest request;
    request.method = storage::HttpMethod::kPost;
    request.url = lane.url;
    request.headers = {{"Content-Type", "application/json"}, {"User-Agent", "fanfold-notify"}};
    request.body = delivery.body;
    request.timeout = timeout;
    const AttemptVerdict verdict = JudgeAttempt(options.transport->Send(request));

    const bool last = attempt >= options.max_attempts;
    nlohmann::json fields = {{"target", lane.display},
                             {"format", WebhookFormatName(lane.target.format)},
                             {"kind", delivery.kind},
                             {"attempt", attempt}};
    if (!delivery.job.empty()) fields["job"] = delivery.job;
    if (verdict.http_status != 0) fields["status"] = verdict.http_status;
    if (!verdict.detail.empty()) fields["error"] = Scrub(verdict.detail, lane);
    milliseconds delay{0};
    if (verdict.outcome == AttemptOutcome::kDelivered) {
      telemetry::Log(telemetry::LogLevel::kDebug, "notify.delivered", fields);
    } else if (verdict.outcome == AttemptOutcome::kGiveUp || last) {
      fields["why"] = verdict.outcome == AttemptOutcome::kGiveUp
                          ? "refused: check that the webhook URL is right and not revoked"
                          : "out of attempts";
      telemetry::LogWarn("notify.failed", fields);
    } else {
      const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(lane.random);
      delay = RetryDelay(options.first_backoff, options.max_backoff, attempt - 1,
                         verdict.server_delay, unit);
      fields["delay_ms"] = delay.count();
      telemetry::LogInfo("notify.retry", fields);
    }

    lock.lock();
    if (verdict.outcome == AttemptOutcome::kDelivered) {
      ++stats.delivered;
      return;
    }
    if (verdict.outcome == AttemptOutcome::kGiveUp || last) {
      ++stats.gave_up;
      return;
    }
    const auto retry_at = Clock::now() + delay;
    // Sleeps until the retry is due, waking early only to stop or to log a burst of drops.
    while (lane.wake.wait_until(lock, retry_at, [&] { return stopping || lane.drop_unlogged; }) &&
           !stopping) {
      LogDropBurst(lane, lock);
    }
  }
}

WebhookNotifier::WebhookNotifier(std::vector<WebhookTarget> targets, NotifierOptions options)
    : state_(std::make_unique<State>()) {
  State& state = *state_;
  options.max_attempts = std::max(options.max_attempts, 1);
  options.max_pending = std::max<std::size_t>(options.max_pending, 1);
  options.first_backoff = std::max(options.first_backoff, milliseconds(0));
  options.max_backoff = std::max(options.max_backoff, milliseconds(0));
  // Zero would mean "no limit" to the transport, and a hanging receiver must not hold a lane.
  options.request_timeout = std::max(options.request_timeout, milliseconds(1));
  options.shutdown_drain = std::max(options.shutdown_drain, milliseconds(0));

  for (auto& target : targets) {
    const storage::Result<WebhookTarget> checked = ParseWebhookTarget(target.url);
    storage::Result<storage::Url> url =
        checked.ok() ? VerbatimUrl(target.url) : storage::Result<storage::Url>(checked.status());
    if (!url.ok()) {
      telemetry::LogWarn("notify.bad_target", {{"target", WebhookDisplayName(target)},
                                               {"error", url.status().message()}});
      continue;
    }
    auto lane = std::make_unique<Lane>();
    lane->display = WebhookDisplayName(target);
    lane->url = std::move(url).value();
    lane->target = std::move(target);
    state.lanes.push_back(std::move(lane));
  }
  if (!options.transport && !state.lanes.empty()) {
    storage::CurlTransportOptions curl;
    curl.connect_timeout = std::min(curl.connect_timeout, options.request_timeout);
    options.transport = std::make_shared<storage::CurlTransport>(curl);
  }
  state.options = std::move(options);
  for (auto& lane : state.lanes) {
    lane->thread = std::thread([&state, raw = lane.get()] { state.Run(*raw); });
  }
}

WebhookNotifier::~WebhookNotifier() {
  State& state = *state_;
  {
    std::unique_lock<std::mutex> lock(state.mutex);
    state.drain_deadline = Clock::now() + state.options.shutdown_drain;
    state.idle.wait_until(lock, *state.drain_deadline, [&] { return state.IsIdle(); });
    state.stopping = true;
    for (auto& lane : state.lanes) {
      state.stats.dropped += lane->waiting.size();
      state.abandoned += lane->waiting.size();
      lane->waiting.clear();
      lane->wake.notify_all();
    }
  }
  for (auto& lane : state.lanes)
    lane->thread.join();
  if (state.abandoned > 0) {
    telemetry::LogWarn("notify.dropped", {{"dropped", state.abandoned},
                                          {"why", "still undelivered at shutdown"},
                                          {"drain_ms", state.options.shutdown_drain.count()}});
  }
}

void WebhookNotifier::Notify(FailureNotice notice) {
  State& state = *state_;
  if (state.lanes.empty()) return;
  if (notice.worker.empty()) notice.worker = telemetry::CurrentLogOptions().worker;
  if (notice.time.empty()) notice.time = telemetry::LogTimeNow();

  // Bodies are built before taking the lock, once per format in use.
  std::array<std::optional<std::string>, 3> bodies;
  std::vector<Delivery> deliveries;
  deliveries.reserve(state.lanes.size());
  for (const auto& lane : state.lanes) {
    auto& body = bodies[static_cast<std::size_t>(lane->target.format)];
    if (!body) body = WebhookBody(lane->target.format, notice);
    deliveries.push_back({*body, notice.kind, notice.job});
  }

  const std::lock_guard<std::mutex> lock(state.mutex);
  for (std::size_t i = 0; i < state.lanes.size(); ++i) {
    Lane& lane = *state.lanes[i];
    if (lane.waiting.size() >= state.options.max_pending) {
      lane.waiting.pop_front();
      ++state.stats.dropped;
      ++lane.dropped;
      if (!lane.dropping) lane.drop_unlogged = true;
      lane.dropping = true;
    } else {
      lane.dropping = false;
    }
    lane.waiting.push_back(std::move(deliveries[i]));
    lane.wake.notify_one();
  }
}

bool WebhookNotifier::Flush(milliseconds timeout) {
  State& state = *state_;
  std::unique_lock<std::mutex> lock(state.mutex);
  return state.idle.wait_for(lock, timeout, [&] { return state.IsIdle(); });
}

WebhookNotifier::Stats WebhookNotifier::stats() const {
  const std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->stats;
}

}  // namespace fanfold::notify
