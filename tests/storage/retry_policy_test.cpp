#include "storage/retry_policy.hpp"

#include <gtest/gtest.h>

#include "storage/http_date.hpp"
#include "storage/pipeline.hpp"
#include "tests/storage/scripted_transport.hpp"

namespace fanfold::storage {
namespace {

using std::chrono::milliseconds;

struct PipelineUnderTest {
  std::shared_ptr<test::ScriptedTransport> transport = std::make_shared<test::ScriptedTransport>();
  StorageCounters counters;
  std::vector<milliseconds> sleeps;
  std::shared_ptr<const Pipeline> pipeline;

  explicit PipelineUnderTest(int max_retries = 3) {
    PipelineOptions options;
    options.transport = transport;
    options.counters = &counters;
    options.retry.max_retries = max_retries;
    options.retry.sleep = [this](milliseconds delay) { sleeps.push_back(delay); };
    StorageCredential credential{"acct", "key-bytes", ""};
    pipeline = MakeStoragePipeline(credential, SigningScheme::kBlobOrQueue, options);
  }

  Result<HttpResponse> Send(OperationKind kind = OperationKind::kQueuePut) {
    HttpRequest request;
    request.method = HttpMethod::kPut;
    request.url = Url::Parse("http://127.0.0.1:1/acct/q").value();
    request.body = "payload";
    request.kind = kind;
    return pipeline->Send(request);
  }
};

TEST(RetryPolicyTest, RetriesEachTransientStatusThenSucceeds) {
  for (const int status : {408, 429, 500, 502, 503, 504}) {
    PipelineUnderTest under_test;
    under_test.transport->Answer(status);
    under_test.transport->Answer(201);
    auto result = under_test.Send();
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->status, 201) << "after " << status;
    EXPECT_EQ(under_test.transport->seen().size(), 2u);
    EXPECT_EQ(under_test.counters.Snapshot().retries_of(OperationKind::kQueuePut), 1u);
  }
}

TEST(RetryPolicyTest, NeverRetriesAnswersThatAreNotTransient) {
  for (const int status : {400, 403, 404, 409, 412, 416, 501}) {
    PipelineUnderTest under_test;
    under_test.transport->Answer(status);
    auto result = under_test.Send();
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->status, status);
    EXPECT_EQ(under_test.transport->seen().size(), 1u) << status;
    EXPECT_TRUE(under_test.sleeps.empty());
  }
}

TEST(RetryPolicyTest, RetriesTransportFailuresAndTimeouts) {
  PipelineUnderTest under_test;
  under_test.transport->Fail(Status::Transport("connection reset"));
  under_test.transport->Fail(Status::Timeout("timed out"));
  under_test.transport->Answer(200);
  auto result = under_test.Send();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(under_test.transport->seen().size(), 3u);
}

TEST(RetryPolicyTest, DoesNotRetryAnAbortedStream) {
  PipelineUnderTest under_test;
  under_test.transport->Fail(Status::Aborted("consumer stopped"));
  auto result = under_test.Send();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(under_test.transport->seen().size(), 1u);
}

TEST(RetryPolicyTest, GivesUpAfterMaxRetriesWithTheLastAnswer) {
  PipelineUnderTest under_test(/*max_retries=*/2);
  for (int i = 0; i < 5; ++i)
    under_test.transport->Answer(503);
  auto result = under_test.Send();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(under_test.transport->seen().size(), 3u);
  const auto counters = under_test.counters.Snapshot();
  EXPECT_EQ(counters.operations_of(OperationKind::kQueuePut), 1u);
  EXPECT_EQ(counters.attempts_of(OperationKind::kQueuePut), 3u);
  EXPECT_EQ(counters.retries_of(OperationKind::kQueuePut), 2u);
  EXPECT_EQ(counters.throttled, 3u);
}

TEST(RetryPolicyTest, EveryAttemptIsDatedAndSignedAfreshWithOneRequestId) {
  PipelineUnderTest under_test;
  under_test.transport->Answer(503);
  under_test.transport->Answer(201);
  ASSERT_TRUE(under_test.Send().ok());
  const auto& seen = under_test.transport->seen();
  ASSERT_EQ(seen.size(), 2u);
  for (const auto& request : seen) {
    EXPECT_EQ(request.headers.at("Authorization").rfind("SharedKey acct:", 0), 0u);
    EXPECT_FALSE(request.headers.at("x-ms-date").empty());
    EXPECT_EQ(request.headers.at("x-ms-version"), kStorageApiVersion);
  }
  EXPECT_EQ(seen[0].headers.at("x-ms-client-request-id"),
            seen[1].headers.at("x-ms-client-request-id"));
}

