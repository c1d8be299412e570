// Entity property typing: which EDM type each C++ value becomes, and typed accessors that answer
// a Status (never a crash) for a missing property or a type mismatch.
#include "tablestore/entity.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace fanfold::tablestore {
namespace {

TEST(PropertyValueTest, CppTypeChoosesEdmType) {
  EXPECT_EQ(PropertyValue("text").type(), EdmType::kString);
  EXPECT_EQ(PropertyValue(std::string("text")).type(), EdmType::kString);
  EXPECT_EQ(PropertyValue(std::string_view("text")).type(), EdmType::kString);
  EXPECT_EQ(PropertyValue(7).type(), EdmType::kInt32);
  EXPECT_EQ(PropertyValue(int64_t{7}).type(), EdmType::kInt64);
  EXPECT_EQ(PropertyValue(2.0).type(), EdmType::kDouble);
  EXPECT_EQ(PropertyValue(true).type(), EdmType::kBoolean);
  EXPECT_EQ(PropertyValue(EdmDateTime{}).type(), EdmType::kDateTime);
  EXPECT_EQ(PropertyValue(Binary{"\x01"}).type(), EdmType::kBinary);
  EXPECT_EQ(PropertyValue(*Guid::Parse("00000000-0000-0000-0000-000000000001")).type(),
            EdmType::kGuid);
}

TEST(PropertyValueTest, EqualityComparesTypeAndValue) {
  EXPECT_EQ(PropertyValue(5), PropertyValue(5));
  EXPECT_FALSE(PropertyValue(5) == PropertyValue(int64_t{5}));
  EXPECT_FALSE(PropertyValue(5) == PropertyValue(5.0));
  EXPECT_FALSE(PropertyValue("5") == PropertyValue(5));
}

TEST(EntityTest, TypedAccessorsReturnStoredValues) {
  Entity entity("pk", "rk");
  entity.Set("Name", "alice").Set("Age", 42).Set("Big", int64_t{1} << 40).Set("Score", 2.5);
  entity.Set("Active", true).Set("Blob", Binary{std::string("\0\xff", 2)});
  EXPECT_EQ(*entity.GetString("Name"), "alice");
  EXPECT_EQ(*entity.GetInt32("Age"), 42);
  EXPECT_EQ(*entity.GetInt64("Big"), int64_t{1} << 40);
  EXPECT_EQ(*entity.GetDouble("Score"), 2.5);
  EXPECT_TRUE(*entity.GetBool("Active"));
  EXPECT_EQ(entity.GetBinary("Blob")->bytes, std::string("\0\xff", 2));
  EXPECT_EQ(entity.partition_key(), "pk");
  EXPECT_EQ(entity.row_key(), "rk");
  EXPECT_TRUE(entity.etag().empty());
  EXPECT_FALSE(entity.timestamp().has_value());
}

TEST(EntityTest, TypeMismatchIsInvalidArgumentNamingBothTypes) {
  Entity entity("pk", "rk");
  entity.Set("Age", 42);
  const auto as_int64 = entity.GetInt64("Age");
  ASSERT_FALSE(as_int64.ok());
  EXPECT_TRUE(as_int64.status().IsInvalidArgument());
  EXPECT_NE(as_int64.status().message().find("Edm.Int32"), std::string::npos);
  EXPECT_NE(as_int64.status().message().find("Edm.Int64"), std::string::npos);
  EXPECT_FALSE(entity.GetString("Age").ok());
  EXPECT_FALSE(entity.GetDouble("Age").ok());
  EXPECT_FALSE(entity.GetGuid("Age").ok());
}

TEST(EntityTest, MissingPropertyIsInvalidArgument) {
  const Entity entity("pk", "rk");
  const auto missing = entity.GetString("Nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsInvalidArgument());
  EXPECT_NE(missing.status().message().find("Nope"), std::string::npos);
  EXPECT_EQ(entity.Find("Nope"), nullptr);
}

TEST(EntityTest, SetReplacesAndRemoveDeletes) {
  Entity entity("pk", "rk");
  entity.Set("X", 1);
  entity.Set("X", "now text");
  EXPECT_EQ(entity.properties().size(), 1u);
  EXPECT_EQ(*entity.GetString("X"), "now text");
  EXPECT_TRUE(entity.Remove("X"));
  EXPECT_FALSE(entity.Remove("X"));
  EXPECT_FALSE(entity.Has("X"));
}

}  // namespace
}  // namespace fanfold::tablestore
