// The XML of the Queue service, parsed from canned answers in the shapes Azure documents
// (Azurite's are checked by the integration tests): every field lands where it belongs, content
// is Base64-decoded, times reach year 9999, and malformed answers are Corruption, not crashes.
#include "queuestore/queue_xml.hpp"

#include <gtest/gtest.h>

#include <string>

#include "queuestore/queue_validation.hpp"
#include "storage/crypto.hpp"
#include "storage/http_date.hpp"

namespace fanfold::queuestore {
namespace {

using storage::StatusCode;
using storage::Timestamp;

Timestamp At(const char* iso8601) {
  return *storage::ParseIso8601(iso8601);
}

constexpr const char* kGetMessagesAnswer = R"(<?xml version="1.0" encoding="utf-8"?>
<QueueMessagesList>
  <QueueMessage>
    <MessageId>0c5b3e4a-8f0e-4a53-9a44-2f1d2b7a9c01</MessageId>
    <InsertionTime>Tue, 03 Mar 2026 10:15:00 GMT</InsertionTime>
    <ExpirationTime>Tue, 10 Mar 2026 10:15:00 GMT</ExpirationTime>
    <PopReceipt>AgAAAAMAAAAAAAAAq/ZfFvUk2gE=</PopReceipt>
    <TimeNextVisible>Tue, 03 Mar 2026 10:15:30 GMT</TimeNextVisible>
    <DequeueCount>3</DequeueCount>
    <MessageText>aGVsbG8=</MessageText>
  </QueueMessage>
  <QueueMessage>
    <MessageId>7d3e51aa-3c1b-4f0a-8d57-6a0e5d6c2b02</MessageId>
    <InsertionTime>Tue, 03 Mar 2026 10:16:00 GMT</InsertionTime>
    <ExpirationTime>Fri, 31 Dec 9999 23:59:59 GMT</ExpirationTime>
    <PopReceipt>AgAAAAMAAAAAAAAA1+2fFvUk2gE=</PopReceipt>
    <TimeNextVisible>Tue, 03 Mar 2026 10:16:30 GMT</TimeNextVisible>
    <DequeueCount>1</DequeueCount>
    <MessageText>AP8A</MessageText>
  </QueueMessage>
</QueueMessagesList>)";

TEST(QueueXmlTest, ParsesGetMessagesAnswer) {
  const auto messages = ParseReceivedMessages(kGetMessagesAnswer);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 2u);
  const ReceivedMessage& first = (*messages)[0];
  EXPECT_EQ(first.message_id, "0c5b3e4a-8f0e-4a53-9a44-2f1d2b7a9c01");
  EXPECT_EQ(first.pop_receipt, "AgAAAAMAAAAAAAAAq/ZfFvUk2gE=");
  EXPECT_EQ(first.dequeue_count, 3);
  EXPECT_EQ(first.insertion_time, At("2026-03-03T10:15:00Z"));
  EXPECT_EQ(first.expiration_time, At("2026-03-10T10:15:00Z"));
  EXPECT_EQ(first.next_visible_time, At("2026-03-03T10:15:30Z"));
  EXPECT_EQ(first.content, "hello");
  EXPECT_FALSE(first.content_is_raw);

  const ReceivedMessage& second = (*messages)[1];
  EXPECT_EQ(second.message_id, "7d3e51aa-3c1b-4f0a-8d57-6a0e5d6c2b02");
  EXPECT_EQ(second.dequeue_count, 1);
  EXPECT_EQ(second.expiration_time, At("9999-12-31T23:59:59Z"));
  EXPECT_EQ(second.content, std::string("\0\xFF\0", 3));
}

TEST(QueueXmlTest, ParsesEmptyGetMessagesAnswer) {
  for (const char* xml : {"<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList />",
                          "<QueueMessagesList></QueueMessagesList>"}) {
    const auto messages = ParseReceivedMessages(xml);
    ASSERT_TRUE(messages.ok()) << messages.status().ToString();
    EXPECT_TRUE(messages->empty());
  }
}

