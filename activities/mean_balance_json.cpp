#include "activities/mean_balance_json.hpp"

#include <nlohmann/json.hpp>

#include "activities/activity_json.hpp"
#include "activities/chunk_partial_json.hpp"

namespace fanfold::activities {
namespace {

storage::Status BadResultJson(const std::string& what) {
  return storage::Status::Corruption("mean balance result JSON: " + what);
}

}  // namespace

storage::Result<MeanBalanceResult> MeanBalanceResultFromJsonValue(const nlohmann::json& json) {
  // The result holds the merged partial's totals; rebuilding that partial's JSON lets its reader
  // (ascending keys, rows adding up, sums within what the rows allow, reject tallies) check them.
  InputFormat format = InputFormat::kAuto;
  bool header = false;
  std::uint64_t rows = 0;
  std::uint64_t rejected = 0;
  std::uint64_t empty = 0;
  JsonObjectReader reader(json, "mean balance result");
  reader.Format("format", &format);
  reader.Bool("header", &header);
  reader.Unsigned("rows", &rows);
  reader.Unsigned("rejected", &rejected);
  reader.Unsigned("empty", &empty);
  const nlohmann::json* nations = reader.Value("nations");
  const nlohmann::json* rejects = reader.Value("rejects");
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  if (!nations->is_array()) return BadResultJson("\"nations\" is not an array");

  nlohmann::json partial_nations = nlohmann::json::array();
  std::vector<std::string> stated_means;
  for (const nlohmann::json& nation : *nations) {
    std::uint64_t key = 0;
    std::uint64_t nation_rows = 0;
    std::string mean;
    JsonObjectReader fields(nation, "mean balance result nation");
    fields.Unsigned("nation", &key);
    fields.Unsigned("rows", &nation_rows);
    const nlohmann::json* sum = fields.Value("sum_cents");
    fields.String("mean", &mean);
    FANFOLD_RETURN_IF_ERROR(fields.Finish());
    partial_nations.push_back(nlohmann::json::array({key, *sum, nation_rows}));
    stated_means.push_back(std::move(mean));
  }
  const nlohmann::json partial_json = {{"v", 1},
                                       {"format", InputFormatName(format)},
                                       {"header", header},
                                       {"rows", rows},
                                       {"empty", empty},
                                       {"bytes", std::uint64_t{0}},
                                       {"nations", std::move(partial_nations)},
                                       {"rejects", *rejects}};
  // Through text, as for AggregateOutputFromJsonValue: the partial's reader wants non-negative
  // integers unsigned, as parsing makes them.
  auto partial = ChunkPartialFromJson(partial_json.dump());
  if (!partial.ok()) return BadResultJson(partial.status().message());

  MeanBalanceResult result = ComputeMeanBalances(*partial);
  if (static_cast<std::uint64_t>(result.rejected_rows) != rejected) {
    return BadResultJson("\"rejected\" is not the sum of the reject tallies");
  }
  for (std::size_t i = 0; i < result.nations.size(); ++i) {
    if (result.nations[i].mean() != stated_means[i]) {
      return BadResultJson("the mean of nation " + std::to_string(result.nations[i].nation_key) +
                           " is not its sum divided by its rows");
    }
  }
  return result;
}

storage::Result<MeanBalanceResult> MeanBalanceResultFromJson(std::string_view text) {
  auto json = ParseActivityJson(text, "mean balance result");
  if (!json.ok()) return json.status();
  return MeanBalanceResultFromJsonValue(*json);
}

}  // namespace fanfold::activities
