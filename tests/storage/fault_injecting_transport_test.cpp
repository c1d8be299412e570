#include "storage/fault_injecting_transport.hpp"

#include <gtest/gtest.h>

#include "tests/storage/scripted_transport.hpp"

namespace fanfold::storage {
namespace {

TEST(FaultInjectingTransportTest, InjectsEachFaultAtRoughlyItsRate) {
  auto inner = std::make_shared<test::ScriptedTransport>();
  for (int i = 0; i < 10000; ++i)
    inner->Answer(200);
  FaultOptions options;
  options.server_busy_rate = 0.1;
  options.internal_error_rate = 0.05;
  options.timeout_rate = 0.05;
  options.reset_rate = 0.05;
  FaultInjectingTransport transport(inner, options);
  int ok = 0;
  for (int i = 0; i < 4000; ++i) {
    HttpRequest request;
    auto result = transport.Send(request);
    if (result.ok() && result->status == 200) ++ok;
  }
  const FaultCounts counts = transport.counts();
  EXPECT_EQ(counts.requests, 4000u);
  EXPECT_NEAR(static_cast<double>(counts.server_busy), 400, 80);
  EXPECT_NEAR(static_cast<double>(counts.internal_error), 200, 60);
  EXPECT_NEAR(static_cast<double>(counts.timeouts), 200, 60);
  EXPECT_NEAR(static_cast<double>(counts.resets), 200, 60);
  EXPECT_EQ(static_cast<uint64_t>(ok) + counts.total_faults(), 4000u);
  // Faults before sending never reach the service.
  EXPECT_EQ(inner->seen().size(), static_cast<size_t>(ok));
}

TEST(FaultInjectingTransportTest, LostResponsesReachTheServiceButReportFailure) {
  auto inner = std::make_shared<test::ScriptedTransport>();
  inner->Answer(201);
  FaultOptions options;
  options.lost_response_rate = 1.0;
  FaultInjectingTransport transport(inner, options);
  HttpRequest request;
  auto result = transport.Send(request);
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsTransport());
  EXPECT_EQ(inner->seen().size(), 1u);
}

TEST(FaultInjectingTransportTest, InjectedErrorsParseLikeRealOnes) {
  auto inner = std::make_shared<test::ScriptedTransport>();
  FaultOptions options;
  options.server_busy_rate = 1.0;
  FaultInjectingTransport transport(inner, options);
  HttpRequest request;
  auto result = transport.Send(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(result->Header("x-ms-error-code"), "ServerBusy");
  transport.set_options(FaultOptions{});
  inner->Answer(200);
  EXPECT_EQ(transport.Send(request)->status, 200);
}

}  // namespace
}  // namespace fanfold::storage
