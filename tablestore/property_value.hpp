// One typed entity property value; the C++ type it is built from is the EDM type stored (int32_t
// Edm.Int32, int64_t Edm.Int64, double Edm.Double, text Edm.String). Arguments whose type would be
// a guess (unsigned, size_t, long long) do not compile, so no property changes type by accident.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "storage/result.hpp"
#include "tablestore/edm.hpp"

namespace fanfold::tablestore {

// The EDM type a C++ type stands for.
template <typename T>
constexpr EdmType EdmTypeOf() {
  if constexpr (std::is_same_v<T, std::string>)
    return EdmType::kString;
  else if constexpr (std::is_same_v<T, int32_t>)
    return EdmType::kInt32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return EdmType::kInt64;
  else if constexpr (std::is_same_v<T, double>)
    return EdmType::kDouble;
  else if constexpr (std::is_same_v<T, bool>)
    return EdmType::kBoolean;
  else if constexpr (std::is_same_v<T, EdmDateTime>)
    return EdmType::kDateTime;
  else if constexpr (std::is_same_v<T, Binary>)
    return EdmType::kBinary;
  else {
    static_assert(std::is_same_v<T, Guid>, "not a type a table property can hold");
    return EdmType::kGuid;
  }
}

class PropertyValue {
 public:
  // Alternatives in EdmType order, so index() == static_cast<int>(type()).
  using Variant =
      std::variant<std::string, int32_t, int64_t, double, bool, EdmDateTime, Binary, Guid>;

  // Implicit by design: entity.Set("Count", 3) and Eq("Name", "x") read naturally.
  PropertyValue(std::string value) : value_(std::move(value)) {}         // NOLINT
  PropertyValue(std::string_view value) : value_(std::string(value)) {}  // NOLINT
  PropertyValue(const char* value) : value_(std::string(value)) {}       // NOLINT
  PropertyValue(int32_t value) : value_(value) {}                        // NOLINT
  PropertyValue(int64_t value) : value_(value) {}                        // NOLINT
  PropertyValue(double value) : value_(value) {}                         // NOLINT
  PropertyValue(bool value) : value_(value) {}                           // NOLINT
  PropertyValue(EdmDateTime value) : value_(value) {}                    // NOLINT
  PropertyValue(Binary value) : value_(std::move(value)) {}              // NOLINT
  PropertyValue(Guid value) : value_(std::move(value)) {}                // NOLINT

  EdmType type() const { return static_cast<EdmType>(value_.index()); }
  const Variant& variant() const { return value_; }

  // The value when it holds T; else InvalidArgument naming both types. T is one of the
  // alternatives of Variant.
  template <typename T>
  storage::Result<T> As() const {
    if (const T* held = std::get_if<T>(&value_)) return *held;
    return MismatchStatus(EdmTypeOf<T>());
  }

  // Same type and same value (so a NaN double is not equal to itself, as in C++).
  bool operator==(const PropertyValue& other) const { return value_ == other.value_; }

 private:
  storage::Status MismatchStatus(EdmType wanted) const;

  Variant value_;
};

}  // namespace fanfold::tablestore
