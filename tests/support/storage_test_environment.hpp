// The one storage fixture every integration test binary shares: a private Azurite started once
// per binary (see AzuriteProcess), or, when FANFOLD_TEST_CONNECTION_STRING is set, that account
// (for running the same tests against real Azure Storage).
#pragma once

#include <string>

#include "storage/connection_string.hpp"

namespace fanfold::testing {

// The account under test. Valid after the environment's SetUp, i.e. inside any TEST.
const storage::StorageAccount& TestAccount();
const std::string& TestConnectionString();
// True when the tests run against Azurite rather than a real account.
bool UsingAzurite();
// A name valid for a container, queue and table alike: prefix + 12 random hex digits.
// prefix must start with a letter and hold only lower-case letters and digits.
std::string UniqueName(const std::string& prefix);

}  // namespace fanfold::testing
