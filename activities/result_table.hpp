// The job's answer as people read it: an aligned plain-text table, one line per nation (key,
// accepted rows, mean balance to the cent), under a header line. Numbers are right-aligned so
// the decimal points line up; columns are as wide as their widest cell, two spaces apart.
#pragma once

#include <string>

#include "activities/mean_balance.hpp"

namespace fanfold::activities {

// "nation  rows     mean\n     0  5925  4442.70\n ...": every line ends with '\n'. A result
// without nations (an empty file) is the header line alone.
std::string FormatMeanBalanceTable(const MeanBalanceResult& result);

}  // namespace fanfold::activities
