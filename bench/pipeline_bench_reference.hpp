// The answer every job and baseline is checked against: per c_nationkey, the row count and the
// exact c_acctbal sum in integer cents, computed here from the local file by a reader that shares
// no code with fanfold's parser (a disagreement then means one of the two is wrong, not both).
// It expects clean dbgen-style lines (8 fields and a trailing '|'); anything else is an error.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "activities/mean_balance.hpp"
#include "storage/result.hpp"

namespace fanfold::bench {

struct ReferenceNation {
  std::int64_t rows = 0;
  std::int64_t sum_cents = 0;  // SF 10's largest nation sum is ~3e11 cents: far from overflow
  friend bool operator==(const ReferenceNation&, const ReferenceNation&) = default;
};

struct Reference {
  std::int64_t rows = 0;
  std::uint64_t bytes = 0;
  std::map<std::int32_t, ReferenceNation> nations;
  friend bool operator==(const Reference&, const Reference&) = default;
};

storage::Result<Reference> ComputeReference(std::string_view text);
storage::Result<Reference> ComputeReferenceOfFile(const std::string& path);

// Every nation's rows and exact sum equal, no other nation, and no row rejected.
bool MatchesReference(const Reference& reference, const activities::MeanBalanceResult& result);

}  // namespace fanfold::bench
