// Reading the activities' JSON inputs and outputs (queue messages, Jobs table properties, CLI
// arguments). The reader is strict: every error is a Corruption naming the message and the field,
// and a field no reader call asked for is refused, so a misspelt option in a hand-written input
// fails loudly instead of silently falling back to its default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <string_view>

#include "activities/chunk_aggregator.hpp"
#include "activities/input_format.hpp"
#include "storage/result.hpp"

namespace fanfold::activities {

// Reads the fields of one JSON object. Each accessor returns false when the field is present with
// the wrong type or range, or is missing while required; an optional field that is absent leaves
// *out unchanged and returns true. Only the first problem is kept.
class JsonObjectReader {
 public:
  // `what` names the message in errors, e.g. "partition input". `json` must outlive the reader.
  JsonObjectReader(const nlohmann::json& json, std::string what);

  bool String(const char* name, std::string* out, bool required = true);
  bool Unsigned(const char* name, std::uint64_t* out, bool required = true,
                std::uint64_t max = std::numeric_limits<std::uint64_t>::max());
  bool Bool(const char* name, bool* out, bool required = true);
  // A finite JSON number (integer or not), >= 0.
  bool NonNegativeNumber(const char* name, double* out, bool required = true);
  bool Format(const char* name, InputFormat* out, bool required = true);
  // The raw value, or nullptr when absent (a problem only when required).
  const nlohmann::json* Value(const char* name, bool required = true);

  // OK, or Corruption for the first problem seen, or for a field no accessor asked for.
  storage::Status Finish() const;

 private:
  const nlohmann::json* Find(const char* name, bool required);
  bool Fail(const char* name, std::string_view problem);

  const nlohmann::json& json_;
  std::string what_;
  std::set<std::string, std::less<>> known_;
  storage::Status status_;
};

// Parses `text` as JSON; Corruption naming `what` when it is not valid JSON.
storage::Result<nlohmann::json> ParseActivityJson(std::string_view text, std::string_view what);

// {"nation_min":0,"nation_max":24,"max_line_bytes":65536,"reject_samples":5}. When reading, an
// absent field keeps its default. Only types are checked here; ranges (min <= max, line length,
// sample count) are checked by ChunkAggregator::Create when the aggregate runs.
nlohmann::json AggregateOptionsToJsonValue(const AggregateOptions& options);
storage::Result<AggregateOptions> AggregateOptionsFromJsonValue(const nlohmann::json& json);

}  // namespace fanfold::activities
