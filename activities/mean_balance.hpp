// The `merge` step's final answer: the mean c_acctbal per c_nationkey, computed once from the
// exact merged sums (never by averaging averages) and rounded to the cent, ties away from zero
// (see MeanCents). Written to the Jobs table and shown to users.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "activities/chunk_partial.hpp"

namespace fanfold::activities {

struct NationMean {
  std::int32_t nation_key = 0;
  std::int64_t rows = 0;
  CentsSum sum_cents = 0;
  std::int64_t mean_cents = 0;  // MeanCents(sum_cents, rows)

  std::string mean() const { return FormatCents(mean_cents); }  // "-12.35"
  friend bool operator==(const NationMean&, const NationMean&) = default;
};

struct MeanBalanceResult {
  InputFormat format = InputFormat::kAuto;
  bool header_skipped = false;
  std::int64_t rows = 0;
  std::int64_t rejected_rows = 0;
  std::int64_t empty_lines = 0;
  std::vector<NationMean> nations;  // ascending key; only nations with rows
  std::array<RejectTally, kRejectReasonCount> rejects;

  friend bool operator==(const MeanBalanceResult&, const MeanBalanceResult&) = default;
};

// `merged` is the sum of every chunk's partial (MergePartials).
MeanBalanceResult ComputeMeanBalances(const ChunkPartial& merged);

// {"format":"tpch","header":false,"rows":150000,"rejected":0,"empty":0,
//  "nations":[{"nation":0,"rows":5921,"sum_cents":2653423111,"mean":"4481.37"},...],
//  "rejects":{"field_count":{"n":2,"at":[0,812]}}}
// sum_cents follows the partial's rule: an integer when it fits int64, else a decimal string.
nlohmann::json MeanBalanceResultToJsonValue(const MeanBalanceResult& result);
std::string MeanBalanceResultToJson(const MeanBalanceResult& result);

}  // namespace fanfold::activities
