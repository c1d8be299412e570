// The notifier against real HTTP receivers on 127.0.0.1: delivery, retries and their pacing,
// refusals, hanging and unreachable receivers, full queues, shutdown, and what reaches the log.
#include "notify/webhook_notifier.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "telemetry/log.hpp"
#include "tests/notify/local_receiver.hpp"

namespace fanfold::notify {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::LocalReceiver;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds Millis(Clock::duration duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration);
}

FailureNotice Notice(const std::string& job) {
  FailureNotice notice;
  notice.kind = std::string(kJobFailed);
  notice.job = job;
  notice.file = "uploads/customers.csv";
  notice.pipeline = "chained";
  notice.reason = "chunk 2: HTTP 503";
  notice.retry_command = "fanfold retry " + job;
  return notice;
}

// Small backoffs keep the suite fast; each test widens what it needs.
NotifierOptions FastOptions() {
  NotifierOptions options;
  options.first_backoff = 20ms;
  options.max_backoff = 200ms;
  options.request_timeout = 2s;
  options.shutdown_drain = 2s;
  return options;
}

// Sends every log line of a test to a temporary file, where the test can read it. Notifiers
// live inside the test bodies, so no sender thread logs while the options change.
class WebhookNotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = telemetry::CurrentLogOptions();
    log_ = std::tmpfile();
    ASSERT_NE(log_, nullptr);
    telemetry::LogOptions options = saved_;
    options.format = telemetry::LogFormat::kJson;
    options.min_level = telemetry::LogLevel::kDebug;
    options.worker = "test-worker:1";
    options.sink = log_;
    telemetry::ConfigureLogging(options);
  }
  void TearDown() override {
    telemetry::ConfigureLogging(saved_);
    if (log_ != nullptr) std::fclose(log_);
  }

  std::vector<json> LogLines(std::string_view event) {
    std::fflush(log_);
    std::rewind(log_);
    std::vector<json> lines;
    char buffer[8192];
    while (std::fgets(buffer, sizeof buffer, log_) != nullptr) {
      json line = json::parse(buffer);
      if (line.at("event") == event) lines.push_back(std::move(line));
    }
    std::fseek(log_, 0, SEEK_END);
    return lines;
  }
  std::string LogText() {
    std::fflush(log_);
    std::rewind(log_);
    std::string text;
    char buffer[8192];
    while (std::fgets(buffer, sizeof buffer, log_) != nullptr)
      text += buffer;
    std::fseek(log_, 0, SEEK_END);
    return text;
  }

 private:
  telemetry::LogOptions saved_;
  std::FILE* log_ = nullptr;
};

TEST_F(WebhookNotifierTest, DeliversOnceToEachTargetWithItsBodyAndContentType) {
  LocalReceiver receiver;
  ASSERT_GT(receiver.port(), 0);
  const std::string json_path = "/json/hook?sig=a%2Bb+c&x=1";
  const std::string slack_path = "/slack/T0/B0/s3cr3t";
  WebhookNotifier notifier({{receiver.Url(json_path), WebhookFormat::kJson},
                            {receiver.Url(slack_path), WebhookFormat::kSlack}},
                           FastOptions());
  notifier.Notify(Notice("j-1"));
  ASSERT_TRUE(notifier.Flush(5s));

  auto received = receiver.received();
  ASSERT_EQ(received.size(), 2u);
  std::sort(received.begin(), received.end(),
            [](const auto& a, const auto& b) { return a.target < b.target; });
  const auto& json_hit = received[0];
  EXPECT_EQ(json_hit.target, json_path) << "the query must arrive exactly as configured";
  EXPECT_EQ(json_hit.content_type, "application/json");
  const json flat = json::parse(json_hit.body);
  EXPECT_EQ(flat.at("source"), "fanfold");
  EXPECT_EQ(flat.at("kind"), "job.failed");
  EXPECT_EQ(flat.at("job"), "j-1");
  EXPECT_EQ(flat.at("retry_command"), "fanfold retry j-1");
  EXPECT_EQ(flat.at("worker"), "test-worker:1") << "an empty worker comes from the log options";
  const std::string time = flat.at("time");
  EXPECT_EQ(time.size(), 24u) << time;
  EXPECT_EQ(time.back(), 'Z') << time;

  const auto& slack_hit = received[1];
  EXPECT_EQ(slack_hit.target, slack_path);
  EXPECT_EQ(slack_hit.content_type, "application/json");
  const json slack = json::parse(slack_hit.body);
  EXPECT_EQ(slack.at("blocks").at(0).at("text").at("text"), "fanfold job j-1 failed");

  const auto stats = notifier.stats();
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.retries, 0u);
  EXPECT_EQ(stats.gave_up, 0u);
  EXPECT_EQ(stats.dropped, 0u);
}

