// Shared fixture of the Table integration tests: a fresh uniquely named table per test, and a
// service client whose pipeline records into the test's own counters, so that counter
// assertions see only this test's requests.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "storage/counters.hpp"
#include "tablestore/table_service_client.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::tablestore {

class TableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::PipelineOptions options;
    options.counters = &counters_;
    options.retry.initial_delay = std::chrono::milliseconds(5);
    service_ = std::make_unique<TableServiceClient>(testing::TestAccount(), options);
    table_name_ = testing::UniqueName("t");
    const storage::Status created = service_->CreateTable(table_name_);
    ASSERT_TRUE(created.ok()) << created.ToString();
    table_ = std::make_unique<TableClient>(service_->GetTableClient(table_name_));
  }

  void TearDown() override {
    if (service_ != nullptr) (void)service_->DeleteTable(table_name_);
  }

  storage::CounterSnapshot Snapshot() const { return counters_.Snapshot(); }

  // Every entity of a partition by RowKey, read with one unfiltered query.
  std::map<std::string, Entity> ReadPartition(const std::string& partition) const {
    std::map<std::string, Entity> rows;
    QueryOptions options;
    options.filter = Eq("PartitionKey", partition);
    EntityPager pager = table_->QueryEntities(options);
    const storage::Status status = pager.ForEach([&](const Entity& entity) {
      rows.emplace(entity.row_key(), entity);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return rows;
  }

  storage::StorageCounters counters_;
  std::unique_ptr<TableServiceClient> service_;
  std::string table_name_;
  std::unique_ptr<TableClient> table_;
};

}  // namespace fanfold::tablestore
