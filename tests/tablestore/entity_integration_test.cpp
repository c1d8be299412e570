// Single-entity operations against the service: exact type round trips, awkward keys, ETag
// conditions (a stale ETag is a 412 that changes nothing), upserts, merges and deletes, and
// client-side validation that sends nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/tablestore/table_test_fixture.hpp"

namespace fanfold::tablestore {
namespace {

using EntityOperationsTest = TableTest;

Entity EveryType(const std::string& partition, const std::string& row) {
  std::string every_byte;
  for (int i = 0; i < 256; ++i)
    every_byte += static_cast<char>(i);
  Entity entity(partition, row);
  entity.Set("Text", "it's \"quoted\" ünïcødé 😀\nnext line")
      .Set("Empty", "")
      .Set("I32Min", std::numeric_limits<int32_t>::min())
      .Set("I32Max", std::numeric_limits<int32_t>::max())
      .Set("I64Min", std::numeric_limits<int64_t>::min())
      .Set("I64Max", std::numeric_limits<int64_t>::max())
      .Set("Whole", 2.0)
      .Set("Fraction", 0.1)
      .Set("Tiny", 5e-324)
      .Set("Large", 1e300)
      .Set("BigWhole", 6824053932181.0)
      .Set("NotANumber", std::nan(""))
      .Set("PlusInf", std::numeric_limits<double>::infinity())
      .Set("MinusInf", -std::numeric_limits<double>::infinity())
      .Set("Yes", true)
      .Set("No", false)
      .Set("When", *ParseEdmDateTime("2026-11-22T09:53:51.1234567Z"))
      .Set("Earliest", *ParseEdmDateTime("1601-01-01T00:00:00.0000001Z"))
      .Set("Bytes", Binary{every_byte})
      .Set("NoBytes", Binary{})
      .Set("Id", *Guid::Parse("c9da6455-213d-42c9-9a79-3e9149a57833"));
  return entity;
}

// Same properties with the same types and values (NaN matching NaN).
void ExpectSameProperties(const Entity& expected, const Entity& actual) {
  ASSERT_EQ(actual.properties().size(), expected.properties().size());
  for (const auto& [name, value] : expected.properties()) {
    const PropertyValue* found = actual.Find(name);
    ASSERT_NE(found, nullptr) << name;
    ASSERT_EQ(found->type(), value.type())
        << name << " came back as " << EdmTypeName(found->type());
    if (value.type() == EdmType::kDouble && std::isnan(*value.As<double>())) {
      EXPECT_TRUE(std::isnan(*found->As<double>())) << name;
    } else {
      EXPECT_TRUE(*found == value) << name;
    }
  }
}

TEST_F(EntityOperationsTest, EveryTypeRoundTripsExactly) {
  const Entity original = EveryType("p", "r");
  const auto inserted = table_->InsertEntity(original);
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_FALSE(inserted->etag.empty());

  const auto read = table_->GetEntity("p", "r");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->partition_key(), "p");
  EXPECT_EQ(read->row_key(), "r");
  EXPECT_EQ(read->etag(), inserted->etag);
  EXPECT_TRUE(read->timestamp().has_value());
  ExpectSameProperties(original, *read);

  // A query reads the same values through the same parser, and a rewrite keeps every type.
  const auto replaced = table_->ReplaceEntity(*read, read->etag());
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EntityPager pager = table_->QueryEntities();
  const auto page = pager.NextPage();
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->front().etag(), replaced->etag);
  ExpectSameProperties(original, page->front());
}

