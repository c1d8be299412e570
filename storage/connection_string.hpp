// Storage accounts as Azure's connection strings describe them:
//   UseDevelopmentStorage=true                         (Azurite on 127.0.0.1, well-known key)
//   DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k;EndpointSuffix=core.windows.net
//   BlobEndpoint=...;QueueEndpoint=...;TableEndpoint=...;SharedAccessSignature=sv=...
// Errors name the offending key and never repeat a value, since values can be secrets.
#pragma once

#include <string>
#include <string_view>

#include "storage/credential.hpp"
#include "storage/result.hpp"
#include "storage/url.hpp"

namespace fanfold::storage {

inline constexpr const char* kConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";
inline constexpr const char* kDevelopmentConnectionString = "UseDevelopmentStorage=true";

struct StorageAccount {
  StorageCredential credential;
  Url blob_endpoint;
  Url queue_endpoint;
  Url table_endpoint;
  bool is_development_storage = false;

  static Result<StorageAccount> FromConnectionString(std::string_view connection_string);
  // Reads AZURE_STORAGE_CONNECTION_STRING, defaulting to UseDevelopmentStorage=true.
  static Result<StorageAccount> FromEnvironment();

  // One line for people: endpoints and how requests are authorized; never a secret.
  std::string Describe() const;
};

}  // namespace fanfold::storage
