// "a,b,,c" -> {"a", "b", "c"}: the list options of the benchmark programs (--cases, --suites).
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace fanfold::bench {

inline std::vector<std::string> SplitCommaList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ','))
    if (!item.empty()) items.push_back(item);
  return items;
}

}  // namespace fanfold::bench
