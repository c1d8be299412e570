#include "tablestore/entity_json.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <variant>

#include "storage/crypto.hpp"

namespace fanfold::tablestore {
namespace {

using storage::Result;
using storage::Status;

constexpr std::string_view kAnnotationSuffix = "@odata.type";

Status Mismatch(EdmType type, const nlohmann::json& value) {
  return Status::Corruption(std::string(EdmTypeName(type)) + " value has JSON type " +
                            value.type_name());
}

template <typename Integer>
std::optional<Integer> ParseInteger(std::string_view text) {
  Integer value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

template <typename Integer>
std::optional<Integer> JsonInteger(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<Integer>::max())) return std::nullopt;
    return static_cast<Integer>(v);
  }
  if (value.is_number_integer()) {
    const auto v = value.get<int64_t>();
    if (v < std::numeric_limits<Integer>::min() || v > std::numeric_limits<Integer>::max()) {
      return std::nullopt;
    }
    return static_cast<Integer>(v);
  }
  if (value.is_string()) return ParseInteger<Integer>(value.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<double> SpecialDouble(std::string_view text) {
  // The service writes INF/-INF (XML Schema spelling); other clients send Infinity/-Infinity.
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity" || text == "INF") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity" || text == "-INF") return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

Result<PropertyValue> TypedFromJson(EdmType type, const nlohmann::json& value) {
  switch (type) {
    case EdmType::kString:
      if (!value.is_string()) return Mismatch(type, value);
      return PropertyValue(value.get<std::string>());
    case EdmType::kInt32:
      if (const auto v = JsonInteger<int32_t>(value)) return PropertyValue(*v);
      return Status::Corruption("Edm.Int32 value is not a 32-bit integer: " + value.dump());
    case EdmType::kInt64:
      if (const auto v = JsonInteger<int64_t>(value)) return PropertyValue(*v);
      return Status::Corruption("Edm.Int64 value is not a 64-bit integer: " + value.dump());
    case EdmType::kDouble:
      if (value.is_number()) return PropertyValue(value.get<double>());
      if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        if (const auto special = SpecialDouble(text)) return PropertyValue(*special);
        double parsed = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (error == std::errc() && end == text.data() + text.size() && !text.empty()) {
          return PropertyValue(parsed);
        }
      }
      return Status::Corruption("Edm.Double value is not a number: " + value.dump());
    case EdmType::kBoolean:
      if (!value.is_boolean()) return Mismatch(type, value);
      return PropertyValue(value.get<bool>());
    case EdmType::kDateTime:
      if (value.is_string()) {
        if (const auto time = ParseEdmDateTime(value.get_ref<const std::string&>())) {
          return PropertyValue(*time);
        }
      }
      return Status::Corruption("Edm.DateTime value is not an ISO 8601 UTC time: " + value.dump());
    case EdmType::kBinary:
      if (value.is_string()) {
        if (auto bytes = storage::Base64Decode(value.get_ref<const std::string&>())) {
          return PropertyValue(Binary{std::move(*bytes)});
        }
      }
      return Status::Corruption("Edm.Binary value is not Base64");
    case EdmType::kGuid:
      if (value.is_string()) {
        if (auto guid = Guid::Parse(value.get_ref<const std::string&>())) {
          return PropertyValue(std::move(*guid));
        }
      }
      return Status::Corruption("Edm.Guid value is not a GUID: " + value.dump());
  }
  return Status::Corruption("unknown EDM type");
}

Result<PropertyValue> InferredFromJson(const nlohmann::json& value) {
  if (value.is_string()) return PropertyValue(value.get<std::string>());
  if (value.is_boolean()) return PropertyValue(value.get<bool>());
  if (value.is_number_float()) return PropertyValue(value.get<double>());
  if (value.is_number()) {
    // An unannotated integer outside the Int32 range can only be a whole Double.
    if (const auto v = JsonInteger<int32_t>(value)) return PropertyValue(*v);
    return PropertyValue(value.get<double>());
  }
  return Status::Corruption(std::string("unannotated property value of JSON type ") +
                            value.type_name());
}

}  // namespace

