// Which Azure billing meter each kind of storage request lands on. The counters
// (storage/counters.hpp) count attempts by kind, which is what Azure bills; this file is the one
// place that says how a kind is billed, and why.
#pragma once

#include <string>

#include "storage/counters.hpp"
#include "storage/result.hpp"

namespace fanfold::report {

struct MeterMapping {
  const char* price_id;  // an id of report/prices.json
  const char* why;       // one line for the report's mapping table
};

MeterMapping MeterFor(storage::OperationKind kind);
// The mapping of a kind by its JSON name ("queue_get"); InvalidArgument for an unknown name, so a
// new counter kind cannot be priced at zero without anyone noticing.
storage::Result<MeterMapping> MeterForName(const std::string& kind_name);

}  // namespace fanfold::report
