// The pipeline against a real service (Azurite, or FANFOLD_TEST_CONNECTION_STRING): signing is
// accepted for each service, a wrong key is refused and not retried, transport failures are
// retried and counted, and injected faults are ridden out.
#include <gtest/gtest.h>

#include "storage/crypto.hpp"
#include "storage/error_response.hpp"
#include "storage/fault_injecting_transport.hpp"
#include "storage/pipeline.hpp"
#include "storage/service_probe.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::storage {
namespace {

using fanfold::testing::TestAccount;

PipelineOptions FastRetries(StorageCounters* counters) {
  PipelineOptions options;
  options.counters = counters;
  options.retry.initial_delay = std::chrono::milliseconds(5);
  options.retry.max_delay = std::chrono::milliseconds(50);
  return options;
}

HttpRequest ListRequest(const Url& endpoint, OperationKind kind) {
  HttpRequest request;
  request.url = endpoint;
  request.kind = kind;
  request.url.AddQuery("comp", "list");
  request.url.AddQuery("maxresults", "1");
  return request;
}

TEST(PipelineIntegrationTest, EachServiceAcceptsOurSignature) {
  StorageCounters counters;
  for (const auto service :
       {StorageService::kBlob, StorageService::kQueue, StorageService::kTable}) {
    const ProbeResult probe = ProbeService(TestAccount(), service, FastRetries(&counters));
    EXPECT_TRUE(probe.status.ok())
        << StorageServiceName(service) << ": " << probe.status.ToString();
  }
  const CounterSnapshot snapshot = counters.Snapshot();
  EXPECT_EQ(snapshot.operations_of(OperationKind::kBlobList), 1u);
  EXPECT_EQ(snapshot.operations_of(OperationKind::kQueueAdmin), 1u);
  EXPECT_EQ(snapshot.operations_of(OperationKind::kTableAdmin), 1u);
  EXPECT_EQ(snapshot.total_attempts(), 3u);
  EXPECT_EQ(snapshot.total_retries(), 0u);
  EXPECT_GT(snapshot.bytes_received, 0u);
}

TEST(PipelineIntegrationTest, WrongKeyIsRefusedOnceAndNotRetried) {
  StorageCounters counters;
  StorageAccount wrong = TestAccount();
  if (!wrong.credential.has_key()) GTEST_SKIP() << "the account under test uses a SAS";
  wrong.credential.account_key = *Base64Decode("d3Jvbmcta2V5LXdyb25nLWtleQ==");
  for (const auto service :
       {StorageService::kBlob, StorageService::kQueue, StorageService::kTable}) {
    const ProbeResult probe = ProbeService(wrong, service, FastRetries(&counters));
    EXPECT_EQ(probe.status.http_status(), 403) << probe.status.ToString();
    // Azure answers AuthenticationFailed; Azurite's blob service says AuthorizationFailure.
    EXPECT_TRUE(probe.status.error_code() == "AuthenticationFailed" ||
                probe.status.error_code() == "AuthorizationFailure")
        << probe.status.ToString();
  }
  EXPECT_EQ(counters.Snapshot().total_attempts(), 3u);
}

TEST(PipelineIntegrationTest, UnreachableEndpointIsRetriedThenReported) {
  StorageCounters counters;
  auto options = FastRetries(&counters);
  options.retry.max_retries = 2;
  const auto pipeline =
      MakeStoragePipeline(TestAccount().credential, SigningScheme::kBlobOrQueue, options);
  HttpRequest request;
  request.url = Url::Parse("http://127.0.0.1:1/devstoreaccount1?comp=list").value();
  request.kind = OperationKind::kBlobList;
  auto result = pipeline->Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsTransport()) << result.status().ToString();
  const CounterSnapshot snapshot = counters.Snapshot();
  EXPECT_EQ(snapshot.attempts_of(OperationKind::kBlobList), 3u);
  EXPECT_EQ(snapshot.transport_failures, 3u);
  EXPECT_EQ(snapshot.retries_of(OperationKind::kBlobList), 2u);
}

TEST(PipelineIntegrationTest, InjectedFaultsAreRiddenOutAndCounted) {
  StorageCounters counters;
  FaultOptions faults;
  faults.server_busy_rate = 0.15;
  faults.timeout_rate = 0.05;
  faults.reset_rate = 0.05;
  faults.internal_error_rate = 0.05;
  auto transport = std::make_shared<FaultInjectingTransport>(DefaultTransport(), faults);
  auto options = FastRetries(&counters);
  options.transport = transport;
  options.retry.max_retries = 8;
  const auto pipeline =
      MakeStoragePipeline(TestAccount().credential, SigningScheme::kBlobOrQueue, options);
  for (int i = 0; i < 100; ++i) {
    HttpRequest request = ListRequest(TestAccount().blob_endpoint, OperationKind::kBlobList);
    auto result = pipeline->Send(request);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_EQ(result->status, 200);
  }
  const CounterSnapshot snapshot = counters.Snapshot();
  const FaultCounts injected = transport->counts();
  EXPECT_GT(injected.total_faults(), 0u);
  EXPECT_EQ(snapshot.operations_of(OperationKind::kBlobList), 100u);
  EXPECT_EQ(snapshot.retries_of(OperationKind::kBlobList), injected.total_faults());
  EXPECT_EQ(snapshot.attempts_of(OperationKind::kBlobList), 100u + injected.total_faults());
}

}  // namespace
}  // namespace fanfold::storage
