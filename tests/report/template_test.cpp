#include "report/template.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "report/figures.hpp"
#include "report/values.hpp"
#include "tests/report/report_test_support.hpp"

namespace fanfold::report {
namespace {

TEST(Template, SubstitutesEveryPlaceholder) {
  const auto out = RenderTemplate("a {{x}} b {{ y }} c{{x}}", {{"x", "1"}, {"y", "two"}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "a 1 b two c1");
}

TEST(Template, UnknownKeysFailNamingEachOne) {
  const auto out = RenderTemplate("{{known}} {{nope}} {{also.nope}} {{nope}}", {{"known", "k"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "template placeholders without a value: also.nope, nope");
}

TEST(Template, UnclosedPlaceholderFails) {
  EXPECT_FALSE(RenderTemplate("text {{open", {}).ok());
}

TEST(Template, ValuesAreNotReExpanded) {
  const auto out = RenderTemplate("{{a}}", {{"a", "{{b}}"}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "{{b}}");
}

// The real template renders against the fixture: every placeholder it names has a value.
TEST(Template, ReportTemplateRendersFromTheFixture) {
  auto results = LoadPipelineResults(testing::FixturePath());
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ReportInputs in;
  in.results = std::move(*results);
  in.prices = testing::RoundPrices();
  in.prices_path = "prices";
  auto figures = BuildFigures(in.results, in.prices);
  ASSERT_TRUE(figures.ok());
  in.figures = std::move(*figures);
  auto values = ComputeValues(in);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  std::ifstream file(std::string(FANFOLD_SOURCE_DIR) + "/report/template.md");
  std::stringstream text;
  text << file.rdbuf();
  const auto out = RenderTemplate(text.str(), *values);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // Comparative words come from the numbers: chained's fixture run is 2x faster (1 s vs 2 s).
  EXPECT_NE(out->find("chained is 2.00x faster than orchestrated"), std::string::npos);
  EXPECT_EQ(values->at("fanout.best_chunks.small.chained"), "4");
}

}  // namespace
}  // namespace fanfold::report
