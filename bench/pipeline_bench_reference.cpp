#include "bench/pipeline_bench_reference.hpp"

#include <fstream>
#include <sstream>

namespace fanfold::bench {
namespace {

using storage::Result;
using storage::Status;

bool ParseInt(std::string_view text, std::int64_t* out) {
  if (text.empty()) return false;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

// "-1234.56" -> -123456; exactly two decimals, as dbgen writes them.
bool ParseCents(std::string_view text, std::int64_t* out) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || text.size() - dot != 3) return false;
  std::int64_t units = 0;
  std::int64_t cents = 0;
  if (!ParseInt(text.substr(0, dot), &units) || !ParseInt(text.substr(dot + 1), &cents)) {
    return false;
  }
  *out = (negative ? -1 : 1) * (units * 100 + cents);
  return true;
}

}  // namespace

Result<Reference> ComputeReference(std::string_view text) {
  Reference reference;
  reference.bytes = text.size();
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_start, line_end - line_start);
    const std::size_t offset = line_start;
    line_start = line_end + 1;
    if (line.empty()) continue;
    std::string_view fields[9];
    std::size_t count = 0;
    std::size_t at = 0;
    while (count < 9) {
      const std::size_t bar = line.find('|', at);
      if (bar == std::string_view::npos) break;
      fields[count++] = line.substr(at, bar - at);
      at = bar + 1;
    }
    std::int64_t nation = 0;
    std::int64_t cents = 0;
    if (count != 8 || at != line.size() || !ParseInt(fields[3], &nation) ||
        !ParseCents(fields[5], &cents)) {
      return Status::InvalidArgument("the reference reader cannot read the line at byte " +
                                     std::to_string(offset));
    }
    ReferenceNation& totals = reference.nations[static_cast<std::int32_t>(nation)];
    ++totals.rows;
    totals.sum_cents += cents;
    ++reference.rows;
  }
  return reference;
}

Result<Reference> ComputeReferenceOfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  const std::string text = std::move(contents).str();
  auto reference = ComputeReference(text);
  if (!reference.ok()) return Status::InvalidArgument(path + ": " + reference.status().message());
  return reference;
}

bool MatchesReference(const Reference& reference, const activities::MeanBalanceResult& result) {
  if (result.rows != reference.rows || result.rejected_rows != 0 ||
      result.nations.size() != reference.nations.size()) {
    return false;
  }
  for (const auto& nation : result.nations) {
    const auto it = reference.nations.find(nation.nation_key);
    if (it == reference.nations.end() || it->second.rows != nation.rows ||
        static_cast<activities::CentsSum>(it->second.sum_cents) != nation.sum_cents) {
      return false;
    }
  }
  return true;
}

}  // namespace fanfold::bench
