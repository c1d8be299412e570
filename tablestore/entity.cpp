#include "tablestore/entity.hpp"

namespace fanfold::tablestore {

storage::Status PropertyValue::MismatchStatus(EdmType wanted) const {
  return storage::Status::InvalidArgument(std::string("property holds ") + EdmTypeName(type()) +
                                          ", not " + EdmTypeName(wanted));
}

Entity& Entity::Set(std::string name, PropertyValue value) {
  properties_.insert_or_assign(std::move(name), std::move(value));
  return *this;
}

bool Entity::Remove(std::string_view name) {
  const auto it = properties_.find(name);
  if (it == properties_.end()) return false;
  properties_.erase(it);
  return true;
}

const PropertyValue* Entity::Find(std::string_view name) const {
  const auto it = properties_.find(name);
  return it == properties_.end() ? nullptr : &it->second;
}

template <typename T>
storage::Result<T> Entity::Get(std::string_view name) const {
  const PropertyValue* value = Find(name);
  if (value == nullptr) {
    return storage::Status::InvalidArgument("entity has no property '" + std::string(name) + "'");
  }
  storage::Result<T> typed = value->As<T>();
  if (!typed.ok()) {
    return storage::Status::InvalidArgument("property '" + std::string(name) + "' " +
                                            std::string(EdmTypeName(value->type())) +
                                            " cannot be read as " + EdmTypeName(EdmTypeOf<T>()));
  }
  return typed;
}

storage::Result<std::string> Entity::GetString(std::string_view name) const {
  return Get<std::string>(name);
}
storage::Result<int32_t> Entity::GetInt32(std::string_view name) const {
  return Get<int32_t>(name);
}
storage::Result<int64_t> Entity::GetInt64(std::string_view name) const {
  return Get<int64_t>(name);
}
storage::Result<double> Entity::GetDouble(std::string_view name) const {
  return Get<double>(name);
}
storage::Result<bool> Entity::GetBool(std::string_view name) const {
  return Get<bool>(name);
}
storage::Result<EdmDateTime> Entity::GetDateTime(std::string_view name) const {
  return Get<EdmDateTime>(name);
}
storage::Result<Binary> Entity::GetBinary(std::string_view name) const {
  return Get<Binary>(name);
}
storage::Result<Guid> Entity::GetGuid(std::string_view name) const {
  return Get<Guid>(name);
}

}  // namespace fanfold::tablestore
