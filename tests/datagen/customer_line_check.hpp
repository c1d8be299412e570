// An independent checker of one CUSTOMER line against the TPC-H rules, written from the
// specification rather than from the generator, so the same rules can be applied to generated
// rows and to the real dbgen file: a rule the generator breaks, or one that dbgen's output
// contradicts, fails a test.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fanfold::datagen::testing_util {

struct CustomerFields {
  std::int64_t key = 0;
  std::string_view name;
  std::string_view address;
  int nation = -1;
  std::string_view phone;
  std::int64_t cents = 0;
  std::string_view segment;
  std::string_view comment;
};

// Checks `line` (without its '\n') and fills *fields. Returns "" when every column is in its
// domain and format, else a description of the first violation.
std::string CheckCustomerLine(std::string_view line, CustomerFields* fields);

// Whole tokens of a comment (all but the first and last, which may be cut mid-word) with their
// trailing ',' or terminator removed, must be grammar words; returns the first that is not.
std::string FirstUnknownCommentWord(std::string_view comment);

}  // namespace fanfold::datagen::testing_util
