// QueueClient over a scripted transport: the requests it builds (method, path, query, body, kind),
// how it reads canned answers (Azure's included, which Azurite cannot produce), and that what
// Azure would refuse never reaches the wire.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "queuestore/message_not_held.hpp"
#include "queuestore/queue_service_client.hpp"
#include "storage/crypto.hpp"
#include "tests/storage/scripted_transport.hpp"

namespace fanfold::queuestore {
namespace {

using std::chrono::seconds;
using storage::HttpMethod;
using storage::OperationKind;

// What Azure sends for Delete/Update Message with a stale pop receipt or a deleted message.
constexpr const char* kAzureMessageNotFoundBody =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>MessageNotFound</Code>"
    "<Message>The specified message does not exist.\nRequestId:5d9b1b4e-0003-0042-\n"
    "Time:2026-03-05T12:00:00.0000000Z</Message></Error>";
// What Azurite sends for a stale pop receipt.
constexpr const char* kAzuritePopReceiptMismatchBody =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Error>"
    "<Code>PopReceiptMismatch</Code><Message>The specified pop receipt did not match the pop "
    "receipt for a dequeued message.\nRequestId:1a2b</Message></Error>";

class QueueClientUnitTest : public ::testing::Test {
 protected:
  QueueClientUnitTest() {
    storage::StorageAccount account;
    account.credential.account_name = "devstoreaccount1";
    account.credential.account_key = "not-a-real-key";
    account.queue_endpoint = *storage::Url::Parse("http://127.0.0.1:10001/devstoreaccount1");
    storage::PipelineOptions options;
    options.transport = transport_;
    options.counters = &counters_;
    options.retry.sleep = [](std::chrono::milliseconds) {};
    service_ = std::make_unique<QueueServiceClient>(account, options);
    queue_ = std::make_unique<QueueClient>(*service_->GetQueueClient("jobs"));
  }

  static std::map<std::string, std::string> QueryOf(const storage::HttpRequest& request) {
    std::map<std::string, std::string> query;
    for (const auto& [name, value] : request.url.query)
      query[name] = value;
    return query;
  }

  std::shared_ptr<storage::test::ScriptedTransport> transport_ =
      std::make_shared<storage::test::ScriptedTransport>();
  storage::StorageCounters counters_;
  std::unique_ptr<QueueServiceClient> service_;
  std::unique_ptr<QueueClient> queue_;
};

TEST_F(QueueClientUnitTest, GetQueueClientValidatesTheName) {
  EXPECT_TRUE(service_->GetQueueClient("Bad_Name").status().IsInvalidArgument());
  const auto client = service_->GetQueueClient("good-name-1");
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->name(), "good-name-1");
  EXPECT_EQ(client->url().ToString(), "http://127.0.0.1:10001/devstoreaccount1/good-name-1");
  EXPECT_EQ(counters_.Snapshot().total_attempts(), 0u);
}

TEST_F(QueueClientUnitTest, CreateReportsEachOutcomeAsAValue) {
  transport_->Answer(201);
  transport_->Answer(204);
  transport_->Answer(409, {{"x-ms-error-code", "QueueAlreadyExists"}});
  transport_->Answer(409, {{"x-ms-error-code", "QueueBeingDeleted"}});
  EXPECT_EQ(*queue_->Create({.metadata = {{"owner", "fanfold"}}}), CreateQueueOutcome::kCreated);
  EXPECT_EQ(*queue_->Create(), CreateQueueOutcome::kAlreadyExists);
  EXPECT_EQ(*queue_->Create(), CreateQueueOutcome::kExistsWithDifferentMetadata);
  const auto being_deleted = queue_->Create();
  ASSERT_FALSE(being_deleted.ok());
  EXPECT_TRUE(being_deleted.status().IsConflict());
  EXPECT_EQ(being_deleted.status().error_code(), "QueueBeingDeleted");

  const auto& first = transport_->seen().at(0);
  EXPECT_EQ(first.method, HttpMethod::kPut);
  EXPECT_EQ(first.url.path, "/devstoreaccount1/jobs");
  EXPECT_EQ(first.kind, OperationKind::kQueueAdmin);
  ASSERT_EQ(first.headers.count("x-ms-meta-owner"), 1u);
  EXPECT_EQ(first.headers.at("x-ms-meta-owner"), "fanfold");
  EXPECT_EQ(counters_.Snapshot().operations_of(OperationKind::kQueueAdmin), 4u);
}

TEST_F(QueueClientUnitTest, PutMessageSendsEncodedBodyAndOptions) {
  transport_->Answer(201, {},
                     "<QueueMessagesList><QueueMessage><MessageId>id-1</MessageId>"
                     "<InsertionTime>Thu, 05 Mar 2026 12:00:00 GMT</InsertionTime>"
                     "<ExpirationTime>Fri, 31 Dec 9999 23:59:59 GMT</ExpirationTime>"
                     "<PopReceipt>pr-1</PopReceipt>"
                     "<TimeNextVisible>Thu, 05 Mar 2026 12:00:05 GMT</TimeNextVisible>"
                     "</QueueMessage></QueueMessagesList>");
  const std::string content("\0binary\xFE", 8);
  const auto sent =
      queue_->PutMessage(content, {.visibility_delay = seconds(5), .time_to_live = kNeverExpires});
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->message_id, "id-1");
  EXPECT_EQ(sent->pop_receipt, "pr-1");
  EXPECT_EQ(sent->next_visible_time - sent->insertion_time, seconds(5));

