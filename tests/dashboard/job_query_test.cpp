// Filters, sort and paging of the dashboard's job list, on rows built by hand.
#include "dashboard/job_query.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace fanfold::dashboard {
namespace {

using pipelines::JobRow;
using pipelines::JobState;

tablestore::EdmDateTime At(int second) {
  return *tablestore::ParseEdmDateTime("2026-12-05T09:00:00Z") + std::chrono::seconds(second);
}

JobRow Row(std::string job, std::string blob, JobState state, std::string pipeline, int created,
           std::int64_t rows = 0) {
  JobRow row;
  row.job = std::move(job);
  row.container = "uploads";
  row.blob = std::move(blob);
  row.state = state;
  row.pipeline = std::move(pipeline);
  row.created = At(created);
  if (pipelines::IsFinished(state)) row.finished = At(created + 10);
  row.rows = rows;
  return row;
}

std::vector<JobRow> Rows() {
  return {Row("a", "acme/one.tbl", JobState::kCompleted, "orchestrated", 0, 30),
          Row("b", "globex/two.csv", JobState::kFailed, "chained", 5, 10),
          Row("c", "three.tbl", JobState::kRunning, "orchestrated", 10, 20),
          Row("d", "acme/<img src=x onerror=alert(1)>.tbl", JobState::kCompleted, "chained", 15)};
}

std::vector<std::string> Ids(const std::vector<JobRow>& rows) {
  std::vector<std::string> ids;
  for (const auto& row : rows)
    ids.push_back(row.job);
  return ids;
}

storage::Result<JobQuery> Parse(std::multimap<std::string, std::string> params) {
  return ParseJobQuery(params);
}

TEST(JobQueryTest, DefaultIsNewestFirst) {
  const auto query = Parse({});
  ASSERT_TRUE(query.ok());
  const auto selection = SelectJobs(Rows(), *query, At(100));
  EXPECT_EQ(Ids(selection.page), (std::vector<std::string>{"d", "c", "b", "a"}));
  EXPECT_EQ(selection.total, 4u);
}

TEST(JobQueryTest, Filters) {
  const auto at = At(100);
  EXPECT_EQ(Ids(SelectJobs(Rows(), *Parse({{"state", "Failed,Running"}}), at).page),
            (std::vector<std::string>{"c", "b"}));
  EXPECT_EQ(Ids(SelectJobs(Rows(), *Parse({{"pipeline", "chained"}}), at).page),
            (std::vector<std::string>{"d", "b"}));
  EXPECT_EQ(Ids(SelectJobs(Rows(), *Parse({{"tenant", "acme"}}), at).page),
            (std::vector<std::string>{"d", "a"}));
  EXPECT_EQ(Ids(SelectJobs(Rows(), *Parse({{"tenant", ""}}), at).page),
            (std::vector<std::string>{"c"}))
      << "an empty tenant means uploads that name none";
  EXPECT_EQ(Ids(SelectJobs(Rows(), *Parse({{"file", "<IMG"}}), at).page),
            (std::vector<std::string>{"d"}));
  EXPECT_EQ(
      Ids(SelectJobs(Rows(),
                     *Parse({{"from", "2026-12-05T09:00:05Z"}, {"to", "2026-12-05T09:00:15.000Z"}}),
                     at)
              .page),
      (std::vector<std::string>{"c", "b"}))
      << "from is inclusive, to exclusive";
  EXPECT_EQ(Ids(SelectJobs(Rows(), *Parse({{"state", ""}, {"file", ""}}), at).page).size(), 4u)
      << "empty filter boxes filter nothing";
}

TEST(JobQueryTest, SortAndPage) {
  const auto at = At(100);
  const auto by_rows = SelectJobs(Rows(), *Parse({{"sort", "rows"}, {"order", "asc"}}), at);
  EXPECT_EQ(Ids(by_rows.page), (std::vector<std::string>{"d", "b", "c", "a"}));
  const auto page = SelectJobs(
      Rows(), *Parse({{"sort", "job"}, {"order", "asc"}, {"offset", "1"}, {"limit", "2"}}), at);
  EXPECT_EQ(Ids(page.page), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(page.total, 4u);
  ASSERT_EQ(page.tenants.size(), 3u) << "totals count every match, not the page";
  EXPECT_EQ(page.tenants[1].tenant, "acme");
  EXPECT_EQ(page.tenants[1].files, 2);
  const auto past_end = SelectJobs(Rows(), *Parse({{"offset", "10"}}), at);
  EXPECT_TRUE(past_end.page.empty());
  EXPECT_EQ(past_end.total, 4u);
  // The running job's duration runs to `now`.
  const auto by_duration = SelectJobs(Rows(), *Parse({{"sort", "duration"}}), at);
  EXPECT_EQ(by_duration.page.front().job, "c");
}

// The selector keeps only offset + limit rows' sort fields; whatever the rows' order of arrival,
// its page is the full sort's.
TEST(JobQueryTest, ThePageIsTheFullSortsWhateverTheOrderRowsArriveIn) {
  std::mt19937 random(20261205);
  std::vector<JobRow> rows;
  for (int i = 0; i < 300; ++i) {
    JobRow row =
        Row("job-" + std::to_string(i), "f" + std::to_string(random() % 40) + ".tbl",
            static_cast<JobState>(random() % 5), random() % 2 == 0 ? "orchestrated" : "chained",
            static_cast<int>(random() % 50), static_cast<std::int64_t>(random() % 7));
    row.result = std::string(1000, 'r');  // what the first pass drops and the second brings back
    rows.push_back(std::move(row));
  }
  const auto at = At(1000);
  for (const std::string sort : {"job", "file", "state", "rows", "created", "duration"}) {
    for (const std::string order : {"asc", "desc"}) {
      for (const auto& [offset, limit] :
           std::vector<std::pair<int, int>>{{0, 10}, {7, 25}, {290, 100}, {0, 500}}) {
        const auto query = Parse({{"sort", sort},
                                  {"order", order},
                                  {"offset", std::to_string(offset)},
                                  {"limit", std::to_string(limit)}});
        ASSERT_TRUE(query.ok());
        // The full sort, as the selector's rules say: by the key, ties by job id. The pair is
        // ordered by a first page of two, whatever page the query under test asks for.
        const auto pair_query =
            Parse({{"sort", sort}, {"order", order}, {"offset", "0"}, {"limit", "2"}});
        ASSERT_TRUE(pair_query.ok());
        std::vector<JobRow> sorted = rows;
        std::sort(sorted.begin(), sorted.end(), [&](const JobRow& a, const JobRow& b) {
          JobSelection pair = SelectJobs({a, b}, *pair_query, at);
          return pair.page.front().job == a.job && a.job != b.job;
        });
        std::vector<std::string> expected;
        for (std::size_t i = static_cast<std::size_t>(offset);
             i < sorted.size() && expected.size() < static_cast<std::size_t>(limit); ++i)
          expected.push_back(sorted[i].job);
        std::shuffle(rows.begin(), rows.end(), random);
        const JobSelection selection = SelectJobs(rows, *query, at);
        EXPECT_EQ(Ids(selection.page), expected) << sort << " " << order << " " << offset;
        EXPECT_EQ(selection.total, rows.size());
        for (const auto& row : selection.page)
          EXPECT_EQ(row.result.size(), 1000u) << "page rows come back whole";
      }
    }
  }
}

TEST(JobQueryTest, ARowGoneBeforeTheSecondPassIsLeftOutAndAChangedOneShowsAsReadThen) {
  const auto query = Parse({{"sort", "job"}, {"order", "asc"}});
  ASSERT_TRUE(query.ok());
  JobSelector selector(*query, At(100));
  for (const auto& row : Rows())
    selector.Offer(row);
  EXPECT_EQ(selector.PageIds(), (std::vector<std::string>{"a", "b", "c", "d"}));
  for (auto row : Rows()) {
    if (row.job == "b") continue;  // purged between the passes
    if (row.job == "c") row.state = JobState::kCompleted;
    selector.Collect(std::move(row));
  }
  const auto page = selector.TakePage();
  EXPECT_EQ(Ids(page), (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_EQ(page[1].state, JobState::kCompleted);
}

TEST(JobQueryTest, BadParametersSayWhich) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"state", "Done"},
                                                        {"pipeline", "both"},
                                                        {"from", "yesterday"},
                                                        {"sort", "secret"},
                                                        {"order", "up"},
                                                        {"limit", "0"},
                                                        {"limit", "501"},
                                                        {"offset", "-1"},
                                                        {"limit", "1x"}}) {
    const auto query = Parse({{name, value}});
    ASSERT_FALSE(query.ok()) << name << "=" << value;
    EXPECT_TRUE(query.status().IsInvalidArgument());
    EXPECT_NE(query.status().message().find(name), std::string::npos) << query.status().message();
  }
}

}  // namespace
}  // namespace fanfold::dashboard
