// Entities in the Table service's JSON ("JSON light") form, typed exactly both ways: writes
// annotate every type JSON cannot express (Int64, Double, DateTime, Binary, Guid); reads of
// minimalmetadata answers use the annotations, else the JSON form of the value: an integer
// literal is Edm.Int32, one with a fraction or exponent ("2.0") Edm.Double, as the service
// writes whole doubles.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "tablestore/entity.hpp"

namespace fanfold::tablestore {

// PartitionKey, RowKey and the custom properties; never the ETag or Timestamp (the service owns
// those). Call ValidateEntity first: text must be valid UTF-8 for the JSON to be written.
// Ordered, because OData readers require a property's annotation to come before its value.
nlohmann::ordered_json EntityToJson(const Entity& entity);

// Adds one property (its annotation first, when it needs one) to a JSON object.
void AddPropertyToJson(nlohmann::ordered_json& object, const std::string& name,
                       const PropertyValue& value);

// One entity of a response: keys, odata.etag, Timestamp and typed properties. Corruption when a
// value does not match its annotation or the annotation names an unknown type.
storage::Result<Entity> EntityFromJson(const nlohmann::json& object);

// One property value from its JSON value and its @odata.type annotation, if any.
storage::Result<PropertyValue> PropertyFromJson(const nlohmann::json& value,
                                                std::optional<std::string_view> annotation);

}  // namespace fanfold::tablestore
