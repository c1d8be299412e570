// Queries against the service: continuation over more than 1,000 entities (each exactly once),
// $filter on every type, $select, $top, resuming from a saved continuation, hostile filter
// values that match nothing, and paging through injected 503s.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "storage/fault_injecting_transport.hpp"
#include "tests/tablestore/table_test_fixture.hpp"

namespace fanfold::tablestore {
namespace {

using QueryTest = TableTest;
using Key = std::pair<std::string, std::string>;

// Inserts `count` rows spread over partitions of at most 100, one transaction per partition.
// Row i is in partition "p<i / 100>" with RowKey "r<i, zero-padded>" and N = i.
void InsertRows(const TableClient& table, int count) {
  for (int first = 0; first < count; first += 100) {
    Transaction transaction;
    for (int i = first; i < std::min(count, first + 100); ++i) {
      char row[16];
      std::snprintf(row, sizeof row, "r%05d", i);
      Entity entity("p" + std::to_string(i / 100), row);
      entity.Set("N", i).Set("Even", i % 2 == 0).Set("Label", "row " + std::to_string(i));
      transaction.Insert(std::move(entity));
    }
    const auto result = table.SubmitTransaction(transaction);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }
}

TEST_F(QueryTest, ContinuationOverMoreThanAThousandReturnsEachEntityOnce) {
  constexpr int kRows = 1234;
  InsertRows(*table_, kRows);
  for (const int page_size : {1000, 250}) {
    const auto before = Snapshot();
    QueryOptions options;
    options.page_size = page_size;
    EntityPager pager = table_->QueryEntities(options);
    std::set<Key> seen;
    int pages = 0;
    size_t duplicates = 0;
    while (!pager.done()) {
      const auto page = pager.NextPage();
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      ASSERT_LE(page->size(), static_cast<size_t>(page_size));
      for (const Entity& entity : *page) {
        if (!seen.emplace(entity.partition_key(), entity.row_key()).second) ++duplicates;
      }
      ++pages;
    }
    EXPECT_EQ(duplicates, 0u);
    EXPECT_EQ(seen.size(), static_cast<size_t>(kRows)) << "page size " << page_size;
    EXPECT_GE(pages, (kRows + page_size - 1) / page_size);
    EXPECT_EQ((Snapshot() - before).operations_of(storage::OperationKind::kTableQuery),
              static_cast<uint64_t>(pages));
    EXPECT_TRUE(pager.continuation().empty());
  }
}

TEST_F(QueryTest, FilterSelectAndTop) {
  InsertRows(*table_, 300);
  // Typed filter: N in [150, 160) within partition p1.
  QueryOptions range;
  range.filter = And(Eq("PartitionKey", "p1"), And(Ge("N", 150), Lt("N", 160)));
  std::vector<int> numbers;
  ASSERT_TRUE(table_->QueryEntities(range)
                  .ForEach([&](const Entity& entity) {
                    numbers.push_back(*entity.GetInt32("N"));
                    return true;
                  })
                  .ok());
  EXPECT_EQ(numbers, (std::vector<int>{150, 151, 152, 153, 154, 155, 156, 157, 158, 159}));

  // $select: only the named properties come back (keys included only when named).
  QueryOptions select;
  select.filter = Eq("PartitionKey", "p2");
  select.select = {"RowKey", "N"};
  auto selected = table_->QueryEntities(select).NextPage();
  ASSERT_TRUE(selected.ok()) << selected.status().ToString();
  ASSERT_EQ(selected->size(), 100u);
  for (const Entity& entity : *selected) {
    EXPECT_EQ(entity.properties().size(), 1u);
    EXPECT_TRUE(entity.Has("N"));
    EXPECT_FALSE(entity.row_key().empty());
  }

  // $top: seven entities in pages of three, then done even though more rows remain.
  const auto before = Snapshot();
  QueryOptions top;
  top.top = 7;
  top.page_size = 3;
  EntityPager pager = table_->QueryEntities(top);
  std::vector<size_t> page_sizes;
  while (!pager.done()) {
    const auto page = pager.NextPage();
    ASSERT_TRUE(page.ok());
    page_sizes.push_back(page->size());
  }
  EXPECT_EQ(page_sizes, (std::vector<size_t>{3, 3, 1}));
  EXPECT_EQ((Snapshot() - before).operations_of(storage::OperationKind::kTableQuery), 3u);
  EXPECT_FALSE(pager.continuation().empty());
}

TEST_F(QueryTest, ResumesFromASavedContinuation) {
  InsertRows(*table_, 120);
  QueryOptions first_options;
  first_options.page_size = 50;
  EntityPager first = table_->QueryEntities(first_options);
  const auto page = first.NextPage();
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 50u);
  ASSERT_FALSE(first.continuation().empty());

