// main() for integration test binaries: registers the storage environment, then runs the tests.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>

#include "tests/support/azurite_process.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::testing {
namespace {

std::unique_ptr<AzuriteProcess> g_azurite;
std::string g_connection_string;
storage::StorageAccount g_account;

class StorageEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (const char* external = std::getenv("FANFOLD_TEST_CONNECTION_STRING");
        external != nullptr && *external != '\0') {
      g_connection_string = external;
    } else {
      auto started = AzuriteProcess::Start();
      if (!started.ok()) {
        std::fprintf(stderr, "cannot start Azurite: %s\n", started.status().ToString().c_str());
        std::exit(2);
      }
      g_azurite = std::move(started).value();
      g_connection_string = g_azurite->connection_string();
    }
    auto account = storage::StorageAccount::FromConnectionString(g_connection_string);
    if (!account.ok()) {
      std::fprintf(stderr, "bad test connection string: %s\n", account.status().ToString().c_str());
      std::exit(2);
    }
    g_account = std::move(account).value();
  }
  void TearDown() override { g_azurite.reset(); }
};

}  // namespace

const storage::StorageAccount& TestAccount() {
  return g_account;
}
const std::string& TestConnectionString() {
  return g_connection_string;
}
bool UsingAzurite() {
  return g_azurite != nullptr;
}

std::string UniqueName(const std::string& prefix) {
  thread_local std::mt19937_64 random(std::random_device{}());
  char suffix[13];
  std::snprintf(suffix, sizeof suffix, "%012llx",
                static_cast<unsigned long long>(random() & 0xFFFFFFFFFFFFULL));
  return prefix + suffix;
}

}  // namespace fanfold::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new fanfold::testing::StorageEnvironment());
  return RUN_ALL_TESTS();
}
