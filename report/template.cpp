#include "report/template.hpp"

#include <set>

namespace fanfold::report {

storage::Result<std::string> RenderTemplate(const std::string& text, const Values& values) {
  std::string out;
  out.reserve(text.size() * 2);
  std::set<std::string> missing;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    if (open == std::string::npos) {
      out.append(text, pos, std::string::npos);
      break;
    }
    const size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) {
      return storage::Status::InvalidArgument("template: \"{{\" without \"}}\" at offset " +
                                              std::to_string(open));
    }
    out.append(text, pos, open - pos);
    std::string key = text.substr(open + 2, close - open - 2);
    while (!key.empty() && key.front() == ' ')
      key.erase(key.begin());
    while (!key.empty() && key.back() == ' ')
      key.pop_back();
    auto it = values.find(key);
    if (it == values.end()) {
      missing.insert(key);
    } else {
      out += it->second;
    }
    pos = close + 2;
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& key : missing)
      list += (list.empty() ? "" : ", ") + key;
    return storage::Status::InvalidArgument("template placeholders without a value: " + list);
  }
  return out;
}

}  // namespace fanfold::report
