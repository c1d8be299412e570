// Readable differences between two runs' traces and final table states, so that a failing
// comparison names the first step, entity or property that differs instead of dumping both.
// Each function answers "" when the two sides are equal.
#pragma once

#include <string>
#include <vector>

#include "tests/integration/storage_workload.hpp"

namespace fanfold::integration {

std::string FirstDifference(const std::vector<std::string>& expected,
                            const std::vector<std::string>& actual);

// Compares keys, property names, EDM types and values.
std::string DescribeDifference(const TableState& expected, const TableState& actual);

}  // namespace fanfold::integration
