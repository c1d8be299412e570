#include "tests/storage/blob/blob_test_support.hpp"

#include <cstdio>
#include <fstream>

#include "storage/pipeline.hpp"
#include "storage/random_id.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::testing {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

void FillPattern(uint64_t seed, uint64_t position, size_t size, char* out) {
  for (size_t i = 0; i < size;) {
    const uint64_t at = position + i;
    const uint64_t word = SplitMix64(seed * 0x100000001B3ULL ^ (at / 8));
    for (uint64_t byte = at % 8; byte < 8 && i < size; ++byte, ++i) {
      out[i] = static_cast<char>((word >> (byte * 8)) & 0xFF);
    }
  }
}

std::string Pattern(uint64_t seed, uint64_t position, size_t size) {
  std::string out(size, '\0');
  FillPattern(seed, position, size, out.data());
  return out;
}

TempPath::TempPath(const std::string& stem)
    : path_(::testing::TempDir() + stem + "-" + storage::NewUuid()) {}

TempPath::~TempPath() {
  std::remove(path_.c_str());
}

void WritePatternFile(const std::string& path, uint64_t size, uint64_t seed) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  ASSERT_TRUE(out) << "cannot create " << path;
  std::string chunk(1 << 20, '\0');
  for (uint64_t written = 0; written < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(chunk.size(), size - written));
    FillPattern(seed, written, n, chunk.data());
    out.write(chunk.data(), static_cast<std::streamsize>(n));
    written += n;
  }
  out.close();
  ASSERT_TRUE(out) << "cannot write " << path;
}

CuttingTransport::CuttingTransport(std::shared_ptr<storage::Transport> inner)
    : inner_(std::move(inner)) {}

void CuttingTransport::Plan(std::vector<std::optional<uint64_t>> plan) {
  std::lock_guard<std::mutex> lock(mutex_);
  plan_ = std::move(plan);
  next_ = 0;
  attempts_.clear();
}

void CuttingTransport::OnCut(std::function<void()> on_cut) {
  std::lock_guard<std::mutex> lock(mutex_);
  on_cut_ = std::move(on_cut);
}

std::vector<CuttingTransport::Attempt> CuttingTransport::attempts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return attempts_;
}

storage::Result<storage::HttpResponse> CuttingTransport::Send(storage::HttpRequest& request) {
  if (!request.body_sink) return inner_->Send(request);
  std::optional<uint64_t> cut_after;
  std::function<void()> on_cut;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (next_ < plan_.size()) cut_after = plan_[next_];
    ++next_;
    attempts_.push_back({request.headers.count("x-ms-range") ? request.headers["x-ms-range"] : "",
                         request.headers.count("If-Match") ? request.headers["If-Match"] : "",
                         cut_after.has_value()});
    on_cut = on_cut_;
  }
  if (!cut_after) return inner_->Send(request);

  const storage::BodySink original = request.body_sink;
  uint64_t passed = 0;
  request.body_sink = [&](const char* data, size_t size) {
    const size_t allowed = static_cast<size_t>(std::min<uint64_t>(size, *cut_after - passed));
    if (allowed > 0 && !original(data, allowed)) return false;
    passed += allowed;
    return allowed == size;  // false stops the transfer: the cut
  };
  storage::Result<storage::HttpResponse> result = inner_->Send(request);
  request.body_sink = original;
  if (on_cut) on_cut();
  return storage::Status::Transport("test cut the connection after " + std::to_string(passed) +
                                    " body bytes");
}

void BlobTest::SetUp() {
  service_ = std::make_unique<storage::BlobServiceClient>(MakeService());
  container_name_ = UniqueName("blobtest");
  const storage::Status created = container().Create();
  ASSERT_TRUE(created.ok()) << created.ToString();
  counters_.Reset();
}

void BlobTest::TearDown() {
  if (service_) (void)container().DeleteIfExists();
}

storage::BlobServiceClient BlobTest::MakeService(std::shared_ptr<storage::Transport> transport) {
  storage::PipelineOptions options;
  options.counters = &counters_;
  options.transport = std::move(transport);
  options.retry.initial_delay = std::chrono::milliseconds(1);
  options.retry.max_delay = std::chrono::milliseconds(5);
  return storage::BlobServiceClient(TestAccount(), options);
}

}  // namespace fanfold::testing