TEST_F(WebhookNotifierTest, RetriesServerErrorsUntilDelivered) {
  LocalReceiver receiver([](LocalReceiver&, int hit, httplib::Response& response) {
    if (hit <= 2) response.status = 500;
  });
  WebhookNotifier notifier({{receiver.Url("/hook"), WebhookFormat::kJson}}, FastOptions());
  notifier.Notify(Notice("j-2"));
  ASSERT_TRUE(notifier.Flush(5s));
  const auto received = receiver.received();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].body, received[2].body) << "a retry resends the same message";
  const auto stats = notifier.stats();
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(stats.retries, 2u);
  EXPECT_EQ(stats.gave_up, 0u);
}

TEST_F(WebhookNotifierTest, HonoursRetryAfterOnTooManyRequests) {
  LocalReceiver receiver([](LocalReceiver&, int hit, httplib::Response& response) {
    if (hit == 1) {
      response.status = 429;
      response.set_header("Retry-After", "1");
    }
  });
  NotifierOptions options = FastOptions();
  options.first_backoff = 10ms;
  options.max_backoff = 5s;
  WebhookNotifier notifier({{receiver.Url("/hook"), WebhookFormat::kSlack}}, options);
  notifier.Notify(Notice("j-3"));
  ASSERT_TRUE(notifier.Flush(5s));
  const auto received = receiver.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_GE(Millis(received[1].at - received[0].at), 950ms);
  EXPECT_EQ(notifier.stats().retries, 1u);
  EXPECT_EQ(notifier.stats().delivered, 1u);
}

TEST_F(WebhookNotifierTest, CapsRetryAfterAtMaxBackoff) {
  LocalReceiver receiver([](LocalReceiver&, int hit, httplib::Response& response) {
    if (hit == 1) {
      response.status = 503;
      response.set_header("Retry-After", "120");
    }
  });
  NotifierOptions options = FastOptions();
  options.max_backoff = 150ms;
  WebhookNotifier notifier({{receiver.Url("/hook"), WebhookFormat::kJson}}, options);
  notifier.Notify(Notice("j-4"));
  ASSERT_TRUE(notifier.Flush(3s));
  const auto received = receiver.received();
  ASSERT_EQ(received.size(), 2u);
  const auto gap = Millis(received[1].at - received[0].at);
  EXPECT_GE(gap, 140ms);
  EXPECT_LT(gap, 1000ms);
}

TEST_F(WebhookNotifierTest, GivesUpAtOnceWhenTheUrlIsRefused) {
  for (int status : {400, 403, 404, 410}) {
    LocalReceiver receiver([status](LocalReceiver&, int, httplib::Response& response) {
      response.status = status;
      response.set_content("no_service", "text/plain");
    });
    WebhookNotifier notifier({{receiver.Url("/hook"), WebhookFormat::kJson}}, FastOptions());
    notifier.Notify(Notice("j-5"));
    ASSERT_TRUE(notifier.Flush(3s)) << status;
    EXPECT_EQ(receiver.hits(), 1) << status;
    const auto stats = notifier.stats();
    EXPECT_EQ(stats.gave_up, 1u) << status;
    EXPECT_EQ(stats.retries, 0u) << status;
    EXPECT_EQ(stats.delivered, 0u) << status;
  }
  const auto failed = LogLines("notify.failed");
  ASSERT_EQ(failed.size(), 4u);
  EXPECT_EQ(failed[2].at("status"), 404);
  EXPECT_EQ(failed[2].at("error"), "HTTP 404: no_service");
  EXPECT_EQ(failed[2].at("level"), "warn");
}

