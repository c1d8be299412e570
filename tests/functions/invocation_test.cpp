// The custom handler contract: the host's request as it arrives, and the answers, both through
// CustomHandler directly and over HTTP on the handler's real server.
#include "functions/invocation.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <nlohmann/json.hpp>

#include "functions/custom_handler.hpp"
#include "storage/curl_transport.hpp"

namespace fanfold::functions {
namespace {

using nlohmann::json;

// What the Functions host sends for a queue trigger named "message".
std::string HostRequest(const json& data, const json& metadata) {
  return json{{"Data", {{"message", data}}}, {"Metadata", metadata}}.dump();
}

json Metadata() {
  return {{"DequeueCount", 2},
          {"ExpirationTime", "2026-12-09T10:00:00+00:00"},
          {"Id", "5b3f0d64-1111-2222-3333-444455556666"},
          {"InsertionTime", "2026-12-02T10:00:00+00:00"},
          {"NextVisibleTime", "2026-12-02T10:10:00+00:00"},
          {"PopReceipt", "AgAAAAMAAAAAAAAA4Vn1aQ=="},
          {"sys", {{"MethodName", "trigger"}, {"UtcNow", "2026-12-02T10:00:01Z"}}}};
}

TEST(InvocationTest, ReadsTheQueueMessageAndItsReceipt) {
  auto message = ParseQueueInvocation(HostRequest("{\"job\":\"j1\"}", Metadata()), "message");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->content, "{\"job\":\"j1\"}");
  EXPECT_EQ(message->message_id, "5b3f0d64-1111-2222-3333-444455556666");
  EXPECT_EQ(message->pop_receipt, "AgAAAAMAAAAAAAAA4Vn1aQ==");
  EXPECT_EQ(message->dequeue_count, 2);
}

TEST(InvocationTest, AcceptsMetadataAsJsonTextAndDataAsAValue) {
  json metadata = Metadata();
  metadata["Id"] = "\"5b3f0d64\"";  // some hosts send each value as JSON text
  metadata["DequeueCount"] = "3";
  auto message = ParseQueueInvocation(HostRequest(json{{"job", "j2"}}, metadata), "message");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->message_id, "5b3f0d64");
  EXPECT_EQ(message->dequeue_count, 3);
  EXPECT_EQ(json::parse(message->content), (json{{"job", "j2"}}));
}

TEST(InvocationTest, RefusesWhatIsNotAQueueInvocation) {
  EXPECT_TRUE(ParseQueueInvocation("not json", "message").status().IsInvalidArgument());
  EXPECT_TRUE(ParseQueueInvocation("{}", "message").status().IsInvalidArgument());
  EXPECT_TRUE(
      ParseQueueInvocation(HostRequest("x", Metadata()), "other").status().IsInvalidArgument());
  json no_receipt = Metadata();
  no_receipt.erase("PopReceipt");
  EXPECT_TRUE(
      ParseQueueInvocation(HostRequest("x", no_receipt), "message").status().IsInvalidArgument());
}

TEST(InvocationTest, ResponseHasTheThreeFieldsTheHostReads) {
  const auto response = json::parse(InvocationResponse({"one", "two"}));
  EXPECT_TRUE(response.at("Outputs").is_object());
  EXPECT_EQ(response.at("Logs"), (json{"one", "two"}));
  EXPECT_TRUE(response.at("ReturnValue").is_null());
}

class CustomHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    handler_.Register("ok", [this](const queuestore::ReceivedMessage& message) {
      seen_.push_back(message);
      return storage::Status::Ok();
    });
    handler_.Register("busy", [](const queuestore::ReceivedMessage&) {
      return storage::Status::IoError("storage is busy");
    });
    handler_.Register("throws", [](const queuestore::ReceivedMessage&) -> storage::Status {
      throw std::runtime_error("boom");
    });
  }
  CustomHandler handler_;
  std::vector<queuestore::ReceivedMessage> seen_;
};

TEST_F(CustomHandlerTest, SettledIs200AndTheHandlerGetsTheHostsMessage) {
  const auto reply = handler_.Invoke("ok", HostRequest("hello", Metadata()));
  EXPECT_EQ(reply.status, 200);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].content, "hello");
  EXPECT_EQ(seen_[0].pop_receipt, "AgAAAAMAAAAAAAAA4Vn1aQ==");
  EXPECT_TRUE(json::parse(reply.body).at("ReturnValue").is_null());
}

TEST_F(CustomHandlerTest, NotSettledIs500SoTheHostRetries) {
  const auto busy = handler_.Invoke("busy", HostRequest("m", Metadata()));
  EXPECT_EQ(busy.status, 500);
  EXPECT_NE(json::parse(busy.body).at("Logs").at(0).get<std::string>().find("storage is busy"),
            std::string::npos);
  EXPECT_EQ(handler_.Invoke("throws", HostRequest("m", Metadata())).status, 500);
}

TEST_F(CustomHandlerTest, UnknownFunctionAndBadBodyAreTheCallersFault) {
  EXPECT_EQ(handler_.Invoke("nope", HostRequest("m", Metadata())).status, 404);
  EXPECT_EQ(handler_.Invoke("ok", "{\"Data\":{}}").status, 400);
  EXPECT_TRUE(seen_.empty());
}

TEST_F(CustomHandlerTest, ServesTheContractOverHttp) {
  CustomHandlerServer server(handler_);
  auto port = server.Start(0);
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  storage::CurlTransport transport;
  const auto post = [&](const std::string& path, const std::string& body) {
    storage::HttpRequest request;
    request.method = storage::HttpMethod::kPost;
    request.url = *storage::Url::Parse("http://127.0.0.1:" + std::to_string(*port) + path);
    request.headers["Content-Type"] = "application/json";
    request.body = body;
    auto response = transport.Send(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : storage::HttpResponse{};
  };
  const auto ok = post("/ok", HostRequest("over http", Metadata()));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Header("Content-Type"), "application/json");
  EXPECT_TRUE(json::parse(ok.body).contains("Outputs"));
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].content, "over http");
  EXPECT_EQ(post("/busy", HostRequest("m", Metadata())).status, 500);
  EXPECT_EQ(post("/nope", HostRequest("m", Metadata())).status, 404);
  server.Stop();
  server.Wait();
}

// cpp-httplib 0.11 ignores a stop() that comes before its accept loop runs; Start returns only
// once it runs, so stopping at once always works (else this would hang: it gives up after 10 s).
TEST_F(CustomHandlerTest, StopsEvenRightAfterStarting) {
  auto stopped = std::async(std::launch::async, [this] {
    for (int round = 0; round < 20; ++round) {
      CustomHandlerServer server(handler_);
      if (!server.Start(0).ok()) return false;
      server.Stop();
      server.Wait();
    }
    return true;
  });
  if (stopped.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "a server stopped right after starting never returned";
    std::_Exit(1);  // the hung thread cannot be joined
  }
  EXPECT_TRUE(stopped.get());
}

}  // namespace
}  // namespace fanfold::functions
