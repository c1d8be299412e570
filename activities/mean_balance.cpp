#include "activities/mean_balance.hpp"

#include <nlohmann/json.hpp>

#include "activities/chunk_partial_json.hpp"

namespace fanfold::activities {

MeanBalanceResult ComputeMeanBalances(const ChunkPartial& merged) {
  MeanBalanceResult result;
  result.format = merged.format;
  result.header_skipped = merged.header_skipped;
  result.rows = merged.rows;
  result.rejected_rows = merged.rejected_rows();
  result.empty_lines = merged.empty_lines;
  result.rejects = merged.rejects;
  result.nations.reserve(merged.nations.size());
  for (const auto& [key, totals] : merged.nations) {
    if (totals.rows <= 0) continue;
    result.nations.push_back(
        {key, totals.rows, totals.sum_cents, MeanCents(totals.sum_cents, totals.rows)});
  }
  return result;
}

nlohmann::json MeanBalanceResultToJsonValue(const MeanBalanceResult& result) {
  nlohmann::json nations = nlohmann::json::array();
  for (const NationMean& nation : result.nations) {
    nations.push_back({{"nation", nation.nation_key},
                       {"rows", nation.rows},
                       {"sum_cents", CentsSumToJsonValue(nation.sum_cents)},
                       {"mean", nation.mean()}});
  }
  return nlohmann::json{{"format", InputFormatName(result.format)},
                        {"header", result.header_skipped},
                        {"rows", result.rows},
                        {"rejected", result.rejected_rows},
                        {"empty", result.empty_lines},
                        {"nations", std::move(nations)},
                        {"rejects", RejectsToJsonValue(result.rejects)}};
}

std::string MeanBalanceResultToJson(const MeanBalanceResult& result) {
  return MeanBalanceResultToJsonValue(result).dump();
}

}  // namespace fanfold::activities
