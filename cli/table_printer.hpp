// Aligned plain-text tables for people; scripts use --json instead.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace fanfold::cli {

class TablePrinter {
 public:
  explicit TablePrinter(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // Right-aligns a column (numbers), header included; columns are left-aligned by default.
  void AlignRight(size_t column) { right_.insert(column); }
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::set<size_t> right_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace fanfold::cli