TEST_F(EntityOperationsTest, AwkwardKeysWorkForEveryOperation) {
  for (const std::string& key :
       std::vector<std::string>{"it's a 'key'", "100% & + = , ; : @ $ ! * ( ) [ ] ~", "ünïcødé 😀",
                                "with space", "", "''", std::string(512, 'k')}) {
    Entity entity(key, key);
    entity.Set("V", 1);
    const auto inserted = table_->InsertEntity(entity);
    ASSERT_TRUE(inserted.ok()) << key << ": " << inserted.status().ToString();
    const auto read = table_->GetEntity(key, key);
    ASSERT_TRUE(read.ok()) << key << ": " << read.status().ToString();
    EXPECT_EQ(read->partition_key(), key);
    EXPECT_EQ(read->row_key(), key);
    entity.Set("V", 2);
    const auto replaced = table_->ReplaceEntity(entity, inserted->etag);
    ASSERT_TRUE(replaced.ok()) << key << ": " << replaced.status().ToString();
    ASSERT_TRUE(table_->DeleteEntity(key, key, replaced->etag).ok()) << key;
    EXPECT_TRUE(table_->GetEntity(key, key).status().IsNotFound()) << key;
  }
}

TEST_F(EntityOperationsTest, InsertOfExistingRowIsConflict) {
  Entity entity("p", "r");
  entity.Set("V", 1);
  ASSERT_TRUE(table_->InsertEntity(entity).ok());
  entity.Set("V", 2);
  const auto again = table_->InsertEntity(entity);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsConflict());
  EXPECT_EQ(again.status().error_code(), "EntityAlreadyExists");
  EXPECT_EQ(*table_->GetEntity("p", "r")->GetInt32("V"), 1);
}

TEST_F(EntityOperationsTest, MissingRowIsNotFound) {
  EXPECT_TRUE(table_->GetEntity("p", "nope").status().IsNotFound());
  EXPECT_TRUE(table_->DeleteEntity("p", "nope", kMatchAny).IsNotFound());
  Entity entity("p", "nope");
  EXPECT_TRUE(table_->ReplaceEntity(entity, kMatchAny).status().IsNotFound());
  EXPECT_TRUE(table_->MergeEntity(entity, kMatchAny).status().IsNotFound());
}

TEST_F(EntityOperationsTest, StaleETagIsPreconditionFailedAndChangesNothing) {
  Entity entity("p", "r");
  entity.Set("V", 1).Set("Keep", "k");
  const auto first = table_->InsertEntity(entity);
  ASSERT_TRUE(first.ok());
  entity.Set("V", 2);
  const auto second = table_->ReplaceEntity(entity, first->etag);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(second->etag, first->etag);

  Entity stale("p", "r");
  stale.Set("V", 99);
  const auto replace = table_->ReplaceEntity(stale, first->etag);
  ASSERT_FALSE(replace.ok());
  EXPECT_TRUE(replace.status().IsPreconditionFailed()) << replace.status().ToString();
  EXPECT_TRUE(table_->MergeEntity(stale, first->etag).status().IsPreconditionFailed());
  EXPECT_TRUE(table_->DeleteEntity("p", "r", first->etag).IsPreconditionFailed());

  const auto read = table_->GetEntity("p", "r");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->etag(), second->etag);
  EXPECT_EQ(*read->GetInt32("V"), 2);
  EXPECT_EQ(*read->GetString("Keep"), "k");
  EXPECT_EQ(read->properties().size(), 2u);
}

TEST_F(EntityOperationsTest, ReplaceDropsAndMergeKeepsUnsetProperties) {
  Entity entity("p", "r");
  entity.Set("A", 1).Set("B", 2);
  ASSERT_TRUE(table_->InsertEntity(entity).ok());

  Entity only_a("p", "r");
  only_a.Set("A", 10);
  const auto merged = table_->MergeEntity(only_a, kMatchAny);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  auto read = table_->GetEntity("p", "r");
  EXPECT_EQ(*read->GetInt32("A"), 10);
  EXPECT_EQ(*read->GetInt32("B"), 2);
  EXPECT_EQ(read->etag(), merged->etag);

  const auto replaced = table_->ReplaceEntity(only_a, merged->etag);
  ASSERT_TRUE(replaced.ok());
  read = table_->GetEntity("p", "r");
  EXPECT_EQ(*read->GetInt32("A"), 10);
  EXPECT_FALSE(read->Has("B"));
  EXPECT_EQ(read->etag(), replaced->etag);
}

