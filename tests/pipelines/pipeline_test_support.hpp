// What the pipeline tests share: a context on the test account with names private to the test,
// an independent exact reference (integer cents, written separately from the activities'
// parser), and the SF1 file when it sits beside the repository.
#pragma once

#include <sys/wait.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "pipelines/blob_created_event.hpp"
#include "pipelines/job_id.hpp"
#include "pipelines/pipeline_context.hpp"
#include "pipelines/upload_metadata.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::pipelines::test {

inline std::shared_ptr<PipelineContext> MakeTestContext() {
  storage::PipelineOptions options;
  options.retry.initial_delay = std::chrono::milliseconds(5);
  auto context = std::make_shared<PipelineContext>(
      fanfold::testing::TestAccount(), PipelineNames::WithPrefix(fanfold::testing::UniqueName("p")),
      options);
  return context;
}

// Uploads `content` as `name` into the uploads container with `options` as metadata, as
// `fanfold upload` does, and returns the BlobCreated event Event Grid would send for it.
inline storage::Result<BlobCreatedEvent> UploadForJob(const PipelineContext& context,
                                                      const std::string& name, std::string content,
                                                      const UploadOptions& options) {
  storage::BlobUploadOptions upload;
  upload.metadata = UploadOptionsToMetadata(options);
  auto uploaded = context.blobs.GetContainerClient(context.names.uploads_container)
                      .GetBlobClient(name)
                      .Upload(std::move(content), upload);
  if (!uploaded.ok()) return uploaded.status();
  BlobCreatedEvent event;
  event.id = name;
  event.container = context.names.uploads_container;
  event.blob = name;
  event.etag = UnquotedETag(uploaded->etag);
  event.content_length = uploaded->size;
  return event;
}

// Rows and exact sum (cents) per nation key.
struct ReferenceNation {
  std::int64_t rows = 0;
  std::int64_t sum_cents = 0;
  friend bool operator==(const ReferenceNation&, const ReferenceNation&) = default;
};
using Reference = std::map<int, ReferenceNation>;

// For well-formed TPC-H text ('|'-separated, 8 fields and a trailing '|'): splits each line,
// reads field 4 as an integer and field 6 as a decimal, both by hand.
inline Reference ReferenceFromTpch(std::string_view text) {
  Reference reference;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::string_view fields[9];
    int count = 0;
    while (count < 9) {
      const auto bar = line.find('|');
      fields[count++] = line.substr(0, bar);
      if (bar == std::string_view::npos) break;
      line.remove_prefix(bar + 1);
    }
    int nation = 0;
    std::from_chars(fields[3].data(), fields[3].data() + fields[3].size(), nation);
    std::string_view balance = fields[5];
    const bool negative = !balance.empty() && balance.front() == '-';
    if (negative) balance.remove_prefix(1);
    std::int64_t cents = 0;
    int decimals = -1;
    for (const char c : balance) {
      if (c == '.') {
        decimals = 0;
        continue;
      }
      cents = cents * 10 + (c - '0');
      if (decimals >= 0) ++decimals;
    }
    if (decimals < 0) decimals = 0;
    for (; decimals < 2; ++decimals)
      cents *= 10;
    auto& entry = reference[nation];
    entry.rows += 1;
    entry.sum_cents += negative ? -cents : cents;
  }
  return reference;
}

// The reference as `fanfold result --json` prints nations: mean rounded half away from zero.
inline std::string ReferenceMean(const ReferenceNation& nation) {
  const std::int64_t sum = nation.sum_cents;
  const std::int64_t magnitude = sum < 0 ? -sum : sum;
  std::int64_t mean = magnitude / nation.rows;
  if (2 * (magnitude % nation.rows) >= nation.rows) ++mean;
  char text[32];
  std::snprintf(text, sizeof text, "%s%lld.%02lld", (sum < 0 && mean != 0) ? "-" : "",
                static_cast<long long>(mean / 100), static_cast<long long>(mean % 100));
  return text;
}

// The reference against a job's result (MeanBalanceResult JSON: {"nations":[{"nation":0,
// "rows":N,"sum_cents":N,"mean":"4442.70"},...]}): empty when they agree, else what differs.
inline std::string DiffAgainstReference(const nlohmann::json& result, const Reference& reference) {
  std::ostringstream diff;
  const auto& nations = result.at("nations");
  if (nations.size() != reference.size()) {
    diff << nations.size() << " nations, reference " << reference.size() << "\n";
  }
  for (const auto& nation : nations) {
    const int key = nation.at("nation").get<int>();
    const auto it = reference.find(key);
    if (it == reference.end()) {
      diff << "nation " << key << " not in the reference\n";
      continue;
    }
    const auto& sum = nation.at("sum_cents");
    const std::int64_t sum_cents =
        sum.is_string() ? std::stoll(sum.get<std::string>()) : sum.get<std::int64_t>();
    if (nation.at("rows").get<std::int64_t>() != it->second.rows ||
        sum_cents != it->second.sum_cents ||
        nation.at("mean").get<std::string>() != ReferenceMean(it->second)) {
      diff << "nation " << key << ": " << nation.dump() << " vs rows " << it->second.rows << " sum "
           << it->second.sum_cents << " mean " << ReferenceMean(it->second) << "\n";
    }
  }
  return diff.str();
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string SampleCustomerPath() {
  // A path join rather than `std::string(...) + "..."`, which GCC 12 misreports at -O1 as a
  // memcpy out of bounds (-Warray-bounds) when inlined into some callers.
  return (std::filesystem::path(FANFOLD_SOURCE_DIR) / "tests/data/customer-sample.tbl").string();
}

// The decompressed SF1 customer file (24,346,144 bytes), once per process, or "" when
// ../shared/data/tpch/ is not beside the repository (the whole-file checks then skip).
inline const std::string& Sf1CustomerText() {
  static const std::string text = [] {
    const std::string path =
        std::string(FANFOLD_SOURCE_DIR) + "/../shared/data/tpch/customer-sf1.tbl.xz";
    if (!std::filesystem::exists(path) || path.find('\'') != std::string::npos)
      return std::string();
    FILE* pipe = popen(("xz -dc '" + path + "'").c_str(), "r");
    if (pipe == nullptr) return std::string();
    std::string out;
    char buffer[1 << 16];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
      out.append(buffer, got);
    if (pclose(pipe) != 0) return std::string();
    return out;
  }();
  return text;
}

}  // namespace fanfold::pipelines::test
