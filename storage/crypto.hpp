// Encodings and digests the storage protocol needs: Base64 (keys, signatures, block ids, queue
// messages) and HMAC-SHA256 (SharedKey signatures), on OpenSSL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fanfold::storage {

std::string Base64Encode(std::string_view bytes);
// nullopt when the text is not canonical padded Base64.
std::optional<std::string> Base64Decode(std::string_view text);
// Raw 32-byte MAC.
std::string HmacSha256(std::string_view key, std::string_view message);
// Raw 16-byte digest.
std::string Md5(std::string_view bytes);

}  // namespace fanfold::storage
