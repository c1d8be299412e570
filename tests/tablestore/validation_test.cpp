// The client-side checks of what Azure refuses: table names, keys, property names and limits.
#include "tablestore/validation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fanfold::tablestore {
namespace {

std::string Repeat(std::string_view unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i)
    out += unit;
  return out;
}

TEST(ValidateTableNameTest, AcceptsAlphanumericStartingWithLetter) {
  for (const std::string& name :
       std::vector<std::string>{"abc", "A1b2C3", "mytable", std::string(63, 'x')}) {
    EXPECT_TRUE(ValidateTableName(name).ok()) << name;
  }
}

TEST(ValidateTableNameTest, RefusesWhatAzureRefuses) {
  for (const std::string& name :
       std::vector<std::string>{"", "ab", std::string(64, 'x'), "1abc", "ab-c", "ab_c", "ab c",
                                "tables", "Tables", "über"}) {
    const auto status = ValidateTableName(name);
    EXPECT_TRUE(status.IsInvalidArgument()) << name;
  }
}

TEST(ValidateKeyTest, AcceptsOrdinaryAndEmptyKeys) {
  for (const std::string& key :
       std::vector<std::string>{"", "a", "it's", "100% & + = , ; : @ $ ! * ( )", "ünïcødé 😀",
                                Repeat("a", 512), Repeat("😀", 256)}) {
    EXPECT_TRUE(ValidateKey(key, "RowKey").ok()) << key;
  }
}

TEST(ValidateKeyTest, RefusesForbiddenCharacters) {
  for (const std::string& key :
       std::vector<std::string>{"a/b", "a\\b", "a#b", "a?b", "tab\there", "new\nline",
                                std::string("nul\0", 4), "del\x7f", "c1\xc2\x85" /* U+0085 */}) {
    const auto status = ValidateKey(key, "PartitionKey");
    EXPECT_TRUE(status.IsInvalidArgument()) << key;
    EXPECT_NE(status.message().find("PartitionKey"), std::string::npos);
  }
}

TEST(ValidateKeyTest, MeasuresLengthInUtf16) {
  EXPECT_TRUE(ValidateKey(Repeat("a", 513), "RowKey").IsInvalidArgument());
  // 256 surrogate pairs are 512 UTF-16 code units; one more character is too many.
  EXPECT_TRUE(ValidateKey(Repeat("😀", 256) + "a", "RowKey").IsInvalidArgument());
  EXPECT_TRUE(ValidateKey(Repeat("é", 512), "RowKey").ok());
}

TEST(ValidateKeyTest, RefusesInvalidUtf8) {
  for (const std::string& key :
       std::vector<std::string>{"\xff", "\xc3", "\xe2\x82", "\xc0\xaf" /* overlong '/' */,
                                "\xed\xa0\x80" /* surrogate */}) {
    EXPECT_TRUE(ValidateKey(key, "RowKey").IsInvalidArgument()) << key;
  }
}

TEST(ValidatePropertyNameTest, AcceptsIdentifiers) {
  for (const std::string& name : std::vector<std::string>{"a", "_x", "Name1", "snake_case",
                                                          "Ünïcode", std::string(255, 'n')}) {
    EXPECT_TRUE(ValidatePropertyName(name).ok()) << name;
  }
}

TEST(ValidatePropertyNameTest, RefusesOthers) {
  for (const std::string& name :
       std::vector<std::string>{"", "1a", "a-b", "a.b", "a b", "odata.etag", "x@odata.type",
                                "PartitionKey", "RowKey", "Timestamp", std::string(256, 'n')}) {
    EXPECT_TRUE(ValidatePropertyName(name).IsInvalidArgument()) << name;
  }
}

TEST(ValidateEntityTest, EnforcesPropertyCount) {
  Entity entity("pk", "rk");
  for (size_t i = 0; i < kMaxCustomProperties; ++i)
    entity.Set("P" + std::to_string(i), 1);
  EXPECT_TRUE(ValidateEntity(entity).ok());
  entity.Set("OneTooMany", 1);
  EXPECT_TRUE(ValidateEntity(entity).IsInvalidArgument());
}

TEST(ValidateEntityTest, EnforcesValueSizes) {
  Entity entity("pk", "rk");
  entity.Set("S", std::string(32767, 's'));
  EXPECT_TRUE(ValidateEntity(entity).ok());
  entity.Set("S", std::string(32768, 's'));
  EXPECT_TRUE(ValidateEntity(entity).IsInvalidArgument());
  entity.Set("S", Binary{std::string(65535, 'b')});
  EXPECT_TRUE(ValidateEntity(entity).ok());
  entity.Set("S", Binary{std::string(65536, 'b')});
  EXPECT_TRUE(ValidateEntity(entity).IsInvalidArgument());
}

TEST(ValidateEntityTest, EnforcesEntitySize) {
  Entity entity("pk", "rk");
  // 16 strings of 32,000 UTF-16 units: each costs 8 + 2*2 + 64,004 bytes; 16 fit in 1 MiB.
  for (int i = 0; i < 16; ++i)
    entity.Set("S" + std::to_string(i + 10), std::string(32000, 'x'));
  EXPECT_TRUE(ValidateEntity(entity).ok()) << EntitySizeBytes(entity);
  entity.Set("S99", std::string(32000, 'x'));
  EXPECT_GT(EntitySizeBytes(entity), kMaxEntityBytes);
  EXPECT_TRUE(ValidateEntity(entity).IsInvalidArgument());
}

TEST(ValidateEntityTest, RefusesBadNamesKeysTextAndDates) {
  Entity bad_name("pk", "rk");
  bad_name.Set("bad-name", 1);
  EXPECT_TRUE(ValidateEntity(bad_name).IsInvalidArgument());
  EXPECT_TRUE(ValidateEntity(Entity("p/k", "rk")).IsInvalidArgument());
  Entity bad_text("pk", "rk");
  bad_text.Set("S", "\xff");
  EXPECT_TRUE(ValidateEntity(bad_text).IsInvalidArgument());
  Entity old_date("pk", "rk");
  old_date.Set("D", *ParseEdmDateTime("1600-12-31T23:59:59Z"));
  EXPECT_TRUE(ValidateEntity(old_date).IsInvalidArgument());
}

TEST(EntitySizeBytesTest, FollowsTheServiceFormula) {
  Entity entity("a", "bc");
  EXPECT_EQ(EntitySizeBytes(entity), 4u + 2 * 3);
  entity.Set("N", 1);                                                     // 8 + 2 + 4
  entity.Set("S", "hé");                                                  // 8 + 2 + (2 * 2 + 4)
  entity.Set("B", Binary{"xyz"});                                         // 8 + 2 + (3 + 4)
  entity.Set("G", *Guid::Parse("00000000-0000-0000-0000-000000000000"));  // 8 + 2 + 16
  entity.Set("F", true);                                                  // 8 + 2 + 1
  EXPECT_EQ(EntitySizeBytes(entity), 10u + 14 + 18 + 17 + 26 + 11);
}

}  // namespace
}  // namespace fanfold::tablestore
