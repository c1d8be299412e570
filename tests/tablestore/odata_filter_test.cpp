// The OData filter builder: literal escaping per type, combinators, and that no value can change
// an expression's structure. A small tokenizer in the OData grammar checks the structure.
#include "tablestore/odata_filter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

namespace fanfold::tablestore {
namespace {

struct Token {
  enum Kind { kWord, kString, kOpen, kClose } kind;
  std::string text;  // a string token's decoded value
  bool operator==(const Token&) const = default;
};

// Tokenizes as an OData parser does: 'quoted' strings with '' for a quote, parentheses, and
// space-separated words (identifiers, operators, numbers, typed literals like X'0a').
std::vector<Token> Tokenize(const std::string& expression) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < expression.size()) {
    const char c = expression[i];
    if (c == ' ') {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Token::kOpen : Token::kClose, std::string(1, c)});
      ++i;
    } else if (c == '\'') {
      std::string value;
      ++i;
      while (true) {
        if (i >= expression.size()) {
          ADD_FAILURE() << "unterminated string in " << expression;
          return tokens;
        }
        if (expression[i] == '\'') {
          if (i + 1 < expression.size() && expression[i + 1] == '\'') {
            value += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        value += expression[i++];
      }
      tokens.push_back({Token::kString, value});
    } else {
      std::string word;
      while (i < expression.size() && expression[i] != ' ' && expression[i] != ')' &&
             expression[i] != '(') {
        if (expression[i] == '\'') {  // typed literal: X'..', guid'..', datetime'..'
          const size_t end = expression.find('\'', i + 1);
          if (end == std::string::npos) {
            ADD_FAILURE() << "unterminated typed literal in " << expression;
            return tokens;
          }
          word += expression.substr(i, end - i + 1);
          i = end + 1;
          continue;
        }
        word += expression[i++];
      }
      tokens.push_back({Token::kWord, word});
    }
  }
  return tokens;
}

Token W(std::string text) {
  return {Token::kWord, std::move(text)};
}
Token S(std::string text) {
  return {Token::kString, std::move(text)};
}
const Token kOpen{Token::kOpen, "("};
const Token kClose{Token::kClose, ")"};

TEST(FilterLiteralTest, FormatsEachType) {
  EXPECT_EQ(*FilterLiteral("O'Brien"), "'O''Brien'");
  EXPECT_EQ(*FilterLiteral(""), "''");
  EXPECT_EQ(*FilterLiteral(42), "42");
  EXPECT_EQ(*FilterLiteral(-7), "-7");
  EXPECT_EQ(*FilterLiteral(int64_t{42}), "42L");
  EXPECT_EQ(*FilterLiteral(int64_t{-9223372036854775807 - 1}), "-9223372036854775808L");
  EXPECT_EQ(*FilterLiteral(2.0), "2.0");
  EXPECT_EQ(*FilterLiteral(0.5), "0.5");
  EXPECT_EQ(*FilterLiteral(-1.25), "-1.25");
  EXPECT_EQ(*FilterLiteral(1e20), "100000000000000000000.0");
  EXPECT_EQ(*FilterLiteral(true), "true");
  EXPECT_EQ(*FilterLiteral(false), "false");
  EXPECT_EQ(*FilterLiteral(*ParseEdmDateTime("2024-05-06T07:08:09.1234567Z")),
            "datetime'2024-05-06T07:08:09.1234567Z'");
  EXPECT_EQ(*FilterLiteral(*Guid::Parse("C9DA6455-213D-42C9-9A79-3E9149A57833")),
            "guid'c9da6455-213d-42c9-9a79-3e9149a57833'");
  EXPECT_EQ(*FilterLiteral(Binary{std::string("\x00\xff\x10", 3)}), "X'00ff10'");
}

