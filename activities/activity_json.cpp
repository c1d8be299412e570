#include "activities/activity_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "storage/utf8_text.hpp"

namespace fanfold::activities {

JsonObjectReader::JsonObjectReader(const nlohmann::json& json, std::string what)
    : json_(json), what_(std::move(what)) {
  if (!json_.is_object()) status_ = storage::Status::Corruption(what_ + " JSON is not an object");
}

const nlohmann::json* JsonObjectReader::Find(const char* name, bool required) {
  known_.insert(name);
  if (!status_.ok()) return nullptr;
  const auto it = json_.find(name);
  if (it == json_.end()) {
    if (required) Fail(name, "is missing");
    return nullptr;
  }
  return &*it;
}

bool JsonObjectReader::Fail(const char* name, std::string_view problem) {
  if (status_.ok()) {
    status_ = storage::Status::Corruption(what_ + " JSON: field \"" + name + "\" " +
                                          std::string(problem));
  }
  return false;
}

bool JsonObjectReader::String(const char* name, std::string* out, bool required) {
  const nlohmann::json* value = Find(name, required);
  if (value == nullptr) return status_.ok();
  if (!value->is_string()) return Fail(name, "is not a string");
  *out = value->get<std::string>();
  return true;
}

bool JsonObjectReader::Unsigned(const char* name, std::uint64_t* out, bool required,
                                std::uint64_t max) {
  const nlohmann::json* value = Find(name, required);
  if (value == nullptr) return status_.ok();
  // A parsed document holds non-negative integers as unsigned, one built in memory from int64
  // fields as signed: both are accepted.
  const bool non_negative = value->is_number_unsigned() ||
                            (value->is_number_integer() && value->get<std::int64_t>() >= 0);
  if (!non_negative) return Fail(name, "is not a non-negative integer");
  const auto number = value->get<std::uint64_t>();
  if (number > max) return Fail(name, "exceeds " + std::to_string(max));
  *out = number;
  return true;
}

bool JsonObjectReader::Bool(const char* name, bool* out, bool required) {
  const nlohmann::json* value = Find(name, required);
  if (value == nullptr) return status_.ok();
  if (!value->is_boolean()) return Fail(name, "is not a boolean");
  *out = value->get<bool>();
  return true;
}

bool JsonObjectReader::NonNegativeNumber(const char* name, double* out, bool required) {
  const nlohmann::json* value = Find(name, required);
  if (value == nullptr) return status_.ok();
  if (!value->is_number()) return Fail(name, "is not a number");
  const auto number = value->get<double>();
  if (!std::isfinite(number) || number < 0) return Fail(name, "is not a finite number >= 0");
  *out = number;
  return true;
}

bool JsonObjectReader::Format(const char* name, InputFormat* out, bool required) {
  const nlohmann::json* value = Find(name, required);
  if (value == nullptr) return status_.ok();
  if (!value->is_string()) return Fail(name, "is not a string");
  auto format = ParseInputFormat(value->get_ref<const std::string&>());
  if (!format.ok()) return Fail(name, "is not one of auto, tpch, csv");
  *out = *format;
  return true;
}

const nlohmann::json* JsonObjectReader::Value(const char* name, bool required) {
  return Find(name, required);
}

storage::Status JsonObjectReader::Finish() const {
  if (!status_.ok()) return status_;
  for (const auto& [name, value] : json_.items()) {
    if (known_.find(name) == known_.end()) {
      // Names come from the message, which may be arbitrary: echo only a short prefix.
      constexpr std::size_t kEchoLimit = 40;
      return storage::Status::Corruption(what_ + " JSON: unknown field \"" +
                                         storage::TruncateUtf8(name, kEchoLimit) + "\"");
    }
  }
  return storage::Status::Ok();
}

storage::Result<nlohmann::json> ParseActivityJson(std::string_view text, std::string_view what) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return storage::Status::Corruption(std::string(what) + " is not valid JSON");
  }
  return json;
}

nlohmann::json AggregateOptionsToJsonValue(const AggregateOptions& options) {
  return nlohmann::json{{"nation_min", options.nation_keys.min},
                        {"nation_max", options.nation_keys.max},
                        {"max_line_bytes", options.max_line_bytes},
                        {"reject_samples", options.reject_samples}};
}

storage::Result<AggregateOptions> AggregateOptionsFromJsonValue(const nlohmann::json& json) {
  AggregateOptions options;
  std::uint64_t nation_min = static_cast<std::uint64_t>(options.nation_keys.min);
  std::uint64_t nation_max = static_cast<std::uint64_t>(options.nation_keys.max);
  std::uint64_t max_line_bytes = options.max_line_bytes;
  std::uint64_t reject_samples = options.reject_samples;
  constexpr auto kInt32Max = static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
  JsonObjectReader reader(json, "aggregate options");
  reader.Unsigned("nation_min", &nation_min, false, kInt32Max);
  reader.Unsigned("nation_max", &nation_max, false, kInt32Max);
  reader.Unsigned("max_line_bytes", &max_line_bytes, false, kMaxMaxLineBytes);
  reader.Unsigned("reject_samples", &reject_samples, false);
  FANFOLD_RETURN_IF_ERROR(reader.Finish());
  options.nation_keys.min = static_cast<std::int32_t>(nation_min);
  options.nation_keys.max = static_cast<std::int32_t>(nation_max);
  options.max_line_bytes = static_cast<std::size_t>(max_line_bytes);
  options.reject_samples = static_cast<std::size_t>(reject_samples);
  return options;
}

}  // namespace fanfold::activities
