// Reading back the job's answer from its JSON (MeanBalanceResultToJsonValue in mean_balance.hpp),
// as the CLI and the pipelines do from the Jobs table. The reader trusts nothing: it re-derives
// every mean from the exact sum and row count and refuses a document whose stated means, reject
// total or per-nation rows disagree with its own numbers (Corruption).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "activities/mean_balance.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

storage::Result<MeanBalanceResult> MeanBalanceResultFromJsonValue(const nlohmann::json& json);
storage::Result<MeanBalanceResult> MeanBalanceResultFromJson(std::string_view text);

}  // namespace fanfold::activities
