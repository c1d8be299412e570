// Helpers of the Blob integration tests: a fixture with its own container and counters,
// reproducible content that any range of can be recomputed (so large files are checked chunk by
// chunk, never held whole), temporary files, and a transport that cuts downloads midway.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/blob/blob_service_client.hpp"
#include "storage/counters.hpp"
#include "storage/transport.hpp"

namespace fanfold::testing {

// Byte `position` of the reproducible content named by `seed`.
void FillPattern(uint64_t seed, uint64_t position, size_t size, char* out);
std::string Pattern(uint64_t seed, uint64_t position, size_t size);

// A file path under the test temp directory, removed when this goes out of scope.
class TempPath {
 public:
  explicit TempPath(const std::string& stem);
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes `size` bytes of Pattern(seed) to `path`, 1 MiB at a time.
void WritePatternFile(const std::string& path, uint64_t size, uint64_t seed);

// Passes requests to `inner`, but can cut streamed downloads: the n-th streamed request (one
// with a body sink) gets plan[n] — nullopt lets it through, a number K lets at most K body
// bytes reach the client and then fails the attempt as a reset connection (even when the body
// was shorter: the connection then broke just after the last byte). It records the x-ms-range
// and If-Match of every streamed attempt, and calls on_cut after each cut.
class CuttingTransport final : public storage::Transport {
 public:
  explicit CuttingTransport(std::shared_ptr<storage::Transport> inner);
  storage::Result<storage::HttpResponse> Send(storage::HttpRequest& request) override;

  void Plan(std::vector<std::optional<uint64_t>> plan);
  void OnCut(std::function<void()> on_cut);

  struct Attempt {
    std::string range;
    std::string if_match;
    bool cut = false;
  };
  std::vector<Attempt> attempts() const;

 private:
  std::shared_ptr<storage::Transport> inner_;
  mutable std::mutex mutex_;
  std::vector<std::optional<uint64_t>> plan_;
  size_t next_ = 0;
  std::function<void()> on_cut_;
  std::vector<Attempt> attempts_;
};

// Each test gets a fresh container and private counters, so counter deltas are exact.
class BlobTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A client on the test account whose pipeline counts into counters_ and sends through
  // `transport` (the default transport when null). Retries wait only a millisecond.
  storage::BlobServiceClient MakeService(std::shared_ptr<storage::Transport> transport = nullptr);

  storage::BlobContainerClient container() const {
    return service_->GetContainerClient(container_name_);
  }
  storage::BlobClient blob(const std::string& name) const {
    return container().GetBlobClient(name);
  }
  storage::CounterSnapshot Counters() const { return counters_.Snapshot(); }

  storage::StorageCounters counters_;
  std::unique_ptr<storage::BlobServiceClient> service_;
  std::string container_name_;
};

}  // namespace fanfold::testing
