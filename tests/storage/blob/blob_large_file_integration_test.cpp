// The 200 MiB round trip: a generated file (never held in memory) goes up in 25 parallel blocks
// of the default 8 MiB and comes back byte-identical, checked chunk by chunk against the file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "tests/storage/blob/blob_test_support.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::testing {
namespace {

using storage::kMiB;
using storage::OperationKind;

// Peak resident memory of this process so far, from /proc (0 when unavailable).
uint64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

TEST_F(BlobTest, TwoHundredMebibyteFileRoundTripsInBlocks) {
  const uint64_t size = 200 * kMiB;
  TempPath file("large");
  WritePatternFile(file.path(), size, 200);
  const uint64_t peak_before = PeakResidentBytes();

  const auto before_upload = Counters();
  auto uploaded = blob("large.bin").UploadFile(file.path());  // defaults: 8 MiB × 4
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  EXPECT_EQ(uploaded->size, size);
  EXPECT_EQ(uploaded->block_count, 25u);
  const auto upload = Counters() - before_upload;
  EXPECT_EQ(upload.operations_of(OperationKind::kBlobWrite), 26u);  // 25 Put Block + 1 list
  EXPECT_EQ(upload.total_operations(), 26u);
  EXPECT_GE(upload.bytes_sent, size);

  auto properties = blob("large.bin").GetProperties();
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(properties->size, size);
  EXPECT_EQ(properties->etag, uploaded->etag);

  const int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  std::string expected;
  uint64_t position = 0;
  size_t largest_chunk = 0;
  bool identical = true;
  const auto before_download = Counters();
  auto downloaded =
      blob("large.bin").DownloadRange(0, storage::kToEndOfBlob, [&](std::string_view chunk) {
        largest_chunk = std::max(largest_chunk, chunk.size());
        expected.resize(chunk.size());
        const ssize_t got =
            ::pread(fd, expected.data(), chunk.size(), static_cast<off_t>(position));
        if (got != static_cast<ssize_t>(chunk.size()) ||
            std::memcmp(expected.data(), chunk.data(), chunk.size()) != 0) {
          identical = false;
          return false;
        }
        position += chunk.size();
        return true;
      });
  ::close(fd);
  ASSERT_TRUE(downloaded.ok()) << downloaded.status().ToString();
  EXPECT_TRUE(identical) << "first difference in the chunk at byte " << position;
  EXPECT_EQ(position, size);
  EXPECT_EQ(downloaded->length, size);
  EXPECT_EQ(downloaded->properties.etag, uploaded->etag);
  // The held first chunk is the largest piece; everything after it streamed.
  EXPECT_EQ(largest_chunk, storage::BlobDownloadOptions{}.initial_chunk_size);
  EXPECT_EQ((Counters() - before_download).operations_of(OperationKind::kBlobRead), 2u);

  // Neither direction held the file: concurrency × block size plus the first chunk, and slack
  // for the allocator, stays well below one copy of it.
  const uint64_t peak_after = PeakResidentBytes();
  RecordProperty("peak_resident_growth_mib", std::to_string((peak_after - peak_before) / kMiB));
  if (peak_before > 0) {
    EXPECT_LT(peak_after - peak_before, 128 * kMiB);
  }
}

}  // namespace
}  // namespace fanfold::testing
