#include "report/results.hpp"

#include <gtest/gtest.h>

#include "report/gnuplot.hpp"
#include "report/test_inventory.hpp"
#include "tests/report/report_test_support.hpp"

namespace fanfold::report {
namespace {

TEST(Results, FixtureFollowsTheSchema) {
  const auto r = LoadPipelineResults(testing::FixturePath());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size, "quick");
  ASSERT_EQ(r->files.size(), 2u);
  EXPECT_EQ(r->File("big")->bytes, 4e9);
  ASSERT_EQ(r->fanout.size(), 3u);
  const FanoutRun& run = r->fanout[0];
  EXPECT_EQ(run.chunk_spans.size(), 4u);
  EXPECT_FALSE(run.chunk_spans[2].ok);
  EXPECT_DOUBLE_EQ(run.stages.at("merge").end, 2.0);
  EXPECT_EQ(run.storage.workers.attempts_of("queue_get"), 19000u);
  EXPECT_EQ(run.storage.total.total_attempts, 30000u);
  EXPECT_EQ(run.processes.size(), 3u);
  EXPECT_FALSE(r->fanout[2].completed());
  ASSERT_EQ(r->load.size(), 1u);
  EXPECT_EQ(r->load[0].jobs.size(), 4u);
  EXPECT_TRUE(r->scale.empty());  // an absent suite is empty, not an error
  ASSERT_EQ(r->baselines.size(), 1u);
  EXPECT_TRUE(*r->baselines[0].exact);
}

TEST(Results, RejectsOtherBenchmarksAndUnknownFiles) {
  EXPECT_FALSE(ParsePipelineResults(nlohmann::json{{"benchmark", "engine"}}, "x").ok());
  nlohmann::json doc = {
      {"benchmark", "pipeline"},
      {"files", nlohmann::json::array({{{"id", "a"}, {"bytes", 1}}})},
      {"fanout", nlohmann::json::array(
                     {{{"file", "b"}, {"pipeline", "chained"}, {"chunks", 1}, {"workers", 1}}})}};
  const auto r = ParsePipelineResults(doc, "x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown file"), std::string::npos);
  EXPECT_FALSE(LoadPipelineResults("/nonexistent/pipeline.json").ok());
}

TEST(Gnuplot, ScriptNamesEveryNonEmptySeriesWithTitlesAndLabels) {
  Figure f;
  f.name = "x";
  f.title = "A \"quoted\" title";
  f.xlabel = "chunks";
  f.ylabel = "seconds (s)";
  f.series = {{"one", {{"1", "2"}}, "1:2", "lines"},
              {"empty", {}, "1:2", "lines"},
              {"two", {{"1", "3"}}, "1:2", "lines"}};
  const std::string gp = GnuplotScript(f, "/tmp/x.dat", "/tmp/x.png");
  EXPECT_NE(gp.find("set terminal pngcairo size 1000,600"), std::string::npos);
  EXPECT_NE(gp.find("set title \"A 'quoted' title\""), std::string::npos);
  EXPECT_NE(gp.find("set ylabel \"seconds (s)\""), std::string::npos);
  EXPECT_NE(gp.find("index 0 using 1:2 with lines title \"one\""), std::string::npos);
  EXPECT_EQ(gp.find("\"empty\""), std::string::npos);
  EXPECT_NE(gp.find("index 1 using 1:2 with lines title \"two\""), std::string::npos);
  const std::string data = GnuplotData(f);
  EXPECT_EQ(data, "# one\n1\t2\n\n\n# two\n1\t3\n");
}

TEST(TestInventory, ReadsNamesLabelsAndComments) {
  const std::string cmake = R"(# Pure parts here.
fanfold_add_test(a_unit_tests
  SOURCES
    a_test.cpp
    b_test.cpp
  LIBS x)

# Against Azurite.
fanfold_add_test(a_storage_tests
  SOURCES c_test.cpp
  LIBS x
  STORAGE)
fanfold_add_test(a_cli_tests
  SOURCES d_test.cpp
  LIBS x
  CLI)
)";
  const auto tests = ParseTestCalls(cmake, "a");
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_EQ(tests[2].label, "cli");
  EXPECT_EQ(tests[0].name, "a_unit_tests");
  EXPECT_EQ(tests[0].label, "unit");
  EXPECT_EQ(tests[0].sources, 2);
  EXPECT_EQ(tests[0].comment, "Pure parts here.");
  EXPECT_EQ(tests[1].name, "a_storage_tests");
  EXPECT_EQ(tests[1].label, "storage");
  EXPECT_EQ(tests[1].comment, "Against Azurite.");
}

}  // namespace
}  // namespace fanfold::report