TEST(FilterLiteralTest, DoublesReadBackExactlyWithoutExponent) {
  for (const double v : {0.1, 1.0 / 3.0, 123456789.125, 5e-324, 1.7976931348623157e308}) {
    const std::string text = *FilterLiteral(v);
    EXPECT_EQ(text.find_first_of("eE"), std::string::npos) << text;
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

TEST(FilterLiteralTest, RefusesValuesNoComparisonCanUse) {
  EXPECT_TRUE(FilterLiteral(std::nan("")).status().IsInvalidArgument());
  EXPECT_TRUE(FilterLiteral(HUGE_VAL).status().IsInvalidArgument());
  EXPECT_TRUE(FilterLiteral("\xff").status().IsInvalidArgument());
  EXPECT_TRUE(
      FilterLiteral(*ParseEdmDateTime("1500-01-01T00:00:00Z")).status().IsInvalidArgument());
}

TEST(FilterTest, ComparisonsUseEachOperator) {
  EXPECT_EQ(Eq("PartitionKey", "p").expression(), "PartitionKey eq 'p'");
  EXPECT_EQ(Ne("N", 1).expression(), "N ne 1");
  EXPECT_EQ(Gt("N", int64_t{1}).expression(), "N gt 1L");
  EXPECT_EQ(Ge("N", 1.5).expression(), "N ge 1.5");
  EXPECT_EQ(Lt("RowKey", "r").expression(), "RowKey lt 'r'");
  EXPECT_EQ(Le("Ok", true).expression(), "Ok le true");
}

TEST(FilterTest, CombinatorsParenthesizeEveryOperand) {
  const Filter filter = Or(And(Eq("A", 1), Eq("B", "x")), Not(Eq("C", false)));
  EXPECT_EQ(filter.expression(), "((A eq 1) and (B eq 'x')) or (not (C eq false))");
  EXPECT_TRUE(filter.ok());
}

TEST(FilterTest, EmptyFilterIsTheIdentity) {
  EXPECT_TRUE(Filter().empty());
  EXPECT_EQ(And(Filter(), Eq("A", 1)).expression(), "A eq 1");
  EXPECT_EQ(Or(Eq("A", 1), Filter()).expression(), "A eq 1");
  EXPECT_TRUE(And(Filter(), Filter()).empty());
  EXPECT_TRUE(Not(Filter()).status().IsInvalidArgument());
}

TEST(FilterTest, InvalidPartsPoisonTheWholeFilter) {
  for (const char* name : {"", "a b", "x eq 1 or y", "1abc", "a'b", "Name)"}) {
    const Filter bad = Eq(name, 1);
    EXPECT_FALSE(bad.ok()) << name;
    EXPECT_TRUE(bad.expression().empty()) << name;
    const Filter combined = Or(Eq("A", 1), And(Eq("B", 2), bad));
    EXPECT_TRUE(combined.status().IsInvalidArgument()) << name;
    EXPECT_TRUE(Not(bad).status().IsInvalidArgument()) << name;
  }
  EXPECT_FALSE(Eq("D", std::nan("")).ok());
}

TEST(FilterTest, HostileStringValuesStayOneLiteral) {
  const std::vector<std::string> hostile = {
      "' or 1 eq 1",
      "x' or 1 eq 1 or 'a' eq 'a",
      "x') or (1 eq 1",
      "'",
      "''",
      "'''",
      "\\' or true or \\'",
      "a' and RowKey ne '",
      "') or not (PartitionKey eq '",
  };
  for (const std::string& value : hostile) {
    EXPECT_EQ(Tokenize(Eq("Name", value).expression()),
              (std::vector<Token>{W("Name"), W("eq"), S(value)}))
        << value;
    EXPECT_EQ(Tokenize(And(Eq("Name", value), Eq("N", 1)).expression()),
              (std::vector<Token>{kOpen, W("Name"), W("eq"), S(value), kClose, W("and"), kOpen,
                                  W("N"), W("eq"), W("1"), kClose}))
        << value;
  }
}

TEST(FilterTest, TypedLiteralsAreSingleTokens) {
  EXPECT_EQ(Tokenize(Eq("B", Binary{"'x"}).expression()),
            (std::vector<Token>{W("B"), W("eq"), W("X'2778'")}));
  EXPECT_EQ(Tokenize(Eq("G", *Guid::Parse("00000000-0000-0000-0000-000000000000")).expression()),
            (std::vector<Token>{W("G"), W("eq"), W("guid'00000000-0000-0000-0000-000000000000'")}));
}

}  // namespace
}  // namespace fanfold::tablestore
