// Table lifecycle against the service: create (and already-exists as a value), delete (and
// not-found as a value), paged listing with a prefix filter, and names refused before sending.
#include <gtest/gtest.h>

#include <set>

#include "tests/tablestore/table_test_fixture.hpp"

namespace fanfold::tablestore {
namespace {

using TableServiceTest = TableTest;

TEST_F(TableServiceTest, CreatingAnExistingTableIsConflict) {
  const storage::Status again = service_->CreateTable(table_name_);
  EXPECT_TRUE(again.IsConflict()) << again.ToString();
  EXPECT_EQ(again.error_code(), "TableAlreadyExists");

  const auto exists = service_->CreateTableIfNotExists(table_name_);
  ASSERT_TRUE(exists.ok()) << exists.status().ToString();
  EXPECT_FALSE(*exists);

  const std::string other = testing::UniqueName("t");
  const auto created = service_->CreateTableIfNotExists(other);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(*created);
  EXPECT_TRUE(service_->DeleteTable(other).ok());
}

TEST_F(TableServiceTest, DeletingAMissingTableIsNotFound) {
  const std::string name = testing::UniqueName("t");
  ASSERT_TRUE(service_->CreateTable(name).ok());
  TableClient table = service_->GetTableClient(name);
  ASSERT_TRUE(table.InsertEntity(Entity("p", "r")).ok());
  ASSERT_TRUE(service_->DeleteTable(name).ok());
  EXPECT_TRUE(service_->DeleteTable(name).IsNotFound());
  EXPECT_TRUE(table.GetEntity("p", "r").status().IsNotFound());
}

TEST_F(TableServiceTest, QueryTablesPagesThroughAPrefix) {
  const std::string prefix = testing::UniqueName("q");
  std::set<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    const std::string name = prefix + "n" + std::to_string(i);
    ASSERT_TRUE(service_->CreateTable(name).ok()) << name;
    expected.insert(name);
  }
  // Table names are alphanumeric, so every name with the prefix sorts below prefix + "{".
  TableQueryOptions options;
  options.filter = And(Ge("TableName", prefix), Lt("TableName", prefix + "{"));
  options.page_size = 2;
  TablePager pager = service_->QueryTables(options);
  std::multiset<std::string> seen;
  int pages = 0;
  while (!pager.done()) {
    const auto page = pager.NextPage();
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->size(), 2u);
    seen.insert(page->begin(), page->end());
    ++pages;
  }
  EXPECT_EQ(seen, std::multiset<std::string>(expected.begin(), expected.end()));
  EXPECT_GE(pages, 3);

  std::set<std::string> all;
  ASSERT_TRUE(service_->QueryTables()
                  .ForEach([&](const std::string& name) {
                    all.insert(name);
                    return true;
                  })
                  .ok());
  EXPECT_TRUE(all.count(table_name_));
  for (const std::string& name : expected) {
    EXPECT_TRUE(all.count(name)) << name;
    EXPECT_TRUE(service_->DeleteTable(name).ok());
  }
}

TEST_F(TableServiceTest, InvalidNamesAreRefusedWithoutSending) {
  const auto before = Snapshot();
  for (const char* name : {"ab", "1abc", "has-dash", "tables"}) {
    EXPECT_TRUE(service_->CreateTable(name).IsInvalidArgument()) << name;
    EXPECT_TRUE(service_->DeleteTable(name).IsInvalidArgument()) << name;
  }
  TableQueryOptions zero_page;
  zero_page.page_size = 0;
  EXPECT_TRUE(service_->QueryTables(zero_page).NextPage().status().IsInvalidArgument());
  EXPECT_TRUE(
      service_->GetTableClient("x").QueryEntities().NextPage().status().IsInvalidArgument());
  EXPECT_EQ((Snapshot() - before).total_attempts(), 0u);
}

}  // namespace
}  // namespace fanfold::tablestore
