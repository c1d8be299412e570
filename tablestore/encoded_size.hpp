// Sizes as they go on the wire: the bytes an entity, a property or a transaction takes in the
// JSON (and the $batch body) this library sends, escaping included. Service-side sizes (UTF-16,
// the entity formula) are in validation.hpp; Azure checks both, so size decisions need both:
// a property full of quotes is half its UTF-16 size in characters but twice that on the wire.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "storage/url.hpp"
#include "tablestore/entity.hpp"
#include "tablestore/transaction.hpp"

namespace fanfold::tablestore {

// Bytes of `text` as a JSON string literal, quotes included, as nlohmann::json::dump() writes it:
// '"', '\\', \b \f \n \r \t as two bytes, other control characters (< U+0020) as \u00XX (six);
// the rest as its UTF-8 bytes, or with `ensure_ascii` every non-ASCII character (and U+007F) as
// \uXXXX (twelve for a surrogate pair). Text that is not UTF-8 is counted byte for byte (it is
// refused by ValidateEntity before anything is sent).
size_t EncodedJsonStringBytes(std::string_view text, bool ensure_ascii = false);

// Bytes one property adds to an entity's JSON body: its type annotation when it has one, its
// name and value, and the comma before it.
size_t EncodedPropertyBytes(const std::string& name, const PropertyValue& value);

// Bytes of the entity's JSON body: EntityToJson(entity).dump().size(), without building it.
size_t EncodedEntityBytes(const Entity& entity);

// Bytes of the $batch body SubmitTransaction sends for `transaction` (what Azure's 4 MiB limit is
// measured on), for the table at `endpoint`. Exact: the boundaries are fixed-length UUIDs.
size_t EncodedTransactionBytes(const storage::Url& endpoint, std::string_view table,
                               const Transaction& transaction);

}  // namespace fanfold::tablestore