  QueryOptions resumed_options;
  resumed_options.start = first.continuation();
  std::set<Key> seen;
  for (const Entity& entity : *page)
    seen.emplace(entity.partition_key(), entity.row_key());
  ASSERT_TRUE(table_->QueryEntities(resumed_options)
                  .ForEach([&](const Entity& entity) {
                    EXPECT_TRUE(seen.emplace(entity.partition_key(), entity.row_key()).second);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(seen.size(), 120u);
}

TEST_F(QueryTest, FiltersOnEveryType) {
  const Guid guid = *Guid::Parse("c9da6455-213d-42c9-9a79-3e9149a57833");
  Transaction transaction;
  for (int i = 0; i < 4; ++i) {
    Entity entity("p", "r" + std::to_string(i));
    entity.Set("S", i == 2 ? "O'Brien" : "x" + std::to_string(i))
        .Set("I64", int64_t{1} << (40 + i))
        .Set("D", 0.5 * i)
        .Set("B", i % 2 == 1)
        .Set("T", *ParseEdmDateTime("2024-01-01T00:00:00.0000000Z") + std::chrono::hours(24 * i))
        .Set("Bin", Binary{std::string(1, static_cast<char>(i))});
    if (i == 3) entity.Set("G", guid);
    transaction.Insert(std::move(entity));
  }
  ASSERT_TRUE(table_->SubmitTransaction(transaction).ok());

  const auto rows_matching = [&](const Filter& filter) {
    std::set<std::string> rows;
    QueryOptions options;
    options.filter = filter;
    const storage::Status status = table_->QueryEntities(options).ForEach([&](const Entity& e) {
      rows.insert(e.row_key());
      return true;
    });
    EXPECT_TRUE(status.ok()) << filter.expression() << ": " << status.ToString();
    return rows;
  };
  using Rows = std::set<std::string>;
  EXPECT_EQ(rows_matching(Eq("S", "O'Brien")), (Rows{"r2"}));
  EXPECT_EQ(rows_matching(Gt("I64", int64_t{1} << 41)), (Rows{"r2", "r3"}));
  EXPECT_EQ(rows_matching(Le("D", 0.5)), (Rows{"r0", "r1"}));
  EXPECT_EQ(rows_matching(Eq("B", true)), (Rows{"r1", "r3"}));
  EXPECT_EQ(rows_matching(Ge("T", *ParseEdmDateTime("2024-01-03T00:00:00Z"))), (Rows{"r2", "r3"}));
  EXPECT_EQ(rows_matching(Eq("Bin", Binary{std::string(1, '\x01')})), (Rows{"r1"}));
  EXPECT_EQ(rows_matching(Eq("G", guid)), (Rows{"r3"}));
  EXPECT_EQ(rows_matching(Or(Eq("RowKey", "r0"), Not(Ne("RowKey", "r3")))), (Rows{"r0", "r3"}));
}

TEST_F(QueryTest, HostileFilterValuesMatchNothing) {
  for (const char* name : {"alice", "bob", "o'brien"}) {
    Entity entity("p", name);
    entity.Set("Name", name);
    ASSERT_TRUE(table_->InsertEntity(entity).ok());
  }
  for (const char* hostile : {"x' or 1 eq 1 or 'a' eq 'a", "' or ''='", "alice' or Name ne '",
                              "x') or (PartitionKey eq 'p", "' or true or '"}) {
    QueryOptions options;
    options.filter = Eq("Name", hostile);
    const auto page = table_->QueryEntities(options).NextPage();
    ASSERT_TRUE(page.ok()) << hostile << ": " << page.status().ToString();
    EXPECT_TRUE(page->empty()) << hostile << " matched " << page->size();
  }
  QueryOptions quoted;
  quoted.filter = Eq("Name", "o'brien");
  const auto page = table_->QueryEntities(quoted).NextPage();
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().row_key(), "o'brien");
}

TEST_F(QueryTest, InvalidOptionsFailWithoutSending) {
  const auto before = Snapshot();
  QueryOptions bad_filter;
  bad_filter.filter = Eq("not a name", 1);
  EXPECT_TRUE(table_->QueryEntities(bad_filter).NextPage().status().IsInvalidArgument());
  QueryOptions bad_select;
  bad_select.select = {"a,b"};
  EXPECT_TRUE(table_->QueryEntities(bad_select).NextPage().status().IsInvalidArgument());
  QueryOptions bad_size;
  bad_size.page_size = 1001;
  EXPECT_TRUE(table_->QueryEntities(bad_size).NextPage().status().IsInvalidArgument());
  EXPECT_EQ((Snapshot() - before).total_attempts(), 0u);
}

TEST_F(QueryTest, PagingSurvivesServerBusyAnswers) {
  InsertRows(*table_, 300);
  storage::FaultOptions faults;
  faults.server_busy_rate = 0.3;
  faults.seed = 7;
  auto transport =
      std::make_shared<storage::FaultInjectingTransport>(storage::DefaultTransport(), faults);
  storage::StorageCounters counters;
  storage::PipelineOptions options;
  options.transport = transport;
  options.counters = &counters;
  options.retry.initial_delay = std::chrono::milliseconds(1);
  options.retry.max_retries = 10;
  const TableServiceClient flaky(testing::TestAccount(), options);
  QueryOptions query;
  query.page_size = 40;
  std::set<Key> seen;
  ASSERT_TRUE(flaky.GetTableClient(table_name_)
                  .QueryEntities(query)
                  .ForEach([&](const Entity& entity) {
                    EXPECT_TRUE(seen.emplace(entity.partition_key(), entity.row_key()).second);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_GT(transport->counts().server_busy, 0u);
  EXPECT_EQ(counters.Snapshot().retries_of(storage::OperationKind::kTableQuery),
            transport->counts().server_busy);
}

}  // namespace
}  // namespace fanfold::tablestore
