// The tenants file: what it accepts, and errors that name the tenant and the key.
#include "pipelines/tenants.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace fanfold::pipelines {
namespace {

std::string ErrorOf(const std::string& text) {
  auto parsed = ParseTenantsJson(text);
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return {};
  EXPECT_TRUE(parsed.status().IsInvalidArgument());
  return parsed.status().message();
}

TEST(TenantsFile, ParsesEveryLimitAndTheDefault) {
  auto parsed = ParseTenantsJson(R"({"tenants": {"acme": {"formats": ["tpch", "CSV"],
      "max_file_bytes": 1073741824, "max_concurrent_jobs": 2, "max_stored_bytes": 10737418240},
      "beta-2": {}}, "default": {"max_file_bytes": 10}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->tenants.size(), 2u);
  const TenantLimits& acme = parsed->tenants.at("acme");
  EXPECT_EQ(acme.formats.size(), 2u);
  EXPECT_TRUE(acme.Allows(activities::InputFormat::kCsv));
  EXPECT_EQ(acme.FormatsText(), "tpch, csv");
  EXPECT_EQ(*acme.max_file_bytes, 1073741824u);
  EXPECT_EQ(*acme.max_concurrent_jobs, 2);
  EXPECT_EQ(*acme.max_stored_bytes, 10737418240u);
  // No key: no limit of that kind.
  const TenantLimits& beta = parsed->tenants.at("beta-2");
  EXPECT_TRUE(beta.Allows(activities::InputFormat::kTpch));
  EXPECT_FALSE(beta.max_file_bytes || beta.max_concurrent_jobs || beta.max_stored_bytes);
  ASSERT_TRUE(parsed->default_limits);
  EXPECT_EQ(*parsed->default_limits->max_file_bytes, 10u);

  EXPECT_EQ(FindTenant(*parsed, "acme").limits, &acme);
  EXPECT_EQ(FindTenant(*parsed, "").limits, &*parsed->default_limits);
  EXPECT_FALSE(FindTenant(*parsed, "nobody").known);
  auto no_default = ParseTenantsJson(R"({"tenants": {}})");
  ASSERT_TRUE(no_default.ok());
  EXPECT_TRUE(FindTenant(*no_default, "").known);
  EXPECT_EQ(FindTenant(*no_default, "").limits, nullptr);
}

TEST(TenantsFile, ErrorsNameTheTenantAndTheKey) {
  EXPECT_EQ(ErrorOf("{"), "the tenants file is not JSON");
  EXPECT_NE(ErrorOf(R"({"tenant": {}})").find("unknown key \"tenant\""), std::string::npos);
  const std::string typo = ErrorOf(R"({"tenants": {"acme": {"max_file_byte": 1}}})");
  EXPECT_NE(typo.find("tenant acme, key \"max_file_byte\": unknown key"), std::string::npos)
      << typo;
  EXPECT_NE(ErrorOf(R"({"tenants": {"acme": {"max_file_bytes": -1}}})")
                .find("tenant acme, key \"max_file_bytes\": must be a positive integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"tenants": {"acme": {"max_file_bytes": 0}}})").find("at least 1"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"tenants": {"acme": {"max_stored_bytes": 1.5}}})")
                .find("key \"max_stored_bytes\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"tenants": {"acme": {"max_concurrent_jobs": 501}}})").find("at most 500"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"tenants": {"acme": {"formats": ["parquet"]}}})")
                .find("tenant acme, key \"formats\": unknown format"),
            std::string::npos);
  // "auto" is how a job asks for detection, not a format a file can be in.
  EXPECT_NE(ErrorOf(R"({"tenants": {"acme": {"formats": ["auto"]}}})").find("unknown format"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"tenants": {"acme": {"formats": []}}})").find("non-empty"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"tenants": {"Acme/x": {}}})").find("tenant name \"Acme/x\" is not valid"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(R"({"default": {"max_file_bytes": "1GB"}})").find("default, key \"max_file_bytes\""),
      std::string::npos);
}

TEST(TenantsFile, LoadsFromTheFlagOrTheEnvironment) {
  const std::string path = ::testing::TempDir() + "/fanfold-tenants-test.json";
  {
    std::ofstream out(path);
    out << R"({"tenants": {"acme": {"max_concurrent_jobs": 1}}})";
  }
  auto loaded = LoadTenantsFromFlagOrEnv(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(*(*loaded)->tenants.at("acme").max_concurrent_jobs, 1);
  ::unsetenv(kTenantsFileEnv);
  auto none = LoadTenantsFromFlagOrEnv("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());  // no file: no limits, as before tenants existed
  ::setenv(kTenantsFileEnv, path.c_str(), 1);
  auto from_env = LoadTenantsFromFlagOrEnv("");
  ::unsetenv(kTenantsFileEnv);
  ASSERT_TRUE(from_env.ok());
  EXPECT_TRUE(from_env->has_value());
  auto missing = LoadTenantsFromFlagOrEnv(path + ".missing");
  EXPECT_EQ(missing.status().code(), storage::StatusCode::kIoError);
  std::remove(path.c_str());
}

TEST(TenantsFile, TenantComesFromTheBlobName) {
  EXPECT_EQ(TenantOfBlob("acme/customer.tbl"), "acme");
  EXPECT_EQ(TenantOfBlob("acme/a/b.tbl"), "acme");
  EXPECT_EQ(TenantOfBlob("customer.tbl"), "");
  EXPECT_EQ(TenantBlobName("acme", "c.tbl"), "acme/c.tbl");
  EXPECT_EQ(TenantBlobName("", "c.tbl"), "c.tbl");
  EXPECT_TRUE(IsValidTenantName("a-1_b"));
  EXPECT_FALSE(IsValidTenantName("-a"));
  EXPECT_FALSE(IsValidTenantName("A"));
  EXPECT_FALSE(IsValidTenantName("a'b"));
  EXPECT_FALSE(IsValidTenantName(""));
  EXPECT_EQ(BytesText(512), "512 bytes");
  EXPECT_EQ(BytesText(1073741824), "1.0 GiB (1073741824 bytes)");
}

}  // namespace
}  // namespace fanfold::pipelines
