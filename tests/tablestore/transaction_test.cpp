// Entity group transaction rules, checked before sending: size, one partition, each row once,
// If-Match where required, valid entities; and reading the blamed action back from a Status.
#include "tablestore/transaction.hpp"

#include <gtest/gtest.h>

namespace fanfold::tablestore {
namespace {

Entity Row(const std::string& partition, const std::string& row) {
  Entity entity(partition, row);
  entity.Set("V", 1);
  return entity;
}

TEST(TransactionValidateTest, AcceptsEveryActionKindInOnePartition) {
  Transaction transaction;
  transaction.Insert(Row("p", "1"))
      .InsertOrMerge(Row("p", "2"))
      .InsertOrReplace(Row("p", "3"))
      .Replace(Row("p", "4"), "*")
      .Merge(Row("p", "5"), "W/\"datetime'2024'\"")
      .Delete("p", "6", "*");
  EXPECT_TRUE(transaction.Validate().ok());
  EXPECT_EQ(transaction.size(), 6u);
}

TEST(TransactionValidateTest, AcceptsExactly100Actions) {
  Transaction transaction;
  for (int i = 0; i < 100; ++i)
    transaction.Insert(Row("p", std::to_string(i)));
  EXPECT_TRUE(transaction.Validate().ok());
  transaction.Insert(Row("p", "100"));
  const auto status = transaction.Validate();
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("100"), std::string::npos);
}

TEST(TransactionValidateTest, RefusesEmpty) {
  EXPECT_TRUE(Transaction().Validate().IsInvalidArgument());
}

TEST(TransactionValidateTest, RefusesCrossPartition) {
  Transaction transaction;
  transaction.Insert(Row("p1", "a")).Insert(Row("p1", "b")).Delete("p2", "c", "*");
  const auto status = transaction.Validate();
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("action 2"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("PartitionKey"), std::string::npos);
  EXPECT_NE(status.message().find("'p2'"), std::string::npos);
}

TEST(TransactionValidateTest, RefusesARowTwice) {
  Transaction transaction;
  transaction.Insert(Row("p", "a")).Delete("p", "a", "*");
  const auto status = transaction.Validate();
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("more than once"), std::string::npos);
}

TEST(TransactionValidateTest, RequiresIfMatchForConditionalActions) {
  EXPECT_TRUE(Transaction().Replace(Row("p", "a"), "").Validate().IsInvalidArgument());
  EXPECT_TRUE(Transaction().Merge(Row("p", "a"), "").Validate().IsInvalidArgument());
  EXPECT_TRUE(Transaction().Delete("p", "a", "").Validate().IsInvalidArgument());
}

TEST(TransactionValidateTest, ValidatesEntitiesAndKeys) {
  Entity bad("p", "a");
  bad.Set("no spaces allowed", 1);
  EXPECT_TRUE(Transaction().Insert(bad).Validate().IsInvalidArgument());
  EXPECT_TRUE(Transaction().Insert(Row("p", "a#b")).Validate().IsInvalidArgument());
  EXPECT_TRUE(Transaction().Delete("p", "a?b", "*").Validate().IsInvalidArgument());
}

TEST(FailedActionIndexTest, ReadsTheIndexFromTransactionFailures) {
  EXPECT_EQ(FailedActionIndex(storage::Status::Http(
                409, "EntityAlreadyExists",
                "transaction action 7 failed (insert of RowKey 'x'): The specified entity "
                "already exists.",
                "")),
            7u);
  EXPECT_EQ(
      FailedActionIndex(storage::Status::Http(400, "InvalidInput", "transaction failed: bad", "")),
      std::nullopt);
  EXPECT_EQ(FailedActionIndex(storage::Status::InvalidArgument(
                "transaction action 3 (insert): RowKey may not contain '#'")),
            std::nullopt);
  EXPECT_EQ(FailedActionIndex(storage::Status::Ok()), std::nullopt);
}

}  // namespace
}  // namespace fanfold::tablestore
