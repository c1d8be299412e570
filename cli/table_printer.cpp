#include "cli/table_printer.hpp"

#include <algorithm>

namespace fanfold::cli {

std::string TablePrinter::Render() const {
  std::vector<size_t> widths(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i)
    widths[i] = headers_[i].size();
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string out;
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      if (right_.count(i) != 0 && cell.size() < widths[i]) {
        cell.insert(0, widths[i] - cell.size(), ' ');
      } else if (i + 1 < widths.size()) {
        cell.resize(widths[i], ' ');
      }
      text += (i == 0 ? "" : "  ") + cell;
    }
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    out += text + "\n";
  };
  line(headers_);
  for (const auto& row : rows_)
    line(row);
  return out;
}

}  // namespace fanfold::cli
