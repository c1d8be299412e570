// Ingestion limits per tenant (uploader), from a JSON tenants file:
//   {"tenants": {"acme": {"formats": ["tpch", "csv"], "max_file_bytes": 1073741824,
//                          "max_concurrent_jobs": 2, "max_stored_bytes": 10737418240}},
//    "default": {...}}
// Every key of a tenant is optional (absent: no limit of that kind); "default" applies to uploads
// that name no tenant. The tenant of an upload is the first segment of its blob name
// (uploads/<tenant>/<file>), never client-set metadata: in Azure a tenant's SAS can be scoped to
// its prefix, while metadata could name anyone.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activities/input_format.hpp"
#include "storage/result.hpp"

namespace fanfold::pipelines {

// The environment variable that names the tenants file when --tenants is not given.
inline constexpr const char* kTenantsFileEnv = "FANFOLD_TENANTS_FILE";
// A slot row holds its job ids in one string property; this keeps it far inside 32K characters.
inline constexpr std::int64_t kMaxConcurrentJobsLimit = 500;

struct TenantLimits {
  std::vector<activities::InputFormat> formats;  // empty: any format
  std::optional<std::uint64_t> max_file_bytes;
  std::optional<std::int64_t> max_concurrent_jobs;
  std::optional<std::uint64_t> max_stored_bytes;

  bool Allows(activities::InputFormat format) const;
  // "tpch, csv".
  std::string FormatsText() const;
};

struct TenantsConfig {
  std::map<std::string, TenantLimits> tenants;
  std::optional<TenantLimits> default_limits;  // for uploads that name no tenant
};

// What applies to one upload.
struct TenantLookup {
  bool known = true;                     // false: a named tenant the file does not list (refused)
  const TenantLimits* limits = nullptr;  // nullptr: no limits
};
TenantLookup FindTenant(const TenantsConfig& config, const std::string& tenant);

// Lowercase letters, digits, '-' and '_', 1..63 characters, starting with a letter or digit:
// safe as a blob-name segment, a table key and in an OData filter.
bool IsValidTenantName(std::string_view name);

// The tenant of a blob in the uploads container: the part before the first '/', or "" (none).
std::string TenantOfBlob(std::string_view blob);
// "<tenant>/<base name>", or the base name alone for no tenant.
std::string TenantBlobName(const std::string& tenant, const std::string& base_name);
// How people name a tenant in messages: the name, or "(default)".
std::string TenantLabel(const std::string& tenant);

// InvalidArgument naming the tenant and the key that is wrong (never the whole file).
storage::Result<TenantsConfig> ParseTenantsJson(std::string_view text);
// IoError when the file cannot be read; otherwise as ParseTenantsJson, prefixed with the path.
storage::Result<TenantsConfig> LoadTenantsFile(const std::string& path);
// `path` if not empty, else $FANFOLD_TENANTS_FILE, else nullopt (no file: no limits).
storage::Result<std::optional<TenantsConfig>> LoadTenantsFromFlagOrEnv(const std::string& path);

// "2.1 GiB (2254857830 bytes)": people read the first part, the exact count settles doubts.
std::string BytesText(std::uint64_t bytes);

}  // namespace fanfold::pipelines
