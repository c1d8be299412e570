// The retry drill, as an operator runs it: workers that fail chunks 2 and 5 (FANFOLD_FAIL_CHUNKS)
// leave the job Failed naming those chunks; workers without the fault and `fanfold retry --wait`
// complete it with the exact result, re-running only the failed chunks.
#include "tests/cli/cli_test_support.hpp"

namespace fanfold::cli::test {
namespace {

class CliRetryTest : public CliTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(CliRetryTest, RetryReRunsOnlyTheFailedChunks) {
  const std::string pipeline = GetParam();
  StartWorkers(2, {"--chunk-attempts", "2"}, {{"FANFOLD_FAIL_CHUNKS", "2,5"}});
  const auto failed = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                               pipeline, "--chunks", "7", "--wait", "--json"});
  ASSERT_EQ(failed.exit_code, 1) << failed;
  const auto uploads = nlohmann::json::parse(failed.out);
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].at("state"), "Failed");
  EXPECT_TRUE(uploads[0].at("result").is_null());
  const std::string job = uploads[0].at("job").get<std::string>();
  EXPECT_NE(failed.err.find("fanfold retry " + job), std::string::npos) << failed;

  const auto status = Fanfold({"status", job, "--json"});
  ASSERT_EQ(status.exit_code, 0) << status;
  const auto before = nlohmann::json::parse(status.out);
  EXPECT_EQ(before.at("state"), "Failed");
  EXPECT_EQ(before.at("failed_chunks"), nlohmann::json::array({2, 5})) << status;
  EXPECT_FALSE(before.at("error").get<std::string>().empty());
  const auto text = Fanfold({"status", job});
  EXPECT_NE(text.out.find("chunks 2, 5"), std::string::npos) << text;
  const auto no_result = Fanfold({"result", job});
  EXPECT_EQ(no_result.exit_code, 1) << no_result;
  EXPECT_NE(no_result.err.find("fanfold retry " + job), std::string::npos) << no_result;

  StopWorkers();
  StartWorkers(2, {"--chunk-attempts", "2"});
  const auto retried = Fanfold({"retry", job, "--wait"});
  ASSERT_EQ(retried.exit_code, 0) << retried;
  EXPECT_NE(retried.out.find("2, 5"), std::string::npos) << retried;
  ExpectTableMatches(retried.out, SampleReference());

  const auto result = Fanfold({"result", job, "--json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  ExpectResultMatches(ParseKeepingDecimals(result.out), SampleReference(), pipeline);

  const auto chunks = Fanfold({"status", job, "--chunks", "--json"});
  ASSERT_EQ(chunks.exit_code, 0) << chunks;
  const auto after = nlohmann::json::parse(chunks.out);
  EXPECT_EQ(after.at("state"), "Completed");
  EXPECT_EQ(after.at("failed_chunks"), nlohmann::json::array());
  if (pipeline == "orchestrated") {
    ASSERT_EQ(after.at("chunks").size(), 7u) << chunks;
    for (const auto& chunk : after.at("chunks")) {
      const int index = chunk.at("chunk").get<int>();
      EXPECT_EQ(chunk.at("state"), "Done") << chunk;
      if (index == 2 || index == 5) {
        EXPECT_GT(chunk.at("attempts").get<int>(), 2) << chunk;  // 2 failed, then the retry
      } else {
        EXPECT_EQ(chunk.at("attempts"), 1) << "chunk " << index << " ran again: " << chunk;
      }
    }
  } else {
    EXPECT_FALSE(after.contains("chunks")) << "the chained pipeline keeps no chunk rows";
    const auto chained_text = Fanfold({"status", job, "--chunks"});
    EXPECT_NE(chained_text.out.find("keeps no chunk rows"), std::string::npos) << chained_text;
  }
  StopWorkers();
}

INSTANTIATE_TEST_SUITE_P(BothPipelines, CliRetryTest, ::testing::Values("orchestrated", "chained"),
                         [](const auto& test_info) { return test_info.param; });

}  // namespace
}  // namespace fanfold::cli::test