void AddPropertyToJson(nlohmann::ordered_json& object, const std::string& name,
                       const PropertyValue& value) {
  const std::string annotation = name + std::string(kAnnotationSuffix);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, int32_t> ||
                      std::is_same_v<T, bool>) {
          object[name] = v;
        } else if constexpr (std::is_same_v<T, int64_t>) {
          // JSON numbers are doubles to many parsers, so Int64 travels as a string.
          object[annotation] = "Edm.Int64";
          object[name] = std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          // Annotated always: "2.0" could otherwise be stored as an Int32 by a lenient service.
          object[annotation] = "Edm.Double";
          if (std::isnan(v)) {
            object[name] = "NaN";
          } else if (std::isinf(v)) {
            object[name] = v > 0 ? "Infinity" : "-Infinity";
          } else {
            object[name] = v;
          }
        } else if constexpr (std::is_same_v<T, EdmDateTime>) {
          object[annotation] = "Edm.DateTime";
          object[name] = FormatEdmDateTime(v);
        } else if constexpr (std::is_same_v<T, Binary>) {
          object[annotation] = "Edm.Binary";
          object[name] = storage::Base64Encode(v.bytes);
        } else {
          static_assert(std::is_same_v<T, Guid>);
          object[annotation] = "Edm.Guid";
          object[name] = v.str();
        }
      },
      value.variant());
}

nlohmann::ordered_json EntityToJson(const Entity& entity) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  object["PartitionKey"] = entity.partition_key();
  object["RowKey"] = entity.row_key();
  for (const auto& [name, value] : entity.properties())
    AddPropertyToJson(object, name, value);
  return object;
}

Result<PropertyValue> PropertyFromJson(const nlohmann::json& value,
                                       std::optional<std::string_view> annotation) {
  if (!annotation) return InferredFromJson(value);
  const auto type = EdmTypeFromName(*annotation);
  if (!type) return Status::Corruption("unknown property type '" + std::string(*annotation) + "'");
  return TypedFromJson(*type, value);
}

Result<Entity> EntityFromJson(const nlohmann::json& object) {
  if (!object.is_object()) return Status::Corruption("an entity must be a JSON object");
  std::map<std::string_view, std::string_view> annotations;
  for (const auto& [key, value] : object.items()) {
    const std::string_view name(key);
    if (name.size() > kAnnotationSuffix.size() && name.ends_with(kAnnotationSuffix) &&
        value.is_string()) {
      annotations[name.substr(0, name.size() - kAnnotationSuffix.size())] =
          value.get_ref<const std::string&>();
    }
  }
  Entity entity;
  for (const auto& [key, value] : object.items()) {
    const std::string_view name(key);
    if (name.ends_with(kAnnotationSuffix)) continue;
    if (name.starts_with("odata.")) {
      if (name == "odata.etag" && value.is_string()) entity.set_etag(value.get<std::string>());
      continue;
    }
    if (name == "PartitionKey" || name == "RowKey") {
      if (!value.is_string()) return Status::Corruption(key + " is not a string");
      if (name == "PartitionKey") {
        entity.set_partition_key(value.get<std::string>());
      } else {
        entity.set_row_key(value.get<std::string>());
      }
      continue;
    }
    if (name == "Timestamp") {
      const auto time =
          value.is_string() ? ParseEdmDateTime(value.get_ref<const std::string&>()) : std::nullopt;
      if (!time) return Status::Corruption("Timestamp is not an ISO 8601 UTC time");
      entity.set_timestamp(*time);
      continue;
    }
    if (value.is_null()) continue;  // the service stores no nulls; a null is an absent property
    const auto annotation = annotations.find(name);
    auto property =
        PropertyFromJson(value, annotation == annotations.end()
                                    ? std::nullopt
                                    : std::optional<std::string_view>(annotation->second));
    if (!property.ok()) {
      return Status::Corruption("property '" + key + "': " + property.status().message());
    }
    entity.Set(key, std::move(property).value());
  }
  return entity;
}

}  // namespace fanfold::tablestore