TEST(QueueXmlTest, ParsesPeekMessagesAnswer) {
  // Peek answers carry no pop receipt and no next-visible time.
  const auto messages = ParsePeekedMessages(R"(<?xml version="1.0" encoding="utf-8"?>
<QueueMessagesList>
  <QueueMessage>
    <MessageId>a1b2c3d4-0000-4000-8000-000000000001</MessageId>
    <InsertionTime>Wed, 04 Mar 2026 08:00:00 GMT</InsertionTime>
    <ExpirationTime>Wed, 11 Mar 2026 08:00:00 GMT</ExpirationTime>
    <DequeueCount>0</DequeueCount>
    <MessageText>PHRhZz4mYW1wOzwvdGFnPg==</MessageText>
  </QueueMessage>
</QueueMessagesList>)");
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 1u);
  const PeekedMessage& message = (*messages)[0];
  EXPECT_EQ(message.message_id, "a1b2c3d4-0000-4000-8000-000000000001");
  EXPECT_EQ(message.dequeue_count, 0);
  EXPECT_EQ(message.insertion_time, At("2026-03-04T08:00:00Z"));
  EXPECT_EQ(message.expiration_time, At("2026-03-11T08:00:00Z"));
  EXPECT_EQ(message.content, "<tag>&amp;</tag>");
  EXPECT_FALSE(message.content_is_raw);
}

TEST(QueueXmlTest, ParsesPutMessageAnswer) {
  const auto message = ParseEnqueuedMessage(R"(<?xml version="1.0" encoding="utf-8"?>
<QueueMessagesList>
  <QueueMessage>
    <MessageId>f00df00d-1111-4222-8333-444455556666</MessageId>
    <InsertionTime>Thu, 05 Mar 2026 12:00:00 GMT</InsertionTime>
    <ExpirationTime>Fri, 31 Dec 9999 23:59:59 GMT</ExpirationTime>
    <PopReceipt>AgAAAAMAAAAAAAAAx+Yz</PopReceipt>
    <TimeNextVisible>Thu, 05 Mar 2026 12:00:10 GMT</TimeNextVisible>
  </QueueMessage>
</QueueMessagesList>)");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->message_id, "f00df00d-1111-4222-8333-444455556666");
  EXPECT_EQ(message->pop_receipt, "AgAAAAMAAAAAAAAAx+Yz");
  EXPECT_EQ(message->insertion_time, At("2026-03-05T12:00:00Z"));
  EXPECT_EQ(message->expiration_time, At("9999-12-31T23:59:59Z"));
  EXPECT_EQ(message->next_visible_time, At("2026-03-05T12:00:10Z"));
}

TEST(QueueXmlTest, TextThatIsNotBase64IsKeptRaw) {
  // Written by a client that does not encode: readable, flagged, and still deletable.
  const auto messages = ParsePeekedMessages(
      "<QueueMessagesList><QueueMessage><MessageId>m</MessageId>"
      "<InsertionTime>Thu, 05 Mar 2026 12:00:00 GMT</InsertionTime>"
      "<ExpirationTime>Thu, 12 Mar 2026 12:00:00 GMT</ExpirationTime>"
      "<DequeueCount>0</DequeueCount><MessageText>plain text &lt;3</MessageText>"
      "</QueueMessage></QueueMessagesList>");
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_TRUE((*messages)[0].content_is_raw);
  EXPECT_EQ((*messages)[0].content, "plain text <3");
}

TEST(QueueXmlTest, MalformedAnswersAreCorruption) {
  const char* const answers[] = {
      "",
      "not xml at all",
      "<Error><Code>x</Code></Error>",
      // No PopReceipt.
      "<QueueMessagesList><QueueMessage><MessageId>m</MessageId>"
      "<InsertionTime>Thu, 05 Mar 2026 12:00:00 GMT</InsertionTime>"
      "<ExpirationTime>Thu, 12 Mar 2026 12:00:00 GMT</ExpirationTime>"
      "<TimeNextVisible>Thu, 05 Mar 2026 12:00:00 GMT</TimeNextVisible>"
      "<DequeueCount>1</DequeueCount><MessageText>AA==</MessageText>"
      "</QueueMessage></QueueMessagesList>",
      // A time that is not RFC 1123.
      "<QueueMessagesList><QueueMessage><MessageId>m</MessageId><PopReceipt>p</PopReceipt>"
      "<InsertionTime>2026-03-05T12:00:00Z</InsertionTime>"
      "<ExpirationTime>Thu, 12 Mar 2026 12:00:00 GMT</ExpirationTime>"
      "<TimeNextVisible>Thu, 05 Mar 2026 12:00:00 GMT</TimeNextVisible>"
      "<DequeueCount>1</DequeueCount><MessageText>AA==</MessageText>"
      "</QueueMessage></QueueMessagesList>",
      // A dequeue count that is not a number.
      "<QueueMessagesList><QueueMessage><MessageId>m</MessageId><PopReceipt>p</PopReceipt>"
      "<InsertionTime>Thu, 05 Mar 2026 12:00:00 GMT</InsertionTime>"
      "<ExpirationTime>Thu, 12 Mar 2026 12:00:00 GMT</ExpirationTime>"
      "<TimeNextVisible>Thu, 05 Mar 2026 12:00:00 GMT</TimeNextVisible>"
      "<DequeueCount>once</DequeueCount><MessageText>AA==</MessageText>"
      "</QueueMessage></QueueMessagesList>",
  };
  for (const char* answer : answers) {
    const auto messages = ParseReceivedMessages(answer);
    ASSERT_FALSE(messages.ok()) << answer;
    EXPECT_EQ(messages.status().code(), StatusCode::kCorruption) << answer;
  }
  EXPECT_EQ(ParseEnqueuedMessage("<QueueMessagesList/>").status().code(), StatusCode::kCorruption);
}

