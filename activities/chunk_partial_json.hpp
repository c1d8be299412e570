// JSON form of a ChunkPartial, for queue messages (chained pipeline) and Jobs table entities
// (orchestrated pipeline). Compact: only nations with rows and reasons with rejects appear, so a
// TPC-H chunk's partial is about 1 KB, far below the 64 KiB queue message and table property
// limits. Format, version 1:
//   {"v":1, "format":"tpch", "header":false, "rows":2990, "empty":0, "bytes":524301,
//    "nations":[[0, 512345, 118], [1, -1200, 3], ...],        // [key, sum of cents, rows]
//    "rejects":{"field_count":{"n":12, "at":[1040, 2210]}}}   // count, first offsets ascending
// A sum is a JSON integer when it fits int64 and a decimal string otherwise (JSON readers often
// hold numbers as doubles, which would lose cents past 2^53; int64 ones are still exact in C++).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "activities/chunk_partial.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

nlohmann::json ChunkPartialToJsonValue(const ChunkPartial& partial);
std::string ChunkPartialToJson(const ChunkPartial& partial);

// Corruption for anything that is not a partial this module could have written: wrong types,
// unknown reasons, unsorted keys or offsets, per-nation rows that do not add up to "rows", or a
// sum larger than its row count allows.
storage::Result<ChunkPartial> ChunkPartialFromJsonValue(const nlohmann::json& json);
storage::Result<ChunkPartial> ChunkPartialFromJson(std::string_view text);

// The pieces shared with the job result's JSON: a sum (integer or decimal string, as above) and
// the "rejects" object (only reasons with a count).
nlohmann::json CentsSumToJsonValue(CentsSum sum);
nlohmann::json RejectsToJsonValue(const std::array<RejectTally, kRejectReasonCount>& rejects);

}  // namespace fanfold::activities
