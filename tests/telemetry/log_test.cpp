// The log line formats and the redaction that keeps credentials out of every line.
#include "telemetry/log.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace fanfold::telemetry {
namespace {

constexpr const char* kTime = "2026-12-01T21:40:00.123Z";

TEST(LogFormatTest, JsonLineIsOneObjectWithTheFixedKeysFirst) {
  const std::string line =
      FormatLogLine(LogFormat::kJson, LogLevel::kInfo, "chunk.aggregated",
                    {{"job", "j-1"}, {"chunk", 3}, {"duration_ms", 12.5}}, "host:42", kTime);
  EXPECT_EQ(line.rfind("{\"time\":\"2026-12-01T21:40:00.123Z\",\"level\":\"info\","
                       "\"event\":\"chunk.aggregated\",\"worker\":\"host:42\"",
                       0),
            0u)
      << line;
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed.at("job"), "j-1");
  EXPECT_EQ(parsed.at("chunk"), 3);
  EXPECT_DOUBLE_EQ(parsed.at("duration_ms").get<double>(), 12.5);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(LogFormatTest, JsonLineKeepsTheFixedKeysAgainstFieldsOfTheSameName) {
  const auto parsed = nlohmann::json::parse(FormatLogLine(
      LogFormat::kJson, LogLevel::kWarn, "e", {{"event", "other"}, {"level", "x"}}, "", kTime));
  EXPECT_EQ(parsed.at("event"), "e");
  EXPECT_EQ(parsed.at("level"), "warn");
  EXPECT_FALSE(parsed.contains("worker"));
}

TEST(LogFormatTest, TextLineLeadsWithTheJobAndQuotesValuesWithSpaces) {
  const std::string line = FormatLogLine(
      LogFormat::kText, LogLevel::kError, "job.failed",
      {{"error", "chunk 2 failed"}, {"job", "j-1"}, {"attempts", 3}}, "host:42", kTime);
  EXPECT_EQ(line,
            "2026-12-01T21:40:00.123Z error job.failed job=j-1 attempts=3 "
            "error=\"chunk 2 failed\" worker=host:42");
}

TEST(LogFormatTest, InvalidUtf8DoesNotThrow) {
  const std::string bad = "bytes \xff\xfe here";
  EXPECT_NO_THROW(
      FormatLogLine(LogFormat::kJson, LogLevel::kInfo, "e", {{"message", bad}}, "", kTime));
}

TEST(RedactTest, MasksConnectionStringSecretsAndSasSignatures) {
  EXPECT_EQ(Redact("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0==;"
                   "EndpointSuffix=core.windows.net"),
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;"
            "EndpointSuffix=core.windows.net");
  EXPECT_EQ(Redact("GET https://a.blob.core.windows.net/c/b?sv=2021-12-02&sig=abc%2Fdef&se=x"),
            "GET https://a.blob.core.windows.net/c/b?sv=2021-12-02&sig=***&se=x");
  EXPECT_EQ(Redact("SharedAccessSignature=sv=2021&sig=zzz;BlobEndpoint=x"),
            "SharedAccessSignature=***&sig=***;BlobEndpoint=x");
  EXPECT_EQ(Redact("accountkey=lower"), "accountkey=***");
}

TEST(RedactTest, LeavesOrdinaryTextAlone) {
  EXPECT_EQ(Redact("config=1 design=2 signal=SIGTERM"), "config=1 design=2 signal=SIGTERM");
  EXPECT_EQ(Redact(""), "");
}

TEST(RedactTest, AppliesToEveryStringFieldOfALine) {
  const std::string line = FormatLogLine(
      LogFormat::kJson, LogLevel::kError, "storage.error",
      {{"error", "AccountKey=s3cr3t"}, {"nested", {{"url", "x?sig=s3cr3t"}}}}, "", kTime);
  EXPECT_EQ(line.find("s3cr3t"), std::string::npos) << line;
}

TEST(LogTest, WritesOnlyAtOrAboveTheMinimumLevel) {
  std::FILE* sink = std::tmpfile();
  ASSERT_NE(sink, nullptr);
  const LogOptions saved = CurrentLogOptions();
  LogOptions options;
  options.format = LogFormat::kJson;
  options.min_level = LogLevel::kWarn;
  options.sink = sink;
  ConfigureLogging(options);
  LogInfo("hidden");
  LogWarn("shown", {{"n", 1}});
  ConfigureLogging(saved);
  std::rewind(sink);
  char buffer[512] = {};
  const std::size_t read = std::fread(buffer, 1, sizeof buffer - 1, sink);
  std::fclose(sink);
  const std::string text(buffer, read);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  ASSERT_NE(text.find("\"event\":\"shown\""), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(LogTest, ParsesFormatsAndLevels) {
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text"), LogFormat::kText);
  EXPECT_FALSE(ParseLogFormat("xml"));
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarn);
  EXPECT_FALSE(ParseLogLevel("loud"));
}

}  // namespace
}  // namespace fanfold::telemetry
