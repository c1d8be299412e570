// The poison envelope carries any bytes and always fits one queue message.
#include "queuestore/poison_envelope.hpp"

#include <gtest/gtest.h>

#include "queuestore/queue_consumer.hpp"
#include "queuestore/queue_options.hpp"

namespace fanfold::queuestore {
namespace {

PoisonedMessage RoundTrip(const std::string& content) {
  const std::string envelope = PoisonEnvelope("q", "why", 3, content);
  EXPECT_LE(envelope.size(), kMaxMessageContentBytes);
  auto parsed = ParsePoisonEnvelope(envelope);
  EXPECT_TRUE(parsed.ok()) << envelope.substr(0, 200);
  return parsed.ok() ? *parsed : PoisonedMessage{};
}

TEST(PoisonEnvelopeTest, TextAndBytesComeBackExactly) {
  for (const std::string& content :
       {std::string(), std::string("{\"job\":\"j\"}"), std::string("caf\xC3\xA9 \x01\"\\"),
        std::string("\xFF\xFE\x00 binary", 10), std::string("\xC3")}) {
    const auto back = RoundTrip(content);
    EXPECT_EQ(back.content, content);
    EXPECT_FALSE(back.truncated);
    EXPECT_EQ(back.from, "q");
    EXPECT_EQ(back.reason, "why");
  }
}

TEST(PoisonEnvelopeTest, WhatDoesNotFitIsCutAndSaysSo) {
  // Control characters swell sixfold in JSON; random bytes a third in Base64.
  std::string controls(kMaxMessageContentBytes, '\x01');
  std::string bytes(kMaxMessageContentBytes, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(i * 31 % 256);
  std::string accents;
  while (accents.size() < kMaxMessageContentBytes)
    accents += "\xC3\xA9\"";
  for (const std::string& content : {controls, bytes, accents}) {
    const auto back = RoundTrip(content);
    EXPECT_TRUE(back.truncated);
    EXPECT_GT(back.content.size(), 4000u);
    EXPECT_EQ(content.compare(0, back.content.size(), back.content), 0) << "not a prefix";
  }
}

TEST(PoisonEnvelopeTest, AReasonThatIsNotUtf8DoesNotBreakIt) {
  const std::string envelope = PoisonEnvelope("q\xFF", std::string(10000, '\xFE'), 1, "x");
  auto parsed = ParsePoisonEnvelope(envelope);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->content, "x");
  EXPECT_LE(parsed->reason.size(), 2000u);
}

TEST(PoisonEnvelopeTest, OtherTextIsNotAnEnvelope) {
  EXPECT_FALSE(ParsePoisonEnvelope("{}").ok());
  EXPECT_FALSE(ParsePoisonEnvelope("\xFF").ok());
  EXPECT_FALSE(ParsePoisonEnvelope(R"({"from":"q","message":"!!","encoding":"base64"})").ok());
}

TEST(PoisonEnvelopeTest, SaysWhenHowOftenAndHowBig) {
  const auto when = storage::Timestamp(std::chrono::seconds(1700000000));
  auto parsed = ParsePoisonEnvelope(PoisonEnvelope("chain-chunks", "why", 6, "\xFF\xFE", when));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->from, "chain-chunks");
  EXPECT_EQ(parsed->dequeue_count, 6);
  EXPECT_EQ(parsed->time, "2023-11-14T22:13:20.0000000Z");
  EXPECT_EQ(parsed->bytes, 2u);
  EXPECT_EQ(parsed->content, "\xFF\xFE");
  // 64 KiB of raw text (the most another client can put): cut, with the original size kept.
  const std::string raw(64 * 1024, 'x');
  parsed = ParsePoisonEnvelope(PoisonEnvelope("q", "why", 1, raw, when));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->truncated);
  EXPECT_EQ(parsed->bytes, raw.size());
  // An envelope from before "time" and "bytes" existed is still read.
  parsed = ParsePoisonEnvelope(R"({"from":"chain-split","reason":"r","message":"m"})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->time, "");
  EXPECT_EQ(parsed->bytes, 1u);
}

TEST(PoisonEnvelopeTest, AFieldOfTheWrongTypeIsNoEnvelopeNotAnException) {
  for (const char* text : {R"({"from":"q","message":"m","reason":1})",
                           R"({"from":"q","message":"m","truncated":"yes"})",
                           R"({"from":"q","message":"m","encoding":[]})"}) {
    EXPECT_FALSE(ParsePoisonEnvelope(text).ok()) << text;
  }
}

TEST(UnreadableReasonTest, NamesTheProblemNeverTheBytes) {
  EXPECT_EQ(UnreadableReason("work item", ""), "unreadable work item: the message is empty");
  EXPECT_EQ(UnreadableReason("work item", "secret\xFF"),
            "unreadable work item: the message is not valid UTF-8 (7 bytes)");
  EXPECT_EQ(UnreadableReason("work item", "secret {"),
            "unreadable work item: the message is not JSON (8 bytes)");
  EXPECT_EQ(UnreadableReason("work item", "{\"secret\": 1}"),
            "unreadable work item: JSON of the wrong shape (13 bytes)");
}

}  // namespace
}  // namespace fanfold::queuestore
