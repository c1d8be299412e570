// An entity: its keys, the service-maintained ETag and Timestamp, and typed custom properties.
// Reading an absent property or the wrong type is an InvalidArgument Status, never a crash: data
// written by another program may not have the expected shape.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "storage/result.hpp"
#include "tablestore/edm.hpp"
#include "tablestore/property_value.hpp"

namespace fanfold::tablestore {

// Custom properties by name, ordered so that serialization is deterministic.
using PropertyMap = std::map<std::string, PropertyValue, std::less<>>;

class Entity {
 public:
  Entity() = default;
  Entity(std::string partition_key, std::string row_key)
      : partition_key_(std::move(partition_key)), row_key_(std::move(row_key)) {}

  const std::string& partition_key() const { return partition_key_; }
  void set_partition_key(std::string key) { partition_key_ = std::move(key); }
  const std::string& row_key() const { return row_key_; }
  void set_row_key(std::string key) { row_key_ = std::move(key); }

  // The ETag the service gave this entity when it was read; empty for an entity built locally.
  // Pass it as If-Match to update only if nobody changed the entity since.
  const std::string& etag() const { return etag_; }
  void set_etag(std::string etag) { etag_ = std::move(etag); }
  // The service's last-modified time; absent for an entity built locally. Never sent.
  const std::optional<EdmDateTime>& timestamp() const { return timestamp_; }
  void set_timestamp(std::optional<EdmDateTime> timestamp) { timestamp_ = timestamp; }

  // Adds or replaces a custom property. Names are validated when the entity is sent.
  Entity& Set(std::string name, PropertyValue value);
  // True when the property existed.
  bool Remove(std::string_view name);
  bool Has(std::string_view name) const { return properties_.find(name) != properties_.end(); }
  // nullptr when absent.
  const PropertyValue* Find(std::string_view name) const;
  const PropertyMap& properties() const { return properties_; }

  // The property's value when present and of exactly that type (an Edm.Int32 is not widened to
  // Int64, so the type read is the type stored); else InvalidArgument saying which.
  storage::Result<std::string> GetString(std::string_view name) const;
  storage::Result<int32_t> GetInt32(std::string_view name) const;
  storage::Result<int64_t> GetInt64(std::string_view name) const;
  storage::Result<double> GetDouble(std::string_view name) const;
  storage::Result<bool> GetBool(std::string_view name) const;
  storage::Result<EdmDateTime> GetDateTime(std::string_view name) const;
  storage::Result<Binary> GetBinary(std::string_view name) const;
  storage::Result<Guid> GetGuid(std::string_view name) const;

 private:
  template <typename T>
  storage::Result<T> Get(std::string_view name) const;

  std::string partition_key_;
  std::string row_key_;
  std::string etag_;
  std::optional<EdmDateTime> timestamp_;
  PropertyMap properties_;
};

}  // namespace fanfold::tablestore
