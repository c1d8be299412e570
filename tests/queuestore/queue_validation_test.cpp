// Client-side validation: what Azure would refuse is refused here, with a message that names the
// limit, so callers learn the rule without a round trip.
#include "queuestore/queue_validation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanfold::queuestore {
namespace {

using std::chrono::seconds;

TEST(QueueNameTest, AcceptsValidNames) {
  const std::vector<std::string> names = {"abc",    "a-b-c", "queue1",
                                          "1queue", "0-9",   std::string(63, 'q')};
  for (const std::string& name : names) {
    EXPECT_TRUE(ValidateQueueName(name).ok()) << name;
  }
}

TEST(QueueNameTest, RefusesInvalidNames) {
  const std::vector<std::string> names = {
      "",       "ab",      std::string(64, 'q'), "Queue",  "que_ue", "que ue", "-queue",
      "queue-", "qu--eue", "qu\xC3\xA9ue",       "que.ue", "queue/x"};
  for (const std::string& name : names) {
    const auto status = ValidateQueueName(name);
    EXPECT_TRUE(status.IsInvalidArgument()) << "'" << name << "'";
  }
}

TEST(QueueNameTest, MessagesExplainTheRule) {
  EXPECT_NE(ValidateQueueName("ab").message().find("3 to 63"), std::string::npos);
  EXPECT_NE(ValidateQueueName("a--b").message().find("consecutive hyphens"), std::string::npos);
  EXPECT_NE(ValidateQueueName("-ab").message().find("start and end"), std::string::npos);
  EXPECT_NE(ValidateQueueName("aBc").message().find("lower-case"), std::string::npos);
}

TEST(MessageSizeTest, EncodedSizeIsBase64Length) {
  EXPECT_EQ(EncodedMessageSize(0), 0u);
  EXPECT_EQ(EncodedMessageSize(1), 4u);
  EXPECT_EQ(EncodedMessageSize(3), 4u);
  EXPECT_EQ(EncodedMessageSize(4), 8u);
  EXPECT_EQ(EncodedMessageSize(49152), 65536u);
  EXPECT_EQ(EncodedMessageSize(49153), 65540u);
  EXPECT_EQ(kMaxMessageContentBytes, 49152u);
}

TEST(MessageSizeTest, LimitAppliesToTheEncodedText) {
  EXPECT_TRUE(ValidateMessageContent(std::string(kMaxMessageContentBytes, 'x')).ok());
  EXPECT_TRUE(ValidateMessageContent("").ok());
  // 50000 raw bytes are under 64 KiB raw but over it once encoded: Azure would refuse them.
  const auto status = ValidateMessageContent(std::string(50000, 'x'));
  ASSERT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("50000 bytes"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("66668 bytes"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("65536"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("49152"), std::string::npos) << status.message();
  EXPECT_TRUE(
      ValidateMessageContent(std::string(kMaxMessageContentBytes + 1, 'x')).IsInvalidArgument());
}

TEST(MessageHandleTest, RefusesEmptyIdOrReceipt) {
  EXPECT_TRUE(ValidateMessageHandle("id", "receipt").ok());
  EXPECT_TRUE(ValidateMessageHandle("", "receipt").IsInvalidArgument());
  EXPECT_TRUE(ValidateMessageHandle("id", "").IsInvalidArgument());
}

TEST(MetadataTest, NamesAreCSharpIdentifiersAndValuesPrintableAscii) {
  EXPECT_TRUE(ValidateMetadata({{"owner", "fanfold"}, {"_x1", ""}, {"Mixed_Case9", "a b"}}).ok());
  EXPECT_TRUE(ValidateMetadata({{"1abc", "v"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"a-b", "v"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"", "v"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"name", "line\nbreak"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"name", "caf\xC3\xA9"}}).IsInvalidArgument());
  EXPECT_TRUE(ValidateMetadata({{"name", " padded"}}).IsInvalidArgument());
}

TEST(OptionsTest, MaxMessagesIsOneToThirtyTwo) {
  for (const int n : {1, 32}) {
    EXPECT_TRUE(ValidateGetMessagesOptions({.max_messages = n}).ok()) << n;
    EXPECT_TRUE(ValidatePeekMessagesOptions({.max_messages = n}).ok()) << n;
  }
  for (const int n : {0, -1, 33}) {
    const auto status = ValidateGetMessagesOptions({.max_messages = n});
    EXPECT_TRUE(status.IsInvalidArgument()) << n;
    EXPECT_NE(status.message().find("1 to 32"), std::string::npos) << status.message();
    EXPECT_TRUE(ValidatePeekMessagesOptions({.max_messages = n}).IsInvalidArgument()) << n;
  }
}

TEST(OptionsTest, GetVisibilityTimeoutIsOneSecondToSevenDays) {
  EXPECT_TRUE(ValidateGetMessagesOptions({.visibility_timeout = seconds(1)}).ok());
  EXPECT_TRUE(ValidateGetMessagesOptions({.visibility_timeout = seconds(604800)}).ok());
  EXPECT_TRUE(ValidateGetMessagesOptions({.visibility_timeout = seconds(0)}).IsInvalidArgument());
  EXPECT_TRUE(
      ValidateGetMessagesOptions({.visibility_timeout = seconds(604801)}).IsInvalidArgument());
}

TEST(OptionsTest, UpdateVisibilityTimeoutIsZeroToSevenDays) {
  EXPECT_TRUE(ValidateUpdateVisibilityTimeout(seconds(0)).ok());
  EXPECT_TRUE(ValidateUpdateVisibilityTimeout(seconds(604800)).ok());
  EXPECT_TRUE(ValidateUpdateVisibilityTimeout(seconds(-1)).IsInvalidArgument());
  EXPECT_TRUE(ValidateUpdateVisibilityTimeout(seconds(604801)).IsInvalidArgument());
}

TEST(OptionsTest, PutDelayAndTimeToLive) {
  EXPECT_TRUE(ValidatePutMessageOptions({}).ok());
  EXPECT_TRUE(ValidatePutMessageOptions({.visibility_delay = seconds(604800)}).ok());
  EXPECT_TRUE(ValidatePutMessageOptions({.time_to_live = kNeverExpires}).ok());
  EXPECT_TRUE(ValidatePutMessageOptions(
                  {.visibility_delay = seconds(604800), .time_to_live = kNeverExpires})
                  .ok());
  EXPECT_TRUE(ValidatePutMessageOptions({.time_to_live = seconds(30 * 24 * 3600)}).ok());
  EXPECT_TRUE(
      ValidatePutMessageOptions({.visibility_delay = seconds(5), .time_to_live = seconds(6)}).ok());

  EXPECT_TRUE(ValidatePutMessageOptions({.visibility_delay = seconds(-1)}).IsInvalidArgument());
  EXPECT_TRUE(ValidatePutMessageOptions({.visibility_delay = seconds(604801)}).IsInvalidArgument());
  EXPECT_TRUE(ValidatePutMessageOptions({.time_to_live = seconds(0)}).IsInvalidArgument());
  EXPECT_TRUE(ValidatePutMessageOptions({.time_to_live = seconds(-2)}).IsInvalidArgument());
  const auto status =
      ValidatePutMessageOptions({.visibility_delay = seconds(6), .time_to_live = seconds(6)});
  ASSERT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("shorter than time_to_live"), std::string::npos);
}

TEST(OptionsTest, ListMaxResults) {
  EXPECT_TRUE(ValidateListQueuesOptions({}).ok());
  EXPECT_TRUE(ValidateListQueuesOptions({.max_results = 5000}).ok());
  EXPECT_TRUE(ValidateListQueuesOptions({.max_results = 5001}).IsInvalidArgument());
  EXPECT_TRUE(ValidateListQueuesOptions({.max_results = -1}).IsInvalidArgument());
}

}  // namespace
}  // namespace fanfold::queuestore
