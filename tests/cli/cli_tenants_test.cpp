// Tenants through the real binary: `upload --tenant` refusing before anything is uploaded (which
// limit, the value, the allowed value, what to do), tenants-file errors as configuration errors,
// and `fanfold tenants` / `status --tenant` numbers checked against the uploads.
#include "pipelines/pipeline_context.hpp"
#include "tests/cli/cli_test_support.hpp"

namespace fanfold::cli::test {
namespace {

class CliTenantsTest : public CliTest {
 protected:
  std::string TenantsFile(const std::string& json) {
    const std::string path = Path("tenants.json");
    WriteWholeFile(path, json);
    return path;
  }
  bool UploadExists(const std::string& blob) const {
    pipelines::PipelineContext context(fanfold::testing::TestAccount(),
                                       pipelines::PipelineNames::WithPrefix(prefix_));
    return context.blobs.GetContainerClient(context.names.uploads_container)
        .GetBlobClient(blob)
        .GetProperties()
        .ok();
  }
};

TEST_F(CliTenantsTest, UploadRefusesOverALimitBeforeUploading) {
  const std::string sample = pipelines::test::SampleCustomerPath();
  const auto size = std::filesystem::file_size(sample);
  const std::string name = std::filesystem::path(sample).filename().string();
  const std::string tenants = TenantsFile(
      R"({"tenants": {"csvonly": {"formats": ["csv"]}, "tiny": {"max_file_bytes": 100},
          "store": {"max_stored_bytes": )" +
      std::to_string(size + size / 2) + "}}}");

  auto format = Fanfold({"upload", sample, "--tenant", "csvonly", "--tenants", tenants});
  EXPECT_EQ(format.exit_code, 1) << format;
  EXPECT_NE(format.err.find("refused, nothing uploaded: tenant csvonly: " + sample +
                            " is in format tpch, not one of its formats (csv)"),
            std::string::npos)
      << format;
  EXPECT_FALSE(UploadExists("csvonly/" + name));

  // The tenants file can also come from the environment.
  auto big = Fanfold({"upload", sample, "--tenant", "tiny"}, std::chrono::seconds(60),
                     {{"FANFOLD_TENANTS_FILE", tenants}});
  EXPECT_EQ(big.exit_code, 1) << big;
  EXPECT_NE(big.err.find("over its max_file_bytes of 100 bytes: split it"), std::string::npos)
      << big;

  // The first upload fits the stored-bytes limit; a second file would not.
  auto first = Fanfold({"upload", sample, "--tenant", "store", "--tenants", tenants});
  ASSERT_EQ(first.exit_code, 0) << first;
  EXPECT_TRUE(UploadExists("store/" + name));
  // The same name again replaces the blob, so it still fits.
  auto same = Fanfold({"upload", sample, "--tenant", "store", "--tenants", tenants});
  EXPECT_EQ(same.exit_code, 0) << same;
  const std::string copy = Path("copy.tbl");
  std::filesystem::copy_file(sample, copy);
  auto second = Fanfold({"upload", copy, "--tenant", "store", "--tenants", tenants});
  EXPECT_EQ(second.exit_code, 1) << second;
  EXPECT_NE(second.err.find("over its max_stored_bytes of"), std::string::npos) << second;
  EXPECT_NE(second.err.find("delete old uploads of store"), std::string::npos) << second;
  EXPECT_FALSE(UploadExists("store/copy.tbl"));

  auto unknown = Fanfold({"upload", sample, "--tenant", "nobody", "--tenants", tenants});
  EXPECT_EQ(unknown.exit_code, 1) << unknown;
  EXPECT_NE(unknown.err.find("tenant nobody is not in the tenants file"), std::string::npos);

  auto bad_name = Fanfold({"upload", sample, "--tenant", "../x", "--tenants", tenants});
  EXPECT_EQ(bad_name.exit_code, 2) << bad_name;

  const std::string broken = TenantsFile(R"({"tenants": {"acme": {"max_file_bytes": "1GB"}}})");
  auto config = Fanfold({"upload", sample, "--tenant", "acme", "--tenants", broken});
  EXPECT_EQ(config.exit_code, 3) << config;
  EXPECT_NE(config.err.find("tenant acme, key \"max_file_bytes\": must be a positive integer"),
            std::string::npos)
      << config;
}

TEST_F(CliTenantsTest, TenantsReportMatchesTheUploads) {
  StartWorkers(1);
  const std::string sample = pipelines::test::SampleCustomerPath();
  const auto size = static_cast<std::int64_t>(std::filesystem::file_size(sample));
  std::int64_t reference_rows = 0;
  for (const auto& [nation, totals] : SampleReference())
    reference_rows += totals.rows;
  const std::string other = Path("other.tbl");
  std::filesystem::copy_file(sample, other);
  for (const auto& file : {sample, other}) {
    auto upload = Fanfold({"upload", file, "--tenant", "acme", "--wait", "--json"},
                          std::chrono::seconds(120));
    ASSERT_EQ(upload.exit_code, 0) << upload;
  }
  auto plain = Fanfold({"upload", sample, "--wait", "--json"}, std::chrono::seconds(120));
  ASSERT_EQ(plain.exit_code, 0) << plain;

  const std::string tenants = TenantsFile(R"({"tenants": {"acme": {}, "idle": {}}})");
  auto report = Fanfold({"tenants", "--json", "--tenants", tenants});
  ASSERT_EQ(report.exit_code, 0) << report;
  const auto json = nlohmann::json::parse(report.out);
  ASSERT_EQ(json.size(), 3u) << report;  // (default), acme, idle
  EXPECT_EQ(json[0].at("tenant"), "");
  EXPECT_EQ(json[0].at("files"), 1);
  const auto& acme = json[1];
  EXPECT_EQ(acme.at("tenant"), "acme");
  EXPECT_EQ(acme.at("files"), 2);
  EXPECT_EQ(acme.at("bytes"), 2 * size);
  EXPECT_EQ(acme.at("rows"), 2 * reference_rows);
  EXPECT_EQ(acme.at("rejected"), 0);
  EXPECT_EQ(acme.at("failed"), 0);
  EXPECT_EQ(acme.at("completed"), 2);
  EXPECT_EQ(acme.at("completed_bytes"), 2 * size);
  const double seconds = acme.at("completed_seconds").get<double>();
  EXPECT_GT(seconds, 0);
  EXPECT_DOUBLE_EQ(acme.at("mean_bytes_per_second").get<double>(),
                   static_cast<double>(2 * size) / seconds);
  EXPECT_EQ(json[2].at("tenant"), "idle");
  EXPECT_EQ(json[2].at("files"), 0);

  // The seconds are the jobs' own (finished - created), as status shows them.
  auto status = Fanfold({"status", "--tenant", "acme", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status;
  const auto jobs = nlohmann::json::parse(status.out);
  ASSERT_EQ(jobs.size(), 2u) << status;
  for (const auto& job : jobs)
    EXPECT_NE(job.at("file").get<std::string>().rfind("acme/", 0), std::string::npos) << job;

  auto text = Fanfold({"status", "--tenant", "acme"});
  ASSERT_EQ(text.exit_code, 0) << text;
  EXPECT_NE(text.out.find("TENANT"), std::string::npos) << text;
  auto table = Fanfold({"tenants"});
  ASSERT_EQ(table.exit_code, 0) << table;
  EXPECT_NE(table.out.find("MiB/s"), std::string::npos) << table;
  EXPECT_NE(table.out.find("(default)"), std::string::npos) << table;
}

}  // namespace
}  // namespace fanfold::cli::test
