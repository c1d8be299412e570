#include "activities/chunk_partial_json.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace fanfold::activities {
namespace {

constexpr int kFormatVersion = 1;

storage::Status BadPartialJson(const std::string& what) {
  return storage::Status::Corruption("chunk partial JSON: " + what);
}

std::optional<CentsSum> SumFromJson(const nlohmann::json& json) {
  if (json.is_number_unsigned()) return static_cast<CentsSum>(json.get<std::uint64_t>());
  if (json.is_number_integer()) return static_cast<CentsSum>(json.get<std::int64_t>());
  if (json.is_string()) return ParseCentsSum(json.get_ref<const std::string&>());
  return std::nullopt;
}

// A JSON integer in [0, INT64_MAX].
std::optional<std::int64_t> CountFromJson(const nlohmann::json& json) {
  if (!json.is_number_unsigned()) return std::nullopt;
  const auto value = json.get<std::uint64_t>();
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(value);
}

const nlohmann::json* Member(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

storage::Status ReadNations(const nlohmann::json& json, ChunkPartial& partial) {
  if (!json.is_array()) return BadPartialJson("\"nations\" is not an array");
  std::int64_t rows = 0;
  std::int64_t previous_key = -1;
  for (const nlohmann::json& item : json) {
    if (!item.is_array() || item.size() != 3)
      return BadPartialJson("a nation is not [key, sum, rows]");
    const auto key = CountFromJson(item[0]);
    const auto sum = SumFromJson(item[1]);
    const auto count = CountFromJson(item[2]);
    if (!key || *key > std::numeric_limits<std::int32_t>::max() || *key <= previous_key) {
      return BadPartialJson("nation keys must be ascending non-negative 32-bit integers");
    }
    if (!sum || !count || *count == 0)
      return BadPartialJson("a nation needs an integer sum and rows > 0");
    const CentsSum bound = static_cast<CentsSum>(*count) * std::numeric_limits<std::int64_t>::max();
    if (*sum > bound || *sum < -bound)
      return BadPartialJson("a nation's sum exceeds what its rows can hold");
    if (*count > std::numeric_limits<std::int64_t>::max() - rows)
      return BadPartialJson("row count overflow");
    rows += *count;
    previous_key = *key;
    partial.nations[static_cast<std::int32_t>(*key)] = NationTotals{*sum, *count};
  }
  if (rows != partial.rows) return BadPartialJson("per-nation rows do not add up to \"rows\"");
  return storage::Status::Ok();
}

storage::Status ReadRejects(const nlohmann::json& json, ChunkPartial& partial) {
  if (!json.is_object()) return BadPartialJson("\"rejects\" is not an object");
  for (const auto& [name, value] : json.items()) {
    const auto reason = ParseRejectReason(name);
    if (!reason) return BadPartialJson("unknown reject reason");
    if (!value.is_object()) return BadPartialJson("a reject tally is not an object");
    const nlohmann::json* count = Member(value, "n");
    const nlohmann::json* offsets = Member(value, "at");
    const auto parsed_count = count != nullptr ? CountFromJson(*count) : std::nullopt;
    if (!parsed_count || *parsed_count == 0 || offsets == nullptr || !offsets->is_array() ||
        offsets->size() > static_cast<std::uint64_t>(*parsed_count)) {
      return BadPartialJson("a reject tally needs n > 0 and at most n offsets");
    }
    RejectTally& tally = partial.reject(*reason);
    tally.count = *parsed_count;
    for (const nlohmann::json& offset : *offsets) {
      if (!offset.is_number_unsigned())
        return BadPartialJson("a reject offset is not an unsigned integer");
      const auto value_offset = offset.get<std::uint64_t>();
      if (!tally.first_offsets.empty() && value_offset <= tally.first_offsets.back()) {
        return BadPartialJson("reject offsets must be ascending");
      }
      tally.first_offsets.push_back(value_offset);
    }
  }
  return storage::Status::Ok();
}

}  // namespace

nlohmann::json CentsSumToJsonValue(CentsSum sum) {
  if (sum >= std::numeric_limits<std::int64_t>::min() &&
      sum <= std::numeric_limits<std::int64_t>::max()) {
    return static_cast<std::int64_t>(sum);
  }
  return CentsSumToString(sum);
}

nlohmann::json RejectsToJsonValue(const std::array<RejectTally, kRejectReasonCount>& rejects) {
  nlohmann::json json = nlohmann::json::object();
  for (const RejectReason reason : kAllRejectReasons) {
    const RejectTally& tally = rejects[RejectReasonIndex(reason)];
    if (tally.count == 0) continue;
    json[std::string(RejectReasonName(reason))] = {{"n", tally.count}, {"at", tally.first_offsets}};
  }
  return json;
}

nlohmann::json ChunkPartialToJsonValue(const ChunkPartial& partial) {
  nlohmann::json nations = nlohmann::json::array();
  for (const auto& [key, totals] : partial.nations) {
    nations.push_back(
        nlohmann::json::array({key, CentsSumToJsonValue(totals.sum_cents), totals.rows}));
  }
  return nlohmann::json{{"v", kFormatVersion},
                        {"format", InputFormatName(partial.format)},
                        {"header", partial.header_skipped},
                        {"rows", partial.rows},
                        {"empty", partial.empty_lines},
                        {"bytes", partial.bytes_read},
                        {"nations", std::move(nations)},
                        {"rejects", RejectsToJsonValue(partial.rejects)}};
}

std::string ChunkPartialToJson(const ChunkPartial& partial) {
  return ChunkPartialToJsonValue(partial).dump();
}

storage::Result<ChunkPartial> ChunkPartialFromJsonValue(const nlohmann::json& json) {
  if (!json.is_object()) return BadPartialJson("not an object");
  const nlohmann::json* version = Member(json, "v");
  if (version == nullptr || !version->is_number_integer() ||
      version->get<std::int64_t>() != kFormatVersion) {
    return BadPartialJson("missing or unsupported version");
  }
  ChunkPartial partial;
  const nlohmann::json* format = Member(json, "format");
  if (format == nullptr || !format->is_string()) return BadPartialJson("missing format");
  auto parsed_format = ParseInputFormat(format->get_ref<const std::string&>());
  if (!parsed_format.ok()) return BadPartialJson("unknown format");
  partial.format = *parsed_format;

  const nlohmann::json* header = Member(json, "header");
  if (header == nullptr || !header->is_boolean()) return BadPartialJson("missing header flag");
  partial.header_skipped = header->get<bool>();

  const nlohmann::json* rows = Member(json, "rows");
  const nlohmann::json* empty = Member(json, "empty");
  const nlohmann::json* bytes = Member(json, "bytes");
  const auto parsed_rows = rows != nullptr ? CountFromJson(*rows) : std::nullopt;
  const auto parsed_empty = empty != nullptr ? CountFromJson(*empty) : std::nullopt;
  if (!parsed_rows || !parsed_empty || bytes == nullptr || !bytes->is_number_unsigned()) {
    return BadPartialJson("rows, empty and bytes must be non-negative integers");
  }
  partial.rows = *parsed_rows;
  partial.empty_lines = *parsed_empty;
  partial.bytes_read = bytes->get<std::uint64_t>();

  const nlohmann::json* nations = Member(json, "nations");
  const nlohmann::json* rejects = Member(json, "rejects");
  if (nations == nullptr || rejects == nullptr) return BadPartialJson("missing nations or rejects");
  FANFOLD_RETURN_IF_ERROR(ReadNations(*nations, partial));
  FANFOLD_RETURN_IF_ERROR(ReadRejects(*rejects, partial));
  return partial;
}

storage::Result<ChunkPartial> ChunkPartialFromJson(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return BadPartialJson("not valid JSON");
  return ChunkPartialFromJsonValue(json);
}

}  // namespace fanfold::activities
