// Reductions of measured numbers into what the report states: percentiles, the best or cheapest
// of a group, and comparative words that come from the numbers (so a sentence cannot say
// "faster" when the data says slower).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fanfold::report {

// The pipelines the report compares, in the order its tables and figures show them.
inline const std::vector<std::string> kPipelines = {"orchestrated", "chained"};

// Nearest-rank percentile (p in (0, 100]) of unsorted values, as the benchmarks compute theirs;
// nullopt for no values.
std::optional<double> Percentile(std::vector<double> values, double p);

// The empirical CDF: sorted values with the fraction of values <= each.
std::vector<std::pair<double, double>> Cdf(std::vector<double> values);

// The index of the smallest key among items, skipping those the filter rejects; nullopt when
// none pass. Ties go to the first, so the pick is deterministic.
template <typename T>
std::optional<size_t> ArgMin(const std::vector<T>& items,
                             const std::function<double(const T&)>& key,
                             const std::function<bool(const T&)>& keep) {
  std::optional<size_t> best;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!keep(items[i])) continue;
    if (!best || key(items[i]) < key(items[*best])) best = i;
  }
  return best;
}

// "a" vs "b" on a metric where lower is better (seconds, dollars): which one wins and by how
// much. Within `tie_fraction` of each other they are "about the same".
struct Comparison {
  std::string winner;  // a's or b's name, or "" for a tie
  std::string loser;
  double ratio = 1;  // loser / winner (>= 1)
  bool tie = false;
};
Comparison CompareLowerIsBetter(const std::string& a_name, double a, const std::string& b_name,
                                double b, double tie_fraction = 0.05);
// A sentence fragment from a comparison: "chained is 1.8x faster than orchestrated" /
// "orchestrated and chained are about the same (within 5%)". better_word/worse_word: "faster",
// "cheaper".
std::string Describe(const Comparison& c, const std::string& better_word);

// Number formatting for the report: significant digits, never scientific for ordinary sizes.
std::string Fmt(double value, int significant = 3);
std::string FmtFixed(double value, int decimals);
std::string FmtUsd(double usd);    // "$0.00123" with 3 significant digits; "$0" for zero
std::string FmtInt(double value);  // 12,345

}  // namespace fanfold::report
