#include "cli/json_text.hpp"

#include <nlohmann/json.hpp>

namespace fanfold::cli {

std::string JsonString(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JsonObjectText::Render(int indent) const {
  if (fields_.empty()) return "{}";
  const std::string inner(static_cast<std::size_t>(indent) + 2, ' ');
  std::string out = "{\n";
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    out += inner + JsonString(fields_[i].first) + ": " + fields_[i].second;
    out += i + 1 < fields_.size() ? ",\n" : "\n";
  }
  return out + std::string(static_cast<std::size_t>(indent), ' ') + "}";
}

std::string JsonObjectText::RenderInline() const {
  std::string out = "{";
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    out += (i == 0 ? "" : ", ") + JsonString(fields_[i].first) + ": " + fields_[i].second;
  }
  return out + "}";
}

std::string JsonArrayLines(const std::vector<std::string>& items, int indent) {
  if (items.empty()) return "[]";
  const std::string inner(static_cast<std::size_t>(indent) + 2, ' ');
  std::string out = "[\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += inner + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
  }
  return out + std::string(static_cast<std::size_t>(indent), ' ') + "]";
}

}  // namespace fanfold::cli
