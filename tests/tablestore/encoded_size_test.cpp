// Wire sizes: each helper must equal the length of the text the client really sends (the entity
// JSON, the $batch body), for every kind of character JSON escapes and every property type.
#include "tablestore/encoded_size.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tablestore/batch_codec.hpp"
#include "tablestore/entity_json.hpp"

namespace fanfold::tablestore {
namespace {

using nlohmann::json;

// Strings that exercise every escaping rule: quotes, backslash, the two-character escapes, other
// control characters, DEL, and 2-, 3- and 4-byte UTF-8.
std::vector<std::string> TrickyStrings() {
  return {"",
          "plain",
          "\"",
          "\\",
          "it's \"quoted\" \\ and / slashed",
          "\b\f\n\r\t",
          std::string("nul\0inside\x01\x1f", 12),
          "del\x7f",
          "\xc3\xa9t\xc3\xa9",      // été
          "\xe2\x9c\x93 check",     // ✓
          "\xf0\x9f\x98\x80 grin",  // 😀 (a surrogate pair in \u form)
          std::string(1000, '"') + "\xe2\x82\xac"};
}

// Random valid UTF-8 drawn from a pool weighted towards what JSON escapes.
std::string RandomText(std::mt19937& random, size_t length) {
  static const std::vector<std::string> pool = {"a",
                                                "Z",
                                                "0",
                                                " ",
                                                "/",
                                                "\"",
                                                "\\",
                                                "\n",
                                                "\t",
                                                "\b",
                                                "\f",
                                                "\r",
                                                std::string(1, '\0'),
                                                "\x01",
                                                "\x1f",
                                                "\x7f",
                                                "\xc3\xa9",
                                                "\xe2\x9c\x93",
                                                "\xf0\x9f\x98\x80",
                                                "<",
                                                "&"};
  std::uniform_int_distribution<size_t> pick(0, pool.size() - 1);
  std::string text;
  for (size_t i = 0; i < length; ++i)
    text += pool[pick(random)];
  return text;
}

TEST(EncodedJsonStringBytesTest, EqualsWhatTheSerializerWrites) {
  for (const std::string& text : TrickyStrings()) {
    EXPECT_EQ(EncodedJsonStringBytes(text), json(text).dump().size()) << json(text).dump();
    EXPECT_EQ(EncodedJsonStringBytes(text, /*ensure_ascii=*/true),
              json(text).dump(-1, ' ', /*ensure_ascii=*/true).size())
        << json(text).dump(-1, ' ', true);
  }
}

TEST(EncodedJsonStringBytesTest, EqualsWhatTheSerializerWritesForRandomText) {
  std::mt19937 random(12);
  for (int round = 0; round < 500; ++round) {
    const std::string text = RandomText(random, round % 64);
    ASSERT_EQ(EncodedJsonStringBytes(text), json(text).dump().size()) << json(text).dump();
    ASSERT_EQ(EncodedJsonStringBytes(text, true), json(text).dump(-1, ' ', true).size());
  }
}

TEST(EncodedJsonStringBytesTest, AQuoteCostsTwiceItsRawSize) {
  // Why raw lengths mislead: 30,000 quotes are 30,000 bytes of text but 60,002 on the wire.
  EXPECT_EQ(EncodedJsonStringBytes(std::string(30000, '"')), 60002u);
  // And twice escaped (a JSON document stored in a property): each quote becomes four bytes.
  const std::string inner = json(std::string(1000, '"')).dump();
  EXPECT_EQ(EncodedJsonStringBytes(inner), 4000u + 2 + 4);
}

Entity EveryType(const std::string& text) {
  Entity entity("part\"ition\xc3\xa9", "row\\key");
  entity.Set("Text", text);
  entity.Set("Int", 42);
  entity.Set("Long", static_cast<int64_t>(-1234567890123LL));
  entity.Set("Double", 2.0);
  entity.Set("Fraction", 0.1);
  entity.Set("NotANumber", std::numeric_limits<double>::quiet_NaN());
  entity.Set("Infinite", -std::numeric_limits<double>::infinity());
  entity.Set("Flag", true);
  entity.Set("When", EdmDateTime(EdmTicks(638000000000000001LL)));
  entity.Set("Bytes", Binary{std::string("\x00\xff\x10", 3)});
  entity.Set("Id", *Guid::Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
  return entity;
}

TEST(EncodedEntityBytesTest, EqualsTheEntityJsonAsSent) {
  for (const std::string& text : TrickyStrings()) {
    const Entity entity = EveryType(text);
    EXPECT_EQ(EncodedEntityBytes(entity), EntityToJson(entity).dump().size())
        << EntityToJson(entity).dump();
  }
  const Entity keys_only("p", "r");
  EXPECT_EQ(EncodedEntityBytes(keys_only), EntityToJson(keys_only).dump().size());
}

TEST(EncodedPropertyBytesTest, IsWhatThePropertyAddsToTheEntity) {
  const Entity without = EveryType("x");
  for (const std::string& text : TrickyStrings()) {
    for (const PropertyValue& value :
         {PropertyValue(text), PropertyValue(7), PropertyValue(static_cast<int64_t>(1) << 40),
          PropertyValue(3.25), PropertyValue(Binary{text})}) {
      Entity with = without;
      with.Set("Added", value);
      EXPECT_EQ(EncodedPropertyBytes("Added", value),
                EntityToJson(with).dump().size() - EntityToJson(without).dump().size());
    }
  }
}

TEST(EncodedTransactionBytesTest, EqualsTheBatchBodyAsSent) {
  const auto endpoint = *storage::Url::Parse("http://127.0.0.1:10002/devstoreaccount1");
  Transaction transaction;
  std::mt19937 random(7);
  for (int i = 0; i < 20; ++i) {
    Entity row("p", "row" + std::to_string(i));
    row.Set("Text", RandomText(random, 200));
    row.Set("N", i);
    transaction.Insert(row);
  }
  transaction.Replace(EveryType("\"replaced\""), "W/\"datetime'2026-01-01'\"");
  transaction.Delete("p", "gone", "*");
  const size_t measured = EncodedTransactionBytes(endpoint, "History", transaction);
  // The real body, with fresh UUIDs as SubmitTransaction uses: same length.
  const EncodedBatch sent =
      EncodeTransaction(endpoint, "History", transaction, "5a1b2c3d-0000-4000-8000-00000000abcd",
                        "6e7f8091-1111-4111-8111-111111111111");
  EXPECT_EQ(measured, sent.body.size());
  EXPECT_GT(measured, EncodedEntityBytes(EveryType("\"replaced\"")) + 20 * 200);
}

}  // namespace
}  // namespace fanfold::tablestore