TEST_F(EntityOperationsTest, UpsertsCreateThenMergeOrReplace) {
  Entity both("p", "r");
  both.Set("A", 1).Set("B", 2);
  const auto created = table_->InsertOrMergeEntity(both);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(table_->GetEntity("p", "r")->properties().size(), 2u);

  Entity only_c("p", "r");
  only_c.Set("C", 3);
  const auto merged = table_->InsertOrMergeEntity(only_c);
  ASSERT_TRUE(merged.ok());
  EXPECT_NE(merged->etag, created->etag);
  EXPECT_EQ(table_->GetEntity("p", "r")->properties().size(), 3u);

  const auto replaced = table_->InsertOrReplaceEntity(only_c);
  ASSERT_TRUE(replaced.ok());
  const auto read = table_->GetEntity("p", "r");
  EXPECT_EQ(read->properties().size(), 1u);
  EXPECT_EQ(*read->GetInt32("C"), 3);
  EXPECT_EQ(read->etag(), replaced->etag);

  const auto fresh = table_->InsertOrReplaceEntity(Entity("p", "other"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(table_->GetEntity("p", "other").ok());
}

TEST_F(EntityOperationsTest, DeleteWithCurrentETagOrAny) {
  const auto first = table_->InsertEntity(Entity("p", "a"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(table_->InsertEntity(Entity("p", "b")).ok());
  EXPECT_TRUE(table_->DeleteEntity("p", "a", first->etag).ok());
  EXPECT_TRUE(table_->DeleteEntity("p", "b", kMatchAny).ok());
  EXPECT_TRUE(table_->GetEntity("p", "a").status().IsNotFound());
  EXPECT_TRUE(table_->GetEntity("p", "b").status().IsNotFound());
}

TEST_F(EntityOperationsTest, GetWithSelectReturnsOnlyThoseProperties) {
  Entity entity("p", "r");
  entity.Set("A", 1).Set("B", "two").Set("C", 3.5);
  ASSERT_TRUE(table_->InsertEntity(entity).ok());
  GetEntityOptions options;
  options.select = {"B", "C"};
  const auto read = table_->GetEntity("p", "r", options);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_FALSE(read->Has("A"));
  EXPECT_EQ(*read->GetString("B"), "two");
  EXPECT_EQ(*read->GetDouble("C"), 3.5);
}

TEST_F(EntityOperationsTest, InvalidInputIsRefusedWithoutSending) {
  const auto before = Snapshot();
  Entity bad_key("p/1", "r");
  EXPECT_TRUE(table_->InsertEntity(bad_key).status().IsInvalidArgument());
  Entity bad_name("p", "r");
  bad_name.Set("not-an-identifier", 1);
  EXPECT_TRUE(table_->InsertOrMergeEntity(bad_name).status().IsInvalidArgument());
  Entity too_many("p", "r");
  for (int i = 0; i <= 252; ++i)
    too_many.Set("P" + std::to_string(i), i);
  EXPECT_TRUE(table_->InsertOrReplaceEntity(too_many).status().IsInvalidArgument());
  Entity too_long("p", "r");
  too_long.Set("S", std::string(40'000, 's'));
  EXPECT_TRUE(table_->InsertEntity(too_long).status().IsInvalidArgument());
  EXPECT_TRUE(table_->ReplaceEntity(Entity("p", "r"), "").status().IsInvalidArgument());
  EXPECT_TRUE(table_->DeleteEntity("p", "r#", kMatchAny).IsInvalidArgument());
  EXPECT_TRUE(table_->GetEntity("p", std::string(513, 'r')).status().IsInvalidArgument());
  EXPECT_TRUE(service_->GetTableClient("bad-name")
                  .InsertEntity(Entity("p", "r"))
                  .status()
                  .IsInvalidArgument());
  const auto delta = Snapshot() - before;
  EXPECT_EQ(delta.total_operations(), 0u);
  EXPECT_EQ(delta.total_attempts(), 0u);
}

}  // namespace
}  // namespace fanfold::tablestore
