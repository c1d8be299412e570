// Authorization of each attempt: SharedKey (HMAC-SHA256 over a canonical string-to-sign, whose
// layout differs between Blob/Queue and Table) or a SAS token appended to the query.
// The string-to-sign builders are exposed for known-answer tests.
#pragma once

#include <string>

#include "storage/credential.hpp"
#include "storage/pipeline.hpp"

namespace fanfold::storage {

std::string BlobQueueStringToSign(const HttpRequest& request, const std::string& account_name);
std::string TableStringToSign(const HttpRequest& request, const std::string& account_name);
// Base64(HMAC-SHA256(key, string_to_sign)).
std::string SignString(const std::string& account_key, const std::string& string_to_sign);

class SigningPolicy final : public Policy {
 public:
  SigningPolicy(StorageCredential credential, SigningScheme scheme)
      : credential_(std::move(credential)), scheme_(scheme) {}
  Result<HttpResponse> Send(HttpRequest& request, const NextPolicy& next) const override;

 private:
  StorageCredential credential_;
  SigningScheme scheme_;
};

}  // namespace fanfold::storage