TEST(RetryPolicyTest, HonoursServerRequestedDelays) {
  PipelineUnderTest under_test;
  under_test.transport->Answer(503, {{"Retry-After", "2"}});
  under_test.transport->Answer(429, {{"x-ms-retry-after-ms", "750"}, {"Retry-After", "9"}});
  under_test.transport->Answer(200);
  ASSERT_TRUE(under_test.Send().ok());
  ASSERT_EQ(under_test.sleeps.size(), 2u);
  EXPECT_EQ(under_test.sleeps[0], milliseconds(2000));
  EXPECT_EQ(under_test.sleeps[1], milliseconds(750));
}

TEST(RetryPolicyTest, ServerDelayParsesHttpDatesAndIgnoresGarbage) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1795341231));
  HttpResponse response;
  response.headers["Retry-After"] = FormatRfc1123(now + std::chrono::seconds(5));
  EXPECT_EQ(ServerRetryDelay(response, now), milliseconds(5000));
  response.headers["Retry-After"] = "soon";
  EXPECT_FALSE(ServerRetryDelay(response, now).has_value());
}

TEST(RetryPolicyTest, BackoffGrowsExponentiallyWithJitterUpToTheCap) {
  RetryOptions options;
  options.initial_delay = milliseconds(100);
  options.max_delay = milliseconds(1000);
  EXPECT_EQ(BackoffDelay(options, 0, 0.0), milliseconds(50));
  EXPECT_EQ(BackoffDelay(options, 0, 0.999), milliseconds(99));
  EXPECT_EQ(BackoffDelay(options, 2, 0.0), milliseconds(200));
  EXPECT_EQ(BackoffDelay(options, 3, 0.5), milliseconds(600));
  EXPECT_EQ(BackoffDelay(options, 10, 0.0), milliseconds(500));     // capped, then jittered
  EXPECT_EQ(BackoffDelay(options, 1000, 1.0), milliseconds(1000));  // no overflow
}

TEST(RetryPolicyTest, BeforeRetryHookRunsBeforeEachNewAttempt) {
  PipelineUnderTest under_test;
  under_test.transport->Fail(Status::Transport("reset"));
  under_test.transport->Fail(Status::Transport("reset"));
  under_test.transport->Answer(206);
  HttpRequest request;
  request.url = Url::Parse("http://127.0.0.1:1/acct/c/b").value();
  request.kind = OperationKind::kBlobRead;
  int hook_calls = 0;
  request.before_retry = [&hook_calls](HttpRequest& r) {
    ++hook_calls;
    r.headers["x-ms-range"] = "bytes=" + std::to_string(hook_calls * 10) + "-99";
  };
  ASSERT_TRUE(under_test.pipeline->Send(request).ok());
  EXPECT_EQ(hook_calls, 2);
  EXPECT_EQ(under_test.transport->seen()[2].headers.at("x-ms-range"), "bytes=20-99");
}

TEST(SigningPolicyTest, SasIsAppendedPerAttemptAndNeverAccumulates) {
  auto transport = std::make_shared<test::ScriptedTransport>();
  transport->Answer(500);
  transport->Answer(200);
  PipelineOptions options;
  options.transport = transport;
  StorageCounters counters;
  options.counters = &counters;
  options.retry.sleep = [](milliseconds) {};
  auto pipeline = MakeStoragePipeline(StorageCredential{"", "", "sv=1&sig=abc%2B"},
                                      SigningScheme::kBlobOrQueue, options);
  HttpRequest request;
  request.url = Url::Parse("https://a.queue.core.windows.net/q/messages").value();
  ASSERT_TRUE(pipeline->Send(request).ok());
  ASSERT_EQ(transport->seen().size(), 2u);
  for (const auto& seen : transport->seen()) {
    EXPECT_EQ(seen.url.ToString(), "https://a.queue.core.windows.net/q/messages?sv=1&sig=abc%2B");
    EXPECT_EQ(seen.headers.count("Authorization"), 0u);
  }
  EXPECT_TRUE(request.url.query.empty());
}

}  // namespace
}  // namespace fanfold::storage
