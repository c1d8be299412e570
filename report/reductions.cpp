#include "report/reductions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fanfold::report {

std::optional<double> Percentile(std::vector<double> values, double p) {
  if (values.empty() || !(p > 0) || p > 100) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const size_t index = static_cast<size_t>(std::max(1.0, rank)) - 1;
  return values[std::min(index, values.size() - 1)];
}

std::vector<std::pair<double, double>> Cdf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::vector<std::pair<double, double>> out;
  out.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    out.emplace_back(values[i], static_cast<double>(i + 1) / static_cast<double>(values.size()));
  }
  return out;
}

Comparison CompareLowerIsBetter(const std::string& a_name, double a, const std::string& b_name,
                                double b, double tie_fraction) {
  Comparison c;
  const bool a_wins = a <= b;
  const double win = a_wins ? a : b;
  const double lose = a_wins ? b : a;
  c.winner = a_wins ? a_name : b_name;
  c.loser = a_wins ? b_name : a_name;
  c.ratio = win > 0 ? lose / win : (lose > 0 ? INFINITY : 1);
  c.tie = c.ratio <= 1 + tie_fraction;
  return c;
}

std::string Describe(const Comparison& c, const std::string& better_word) {
  if (c.tie) {
    return c.winner + " and " + c.loser + " are about the same (within " +
           Fmt((c.ratio - 1) * 100, 2) + "%)";
  }
  if (std::isinf(c.ratio)) return c.winner + " costs nothing here and " + c.loser + " does";
  return c.winner + " is " + Fmt(c.ratio, 3) + "x " + better_word + " than " + c.loser;
}

std::string Fmt(double value, int significant) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "unbounded" : "-unbounded";
  if (value == 0) return "0";
  const double magnitude = std::floor(std::log10(std::fabs(value)));
  const int decimals = std::max(0, significant - 1 - static_cast<int>(magnitude));
  if (magnitude >= significant) return FmtInt(value);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string FmtFixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string FmtUsd(double usd) {
  if (usd == 0) return "$0";
  return (usd < 0 ? "-$" : "$") + Fmt(std::fabs(usd), 3);
}

std::string FmtInt(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.0f", std::fabs(value));
  std::string digits = buffer;
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 && digits != "0" ? "-" + out : out;
}

}  // namespace fanfold::report
