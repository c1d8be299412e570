#include "pipelines/tenants.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "storage/utf8_text.hpp"

namespace fanfold::pipelines {
namespace {

using storage::Result;
using storage::Status;

Status Bad(const std::string& where, const std::string& what) {
  return Status::InvalidArgument(where + ": " + what);
}

// A positive integer; JSON numbers that are negative, fractional or not numbers are refused.
Result<std::uint64_t> PositiveInteger(const nlohmann::json& value, const std::string& where) {
  // nlohmann reads a non-negative literal as unsigned and a negative one as signed.
  if (!value.is_number_unsigned()) return Bad(where, "must be a positive integer");
  const auto number = value.get<std::uint64_t>();
  if (number == 0) return Bad(where, "must be a positive integer (at least 1)");
  return number;
}

Result<TenantLimits> ParseLimits(const nlohmann::json& object, const std::string& where) {
  if (!object.is_object()) return Bad(where, "must be an object of limits");
  TenantLimits limits;
  for (const auto& [key, value] : object.items()) {
    const std::string at = where + ", key \"" + key + "\"";
    if (key == "formats") {
      if (!value.is_array() || value.empty()) {
        return Bad(at, "must be a non-empty list of format names (tpch, csv)");
      }
      for (const auto& name : value) {
        if (!name.is_string()) return Bad(at, "must list format names as strings");
        auto format = activities::ParseInputFormat(name.get<std::string>());
        if (!format.ok() || *format == activities::InputFormat::kAuto) {
          return Bad(at, "unknown format (expected tpch or csv)");
        }
        limits.formats.push_back(*format);
      }
    } else if (key == "max_file_bytes") {
      auto number = PositiveInteger(value, at);
      if (!number.ok()) return number.status();
      limits.max_file_bytes = *number;
    } else if (key == "max_stored_bytes") {
      auto number = PositiveInteger(value, at);
      if (!number.ok()) return number.status();
      limits.max_stored_bytes = *number;
    } else if (key == "max_concurrent_jobs") {
      auto number = PositiveInteger(value, at);
      if (!number.ok()) return number.status();
      if (*number > static_cast<std::uint64_t>(kMaxConcurrentJobsLimit)) {
        return Bad(at, "must be at most " + std::to_string(kMaxConcurrentJobsLimit));
      }
      limits.max_concurrent_jobs = static_cast<std::int64_t>(*number);
    } else {
      // A typo ("max_file_byte") would silently lift a limit: refuse it instead.
      return Bad(at,
                 "unknown key (expected formats, max_file_bytes, max_concurrent_jobs, "
                 "max_stored_bytes)");
    }
  }
  return limits;
}

}  // namespace

bool TenantLimits::Allows(activities::InputFormat format) const {
  if (formats.empty()) return true;
  for (const auto allowed : formats) {
    if (allowed == format) return true;
  }
  return false;
}

std::string TenantLimits::FormatsText() const {
  std::string text;
  for (const auto format : formats) {
    if (!text.empty()) text += ", ";
    text += activities::InputFormatName(format);
  }
  return text;
}

TenantLookup FindTenant(const TenantsConfig& config, const std::string& tenant) {
  if (tenant.empty()) {
    return {true, config.default_limits ? &*config.default_limits : nullptr};
  }
  const auto found = config.tenants.find(tenant);
  if (found == config.tenants.end()) return {false, nullptr};
  return {true, &found->second};
}

bool IsValidTenantName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return false;
  }
  return true;
}

std::string TenantOfBlob(std::string_view blob) {
  const auto slash = blob.find('/');
  if (slash == std::string_view::npos) return {};
  return std::string(blob.substr(0, slash));
}

std::string TenantBlobName(const std::string& tenant, const std::string& base_name) {
  return tenant.empty() ? base_name : tenant + "/" + base_name;
}

std::string TenantLabel(const std::string& tenant) {
  return tenant.empty() ? "(default)" : tenant;
}

Result<TenantsConfig> ParseTenantsJson(std::string_view text) {
  auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Status::InvalidArgument("the tenants file is not JSON");
  if (!document.is_object()) {
    return Status::InvalidArgument("the tenants file must be an object with \"tenants\"");
  }
  TenantsConfig config;
  for (const auto& [key, value] : document.items()) {
    if (key == "tenants") {
      if (!value.is_object()) return Bad("\"tenants\"", "must be an object: name -> limits");
      for (const auto& [name, limits] : value.items()) {
        // Names are echoed only when valid: a bad one is named by its position instead.
        if (!IsValidTenantName(name)) {
          return Status::InvalidArgument(
              "tenant name \"" + storage::TruncateUtf8(name, 32) +
              "\" is not valid (1..63 lowercase letters, digits, '-' or '_', starting with a "
              "letter or digit)");
        }
        auto parsed = ParseLimits(limits, "tenant " + name);
        if (!parsed.ok()) return parsed.status();
        config.tenants.emplace(name, std::move(*parsed));
      }
    } else if (key == "default") {
      auto parsed = ParseLimits(value, "default");
      if (!parsed.ok()) return parsed.status();
      config.default_limits = std::move(*parsed);
    } else {
      return Status::InvalidArgument("unknown key \"" + storage::TruncateUtf8(key, 32) +
                                     "\" in the tenants file (expected tenants, default)");
    }
  }
  return config;
}

Result<TenantsConfig> LoadTenantsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read the tenants file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto config = ParseTenantsJson(text.str());
  if (!config.ok()) {
    return Status::InvalidArgument("tenants file " + path + ": " + config.status().message());
  }
  return config;
}

Result<std::optional<TenantsConfig>> LoadTenantsFromFlagOrEnv(const std::string& path) {
  std::string chosen = path;
  if (chosen.empty()) {
    const char* env = std::getenv(kTenantsFileEnv);
    if (env != nullptr) chosen = env;
  }
  if (chosen.empty()) return std::optional<TenantsConfig>();
  auto config = LoadTenantsFile(chosen);
  if (!config.ok()) return config.status();
  return std::optional<TenantsConfig>(std::move(*config));
}

std::string BytesText(std::uint64_t bytes) {
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  char text[64];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof text, "%.1f %s (%llu bytes)", value, kUnits[unit],
                  static_cast<unsigned long long>(bytes));
  }
  return text;
}

}  // namespace fanfold::pipelines
