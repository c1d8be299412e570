#include "storage/connection_string.hpp"

#include <cctype>
#include <cstdlib>
#include <map>

#include "storage/ascii_text.hpp"
#include "storage/crypto.hpp"

namespace fanfold::storage {
namespace {

constexpr const char* kDevelopmentAccount = "devstoreaccount1";
// Azurite's and the storage emulator's published development key; not a secret.
constexpr const char* kDevelopmentKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

// Canonical spellings of the keys we understand, by lower-case name.
const std::map<std::string, std::string>& KnownKeys() {
  static const std::map<std::string, std::string> keys = {
      {"usedevelopmentstorage", "UseDevelopmentStorage"},
      {"developmentstorageproxyuri", "DevelopmentStorageProxyUri"},
      {"defaultendpointsprotocol", "DefaultEndpointsProtocol"},
      {"accountname", "AccountName"},
      {"accountkey", "AccountKey"},
      {"endpointsuffix", "EndpointSuffix"},
      {"blobendpoint", "BlobEndpoint"},
      {"queueendpoint", "QueueEndpoint"},
      {"tableendpoint", "TableEndpoint"},
      {"fileendpoint", "FileEndpoint"},
      {"sharedaccesssignature", "SharedAccessSignature"},
  };
  return keys;
}

Result<Url> EndpointFrom(const std::map<std::string, std::string>& fields, const char* explicit_key,
                         const char* service, const std::string& protocol,
                         const std::string& account, const std::string& suffix) {
  if (const auto it = fields.find(explicit_key); it != fields.end()) {
    auto url = Url::Parse(it->second);
    if (!url.ok()) {
      return Status::InvalidArgument(std::string("connection string key ") + explicit_key +
                                     " is not a valid http(s) URL");
    }
    while (url->path.size() > 1 && url->path.back() == '/')
      url->path.pop_back();
    return url;
  }
  if (account.empty()) {
    return Status::InvalidArgument(std::string("connection string has neither ") + explicit_key +
                                   " nor AccountName to derive the " + service + " endpoint from");
  }
  return Url::Parse(protocol + "://" + account + "." + service + "." + suffix);
}

Result<StorageAccount> DevelopmentAccount(const std::map<std::string, std::string>& fields) {
  std::string base = "http://127.0.0.1";
  if (const auto it = fields.find("DevelopmentStorageProxyUri"); it != fields.end()) {
    auto proxy = Url::Parse(it->second);
    if (!proxy.ok()) {
      return Status::InvalidArgument(
          "connection string key DevelopmentStorageProxyUri is not a valid http(s) URL");
    }
    base = proxy->scheme + "://" + proxy->authority.substr(0, proxy->authority.rfind(':'));
  }
  StorageAccount account;
  account.is_development_storage = true;
  account.credential.account_name = kDevelopmentAccount;
  account.credential.account_key = *Base64Decode(kDevelopmentKey);
  account.blob_endpoint = *Url::Parse(base + ":10000/" + kDevelopmentAccount);
  account.queue_endpoint = *Url::Parse(base + ":10001/" + kDevelopmentAccount);
  account.table_endpoint = *Url::Parse(base + ":10002/" + kDevelopmentAccount);
  return account;
}

// Path-style endpoints (http://host:port/account) carry the account in the path; SharedKey
// still needs its name, which such strings often leave out.
std::string AccountFromPathStyle(const Url& endpoint) {
  const std::string& path = endpoint.path;
  if (path.size() < 2) return {};
  const auto end = path.find('/', 1);
  return path.substr(1, end == std::string::npos ? std::string::npos : end - 1);
}

}  // namespace

Result<StorageAccount> StorageAccount::FromConnectionString(std::string_view connection_string) {
  std::map<std::string, std::string> fields;
  int segment_number = 0;
  std::string_view rest = connection_string;
  while (!rest.empty()) {
    const auto semicolon = rest.find(';');
    const std::string_view segment = TrimAsciiSpace(rest.substr(0, semicolon));
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
    ++segment_number;
    if (segment.empty()) continue;
    const auto eq = segment.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::InvalidArgument("connection string segment " + std::to_string(segment_number) +
                                     " is not of the form Key=Value");
    }
    const std::string raw_key(TrimAsciiSpace(segment.substr(0, eq)));
    const auto known = KnownKeys().find(AsciiLower(raw_key));
    if (known == KnownKeys().end()) {
      // Only the key is named: a typo in a key is not a secret, a value may be.
      return Status::InvalidArgument("connection string has an unknown key '" + raw_key + "'");
    }
    if (fields.count(known->second) != 0) {
      return Status::InvalidArgument("connection string key " + known->second +
                                     " appears more than once");
    }
    fields[known->second] = std::string(TrimAsciiSpace(segment.substr(eq + 1)));
  }
  if (fields.empty()) return Status::InvalidArgument("connection string is empty");

