// Builds OData $filter expressions from typed comparisons. Values enter only as literals escaped
// for their type and property names must be identifiers, so no value can change an expression's
// structure: Eq("Name", "x' or 1 eq 1") compares Name with that whole text. (The Url
// percent-encodes the result when the request is rendered.)
#pragma once

#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "storage/status.hpp"
#include "tablestore/property_value.hpp"

namespace fanfold::tablestore {

// An expression, the empty filter, or an invalid one: a filter built from an invalid part (bad
// property name, NaN, invalid UTF-8) carries that error, and a query given it fails with it
// before sending anything.
class Filter {
 public:
  // The empty filter: matches everything, and is the identity of And and Or.
  Filter() = default;
  // Trusted expression text used verbatim. Never build one from untrusted values; use the typed
  // comparisons instead.
  static Filter Raw(std::string expression);
  static Filter Invalid(storage::Status status);

  bool empty() const { return status_.ok() && expression_.empty(); }
  bool ok() const { return status_.ok(); }
  const storage::Status& status() const { return status_; }
  // The expression text; "" for the empty filter and for an invalid one.
  const std::string& expression() const { return expression_; }

 private:
  std::string expression_;
  storage::Status status_;
};

enum class Comparison { kEq, kNe, kGt, kGe, kLt, kLe };

// "<property> <op> <literal>". property must be an identifier (PartitionKey, RowKey, Timestamp
// or a custom property name).
Filter Compare(std::string_view property, Comparison comparison, const PropertyValue& value);
inline Filter Eq(std::string_view property, const PropertyValue& value) {
  return Compare(property, Comparison::kEq, value);
}
inline Filter Ne(std::string_view property, const PropertyValue& value) {
  return Compare(property, Comparison::kNe, value);
}
inline Filter Gt(std::string_view property, const PropertyValue& value) {
  return Compare(property, Comparison::kGt, value);
}
inline Filter Ge(std::string_view property, const PropertyValue& value) {
  return Compare(property, Comparison::kGe, value);
}
inline Filter Lt(std::string_view property, const PropertyValue& value) {
  return Compare(property, Comparison::kLt, value);
}
inline Filter Le(std::string_view property, const PropertyValue& value) {
  return Compare(property, Comparison::kLe, value);
}

// Combinators parenthesize each operand, so precedence is what the nesting of calls says.
// "(a) and (b)"; an empty operand is left out, an invalid one makes the result invalid.
Filter And(const Filter& a, const Filter& b);
// "(a) or (b)"; as And.
Filter Or(const Filter& a, const Filter& b);
// "not (a)"; negating the empty filter is invalid (it would match nothing, surely a mistake).
Filter Not(const Filter& a);

// The literal for a value in a filter: 'text' with ' doubled, 42, 42L, 2.5 (never an exponent;
// whole values get ".0"), true/false, datetime'...Z', guid'...', X'hex'. Fails for NaN and
// infinities (no comparison can use them), invalid UTF-8 and unstorable dates.
storage::Result<std::string> FilterLiteral(const PropertyValue& value);

}  // namespace fanfold::tablestore
