// Entity group transactions against the service: every action kind commits with per-action
// ETags; one failing action leaves the partition exactly as it was and is named by index; rules
// Azure enforces (and Azurite does not) are refused before any request is sent.
#include <gtest/gtest.h>

#include "tests/tablestore/table_test_fixture.hpp"

namespace fanfold::tablestore {
namespace {

using TransactionTest = TableTest;

Entity Row(const std::string& partition, const std::string& row, int value) {
  Entity entity(partition, row);
  entity.Set("V", value).Set("Tag", "t" + std::to_string(value));
  return entity;
}

// Keys, ETags and properties of every row, for before/after comparisons.
std::map<std::string, std::pair<std::string, PropertyMap>> Fingerprint(
    const std::map<std::string, Entity>& rows) {
  std::map<std::string, std::pair<std::string, PropertyMap>> out;
  for (const auto& [row, entity] : rows)
    out.emplace(row, std::pair(entity.etag(), entity.properties()));
  return out;
}

TEST_F(TransactionTest, EveryActionKindCommitsWithItsETag) {
  for (const char* row : {"merge-up", "replace-up", "replace", "merge", "delete"}) {
    ASSERT_TRUE(table_->InsertEntity(Row("p", row, 1)).ok());
  }
  const auto replace_etag = table_->GetEntity("p", "replace")->etag();
  Entity merge_only("p", "merge");
  merge_only.Set("Extra", true);
  Transaction transaction;
  transaction.Insert(Row("p", "insert", 2))
      .InsertOrMerge(Row("p", "merge-up", 2))
      .InsertOrReplace(Row("p", "replace-up", 2))
      .Replace(Row("p", "replace", 2), replace_etag)
      .Merge(merge_only, kMatchAny)
      .Delete("p", "delete", kMatchAny);
  const auto result = table_->SubmitTransaction(transaction);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->actions.size(), 6u);
  const std::vector<std::string> rows = {"insert", "merge-up", "replace-up", "replace", "merge"};
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(result->actions[i].http_status / 100, 2) << rows[i];
    const auto read = table_->GetEntity("p", rows[i]);
    ASSERT_TRUE(read.ok()) << rows[i];
    EXPECT_EQ(read->etag(), result->actions[i].etag) << rows[i];
  }
  EXPECT_EQ(result->actions[5].http_status / 100, 2);
  EXPECT_TRUE(table_->GetEntity("p", "delete").status().IsNotFound());
  const auto merged = table_->GetEntity("p", "merge");
  EXPECT_EQ(*merged->GetInt32("V"), 1);
  EXPECT_TRUE(*merged->GetBool("Extra"));
  EXPECT_EQ(*table_->GetEntity("p", "replace")->GetInt32("V"), 2);
}

TEST_F(TransactionTest, FailingActionLeavesThePartitionUnchangedAndIsNamed) {
  for (const char* row : {"a", "b", "existing"})
    ASSERT_TRUE(table_->InsertEntity(Row("p", row, 1)).ok());
  const auto before = Fingerprint(ReadPartition("p"));
  ASSERT_EQ(before.size(), 3u);

  Transaction transaction;
  transaction.Replace(Row("p", "a", 5), kMatchAny)
      .Insert(Row("p", "new1", 5))
      .Insert(Row("p", "existing", 5))  // index 2: already exists
      .Delete("p", "b", kMatchAny)
      .Insert(Row("p", "new2", 5));
  const auto result = table_->SubmitTransaction(transaction);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsConflict()) << result.status().ToString();
  EXPECT_EQ(result.status().error_code(), "EntityAlreadyExists");
  EXPECT_EQ(FailedActionIndex(result.status()), 2u) << result.status().message();
  EXPECT_NE(result.status().message().find("existing"), std::string::npos);

  EXPECT_EQ(Fingerprint(ReadPartition("p")), before);
}

TEST_F(TransactionTest, StaleETagFailsTheWholeTransaction) {
  const auto first = table_->InsertEntity(Row("p", "a", 1));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(table_->ReplaceEntity(Row("p", "a", 2), first->etag).ok());
  const auto before = Fingerprint(ReadPartition("p"));

  Transaction transaction;
  transaction.Insert(Row("p", "b", 3)).Merge(Row("p", "a", 3), first->etag);
  const auto result = table_->SubmitTransaction(transaction);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsPreconditionFailed()) << result.status().ToString();
  EXPECT_EQ(FailedActionIndex(result.status()), 1u);
  EXPECT_EQ(Fingerprint(ReadPartition("p")), before);
}

TEST_F(TransactionTest, RulesAzureEnforcesAreCheckedBeforeSending) {
  const auto before = Snapshot();

  Transaction cross_partition;
  cross_partition.Insert(Row("p1", "a", 1)).Insert(Row("p2", "b", 1));
  const auto crossed = table_->SubmitTransaction(cross_partition);
  EXPECT_TRUE(crossed.status().IsInvalidArgument());
  EXPECT_NE(crossed.status().message().find("PartitionKey"), std::string::npos);

  Transaction same_row;
  same_row.Insert(Row("p", "a", 1)).InsertOrMerge(Row("p", "a", 2));
  EXPECT_TRUE(table_->SubmitTransaction(same_row).status().IsInvalidArgument());

  Transaction too_many;
  for (int i = 0; i <= 100; ++i)
    too_many.Insert(Row("p", std::to_string(i), i));
  EXPECT_TRUE(table_->SubmitTransaction(too_many).status().IsInvalidArgument());

  // 100 rows of ~60 KB: each entity is valid, but the body exceeds 4 MiB.
  Transaction too_big;
  for (int i = 0; i < 100; ++i) {
    Entity entity("p", std::to_string(i));
    entity.Set("S", std::string(30'000, 'x')).Set("T", std::string(30'000, 'y'));
    too_big.Insert(std::move(entity));
  }
  EXPECT_TRUE(table_->SubmitTransaction(too_big).status().IsInvalidArgument());

  EXPECT_TRUE(table_->SubmitTransaction(Transaction()).status().IsInvalidArgument());

  const auto delta = Snapshot() - before;
  EXPECT_EQ(delta.total_operations(), 0u);
  EXPECT_EQ(delta.total_attempts(), 0u);
  EXPECT_TRUE(ReadPartition("p1").empty());
  EXPECT_TRUE(ReadPartition("p").empty());
}

TEST_F(TransactionTest, HundredActionsCountAsOneBatchOperation) {
  Transaction transaction;
  for (int i = 0; i < 100; ++i)
    transaction.Insert(Row("p", std::to_string(1000 + i), i));
  const auto before = Snapshot();
  const auto result = table_->SubmitTransaction(transaction);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->actions.size(), 100u);
  const auto delta = Snapshot() - before;
  EXPECT_EQ(delta.operations_of(storage::OperationKind::kTableBatch), 1u);
  EXPECT_EQ(delta.attempts_of(storage::OperationKind::kTableBatch), 1u);
  EXPECT_EQ(delta.total_operations(), 1u);
  EXPECT_EQ(ReadPartition("p").size(), 100u);
}

}  // namespace
}  // namespace fanfold::tablestore
