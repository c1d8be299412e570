// The poison envelope carries any bytes and always fits one queue message.
#include "queuestore/poison_envelope.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fanfold::queuestore
