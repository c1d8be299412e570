// Client-side checks of what Azure Table storage refuses: names, keys and entity limits. Azurite
// accepts much of this, so code passing every test could fail in production without them; and a
// doomed request is never sent. Sizes are measured as the service does, in UTF-16.
#pragma once

#include <cstddef>
#include <string_view>

#include "storage/status.hpp"
#include "tablestore/entity.hpp"

namespace fanfold::tablestore {

// Custom properties per entity (255 including PartitionKey, RowKey and Timestamp).
inline constexpr size_t kMaxCustomProperties = 252;
// Whole entity, by the service's size formula (see EntitySizeBytes): "up to 1 MiB"
// (Azure docs, "Understanding the Table service data model").
inline constexpr size_t kMaxEntityBytes = 1024 * 1024;
// PartitionKey or RowKey, UTF-16 encoded: at most 512 UTF-16 code units.
inline constexpr size_t kMaxKeyBytes = 1024;
// One String (UTF-16 encoded) or Binary value. The documentation says 64 KiB, but the service
// refuses a value of exactly 65,536 bytes, so the limit is taken as strictly below 64 KiB.
inline constexpr size_t kMaxPropertyValueBytes = 64 * 1024 - 1;
inline constexpr size_t kMaxPropertyNameLength = 255;

// 3 to 63 ASCII letters and digits, starting with a letter, and not the reserved name "tables".
storage::Status ValidateTableName(std::string_view name);
// No '/', '\\', '#', '?' and no control characters (U+0000-U+001F, U+007F-U+009F); valid UTF-8;
// at most kMaxKeyBytes as UTF-16. `which` names the key in the message ("PartitionKey").
storage::Status ValidateKey(std::string_view key, std::string_view which);
// A C# identifier (letter or '_' first, then letters, digits, '_'; non-ASCII letters allowed),
// at most 255 characters, and not a system property name.
storage::Status ValidatePropertyName(std::string_view name);
// Keys, property names, value sizes, Edm.DateTime range, property count and entity size.
storage::Status ValidateEntity(const Entity& entity);

// The service's accounting of an entity's size: 4 + 2 * len(PartitionKey + RowKey) + per
// property (8 + 2 * len(name) + value size), where a string costs 2 * len + 4, binary len + 4,
// Int32 4, Int64/Double/DateTime 8, Guid 16 and Boolean 1; lengths are UTF-16 code units.
size_t EntitySizeBytes(const Entity& entity);

}  // namespace fanfold::tablestore
