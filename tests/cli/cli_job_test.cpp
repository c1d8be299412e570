// The job commands end to end, through the real binary: `run` with both pipelines, `upload
// --wait --json`, refused files, an empty file and a CSV file, and the usage and storage errors.
#include "tests/cli/cli_test_support.hpp"

namespace fanfold::cli::test {
namespace {

// The job id in a `run` or `upload --wait` report ("job <id> (pipeline, ...): Completed ...").
std::string JobIdIn(const std::string& text) {
  static const std::regex kJob(R"(job ([a-z0-9-]+) \()");
  std::smatch match;
  return std::regex_search(text, match, kJob) ? match[1].str() : "";
}

class CliJobTest : public CliTest {};

TEST_F(CliJobTest, RunOrchestratedPrintsTheReferenceResult) {
  const auto output = Fanfold({"run", pipelines::test::SampleCustomerPath(), "--pipeline",
                               "orchestrated", "--workers", "2", "--chunks", "7"});
  ASSERT_EQ(output.exit_code, 0) << output;
  ExpectTableMatches(output.out, SampleReference());
  EXPECT_NE(output.out.find("orchestrated"), std::string::npos) << output;
  EXPECT_NE(output.out.find("timings: upload"), std::string::npos) << output;
  EXPECT_NE(output.out.find("total"), std::string::npos) << output;

  // The job is there to look at afterwards.
  const std::string job = JobIdIn(output.out);
  ASSERT_FALSE(job.empty()) << output;
  const auto status = Fanfold({"status", job, "--chunks", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status;
  const auto json = nlohmann::json::parse(status.out);
  EXPECT_EQ(json.at("state"), "Completed");
  EXPECT_EQ(json.at("chunks_total"), 7);
  EXPECT_EQ(json.at("chunks").size(), 7u);
}

TEST_F(CliJobTest, RunChainedPrintsTheReferenceResult) {
  const auto output = Fanfold({"run", pipelines::test::SampleCustomerPath(), "--pipeline",
                               "chained", "--workers", "2", "--chunks", "7"});
  ASSERT_EQ(output.exit_code, 0) << output;
  ExpectTableMatches(output.out, SampleReference());
  EXPECT_NE(output.out.find("chained"), std::string::npos) << output;
}

TEST_F(CliJobTest, UploadingTheSameBytesAgainStartsNoSecondJob) {
  StartWorkers(1);
  const auto first = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                              "chained", "--chunks", "3", "--wait", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first;
  const std::string job = ParseKeepingDecimals(first.out)[0].at("job").get<std::string>();
  // Same bytes, same options: the blob (and its ETag) is kept, so the event names the same job.
  const auto again = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                              "chained", "--chunks", "3", "--wait", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_EQ(ParseKeepingDecimals(again.out)[0].at("job"), job);
  // Other options are another request: a new version of the blob, hence a new job.
  const auto other = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                              "chained", "--chunks", "4", "--wait", "--json"});
  ASSERT_EQ(other.exit_code, 0) << other;
  EXPECT_NE(ParseKeepingDecimals(other.out)[0].at("job"), job);
  const auto all = nlohmann::json::parse(Fanfold({"status", "--json"}).out);
  EXPECT_EQ(all.size(), 2u);
}

TEST_F(CliJobTest, UploadWaitJsonHasTheDocumentedShapeForBothPipelines) {
  StartWorkers(2);
  for (const std::string pipeline : {"orchestrated", "chained"}) {
    SCOPED_TRACE(pipeline);
    const auto output = Fanfold({"upload", pipelines::test::SampleCustomerPath(), "--pipeline",
                                 pipeline, "--chunks", "5", "--wait", "--json"});
    ASSERT_EQ(output.exit_code, 0) << output;
    const auto uploads = ParseKeepingDecimals(output.out);
    ASSERT_TRUE(uploads.is_array()) << output;
    ASSERT_EQ(uploads.size(), 1u);
    const auto& upload = uploads[0];
    EXPECT_EQ(upload.at("file"), pipelines::test::SampleCustomerPath());
    EXPECT_EQ(upload.at("state"), "Completed");
    EXPECT_EQ(upload.at("pipeline"), pipeline);
    const std::string job = upload.at("job").get<std::string>();
    EXPECT_EQ(upload.at("result").at("job"), job);
    ExpectResultMatches(upload.at("result"), SampleReference(), pipeline);

    // `result --json` prints the same object, and a mean such as 4682.59 as a number.
    const auto result = Fanfold({"result", job, "--json"});
    ASSERT_EQ(result.exit_code, 0) << result;
    EXPECT_EQ(ParseKeepingDecimals(result.out), upload.at("result"));
    EXPECT_TRUE(std::regex_search(result.out, std::regex(R"("mean": -?[0-9]+\.[0-9]{2}\})")))
        << result.out;
    const auto table = Fanfold({"result", job});
    ASSERT_EQ(table.exit_code, 0) << table;
    ExpectTableMatches(table.out, SampleReference());
  }
  // Both jobs, of both pipelines, in one table.
  const auto status = Fanfold({"status"});
  ASSERT_EQ(status.exit_code, 0) << status;
  EXPECT_NE(status.out.find("orchestrated"), std::string::npos) << status;
  EXPECT_NE(status.out.find("chained"), std::string::npos) << status;
  const auto all = nlohmann::json::parse(Fanfold({"status", "--json"}).out);
  ASSERT_EQ(all.size(), 2u);
  for (const auto& job : all) {
    EXPECT_EQ(job.at("state"), "Completed");
    EXPECT_EQ(job.at("rows"), 3000);
    EXPECT_EQ(job.at("chunks_total"), 5);
  }
  StopWorkers();
}

TEST_F(CliJobTest, BinaryAndOversizedFilesAreRefusedWithTheirReason) {
  StartWorkers(1, {"--max-file-bytes", "1000"});
  std::string binary;
  for (int i = 0; i < 512; ++i)
    binary.push_back(static_cast<char>(i % 256));
  WriteWholeFile(Path("bytes.bin"), binary);
  WriteWholeFile(Path("customer-big.tbl"), SampleText());
  const auto uploaded = Fanfold({"upload", Path("bytes.bin"), Path("customer-big.tbl")});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded;
  std::istringstream ids(uploaded.out);
  std::string binary_job;
  std::string big_job;
  ids >> binary_job >> big_job;
  ASSERT_FALSE(big_job.empty()) << uploaded;

  const std::map<std::string, std::string> expected = {{binary_job, "not a text file"},
                                                       {big_job, "more than the job's maximum"}};
  for (const auto& [job, reason] : expected) {
    SCOPED_TRACE(job);
    const auto watched = Fanfold({"status", job, "--watch"});
    EXPECT_EQ(watched.exit_code, 1) << watched;  // finished, not completed
    const auto status = Fanfold({"status", job});
    ASSERT_EQ(status.exit_code, 0) << status;
    EXPECT_NE(status.out.find("Refused"), std::string::npos) << status;
    EXPECT_NE(status.out.find(reason), std::string::npos) << status;
    const auto result = Fanfold({"result", job});
    EXPECT_EQ(result.exit_code, 1) << result;
    EXPECT_NE(result.err.find("Refused"), std::string::npos) << result;
    EXPECT_NE(result.err.find(reason), std::string::npos) << result;
  }
  const auto all = Fanfold({"status"});
  EXPECT_NE(all.out.find("not a text file"), std::string::npos) << all;
  StopWorkers();
}

TEST_F(CliJobTest, EmptyFileAndQuotedCsvGiveTheRightResults) {
  StartWorkers(2);
  WriteWholeFile(Path("empty.tbl"), "");
  // A header, CRLF line ends, quoted fields with commas (and a doubled quote), no final newline.
  WriteWholeFile(Path("customers.csv"),
                 "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,"
                 "c_comment\r\n"
                 "1,\"Customer, One\",\"12 Main St, Apt 4\",3,25-989-741-2988,711.56,BUILDING,"
                 "\"regular, bold\"\r\n"
                 "2,Customer Two,addr,3,23-768-687-3665,121.65,AUTOMOBILE,\"say \"\"hi\"\", "
                 "then go\"\r\n"
                 "3,C3,\"x,y\",7,11-719-748-3364,-0.05,AUTOMOBILE,plain");
  const auto output =
      Fanfold({"upload", Path("empty.tbl"), Path("customers.csv"), "--wait", "--json"});
  ASSERT_EQ(output.exit_code, 0) << output;
  const auto uploads = ParseKeepingDecimals(output.out);
  ASSERT_EQ(uploads.size(), 2u) << output;

  const auto& empty = uploads[0].at("result");
  EXPECT_EQ(uploads[0].at("state"), "Completed");
  EXPECT_EQ(empty.at("rows"), 0);
  EXPECT_EQ(empty.at("rejected"), 0);
  EXPECT_EQ(empty.at("nations"), nlohmann::json::array());

  const auto& csv = uploads[1].at("result");
  EXPECT_EQ(uploads[1].at("state"), "Completed");
  EXPECT_EQ(csv.at("format"), "csv");
  EXPECT_EQ(csv.at("rows"), 3);
  EXPECT_EQ(csv.at("rejected"), 0);
  const nlohmann::json nations = nlohmann::json::parse(
      R"([{"nation": 3, "rows": 2, "sum_cents": 83321, "mean": "416.61"},
          {"nation": 7, "rows": 1, "sum_cents": -5, "mean": "-0.05"}])");
  EXPECT_EQ(csv.at("nations"), nations) << output;

