#include "customer_line_check.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "datagen/text_grammar.hpp"

namespace fanfold::datagen::testing_util {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t ToNumber(std::string_view digits) {
  std::int64_t value = 0;
  for (const char c : digits)
    value = value * 10 + (c - '0');
  return value;
}

bool InRange(std::string_view digits, std::int64_t low, std::int64_t high, std::size_t width) {
  if (digits.size() != width || !AllDigits(digits)) return false;
  const std::int64_t value = ToNumber(digits);
  return value >= low && value <= high;
}

bool IsAddressChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ',' ||
         c == ' ';
}

bool IsCommentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == ',' || c == '.' ||
         c == ';' || c == ':' || c == '?' || c == '!' || c == '-';
}

}  // namespace

std::string CheckCustomerLine(std::string_view line, CustomerFields* fields) {
  std::array<std::string_view, 9> columns;
  std::size_t count = 0;
  for (std::string_view rest = line;;) {
    const std::size_t bar = rest.find('|');
    if (count == columns.size()) return "more than 8 fields";
    columns[count++] = rest.substr(0, bar);
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  if (count != 9 || !columns[8].empty()) return "not 8 '|'-terminated fields";

  if (!AllDigits(columns[0]) || columns[0][0] == '0') return "c_custkey not a positive integer";
  fields->key = ToNumber(columns[0]);

  fields->name = columns[1];
  std::string expected_name = std::to_string(fields->key);
  if (expected_name.size() < 9) expected_name.insert(0, 9 - expected_name.size(), '0');
  if (columns[1] != "Customer#" + expected_name) return "c_name is not Customer#<9-digit key>";

  fields->address = columns[2];
  if (columns[2].size() < 10 || columns[2].size() > 40) return "c_address length not 10..40";
  if (!std::all_of(columns[2].begin(), columns[2].end(), IsAddressChar)) {
    return "c_address has a character outside [0-9a-zA-Z, ]";
  }

  if (!AllDigits(columns[3]) || columns[3].size() > 2 || ToNumber(columns[3]) > 24 ||
      (columns[3].size() == 2 && columns[3][0] == '0')) {
    return "c_nationkey not an integer 0..24";
  }
  fields->nation = static_cast<int>(ToNumber(columns[3]));

  fields->phone = columns[4];
  const std::string_view phone = columns[4];
  if (phone.size() != 15 || phone[2] != '-' || phone[6] != '-' || phone[10] != '-') {
    return "c_phone not CC-LLL-LLL-LLLL";
  }
  if (ToNumber(phone.substr(0, 2)) != fields->nation + 10 || !AllDigits(phone.substr(0, 2))) {
    return "c_phone country code is not c_nationkey + 10";
  }
  if (!InRange(phone.substr(3, 3), 100, 999, 3) || !InRange(phone.substr(7, 3), 100, 999, 3) ||
      !InRange(phone.substr(11, 4), 1000, 9999, 4)) {
    return "c_phone local number out of [100,999]-[100,999]-[1000,9999]";
  }

  std::string_view balance = columns[5];
  const bool negative = !balance.empty() && balance[0] == '-';
  if (negative) balance.remove_prefix(1);
  const std::size_t dot = balance.find('.');
  if (dot == std::string_view::npos || dot == 0 || balance.size() - dot != 3 ||
      !AllDigits(balance.substr(0, dot)) || !AllDigits(balance.substr(dot + 1)) ||
      (dot > 1 && balance[0] == '0')) {
    return "c_acctbal not [-]D.DD with exactly two decimals";
  }
  fields->cents = ToNumber(balance.substr(0, dot)) * 100 + ToNumber(balance.substr(dot + 1));
  if (negative) {
    if (fields->cents == 0) return "c_acctbal is -0.00";
    fields->cents = -fields->cents;
  }
  if (fields->cents < -99'999 || fields->cents > 999'999) return "c_acctbal out of range";

  fields->segment = columns[6];
  static constexpr std::array<std::string_view, 5> kSegments = {
      "AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"};
  if (std::find(kSegments.begin(), kSegments.end(), columns[6]) == kSegments.end()) {
    return "c_mktsegment not one of the five segments";
  }

  fields->comment = columns[7];
  if (columns[7].size() < 29 || columns[7].size() > 116) return "c_comment length not 29..116";
  if (!std::all_of(columns[7].begin(), columns[7].end(), IsCommentChar)) {
    return "c_comment has a character outside the grammar's";
  }
  const std::string unknown = FirstUnknownCommentWord(columns[7]);
  if (!unknown.empty()) return "c_comment has a word outside the grammar: '" + unknown + "'";
  return "";
}

std::string FirstUnknownCommentWord(std::string_view comment) {
  const auto& vocabulary = GrammarVocabulary();
  std::vector<std::string_view> tokens;
  for (std::string_view rest = comment;;) {
    const std::size_t space = rest.find(' ');
    tokens.push_back(rest.substr(0, space));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
    std::string_view word = tokens[i];
    if (word.size() > 2 && word.substr(word.size() - 2) == "--") {
      word.remove_suffix(2);
    } else if (!word.empty() &&
               std::string_view(",.;:?!").find(word.back()) != std::string_view::npos) {
      word.remove_suffix(1);
    }
    if (!std::binary_search(vocabulary.begin(), vocabulary.end(), word)) {
      return std::string(tokens[i]);
    }
  }
  return "";
}

}  // namespace fanfold::datagen::testing_util