  if (const auto it = fields.find("UseDevelopmentStorage"); it != fields.end()) {
    if (AsciiLower(it->second) != "true") {
      return Status::InvalidArgument("connection string key UseDevelopmentStorage must be true");
    }
    return DevelopmentAccount(fields);
  }

  StorageAccount account;
  std::string protocol = "https";
  if (const auto it = fields.find("DefaultEndpointsProtocol"); it != fields.end()) {
    protocol = AsciiLower(it->second);
    if (protocol != "http" && protocol != "https") {
      return Status::InvalidArgument(
          "connection string key DefaultEndpointsProtocol must be http or https");
    }
  }
  std::string suffix = "core.windows.net";
  if (const auto it = fields.find("EndpointSuffix"); it != fields.end()) suffix = it->second;
  if (const auto it = fields.find("AccountName"); it != fields.end()) {
    account.credential.account_name = it->second;
  }
  if (const auto it = fields.find("AccountKey"); it != fields.end()) {
    auto key = Base64Decode(it->second);
    if (!key || key->empty()) {
      return Status::InvalidArgument("connection string key AccountKey is not valid Base64");
    }
    account.credential.account_key = std::move(*key);
  }
  if (const auto it = fields.find("SharedAccessSignature"); it != fields.end()) {
    std::string_view sas = it->second;
    if (!sas.empty() && sas.front() == '?') sas.remove_prefix(1);
    if (sas.empty()) {
      return Status::InvalidArgument("connection string key SharedAccessSignature is empty");
    }
    account.credential.sas_token = std::string(sas);
  }
  if (!account.credential.has_key() && !account.credential.has_sas()) {
    return Status::InvalidArgument(
        "connection string has neither AccountKey nor SharedAccessSignature");
  }

  const std::string& name = account.credential.account_name;
  auto blob = EndpointFrom(fields, "BlobEndpoint", "blob", protocol, name, suffix);
  auto queue = EndpointFrom(fields, "QueueEndpoint", "queue", protocol, name, suffix);
  auto table = EndpointFrom(fields, "TableEndpoint", "table", protocol, name, suffix);
  if (!blob.ok()) return blob.status();
  if (!queue.ok()) return queue.status();
  if (!table.ok()) return table.status();
  account.blob_endpoint = std::move(*blob);
  account.queue_endpoint = std::move(*queue);
  account.table_endpoint = std::move(*table);

  if (account.credential.has_key() && name.empty()) {
    account.credential.account_name = AccountFromPathStyle(account.blob_endpoint);
    if (account.credential.account_name.empty()) {
      return Status::InvalidArgument(
          "connection string has AccountKey but no AccountName (needed to sign requests)");
    }
  }
  return account;
}

Result<StorageAccount> StorageAccount::FromEnvironment() {
  const char* value = std::getenv(kConnectionStringVariable);
  if (value == nullptr || value[0] == '\0') {
    return FromConnectionString(kDevelopmentConnectionString);
  }
  auto account = FromConnectionString(value);
  if (!account.ok()) {
    return Status::InvalidArgument(std::string(kConnectionStringVariable) + ": " +
                                   account.status().message());
  }
  return account;
}

std::string StorageAccount::Describe() const {
  std::string auth = credential.has_sas()   ? "shared access signature"
                     : credential.has_key() ? "shared key"
                                            : "anonymous";
  return "account " + credential.account_name + " (" + auth + ")" +
         (is_development_storage ? ", development storage" : "") + "; blob " +
         blob_endpoint.ToStringWithoutQuery() + ", queue " + queue_endpoint.ToStringWithoutQuery() +
         ", table " + table_endpoint.ToStringWithoutQuery();
}

}  // namespace fanfold::storage
