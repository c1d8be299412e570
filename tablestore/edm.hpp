// The Table service's property types (EDM primitive types) and their text forms. EdmDateTime keeps
// the service's full 100 ns precision, which a microsecond clock would round; Binary and Guid are
// distinct types so a property never turns into a string on a round trip.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ratio>
#include <string>
#include <string_view>

namespace fanfold::tablestore {

enum class EdmType { kString, kInt32, kInt64, kDouble, kBoolean, kDateTime, kBinary, kGuid };

// "Edm.String", "Edm.Int64", ...: the names used in @odata.type annotations.
const char* EdmTypeName(EdmType type);
std::optional<EdmType> EdmTypeFromName(std::string_view name);

// 100 ns ticks, the resolution of Edm.DateTime.
using EdmTicks = std::chrono::duration<int64_t, std::ratio<1, 10'000'000>>;
using EdmDateTime = std::chrono::sys_time<EdmTicks>;

// "2026-11-22T09:53:51.1234567Z": always seven fractional digits, as the service writes them.
std::string FormatEdmDateTime(EdmDateTime time);
// Accepts 0 to 7 fractional digits and a trailing 'Z'; nullopt for anything else.
std::optional<EdmDateTime> ParseEdmDateTime(std::string_view text);
// Azure stores Edm.DateTime from 1601-01-01T00:00:00Z through 9999-12-31T23:59:59.9999999Z.
bool IsStorableEdmDateTime(EdmDateTime time);

// Raw bytes of an Edm.Binary property (Base64 on the wire).
struct Binary {
  std::string bytes;
  bool operator==(const Binary&) const = default;
};

// An Edm.Guid, held in its canonical lower-case 8-4-4-4-12 form.
class Guid {
 public:
  // Accepts upper or lower case hex in the 8-4-4-4-12 layout; nullopt otherwise.
  static std::optional<Guid> Parse(std::string_view text);
  const std::string& str() const { return text_; }
  bool operator==(const Guid&) const = default;

 private:
  explicit Guid(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

}  // namespace fanfold::tablestore
