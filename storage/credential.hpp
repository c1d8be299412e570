// How requests are authorized: an account name with its key (SharedKey), a SAS token, or both
// (SAS wins). The key is held decoded. Nothing in fanfold prints a credential; only
// connection_string.cpp and shared_key.cpp read the secret fields.
#pragma once

#include <string>

namespace fanfold::storage {

struct StorageCredential {
  std::string account_name;
  std::string account_key;  // decoded bytes of the Base64 AccountKey
  std::string sas_token;    // without a leading '?'

  bool has_key() const { return !account_key.empty(); }
  bool has_sas() const { return !sas_token.empty(); }
};

}  // namespace fanfold::storage
