#include "activities/result_table.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace fanfold::activities {
namespace {

constexpr std::size_t kColumns = 3;
using Row = std::array<std::string, kColumns>;

void AppendRow(const Row& row, const std::array<std::size_t, kColumns>& widths, std::string& out) {
  for (std::size_t column = 0; column < kColumns; ++column) {
    if (column > 0) out += "  ";
    out.append(widths[column] - row[column].size(), ' ');
    out += row[column];
  }
  out += '\n';
}

}  // namespace

std::string FormatMeanBalanceTable(const MeanBalanceResult& result) {
  std::vector<Row> rows;
  rows.reserve(result.nations.size() + 1);
  rows.push_back({"nation", "rows", "mean"});
  for (const NationMean& nation : result.nations) {
    rows.push_back({std::to_string(nation.nation_key), std::to_string(nation.rows), nation.mean()});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const Row& row : rows) {
    for (std::size_t column = 0; column < kColumns; ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  std::string out;
  for (const Row& row : rows)
    AppendRow(row, widths, out);
  return out;
}

}  // namespace fanfold::activities
