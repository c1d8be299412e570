// Downloads cut midway, against the storage fixture: the retry resumes from the first byte the
// sink has not had, pinned to the first answer's ETag, and a blob replaced in between fails
// with 412 instead of mixing versions. CuttingTransport drops real Azurite answers after a
// chosen number of body bytes, so the resume path runs over the real HTTP stack.
#include <gtest/gtest.h>

#include "storage/pipeline.hpp"
#include "tests/storage/blob/blob_test_support.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::testing {
namespace {

using storage::BlobDownloadOptions;
using storage::kToEndOfBlob;
using storage::OperationKind;

class BlobResumeTest : public BlobTest {
 protected:
  void SetUp() override {
    BlobTest::SetUp();
    cutter_ = std::make_shared<CuttingTransport>(storage::DefaultTransport());
    cutting_service_ = std::make_unique<storage::BlobServiceClient>(MakeService(cutter_));
  }
  storage::BlobClient cutting_blob(const std::string& name) const {
    return cutting_service_->GetContainerClient(container_name_).GetBlobClient(name);
  }

  std::shared_ptr<CuttingTransport> cutter_;
  std::unique_ptr<storage::BlobServiceClient> cutting_service_;
};

TEST_F(BlobResumeTest, ResumesFromTheFirstUndeliveredByte) {
  const std::string content = Pattern(21, 0, 1 << 20);
  auto uploaded = blob("resume").Upload(content);
  ASSERT_TRUE(uploaded.ok());
  // First request whole; the streamed rest cut after 100,000 and then 50,000 more bytes.
  cutter_->Plan({std::nullopt, 100'000, 50'000});
  BlobDownloadOptions options;
  options.initial_chunk_size = 65'536;
  const auto before = Counters();
  auto result = cutting_blob("resume").DownloadToString(0, kToEndOfBlob, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->data.size(), content.size());
  EXPECT_TRUE(result->data == content);
  EXPECT_EQ(result->download.properties.etag, uploaded->etag);

  const auto delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 2u);
  EXPECT_EQ(delta.attempts_of(OperationKind::kBlobRead), 4u);
  EXPECT_EQ(delta.retries_of(OperationKind::kBlobRead), 2u);

  const auto attempts = cutter_->attempts();
  ASSERT_EQ(attempts.size(), 4u);
  EXPECT_EQ(attempts[0].range, "bytes=0-65535");
  EXPECT_EQ(attempts[0].if_match, "");
  EXPECT_EQ(attempts[1].range, "bytes=65536-1048575");
  EXPECT_EQ(attempts[1].if_match, uploaded->etag);
  // Each resume starts one byte before the first undelivered one (which is skipped).
  EXPECT_EQ(attempts[2].range, "bytes=165535-1048575");
  EXPECT_EQ(attempts[2].if_match, uploaded->etag);
  EXPECT_EQ(attempts[3].range, "bytes=215534-1048575");
  EXPECT_EQ(attempts[3].if_match, uploaded->etag);
}

TEST_F(BlobResumeTest, CutInsideTheHeldFirstChunkRestartsIt) {
  const std::string content = Pattern(22, 0, 200'000);
  ASSERT_TRUE(blob("restart").Upload(content).ok());
  cutter_->Plan({1000, std::nullopt, std::nullopt});
  BlobDownloadOptions options;
  options.initial_chunk_size = 50'000;
  std::vector<size_t> chunk_sizes;
  std::string received;
  auto result = cutting_blob("restart").DownloadRange(
      10, kToEndOfBlob,
      [&](std::string_view chunk) {
        chunk_sizes.push_back(chunk.size());
        received.append(chunk);
        return true;
      },
      options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(received == content.substr(10));
  // The 1000 bytes of the cut attempt never reached the sink: its first chunk is whole.
  EXPECT_EQ(chunk_sizes.front(), 50'000u);
  const auto attempts = cutter_->attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].range, "bytes=10-50009");
  EXPECT_EQ(attempts[1].range, "bytes=10-50009");
  EXPECT_EQ(attempts[1].if_match, "");
  EXPECT_EQ(attempts[2].range, "bytes=50010-199999");
  EXPECT_FALSE(attempts[2].if_match.empty());
}

TEST_F(BlobResumeTest, CutAfterTheLastByteNeitherRepeatsNorLosesBytes) {
  const std::string content = Pattern(23, 0, 10'000);
  auto uploaded = blob("tail").Upload(content);
  ASSERT_TRUE(uploaded.ok());
  BlobDownloadOptions pinned;
  pinned.conditions.if_match = uploaded->etag;

  // Open-ended: every byte arrives, then the connection breaks.
  cutter_->Plan({20'000});
  auto whole = cutting_blob("tail").DownloadToString(0, kToEndOfBlob, pinned);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_TRUE(whole->data == content);
  auto attempts = cutter_->attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].range, "bytes=0-");
  EXPECT_EQ(attempts[1].range, "bytes=9999-");  // inside the blob, so never a 416

  // Bounded range, same story.
  cutter_->Plan({20'000});
  auto part = cutting_blob("tail").DownloadToString(100, 500, pinned);
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_TRUE(part->data == content.substr(100, 500));
  attempts = cutter_->attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].range, "bytes=100-599");
  EXPECT_EQ(attempts[1].range, "bytes=599-599");
}

TEST_F(BlobResumeTest, BlobReplacedMidDownloadFailsWithPreconditionFailed) {
  const std::string old_content = Pattern(24, 0, 500'000);
  ASSERT_TRUE(blob("replaced").Upload(old_content).ok());
  cutter_->Plan({std::nullopt, 10'000});
  cutter_->OnCut([this] { ASSERT_TRUE(blob("replaced").Upload(Pattern(25, 0, 500'000)).ok()); });
  BlobDownloadOptions options;
  options.initial_chunk_size = 65'536;
  std::string received;
  auto result = cutting_blob("replaced")
                    .DownloadRange(
                        0, kToEndOfBlob,
                        [&](std::string_view chunk) {
                          received.append(chunk);
                          return true;
                        },
                        options);
  EXPECT_TRUE(result.status().IsPreconditionFailed()) << result.status().ToString();
  EXPECT_EQ(result.status().error_code(), "ConditionNotMet");
  // The sink holds a prefix of the old version only.
  EXPECT_EQ(received.size(), 65'536u + 10'000u);
  EXPECT_TRUE(received == old_content.substr(0, received.size()));
}

TEST_F(BlobResumeTest, GivesUpAfterTheRetryBudget) {
  ASSERT_TRUE(blob("flaky").Upload(Pattern(26, 0, 100'000)).ok());
  // Default budget: 5 retries, so six cut attempts exhaust it.
  cutter_->Plan({std::nullopt, 10, 10, 10, 10, 10, 10});
  BlobDownloadOptions options;
  options.initial_chunk_size = 1000;
  std::string received;
  auto result = cutting_blob("flaky").DownloadRange(
      0, kToEndOfBlob,
      [&](std::string_view chunk) {
        received.append(chunk);
        return true;
      },
      options);
  EXPECT_TRUE(result.status().IsTransport()) << result.status().ToString();
  // 1000 held bytes, then 10 + 9 × 5 (each resume repeats one byte, which is skipped).
  EXPECT_EQ(received.size(), 1000u + 10u + 5u * 9u);
  EXPECT_TRUE(received == Pattern(26, 0, received.size()));
}

}  // namespace
}  // namespace fanfold::testing