TEST(QueueXmlTest, BuildsMessageBodyWithBase64Text) {
  const std::string content("<&>\"'\0\xFF", 7);
  const std::string body = BuildMessageBody(content);
  EXPECT_EQ(body, "<?xml version=\"1.0\"?><QueueMessage><MessageText>" +
                      storage::Base64Encode(content) + "</MessageText></QueueMessage>");
  EXPECT_EQ(BuildMessageBody(""),
            "<?xml version=\"1.0\"?><QueueMessage><MessageText></MessageText></QueueMessage>");
}

TEST(QueueXmlTest, EncodedMessageBytesIsTheMessageTextAsSent) {
  // JSON text full of what XML and JSON escape: the MessageText is Base64, never escaped again.
  for (const std::string& content :
       {std::string(), std::string("<&>\"'\0\xFF", 7), std::string(30000, '"'),
        std::string("{\"payload\":\"\\\"\xc3\xa9\"}")}) {
    const std::string body = BuildMessageBody(content);
    const size_t open = body.find("<MessageText>") + std::string("<MessageText>").size();
    const size_t text = body.find("</MessageText>") - open;
    EXPECT_EQ(EncodedMessageBytes(content), text);
  }
  EXPECT_EQ(EncodedMessageBytes(std::string(kMaxMessageContentBytes, '"')),
            kMaxEncodedMessageBytes);
}

TEST(QueueXmlTest, ParsesListQueuesAnswer) {
  const auto page = ParseQueueListPage(R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://account.queue.core.windows.net/">
  <Prefix>jobs</Prefix>
  <MaxResults>2</MaxResults>
  <Queues>
    <Queue><Name>jobs-a</Name><Metadata><Owner>fanfold</Owner><tier>hot &amp; fast</tier></Metadata></Queue>
    <Queue><Name>jobs-b</Name></Queue>
  </Queues>
  <NextMarker>/account/jobs-c</NextMarker>
</EnumerationResults>)");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->queues.size(), 2u);
  EXPECT_EQ(page->queues[0].name, "jobs-a");
  EXPECT_EQ(page->queues[0].metadata.size(), 2u);
  EXPECT_EQ(page->queues[0].metadata.at("owner"), "fanfold");  // case-insensitive lookup
  EXPECT_EQ(page->queues[0].metadata.at("tier"), "hot & fast");
  EXPECT_EQ(page->queues[1].name, "jobs-b");
  EXPECT_TRUE(page->queues[1].metadata.empty());
  EXPECT_EQ(page->next_marker, "/account/jobs-c");

  const auto last =
      ParseQueueListPage("<EnumerationResults><Queues /><NextMarker /></EnumerationResults>");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->queues.empty());
  EXPECT_TRUE(last->next_marker.empty());
}

TEST(QueueXmlTest, ServiceTimesCoverYear9999AndRefuseGarbage) {
  EXPECT_EQ(ParseServiceTime("Fri, 31 Dec 9999 23:59:59 GMT"), At("9999-12-31T23:59:59Z"));
  EXPECT_EQ(ParseServiceTime("Sun, 06 Nov 1994 08:49:37 GMT"), At("1994-11-06T08:49:37Z"));
  EXPECT_FALSE(ParseServiceTime("").has_value());
  EXPECT_FALSE(ParseServiceTime("yesterday").has_value());
}

}  // namespace
}  // namespace fanfold::queuestore
