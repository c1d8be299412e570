// The price table (report/prices.json): every Azure list price the cost model uses, with its
// unit, source and where it was read (its provenance). Kept as data so a price change is one edit
// and a regenerated report, never a code change.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/result.hpp"

namespace fanfold::report {

// Where a figure was read, as prices.json's "provenance" spells it:
// "microsoft": on Microsoft's own pages (the pricing pages, Microsoft Learn);
// "third-party": on a third-party page quoting Microsoft's price list or its retail price API;
// "assumed": a best-known list price found in no material read; check it before quoting.
enum class Provenance { kMicrosoft, kThirdParty, kAssumed };
const char* ProvenanceName(Provenance provenance);

struct Price {
  std::string id;
  std::string service;
  std::string meter;
  std::string unit;
  double usd = 0;
  std::string source;
  std::string date_read;
  Provenance provenance = Provenance::kAssumed;
  std::string note;
};

struct PriceTable {
  std::string region;
  std::string account;
  double month_hours = 730;  // the month Azure's GB-month capacity prices are for
  double premium_ep1_vcpu = 1;
  double premium_ep1_memory_gb = 3.5;
  double flex_instance_memory_mb = 2048;  // Flex Consumption instance size (main.bicep's default)
  std::vector<Price> prices;              // in file order, for the report's price table

  // The price with this id, or InvalidArgument naming it: a missing price must stop the report
  // rather than silently cost zero.
  storage::Result<Price> Get(const std::string& id) const;
  // Its usd figure, or the failure of Get.
  storage::Result<double> Usd(const std::string& id) const;
};

// Parses the JSON document of report/prices.json; every entry needs all nine fields, and its
// provenance must be one of the three names above.
storage::Result<PriceTable> ParsePriceTable(const nlohmann::json& doc);
storage::Result<PriceTable> LoadPriceTable(const std::string& path);

}  // namespace fanfold::report
