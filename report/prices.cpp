#include "report/prices.hpp"

#include <fstream>
#include <set>

namespace fanfold::report {
namespace {

using storage::Result;
using storage::Status;

Result<std::string> StringField(const nlohmann::json& entry, const char* name) {
  if (!entry.contains(name) || !entry[name].is_string()) {
    return Status::InvalidArgument(std::string("price entry lacks string field \"") + name + "\"");
  }
  return entry[name].get<std::string>();
}

Result<Provenance> ParseProvenance(const std::string& name) {
  for (Provenance p : {Provenance::kMicrosoft, Provenance::kThirdParty, Provenance::kAssumed}) {
    if (name == ProvenanceName(p)) return p;
  }
  return Status::InvalidArgument("unknown provenance \"" + name +
                                 "\" (expected microsoft, third-party or assumed)");
}

}  // namespace

const char* ProvenanceName(Provenance provenance) {
  switch (provenance) {
    case Provenance::kMicrosoft:
      return "microsoft";
    case Provenance::kThirdParty:
      return "third-party";
    case Provenance::kAssumed:
      return "assumed";
  }
  return "assumed";
}

Result<Price> PriceTable::Get(const std::string& id) const {
  for (const Price& price : prices) {
    if (price.id == id) return price;
  }
  return Status::InvalidArgument("no price \"" + id + "\" in the price table");
}

Result<double> PriceTable::Usd(const std::string& id) const {
  Result<Price> price = Get(id);
  if (!price.ok()) return price.status();
  return price->usd;
}

Result<PriceTable> ParsePriceTable(const nlohmann::json& doc) {
  if (!doc.is_object() || !doc.contains("prices") || !doc["prices"].is_array()) {
    return Status::InvalidArgument("price table: expected an object with a \"prices\" array");
  }
  PriceTable table;
  table.region = doc.value("region", "");
  table.account = doc.value("account", "");
  if (doc.contains("model") && doc["model"].is_object()) {
    const nlohmann::json& model = doc["model"];
    table.month_hours = model.value("month_hours", table.month_hours);
    table.premium_ep1_vcpu = model.value("premium_ep1_vcpu", table.premium_ep1_vcpu);
    table.premium_ep1_memory_gb = model.value("premium_ep1_memory_gb", table.premium_ep1_memory_gb);
    table.flex_instance_memory_mb =
        model.value("flex_instance_memory_mb", table.flex_instance_memory_mb);
  }
  if (table.month_hours <= 0) return Status::InvalidArgument("price table: month_hours <= 0");
  if (table.flex_instance_memory_mb <= 0) {
    return Status::InvalidArgument("price table: flex_instance_memory_mb <= 0");
  }
  std::set<std::string> seen;
  for (const nlohmann::json& entry : doc["prices"]) {
    Price price;
    for (auto [field, name] :
         {std::pair{&price.id, "id"}, std::pair{&price.service, "service"},
          std::pair{&price.meter, "meter"}, std::pair{&price.unit, "unit"},
          std::pair{&price.source, "source"}, std::pair{&price.date_read, "date_read"},
          std::pair{&price.note, "note"}}) {
      Result<std::string> value = StringField(entry, name);
      if (!value.ok()) return value.status();
      *field = *value;
    }
    if (!entry.contains("usd") || !entry["usd"].is_number()) {
      return Status::InvalidArgument("price \"" + price.id + "\" lacks a numeric \"usd\"");
    }
    Result<std::string> provenance_name = StringField(entry, "provenance");
    if (!provenance_name.ok()) return provenance_name.status();
    Result<Provenance> provenance = ParseProvenance(*provenance_name);
    if (!provenance.ok()) {
      return Status::InvalidArgument("price \"" + price.id +
                                     "\": " + provenance.status().message());
    }
    price.usd = entry["usd"].get<double>();
    price.provenance = *provenance;
    if (price.usd < 0) return Status::InvalidArgument("price \"" + price.id + "\" is negative");
    if (!seen.insert(price.id).second) {
      return Status::InvalidArgument("price \"" + price.id + "\" appears twice");
    }
    table.prices.push_back(std::move(price));
  }
  return table;
}

Result<PriceTable> LoadPriceTable(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot open " + path);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(path + " is not valid JSON");
  return ParsePriceTable(doc);
}

}  // namespace fanfold::report