  const auto& request = transport_->seen().at(0);
  EXPECT_EQ(request.method, HttpMethod::kPost);
  EXPECT_EQ(request.url.path, "/devstoreaccount1/jobs/messages");
  EXPECT_EQ(QueryOf(request),
            (std::map<std::string, std::string>{{"messagettl", "-1"}, {"visibilitytimeout", "5"}}));
  EXPECT_EQ(request.kind, OperationKind::kQueuePut);
  EXPECT_NE(request.body.find("<MessageText>" + storage::Base64Encode(content) + "</MessageText>"),
            std::string::npos);
}

TEST_F(QueueClientUnitTest, GetAndPeekAskForTheRightMessages) {
  transport_->Answer(200, {}, "<QueueMessagesList />");
  transport_->Answer(200, {}, "<QueueMessagesList />");
  ASSERT_TRUE(queue_->GetMessages({.max_messages = 32, .visibility_timeout = seconds(90)}).ok());
  ASSERT_TRUE(queue_->PeekMessages({.max_messages = 7}).ok());
  const auto& get = transport_->seen().at(0);
  EXPECT_EQ(get.method, HttpMethod::kGet);
  EXPECT_EQ(get.kind, OperationKind::kQueueGet);
  EXPECT_EQ(QueryOf(get), (std::map<std::string, std::string>{{"numofmessages", "32"},
                                                              {"visibilitytimeout", "90"}}));
  const auto& peek = transport_->seen().at(1);
  EXPECT_EQ(peek.kind, OperationKind::kQueuePeek);
  EXPECT_EQ(QueryOf(peek),
            (std::map<std::string, std::string>{{"numofmessages", "7"}, {"peekonly", "true"}}));
}

TEST_F(QueueClientUnitTest, UpdateReadsTheNewReceiptFromHeaders) {
  transport_->Answer(204, {{"x-ms-popreceipt", "pr-2"},
                           {"x-ms-time-next-visible", "Thu, 05 Mar 2026 12:01:00 GMT"}});
  const auto receipt =
      queue_->UpdateMessage("id-1", "pr/1+=", seconds(60), {.content = std::string("new")});
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->pop_receipt, "pr-2");
  EXPECT_EQ(receipt->next_visible_time, *storage::ParseIso8601("2026-03-05T12:01:00Z"));
  const auto& request = transport_->seen().at(0);
  EXPECT_EQ(request.method, HttpMethod::kPut);
  EXPECT_EQ(request.url.path, "/devstoreaccount1/jobs/messages/id-1");
  EXPECT_EQ(request.kind, OperationKind::kQueueUpdate);
  EXPECT_EQ(QueryOf(request), (std::map<std::string, std::string>{{"popreceipt", "pr/1+="},
                                                                  {"visibilitytimeout", "60"}}));
  // The receipt's reserved characters are escaped on the wire.
  EXPECT_NE(request.url.ToString().find("popreceipt=pr%2F1%2B%3D"), std::string::npos);
  EXPECT_NE(request.body.find(storage::Base64Encode("new")), std::string::npos);
}

TEST_F(QueueClientUnitTest, UpdateWithoutContentSendsNoBody) {
  transport_->Answer(204, {{"x-ms-popreceipt", "pr-3"},
                           {"x-ms-time-next-visible", "Thu, 05 Mar 2026 12:01:00 GMT"}});
  ASSERT_TRUE(queue_->UpdateMessage("id-1", "pr-2", seconds(0)).ok());
  EXPECT_TRUE(transport_->seen().at(0).body.empty());
}

TEST_F(QueueClientUnitTest, AzureMessageNotFoundMeansNotHeld) {
  transport_->Answer(404, {{"x-ms-error-code", "MessageNotFound"}}, kAzureMessageNotFoundBody);
  transport_->Answer(404, {{"x-ms-error-code", "MessageNotFound"}}, kAzureMessageNotFoundBody);
  const storage::Status deleted = queue_->DeleteMessage("id-1", "stale");
  EXPECT_TRUE(IsMessageNotHeld(deleted)) << deleted.ToString();
  EXPECT_TRUE(deleted.IsNotFound());
  const auto updated = queue_->UpdateMessage("id-1", "stale", seconds(10));
  EXPECT_TRUE(IsMessageNotHeld(updated.status())) << updated.status().ToString();
  const auto& request = transport_->seen().at(0);
  EXPECT_EQ(request.method, HttpMethod::kDelete);
  EXPECT_EQ(request.url.path, "/devstoreaccount1/jobs/messages/id-1");
  EXPECT_EQ(request.kind, OperationKind::kQueueDelete);
  // Not retried: a 404 is an answer.
  EXPECT_EQ(counters_.Snapshot().total_attempts(), 2u);
}

