#include "storage/connection_string.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace fanfold::storage {
namespace {

constexpr const char* kKey = "c2VjcmV0LWtleS12YWx1ZQ==";  // "secret-key-value"

TEST(ConnectionStringTest, DevelopmentStorageUsesAzuriteDefaults) {
  auto account = StorageAccount::FromConnectionString("UseDevelopmentStorage=true");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_TRUE(account->is_development_storage);
  EXPECT_EQ(account->credential.account_name, "devstoreaccount1");
  EXPECT_EQ(account->blob_endpoint.ToString(), "http://127.0.0.1:10000/devstoreaccount1");
  EXPECT_EQ(account->queue_endpoint.ToString(), "http://127.0.0.1:10001/devstoreaccount1");
  EXPECT_EQ(account->table_endpoint.ToString(), "http://127.0.0.1:10002/devstoreaccount1");
  EXPECT_TRUE(account->credential.has_key());
}

TEST(ConnectionStringTest, AccountKeyFormDerivesEndpointsFromTheSuffix) {
  auto account = StorageAccount::FromConnectionString(
      std::string("DefaultEndpointsProtocol=https;AccountName=fanfoldprod;AccountKey=") + kKey +
      ";EndpointSuffix=core.chinacloudapi.cn");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->blob_endpoint.ToString(), "https://fanfoldprod.blob.core.chinacloudapi.cn/");
  EXPECT_EQ(account->table_endpoint.authority, "fanfoldprod.table.core.chinacloudapi.cn");
  EXPECT_EQ(account->credential.account_key, "secret-key-value");
}

TEST(ConnectionStringTest, DefaultSuffixIsAzurePublicCloud) {
  auto account =
      StorageAccount::FromConnectionString(std::string("AccountName=a1;AccountKey=") + kKey);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->queue_endpoint.ToString(), "https://a1.queue.core.windows.net/");
}

TEST(ConnectionStringTest, ExplicitPathStyleEndpointsAndKeysInAnyCase) {
  auto account = StorageAccount::FromConnectionString(
      std::string("defaultendpointsprotocol=http;accountname=devstoreaccount1;accountkey=") + kKey +
      ";BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1/;"
      "QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1;"
      "TableEndpoint=http://127.0.0.1:41002/devstoreaccount1;");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->blob_endpoint.ToString(), "http://127.0.0.1:41000/devstoreaccount1");
  EXPECT_EQ(account->table_endpoint.path, "/devstoreaccount1");
}

TEST(ConnectionStringTest, AccountNameComesFromAPathStyleEndpointWhenMissing) {
  auto account = StorageAccount::FromConnectionString(
      std::string("AccountKey=") + kKey +
      ";BlobEndpoint=http://127.0.0.1:1/acct9;QueueEndpoint=http://127.0.0.1:2/acct9;"
      "TableEndpoint=http://127.0.0.1:3/acct9");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->credential.account_name, "acct9");
}

TEST(ConnectionStringTest, SharedAccessSignatureIsKeptAsGiven) {
  auto account = StorageAccount::FromConnectionString(
      "BlobEndpoint=https://a.blob.core.windows.net;QueueEndpoint=https://a.queue.core.windows.net;"
      "TableEndpoint=https://"
      "a.table.core.windows.net;SharedAccessSignature=?sv=2021-12-02&sig=x%2By");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->credential.sas_token, "sv=2021-12-02&sig=x%2By");
  EXPECT_FALSE(account->credential.has_key());
}

// A malformed string must say which key is wrong without repeating any value: values are
// secrets, and error messages end up in logs.
void ExpectErrorNamesKeyOnly(const std::string& connection_string, const std::string& key_named,
                             const std::string& secret) {
  auto account = StorageAccount::FromConnectionString(connection_string);
  ASSERT_FALSE(account.ok()) << connection_string;
  EXPECT_TRUE(account.status().IsInvalidArgument());
  EXPECT_NE(account.status().message().find(key_named), std::string::npos)
      << account.status().message();
  EXPECT_EQ(account.status().message().find(secret), std::string::npos)
      << account.status().message();
}

TEST(ConnectionStringTest, ErrorsNameTheBadKeyAndNeverTheValue) {
  ExpectErrorNamesKeyOnly("AccountName=a;AccountKey=not*base64*secret", "AccountKey",
                          "not*base64*secret");
  ExpectErrorNamesKeyOnly(std::string("AccountName=a;AccountKey=") + kKey + ";Colour=blue-secret",
                          "Colour", "blue-secret");
  ExpectErrorNamesKeyOnly(
      std::string("AccountName=a;AccountKey=") + kKey + ";BlobEndpoint=ftp://secret-host",
      "BlobEndpoint", "secret-host");
  ExpectErrorNamesKeyOnly(
      "AccountName=a;DefaultEndpointsProtocol=gopher-secret;AccountKey=" + std::string(kKey),
      "DefaultEndpointsProtocol", "gopher-secret");
  ExpectErrorNamesKeyOnly("UseDevelopmentStorage=maybe-secret", "UseDevelopmentStorage",
                          "maybe-secret");
  ExpectErrorNamesKeyOnly(std::string("AccountName=a;AccountKey=") + kKey + ";AccountName=b",
                          "AccountName", kKey);
}

TEST(ConnectionStringTest, StructuralErrors) {
  EXPECT_FALSE(StorageAccount::FromConnectionString("").ok());
  EXPECT_FALSE(StorageAccount::FromConnectionString("AccountName=a").ok());  // no credential
  auto no_equals = StorageAccount::FromConnectionString("AccountName=a;justsometext");
  ASSERT_FALSE(no_equals.ok());
  EXPECT_NE(no_equals.status().message().find("segment 2"), std::string::npos);
  EXPECT_EQ(no_equals.status().message().find("justsometext"), std::string::npos);
}

TEST(ConnectionStringTest, DescribeNeverShowsTheKeyOrSas) {
  auto account =
      StorageAccount::FromConnectionString(std::string("AccountName=a;AccountKey=") + kKey);
  ASSERT_TRUE(account.ok());
  const std::string text = account->Describe();
  EXPECT_EQ(text.find(kKey), std::string::npos);
  EXPECT_EQ(text.find("secret-key-value"), std::string::npos);
  EXPECT_NE(text.find("shared key"), std::string::npos);
}

TEST(ConnectionStringTest, EnvironmentDefaultsToDevelopmentStorage) {
  unsetenv(kConnectionStringVariable);
  auto account = StorageAccount::FromEnvironment();
  ASSERT_TRUE(account.ok());
  EXPECT_TRUE(account->is_development_storage);
  setenv(kConnectionStringVariable, "AccountName=a;AccountKey=bad!value", 1);
  auto bad = StorageAccount::FromEnvironment();
  unsetenv(kConnectionStringVariable);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("AZURE_STORAGE_CONNECTION_STRING"), std::string::npos);
  EXPECT_EQ(bad.status().message().find("bad!value"), std::string::npos);
}

}  // namespace
}  // namespace fanfold::storage