TEST_F(WebhookNotifierTest, HangingReceiverBlocksNeitherNotifyNorOtherTargets) {
  LocalReceiver slow([](LocalReceiver& self, int, httplib::Response&) { self.WaitForRelease(3s); });
  LocalReceiver fast;
  NotifierOptions options = FastOptions();
  options.request_timeout = 300ms;
  options.max_attempts = 2;
  options.first_backoff = 10ms;
  WebhookNotifier notifier(
      {{slow.Url("/slow"), WebhookFormat::kJson}, {fast.Url("/fast"), WebhookFormat::kJson}},
      options);

  const auto start = Clock::now();
  notifier.Notify(Notice("j-6"));
  EXPECT_LT(Millis(Clock::now() - start), 50ms);
  ASSERT_TRUE(fast.WaitForHits(1, 2s));
  EXPECT_LT(Millis(fast.received()[0].at - start), 250ms)
      << "the fast target waited for the hanging one";

  ASSERT_TRUE(slow.WaitForHits(1, 2s));
  const auto second = Clock::now();
  notifier.Notify(Notice("j-7"));  // while the slow target's request hangs
  EXPECT_LT(Millis(Clock::now() - second), 50ms);
  ASSERT_TRUE(fast.WaitForHits(2, 2s));
  EXPECT_LT(Millis(fast.received()[1].at - second), 250ms);

  ASSERT_TRUE(notifier.Flush(5s));
  EXPECT_EQ(slow.hits(), 4);  // two messages, two attempts each, each cut off by the timeout
  const auto stats = notifier.stats();
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.gave_up, 2u);
  EXPECT_EQ(stats.retries, 2u);
}

TEST_F(WebhookNotifierTest, UnreachableReceiverGivesUpAfterMaxAttempts) {
  // A bound socket that never listens: connections to it are refused, and no one else can
  // take the port while the test runs.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/x";

  NotifierOptions options = FastOptions();
  options.max_attempts = 3;
  options.first_backoff = 10ms;
  options.max_backoff = 50ms;
  {
    WebhookNotifier notifier({{url, WebhookFormat::kJson}}, options);
    notifier.Notify(Notice("j-8"));
    EXPECT_TRUE(notifier.Flush(5s));
    const auto stats = notifier.stats();
    EXPECT_EQ(stats.gave_up, 1u);
    EXPECT_EQ(stats.retries, 2u);
    EXPECT_EQ(stats.delivered, 0u);
  }
  ::close(fd);
  EXPECT_EQ(LogLines("notify.retry").size(), 2u);
  const auto failed = LogLines("notify.failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].at("attempt"), 3);
  EXPECT_EQ(failed[0].at("why"), "out of attempts");
}

TEST_F(WebhookNotifierTest, FullQueueDropsTheOldestWaitingMessages) {
  LocalReceiver receiver([](LocalReceiver& self, int hit, httplib::Response&) {
    if (hit == 1) self.WaitForRelease(5s);
  });
  NotifierOptions options = FastOptions();
  options.max_pending = 2;
  options.request_timeout = 5s;
  WebhookNotifier notifier({{receiver.Url("/hook"), WebhookFormat::kJson}}, options);
  notifier.Notify(Notice("j-0"));
  ASSERT_TRUE(receiver.WaitForHits(1, 2s));  // j-0 is in flight, the queue is empty
  const auto start = Clock::now();
  for (const char* job : {"j-1", "j-2", "j-3", "j-4"})
    notifier.Notify(Notice(job));
  EXPECT_LT(Millis(Clock::now() - start), 50ms);
  EXPECT_EQ(notifier.stats().dropped, 2u);
  receiver.Release();
  ASSERT_TRUE(notifier.Flush(5s));

  std::vector<std::string> jobs;
  for (const auto& hit : receiver.received())
    jobs.push_back(json::parse(hit.body).at("job"));
  EXPECT_EQ(jobs, (std::vector<std::string>{"j-0", "j-3", "j-4"}));
  const auto stats = notifier.stats();
  EXPECT_EQ(stats.delivered, 3u);
  EXPECT_EQ(stats.dropped, 2u);
  const auto dropped = LogLines("notify.dropped");
  ASSERT_EQ(dropped.size(), 1u) << "one line per burst of drops";
  EXPECT_EQ(dropped[0].at("max_pending"), 2);
}

TEST_F(WebhookNotifierTest, LogsOnlyTheSchemeAndHostOfTheTarget) {
  LocalReceiver receiver([](LocalReceiver&, int hit, httplib::Response& response) {
    if (hit == 1) response.status = 500;
    if (hit == 3) response.status = 404;
  });
  const std::string url = receiver.Url("/hook/s3cr3t-path?sig=s3cr3t-sig");
  WebhookNotifier notifier({{url, WebhookFormat::kTeams}}, FastOptions());
  notifier.Notify(Notice("j-9"));  // 500, then delivered
  ASSERT_TRUE(notifier.Flush(5s));
  notifier.Notify(Notice("j-10"));  // 404
  ASSERT_TRUE(notifier.Flush(5s));

  const std::string display = "http://127.0.0.1:" + std::to_string(receiver.port());
  const auto retry = LogLines("notify.retry");
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].at("target"), display);
  EXPECT_EQ(retry[0].at("job"), "j-9");
  EXPECT_EQ(retry[0].at("status"), 500);
  EXPECT_EQ(retry[0].at("format"), "teams");
  EXPECT_TRUE(retry[0].contains("delay_ms"));
  const auto delivered = LogLines("notify.delivered");
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].at("level"), "debug");
  EXPECT_EQ(delivered[0].at("attempt"), 2);
  const auto failed = LogLines("notify.failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].at("job"), "j-10");
  EXPECT_EQ(failed[0].at("target"), display);
  const std::string text = LogText();
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos) << text;
  EXPECT_EQ(text.find("/hook"), std::string::npos) << text;
}

