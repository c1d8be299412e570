#include "tests/integration/state_diff.hpp"

#include <sstream>
#include <variant>

namespace fanfold::integration {
namespace {

std::string Render(const tablestore::PropertyValue& value) {
  std::ostringstream out;
  out << tablestore::EdmTypeName(value.type()) << " ";
  std::visit(
      [&out](const auto& held) {
        using T = std::decay_t<decltype(held)>;
        if constexpr (std::is_same_v<T, tablestore::EdmDateTime>) {
          out << tablestore::FormatEdmDateTime(held);
        } else if constexpr (std::is_same_v<T, tablestore::Binary>) {
          out << held.bytes.size() << " bytes";
        } else if constexpr (std::is_same_v<T, tablestore::Guid>) {
          out << held.str();
        } else {
          out << held;
        }
      },
      value.variant());
  return out.str();
}

std::string Key(const TableState::key_type& key) {
  return key.first + "/" + key.second;
}

}  // namespace

std::string FirstDifference(const std::vector<std::string>& expected,
                            const std::vector<std::string>& actual) {
  const size_t common = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < common; ++i) {
    if (expected[i] != actual[i]) {
      return "line " + std::to_string(i) + ": expected \"" + expected[i] + "\", got \"" +
             actual[i] + "\"";
    }
  }
  if (expected.size() != actual.size()) {
    return "expected " + std::to_string(expected.size()) + " lines, got " +
           std::to_string(actual.size());
  }
  return "";
}

std::string DescribeDifference(const TableState& expected, const TableState& actual) {
  for (const auto& [key, properties] : expected) {
    const auto found = actual.find(key);
    if (found == actual.end()) return "entity " + Key(key) + " is missing";
    for (const auto& [name, value] : properties) {
      const auto property = found->second.find(name);
      if (property == found->second.end()) {
        return "entity " + Key(key) + " lacks property " + name;
      }
      if (!(property->second == value)) {
        return "entity " + Key(key) + " property " + name + ": expected " + Render(value) +
               ", got " + Render(property->second);
      }
    }
    for (const auto& [name, value] : found->second) {
      if (properties.find(name) == properties.end()) {
        return "entity " + Key(key) + " has an unexpected property " + name + " = " + Render(value);
      }
    }
  }
  for (const auto& [key, properties] : actual) {
    if (expected.find(key) == expected.end()) return "unexpected entity " + Key(key);
  }
  return "";
}

}  // namespace fanfold::integration
