// JSON written as text, field by field, for output whose numbers must keep their exact digits
// (means with two decimals, sums beyond 64 bits), which a JSON library's doubles would change.
// Values are added as JSON text already; JsonString quotes and escapes a string.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fanfold::cli {

// "\"text\"", escaped; bytes that are not UTF-8 become U+FFFD.
std::string JsonString(std::string_view text);

class JsonObjectText {
 public:
  // `json` is the value's JSON text.
  void Add(std::string key, std::string json) {
    fields_.emplace_back(std::move(key), std::move(json));
  }
  // One field per line; `indent` is the column the object starts at.
  std::string Render(int indent = 0) const;
  // {"a": 1, "b": 2} on one line.
  std::string RenderInline() const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// "[\n  item,\n  item\n]" with items two columns right of `indent`; "[]" when empty.
std::string JsonArrayLines(const std::vector<std::string>& items, int indent);

}  // namespace fanfold::cli
