// UploadFile against the storage fixture: the single-Put-Blob and block paths, parallel blocks,
// conditions on the committing Put Block List, and failures that must not commit anything.
#include <gtest/gtest.h>

#include "storage/fault_injecting_transport.hpp"
#include "storage/pipeline.hpp"
#include "tests/storage/blob/blob_test_support.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::testing {
namespace {

using storage::BlobUploadOptions;
using storage::OperationKind;

BlobUploadOptions SmallBlocks(int concurrency) {
  BlobUploadOptions options;
  options.transfer.single_upload_threshold = 256 * 1024;
  options.transfer.block_size = 256 * 1024;
  options.transfer.concurrency = concurrency;
  return options;
}

TEST_F(BlobTest, LargeFileGoesUpInParallelBlocks) {
  TempPath file("blocks");
  const uint64_t size = 1024 * 1024 + 1;  // four full blocks and one byte
  WritePatternFile(file.path(), size, 31);
  BlobUploadOptions options = SmallBlocks(3);
  options.content_type = "application/x-fanfold";
  options.metadata = {{"source", "file"}};
  const auto before = Counters();
  auto uploaded = blob("blocks").UploadFile(file.path(), options);
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  EXPECT_EQ(uploaded->size, size);
  EXPECT_EQ(uploaded->block_count, 5u);
  const auto delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobWrite), 6u);  // 5 Put Block + Put Block List
  EXPECT_EQ(delta.total_operations(), 6u);

  auto properties = blob("blocks").GetProperties();
  ASSERT_TRUE(properties.ok());
  EXPECT_EQ(properties->size, size);
  EXPECT_EQ(properties->etag, uploaded->etag);
  EXPECT_EQ(properties->content_type, "application/x-fanfold");
  EXPECT_EQ(properties->metadata, options.metadata);
  auto downloaded = blob("blocks").DownloadToString();
  ASSERT_TRUE(downloaded.ok());
  EXPECT_TRUE(downloaded->data == Pattern(31, 0, size));
}

TEST_F(BlobTest, OneWorkerUploadsBlocksInOrderToo) {
  TempPath file("serial");
  WritePatternFile(file.path(), 700'000, 32);
  auto uploaded = blob("serial").UploadFile(file.path(), SmallBlocks(1));
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  EXPECT_EQ(uploaded->block_count, 3u);
  EXPECT_TRUE(blob("serial").DownloadToString()->data == Pattern(32, 0, 700'000));
}

TEST_F(BlobTest, FileAtTheThresholdIsOnePutBlob) {
  TempPath file("threshold");
  WritePatternFile(file.path(), 256 * 1024, 33);
  const auto before = Counters();
  auto uploaded = blob("threshold").UploadFile(file.path(), SmallBlocks(4));
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  EXPECT_EQ(uploaded->block_count, 0u);
  EXPECT_EQ((Counters() - before).operations_of(OperationKind::kBlobWrite), 1u);

  TempPath empty("empty");
  WritePatternFile(empty.path(), 0, 0);
  auto nothing = blob("empty").UploadFile(empty.path(), SmallBlocks(4));
  ASSERT_TRUE(nothing.ok()) << nothing.status().ToString();
  EXPECT_EQ(blob("empty").GetProperties()->size, 0u);
}

TEST_F(BlobTest, CreateOnceInBlocksConflictsOnTheSecondCommit) {
  TempPath first("first");
  TempPath second("second");
  WritePatternFile(first.path(), 600'000, 34);
  WritePatternFile(second.path(), 600'000, 35);
  BlobUploadOptions once = SmallBlocks(4);
  once.conditions.if_none_match = "*";
  ASSERT_TRUE(blob("once").UploadFile(first.path(), once).ok());
  auto again = blob("once").UploadFile(second.path(), once);
  EXPECT_TRUE(again.status().IsConflict()) << again.status().ToString();
  EXPECT_EQ(again.status().error_code(), "BlobAlreadyExists");
  EXPECT_TRUE(blob("once").DownloadToString()->data == Pattern(34, 0, 600'000));
}

TEST_F(BlobTest, StaleIfMatchOnABlockUploadLeavesTheBlobAlone) {
  auto original = blob("guarded").Upload("original");
  ASSERT_TRUE(original.ok());
  ASSERT_TRUE(blob("guarded").Upload("replaced").ok());
  TempPath file("guarded");
  WritePatternFile(file.path(), 600'000, 36);
  BlobUploadOptions stale = SmallBlocks(2);
  stale.conditions.if_match = original->etag;
  auto result = blob("guarded").UploadFile(file.path(), stale);
  EXPECT_TRUE(result.status().IsPreconditionFailed()) << result.status().ToString();
  EXPECT_EQ(blob("guarded").DownloadToString()->data, "replaced");
}

TEST_F(BlobTest, FailedBlocksCommitNothing) {
  auto faulty = std::make_shared<storage::FaultInjectingTransport>(storage::DefaultTransport(),
                                                                   storage::FaultOptions{});
  storage::BlobServiceClient failing = MakeService(faulty);
  storage::FaultOptions always_broken;
  always_broken.internal_error_rate = 1.0;
  faulty->set_options(always_broken);
  TempPath file("failing");
  WritePatternFile(file.path(), 1024 * 1024, 37);
  const auto before = Counters();
  auto result = failing.GetContainerClient(container_name_)
                    .GetBlobClient("never")
                    .UploadFile(file.path(), SmallBlocks(1));
  EXPECT_EQ(result.status().http_status(), 500) << result.status().ToString();
  const auto delta = Counters() - before;
  // One worker: the first block fails after its retries and nothing else is sent.
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobWrite), 1u);
  EXPECT_EQ(delta.attempts_of(OperationKind::kBlobWrite), 6u);
  EXPECT_TRUE(blob("never").GetProperties().status().IsNotFound());
}

TEST_F(BlobTest, UnreadableFilesAndBadTransferOptionsAreRefusedLocally) {
  const auto before = Counters();
  auto missing = blob("x").UploadFile("/nonexistent/fanfold/file");
  EXPECT_EQ(missing.status().code(), storage::StatusCode::kIoError);
  EXPECT_NE(missing.status().message().find("/nonexistent/fanfold/file"), std::string::npos);
  EXPECT_EQ(blob("x").UploadFile(::testing::TempDir()).status().code(),
            storage::StatusCode::kIoError);  // a directory
  TempPath file("options");
  WritePatternFile(file.path(), 10, 1);
  BlobUploadOptions bad;
  bad.transfer.concurrency = 0;
  EXPECT_TRUE(blob("x").UploadFile(file.path(), bad).status().IsInvalidArgument());
  bad = {};
  bad.transfer.block_size = 0;
  EXPECT_TRUE(blob("x").UploadFile(file.path(), bad).status().IsInvalidArgument());
  EXPECT_EQ((Counters() - before).total_operations(), 0u);
}

}  // namespace
}  // namespace fanfold::testing
