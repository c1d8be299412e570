// JSON round trips of every property type through the exact text that goes on the wire, the wire
// form of each type, and reading the service's minimalmetadata answers.
#include "tablestore/entity_json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace fanfold::tablestore {
namespace {

using nlohmann::json;

// Serializes to text and back, as a write followed by a read would.
Entity RoundTrip(const Entity& entity) {
  const std::string wire = EntityToJson(entity).dump();
  auto parsed = EntityFromJson(json::parse(wire));
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << wire;
  return parsed.ok() ? std::move(parsed).value() : Entity();
}

PropertyValue RoundTripValue(const PropertyValue& value) {
  Entity entity("pk", "rk");
  entity.Set("P", value);
  const Entity back = RoundTrip(entity);
  EXPECT_EQ(back.properties().size(), 1u);
  const PropertyValue* found = back.Find("P");
  return found != nullptr ? *found : PropertyValue("missing");
}

TEST(EntityJsonTest, StringsRoundTrip) {
  const std::vector<std::string> texts = {"",
                                          "plain",
                                          "it's \"quoted\"",
                                          "line\nbreak\ttab",
                                          "ünïcødé ✓ 😀",
                                          std::string("nul\0inside", 10)};
  for (const std::string& text : texts) {
    EXPECT_EQ(RoundTripValue(text), PropertyValue(text)) << text;
  }
}

TEST(EntityJsonTest, IntegersRoundTrip) {
  for (const int32_t v :
       {0, 1, -1, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()}) {
    EXPECT_EQ(RoundTripValue(v), PropertyValue(v)) << v;
  }
  for (const int64_t v : {int64_t{0}, int64_t{5}, int64_t{-5}, std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max(), int64_t{1} << 53 | 1}) {
    EXPECT_EQ(RoundTripValue(v), PropertyValue(v)) << v;
  }
}

TEST(EntityJsonTest, DoublesRoundTripIncludingWholeAndSpecialValues) {
  for (const double v : {0.0, 2.0, -2.0, 0.1, 1.0 / 3.0, 1e20, 1e300, -1e-300, 5e-324,
                         std::numeric_limits<double>::max(), 4294967296.0, 6824053932181.0}) {
    const PropertyValue back = RoundTripValue(v);
    ASSERT_EQ(back.type(), EdmType::kDouble) << v;
    EXPECT_EQ(*back.As<double>(), v);
  }
  EXPECT_TRUE(std::isnan(*RoundTripValue(std::nan("")).As<double>()));
  EXPECT_EQ(*RoundTripValue(std::numeric_limits<double>::infinity()).As<double>(),
            std::numeric_limits<double>::infinity());
  EXPECT_EQ(*RoundTripValue(-std::numeric_limits<double>::infinity()).As<double>(),
            -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::signbit(*RoundTripValue(-0.0).As<double>()));
}

TEST(EntityJsonTest, OtherTypesRoundTrip) {
  EXPECT_EQ(RoundTripValue(true), PropertyValue(true));
  EXPECT_EQ(RoundTripValue(false), PropertyValue(false));
  const EdmDateTime time = *ParseEdmDateTime("2026-11-22T09:53:51.1234567Z");
  EXPECT_EQ(RoundTripValue(time), PropertyValue(time));
  std::string every_byte;
  for (int i = 0; i < 256; ++i)
    every_byte += static_cast<char>(i);
  EXPECT_EQ(RoundTripValue(Binary{every_byte}), PropertyValue(Binary{every_byte}));
  EXPECT_EQ(RoundTripValue(Binary{}), PropertyValue(Binary{}));
  const Guid guid = *Guid::Parse("c9da6455-213d-42c9-9a79-3e9149a57833");
  EXPECT_EQ(RoundTripValue(guid), PropertyValue(guid));
}

TEST(EntityJsonTest, WireFormAnnotatesTypesJsonCannotExpress) {
  Entity entity("p'k", "rk");
  entity.Set("S", "x").Set("I", 3).Set("L", int64_t{3}).Set("D", 2.0).Set("B", true);
  entity.Set("T", *ParseEdmDateTime("2020-01-02T03:04:05.0000006Z"));
  entity.Set("Bin", Binary{"hi"}).Set("G", *Guid::Parse("00000000-0000-0000-0000-00000000000a"));
  entity.Set("Nan", std::nan("")).Set("Inf", -std::numeric_limits<double>::infinity());
  const json wire = json::parse(EntityToJson(entity).dump());
  EXPECT_EQ(wire["PartitionKey"], "p'k");
  EXPECT_EQ(wire["RowKey"], "rk");
  EXPECT_EQ(wire["S"], "x");
  EXPECT_FALSE(wire.contains("S@odata.type"));
  EXPECT_EQ(wire["I"], 3);
  EXPECT_FALSE(wire.contains("I@odata.type"));
  EXPECT_EQ(wire["L"], "3");
  EXPECT_EQ(wire["L@odata.type"], "Edm.Int64");
  EXPECT_EQ(wire["D@odata.type"], "Edm.Double");
  EXPECT_TRUE(wire["D"].is_number_float());
  EXPECT_EQ(wire["B"], true);
  EXPECT_EQ(wire["T"], "2020-01-02T03:04:05.0000006Z");
  EXPECT_EQ(wire["T@odata.type"], "Edm.DateTime");
  EXPECT_EQ(wire["Bin"], "aGk=");
  EXPECT_EQ(wire["Bin@odata.type"], "Edm.Binary");
  EXPECT_EQ(wire["G"], "00000000-0000-0000-0000-00000000000a");
  EXPECT_EQ(wire["G@odata.type"], "Edm.Guid");
  EXPECT_EQ(wire["Nan"], "NaN");
  EXPECT_EQ(wire["Inf"], "-Infinity");
  EXPECT_FALSE(wire.contains("Timestamp"));
  const std::string text = EntityToJson(entity).dump();
  // A whole double keeps its fraction in the text itself, not only in the annotation.
  EXPECT_NE(text.find("\"D\":2.0"), std::string::npos) << text;
  // Keys lead, and each annotation comes right before its property, as OData readers require.
  EXPECT_EQ(text.rfind("{\"PartitionKey\":\"p'k\",\"RowKey\":\"rk\",", 0), 0u) << text;
  EXPECT_NE(text.find("\"L@odata.type\":\"Edm.Int64\",\"L\":\"3\""), std::string::npos) << text;
}

TEST(EntityJsonTest, ReadsMinimalMetadataAnswer) {
  const json answer = json::parse(R"({
    "odata.metadata": "https://acct.table.core.windows.net/$metadata#t/@Element",
    "odata.etag": "W/\"datetime'2013-08-22T00%3A20%3A16.3134645Z'\"",
    "PartitionKey": "Customer", "RowKey": "Name",
    "Timestamp": "2013-08-22T00:20:16.3134645Z",
    "Whole": 2.0, "Count": 2, "Huge": 6824053932181, "Active": false, "Name": "x",
    "Big@odata.type": "Edm.Int64", "Big": "-9223372036854775808",
    "Since@odata.type": "Edm.DateTime", "Since": "2008-10-01T15:25:05.2852025Z",
    "Code@odata.type": "Edm.Guid", "Code": "C9DA6455-213D-42C9-9A79-3E9149A57833",
    "Inf@odata.type": "Edm.Double", "Inf": "INF",
    "Nothing": null
  })");
  auto entity = EntityFromJson(answer);
  ASSERT_TRUE(entity.ok()) << entity.status().ToString();
  EXPECT_EQ(entity->partition_key(), "Customer");
  EXPECT_EQ(entity->row_key(), "Name");
  EXPECT_EQ(entity->etag(), "W/\"datetime'2013-08-22T00%3A20%3A16.3134645Z'\"");
  ASSERT_TRUE(entity->timestamp().has_value());
  EXPECT_EQ(FormatEdmDateTime(*entity->timestamp()), "2013-08-22T00:20:16.3134645Z");
  EXPECT_EQ(*entity->GetDouble("Whole"), 2.0);
  EXPECT_EQ(*entity->GetInt32("Count"), 2);
  // Outside Int32 and unannotated: only a whole Double can look like this.
  EXPECT_EQ(*entity->GetDouble("Huge"), 6824053932181.0);
  EXPECT_FALSE(*entity->GetBool("Active"));
  EXPECT_EQ(*entity->GetInt64("Big"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(FormatEdmDateTime(*entity->GetDateTime("Since")), "2008-10-01T15:25:05.2852025Z");
  EXPECT_EQ(entity->GetGuid("Code")->str(), "c9da6455-213d-42c9-9a79-3e9149a57833");
  EXPECT_EQ(*entity->GetDouble("Inf"), std::numeric_limits<double>::infinity());
  EXPECT_FALSE(entity->Has("Nothing"));
  EXPECT_EQ(entity->properties().size(), 9u);
}

TEST(EntityJsonTest, ValuesThatContradictTheirAnnotationAreCorruption) {
  for (const char* text : {
           R"({"X@odata.type":"Edm.Int64","X":"12a"})",
           R"({"X@odata.type":"Edm.Int32","X":4294967296})",
           R"({"X@odata.type":"Edm.Decimal","X":"1.5"})",
           R"({"X@odata.type":"Edm.DateTime","X":"yesterday"})",
           R"({"X@odata.type":"Edm.Binary","X":"not base64!"})",
           R"({"X@odata.type":"Edm.Guid","X":"1234"})",
           R"({"X@odata.type":"Edm.Boolean","X":"true"})",
           R"({"X@odata.type":"Edm.Double","X":"many"})",
           R"({"Timestamp":"soon"})",
           R"({"PartitionKey":5})",
           R"({"X":[1,2]})",
       }) {
    const auto entity = EntityFromJson(json::parse(text));
    ASSERT_FALSE(entity.ok()) << text;
    EXPECT_EQ(entity.status().code(), storage::StatusCode::kCorruption) << text;
  }
  EXPECT_FALSE(EntityFromJson(json::array()).ok());
}

TEST(EntityJsonTest, AcceptsEveryDoubleSpelling) {
  for (const char* text : {"NaN", "Infinity", "INF", "-Infinity", "-INF", "2.5"}) {
    const auto value = PropertyFromJson(json(text), "Edm.Double");
    ASSERT_TRUE(value.ok()) << text;
    EXPECT_EQ(value->type(), EdmType::kDouble);
  }
  EXPECT_EQ(*PropertyFromJson(json(3), "Edm.Double")->As<double>(), 3.0);
}

}  // namespace
}  // namespace fanfold::tablestore
