// Encodings and digests the storage protocol needs: Base64 (keys, signatures, block ids, queue
// messages), HMAC-SHA256 (SharedKey signatures) and the digests ids and dedup use, on OpenSSL.
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
// Raw 32-byte digest, of one string or of pieces fed in turn.
std::string Sha256(std::string_view bytes);
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view bytes);
  std::string Finish();  // raw 32 bytes; the hasher is spent afterwards
 private:
  void* context_;  // EVP_MD_CTX, kept out of this header
};
// Lower-case hexadecimal, two digits per byte.
std::string LowerHex(std::string_view bytes);

}  // namespace fanfold::storage