TEST_F(WebhookNotifierTest, DestructorDrainsQueuedMessages) {
  LocalReceiver receiver;
  {
    WebhookNotifier notifier({{receiver.Url("/hook"), WebhookFormat::kJson}}, FastOptions());
    for (const char* job : {"a", "b", "c"})
      notifier.Notify(Notice(job));
  }
  EXPECT_EQ(receiver.hits(), 3);
  EXPECT_TRUE(LogLines("notify.dropped").empty());
}

TEST_F(WebhookNotifierTest, DestructorAbandonsWhatTheDrainCannotDeliver) {
  LocalReceiver receiver(
      [](LocalReceiver&, int, httplib::Response& response) { response.status = 503; });
  NotifierOptions options = FastOptions();
  options.first_backoff = 10s;
  options.max_backoff = 10s;
  options.shutdown_drain = 200ms;
  Clock::time_point start;
  {
    WebhookNotifier notifier({{receiver.Url("/hook"), WebhookFormat::kJson}}, options);
    notifier.Notify(Notice("j-11"));
    notifier.Notify(Notice("j-12"));
    ASSERT_TRUE(receiver.WaitForHits(1, 2s));
    EXPECT_FALSE(notifier.Flush(100ms)) << "a message waiting for its retry is pending";
    start = Clock::now();
  }
  EXPECT_LT(Millis(Clock::now() - start), 1500ms);
  EXPECT_EQ(receiver.hits(), 1);
  const auto dropped = LogLines("notify.dropped");
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].at("dropped"), 2);  // j-11 in backoff, j-12 still queued
}

TEST_F(WebhookNotifierTest, WithoutUsableTargetsNotifyDoesNothing) {
  WebhookNotifier none({}, FastOptions());
  none.Notify(Notice("j-13"));
  EXPECT_TRUE(none.Flush(0ms));
  EXPECT_EQ(none.stats().dropped, 0u);

  WebhookNotifier bad({{"hooks.example.org/s3cr3t", WebhookFormat::kJson}}, FastOptions());
  bad.Notify(Notice("j-14"));
  EXPECT_TRUE(bad.Flush(0ms));
  const auto skipped = LogLines("notify.bad_target");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(LogText().find("s3cr3t"), std::string::npos);
}

}  // namespace
}  // namespace fanfold::notify