TEST_F(QueueClientUnitTest, AzuritePopReceiptMismatchMeansNotHeldToo) {
  // Only the body carries the code here: the parsed Status must still be recognised.
  transport_->Answer(400, {}, kAzuritePopReceiptMismatchBody);
  const storage::Status status = queue_->DeleteMessage("id-1", "stale");
  EXPECT_EQ(status.error_code(), "PopReceiptMismatch");
  EXPECT_TRUE(IsMessageNotHeld(status)) << status.ToString();
}

TEST_F(QueueClientUnitTest, GetPropertiesReadsCountAndMetadata) {
  transport_->Answer(200, {{"x-ms-approximate-messages-count", "42"},
                           {"x-ms-meta-Owner", "fanfold"},
                           {"x-ms-request-id", "r"}});
  const auto properties = queue_->GetProperties();
  ASSERT_TRUE(properties.ok()) << properties.status().ToString();
  EXPECT_EQ(properties->approximate_message_count, 42);
  ASSERT_EQ(properties->metadata.size(), 1u);
  EXPECT_EQ(properties->metadata.begin()->first, "Owner");
  EXPECT_EQ(properties->metadata.begin()->second, "fanfold");
  EXPECT_EQ(QueryOf(transport_->seen().at(0)),
            (std::map<std::string, std::string>{{"comp", "metadata"}}));

  transport_->Answer(200, {});
  EXPECT_EQ(queue_->GetProperties().status().code(), storage::StatusCode::kCorruption);
}

TEST_F(QueueClientUnitTest, RefusalsNeverReachTheWire) {
  const auto too_big = queue_->PutMessage(std::string(kMaxMessageContentBytes + 1, 'x'));
  EXPECT_TRUE(too_big.status().IsInvalidArgument());
  EXPECT_NE(too_big.status().message().find("65536"), std::string::npos);
  EXPECT_TRUE(queue_
                  ->UpdateMessage("id", "pr", seconds(1),
                                  {.content = std::string(kMaxMessageContentBytes + 1, 'x')})
                  .status()
                  .IsInvalidArgument());
  EXPECT_TRUE(queue_->GetMessages({.max_messages = 33}).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->PeekMessages({.max_messages = 0}).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->GetMessages({.visibility_timeout = seconds(0)}).status().IsInvalidArgument());
  EXPECT_TRUE(queue_->UpdateMessage("id", "pr", seconds(604801)).status().IsInvalidArgument());
  // An empty id would turn Delete Message into Clear Messages (DELETE .../messages).
  EXPECT_TRUE(queue_->DeleteMessage("", "pr").IsInvalidArgument());
  EXPECT_TRUE(queue_->DeleteMessage("id", "").IsInvalidArgument());
  EXPECT_TRUE(queue_->Create({.metadata = {{"bad-name", "v"}}}).status().IsInvalidArgument());
  EXPECT_TRUE(service_->ListQueues({.max_results = 5001}).status().IsInvalidArgument());
  EXPECT_TRUE(transport_->seen().empty());
  const auto snapshot = counters_.Snapshot();
  EXPECT_EQ(snapshot.total_operations(), 0u);
  EXPECT_EQ(snapshot.total_attempts(), 0u);
}

TEST_F(QueueClientUnitTest, ListAllQueuesFollowsMarkers) {
  transport_->Answer(200, {},
                     "<EnumerationResults><Queues><Queue><Name>jobs-a</Name></Queue></Queues>"
                     "<NextMarker>m2</NextMarker></EnumerationResults>");
  transport_->Answer(200, {},
                     "<EnumerationResults><Queues><Queue><Name>jobs-b</Name></Queue></Queues>"
                     "<NextMarker /></EnumerationResults>");
  const auto queues = service_->ListAllQueues({.prefix = "jobs", .include_metadata = true});
  ASSERT_TRUE(queues.ok()) << queues.status().ToString();
  ASSERT_EQ(queues->size(), 2u);
  EXPECT_EQ((*queues)[1].name, "jobs-b");
  EXPECT_EQ(QueryOf(transport_->seen().at(0)),
            (std::map<std::string, std::string>{
                {"comp", "list"}, {"include", "metadata"}, {"prefix", "jobs"}}));
  EXPECT_EQ(QueryOf(transport_->seen().at(1)).at("marker"), "m2");
  EXPECT_EQ(counters_.Snapshot().operations_of(OperationKind::kQueueAdmin), 2u);
}

}  // namespace
}  // namespace fanfold::queuestore