  const auto table = Fanfold({"result", uploads[1].at("job").get<std::string>()});
  ASSERT_EQ(table.exit_code, 0) << table;
  const auto printed = ParseResultTable(table.out);
  ASSERT_EQ(printed.size(), 2u) << table;
  EXPECT_EQ(printed.at(3).sum, "833.21");
  EXPECT_EQ(printed.at(3).mean, "416.61");
  EXPECT_EQ(printed.at(7).mean, "-0.05");
  StopWorkers();
}

TEST_F(CliJobTest, UsageAndStorageErrorsSayWhatToDo) {
  WriteWholeFile(Path("a.tbl"), "x");
  std::filesystem::create_directories(directory_ / "other");
  WriteWholeFile(Path("other/a.tbl"), "y");
  const auto same_name = Fanfold({"upload", Path("a.tbl"), Path("other/a.tbl")});
  EXPECT_EQ(same_name.exit_code, 2) << same_name;
  EXPECT_NE(same_name.err.find("'a.tbl'"), std::string::npos) << same_name;

  const auto both = Fanfold({"upload", Path("a.tbl"), "--chunks", "2", "--chunk-size", "10"});
  EXPECT_EQ(both.exit_code, 2) << both;
  const auto bad_pipeline = Fanfold({"upload", Path("a.tbl"), "--pipeline", "fast"});
  EXPECT_EQ(bad_pipeline.exit_code, 2) << bad_pipeline;
  const auto no_pipeline = Fanfold({"run", Path("a.tbl")});
  EXPECT_EQ(no_pipeline.exit_code, 2) << no_pipeline;

  const auto missing = Fanfold({"result", "no-such-job-0000000000000000"});
  EXPECT_EQ(missing.exit_code, 1) << missing;
  EXPECT_NE(missing.err.find("fanfold status"), std::string::npos) << missing;

  // Nothing listens on port 1: storage unreachable, and the demo says how to fix it.
  const auto unreachable = Fanfold(
      {"demo"}, std::chrono::seconds(60),
      {{"AZURE_STORAGE_CONNECTION_STRING",
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" +
            std::string("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
                        "K1SZFPTOtr/KBHBeksoGMGw==") +
            ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://"
            "127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1"}},
      false);
  EXPECT_EQ(unreachable.exit_code, 4) << unreachable;
  EXPECT_NE(unreachable.err.find("AZURE_STORAGE_CONNECTION_STRING"), std::string::npos)
      << unreachable;
  EXPECT_EQ(unreachable.err.find("AccountKey"), std::string::npos) << unreachable;
  EXPECT_FALSE(std::filesystem::exists(directory_ / ".fanfold")) << "generated data anyway";
}

}  // namespace
}  // namespace fanfold::cli::test
