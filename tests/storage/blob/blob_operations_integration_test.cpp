// Single-blob operations against the storage fixture: upload, properties, ranged downloads,
// delete, the conditional requests, and exact counters for a fixed sequence.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/storage/blob/blob_test_support.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::testing {
namespace {

using storage::BlobDownloadOptions;
using storage::BlobUploadOptions;
using storage::kToEndOfBlob;
using storage::OperationKind;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_F(BlobTest, UploadThenDownloadPropertiesAndDelete) {
  BlobUploadOptions options;
  options.content_type = "application/json";
  options.metadata = {{"owner", "fanfold"}};
  const std::string content = R"({"hello":"blob"})";
  auto uploaded = blob("doc.json").Upload(content, options);
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  EXPECT_EQ(uploaded->size, content.size());
  EXPECT_EQ(uploaded->block_count, 0u);
  EXPECT_FALSE(uploaded->etag.empty());

  auto properties = blob("doc.json").GetProperties();
  ASSERT_TRUE(properties.ok()) << properties.status().ToString();
  EXPECT_EQ(properties->size, content.size());
  EXPECT_EQ(properties->etag, uploaded->etag);
  EXPECT_EQ(properties->last_modified, uploaded->last_modified);
  EXPECT_EQ(properties->content_type, "application/json");
  EXPECT_EQ(properties->metadata, options.metadata);
  EXPECT_EQ(properties->content_md5, "q3xStMBCDJIYnHQnyOfQ1w==");  // MD5 of content, stored

  auto downloaded = blob("doc.json").DownloadToString();
  ASSERT_TRUE(downloaded.ok()) << downloaded.status().ToString();
  EXPECT_EQ(downloaded->data, content);
  EXPECT_EQ(downloaded->download.length, content.size());
  EXPECT_EQ(downloaded->download.properties.etag, uploaded->etag);
  EXPECT_EQ(downloaded->download.properties.size, content.size());
  EXPECT_EQ(downloaded->download.properties.content_type, "application/json");

  ASSERT_TRUE(blob("doc.json").Delete().ok());
  EXPECT_TRUE(blob("doc.json").GetProperties().status().IsNotFound());
  const storage::Status again = blob("doc.json").Delete();
  EXPECT_TRUE(again.IsNotFound());
  EXPECT_EQ(again.error_code(), "BlobNotFound");
  auto deleted = blob("doc.json").DeleteIfExists();
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(*deleted);
  EXPECT_TRUE(blob("doc.json").DownloadToString().status().IsNotFound());
}

TEST_F(BlobTest, NamesNeedingEscapesRoundTrip) {
  const std::string name = "dir/sub dir/\xc3\xbc file+name&x=1?#%.txt";
  ASSERT_TRUE(blob(name).Upload("escaped").ok());
  auto listed = container().ListBlobs();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->blobs.size(), 1u);
  EXPECT_EQ(listed->blobs[0].name, name);
  auto downloaded = blob(name).DownloadToString();
  ASSERT_TRUE(downloaded.ok()) << downloaded.status().ToString();
  EXPECT_EQ(downloaded->data, "escaped");
  const std::string longest(1024, 'L');
  ASSERT_TRUE(blob(longest).Upload("long").ok());
  EXPECT_EQ(blob(longest).DownloadToString()->data, "long");
}

TEST_F(BlobTest, EmptyBlobDownloadsAsNothing) {
  ASSERT_TRUE(blob("empty").Upload("").ok());
  auto downloaded = blob("empty").DownloadToString();
  ASSERT_TRUE(downloaded.ok()) << downloaded.status().ToString();
  EXPECT_EQ(downloaded->data, "");
  EXPECT_EQ(downloaded->download.length, 0u);
  EXPECT_EQ(downloaded->download.properties.size, 0u);
  EXPECT_FALSE(downloaded->download.properties.etag.empty());
  // Past the end of an empty blob is past the end.
  const auto past = blob("empty").DownloadToString(1, 10);
  EXPECT_EQ(past.status().http_status(), 416) << past.status().ToString();
}

TEST_F(BlobTest, RangesCrossingTheEndStopAtTheEnd) {
  const std::string content = Pattern(7, 0, 1000);
  ASSERT_TRUE(blob("thousand").Upload(content).ok());

  auto middle = blob("thousand").DownloadToString(100, 200);
  ASSERT_TRUE(middle.ok()) << middle.status().ToString();
  EXPECT_EQ(middle->data, content.substr(100, 200));
  EXPECT_EQ(middle->download.offset, 100u);
  EXPECT_EQ(middle->download.length, 200u);
  EXPECT_EQ(middle->download.properties.size, 1000u);

  auto crossing = blob("thousand").DownloadToString(990, 100);
  ASSERT_TRUE(crossing.ok()) << crossing.status().ToString();
  EXPECT_EQ(crossing->data, content.substr(990));
  EXPECT_EQ(crossing->download.length, 10u);

  auto to_end = blob("thousand").DownloadToString(250, kToEndOfBlob);
  ASSERT_TRUE(to_end.ok());
  EXPECT_EQ(to_end->data, content.substr(250));

  auto last_byte = blob("thousand").DownloadToString(999, 1);
  ASSERT_TRUE(last_byte.ok());
  EXPECT_EQ(last_byte->data, content.substr(999));
}

TEST_F(BlobTest, RangesStartingAtOrPastTheEndAreInvalidRange) {
  ASSERT_TRUE(blob("thousand").Upload(Pattern(7, 0, 1000)).ok());
  for (const uint64_t offset : {1000ULL, 1001ULL, 5000ULL}) {
    const auto result = blob("thousand").DownloadToString(offset, kToEndOfBlob);
    EXPECT_EQ(result.status().http_status(), 416) << offset << ": " << result.status().ToString();
    EXPECT_EQ(result.status().error_code(), "InvalidRange");
  }
  const auto before = Counters();
  EXPECT_TRUE(blob("thousand").DownloadToString(0, 0).status().IsInvalidArgument());
  EXPECT_EQ((Counters() - before).total_operations(), 0u);
}

TEST_F(BlobTest, SmallFirstChunkThenStreamedRest) {
  const std::string content = Pattern(8, 0, 100'000);
  ASSERT_TRUE(blob("chunked").Upload(content).ok());
  BlobDownloadOptions options;
  options.initial_chunk_size = 1000;
  std::vector<size_t> chunk_sizes;
  std::string received;
  const auto before = Counters();
  auto result = blob("chunked").DownloadRange(
      500, 60'000,
      [&](std::string_view chunk) {
        chunk_sizes.push_back(chunk.size());
        received.append(chunk);
        return true;
      },
      options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(received, content.substr(500, 60'000));
  EXPECT_EQ(chunk_sizes.front(), 1000u);  // the held first chunk, then streamed pieces
  EXPECT_EQ((Counters() - before).operations_of(OperationKind::kBlobRead), 2u);
}

TEST_F(BlobTest, SinkCanStopADownload) {
  ASSERT_TRUE(blob("stop").Upload(Pattern(9, 0, 50'000)).ok());
  BlobDownloadOptions options;
  options.initial_chunk_size = 100;
  int calls = 0;
  auto result = blob("stop").DownloadRange(
      0, kToEndOfBlob, [&](std::string_view) { return ++calls < 2; }, options);
  EXPECT_EQ(result.status().code(), storage::StatusCode::kAborted) << result.status().ToString();
  EXPECT_EQ(calls, 2);
}

TEST_F(BlobTest, DownloadToFileWritesTheRangeAndCleansUpOnFailure) {
  const std::string content = Pattern(10, 0, 300'000);
  ASSERT_TRUE(blob("to-file").Upload(content).ok());
  TempPath file("download");
  BlobDownloadOptions options;
  options.initial_chunk_size = 64 * 1024;
  auto result = blob("to-file").DownloadToFile(file.path(), 1000, kToEndOfBlob, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->length, content.size() - 1000);
  EXPECT_EQ(ReadFile(file.path()), content.substr(1000));

  TempPath missing("missing");
  const auto failed = blob("no-such-blob").DownloadToFile(missing.path());
  EXPECT_TRUE(failed.status().IsNotFound());
  EXPECT_FALSE(std::ifstream(missing.path()).good());
}

TEST_F(BlobTest, CreateOnceTwiceIsAConflict) {
  BlobUploadOptions once;
  once.conditions.if_none_match = "*";
  auto first = blob("once").Upload("first", once);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = blob("once").Upload("second", once);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsConflict()) << second.status().ToString();
  EXPECT_EQ(second.status().error_code(), "BlobAlreadyExists");
  EXPECT_EQ(blob("once").DownloadToString()->data, "first");
}

TEST_F(BlobTest, StaleIfMatchIsPreconditionFailedAndChangesNothing) {
  auto v1 = blob("guarded").Upload("version 1");
  ASSERT_TRUE(v1.ok());
  auto v2 = blob("guarded").Upload("version 2");
  ASSERT_TRUE(v2.ok());
  ASSERT_NE(v1->etag, v2->etag);

  BlobUploadOptions stale;
  stale.conditions.if_match = v1->etag;
  const auto rejected = blob("guarded").Upload("version 3", stale);
  EXPECT_TRUE(rejected.status().IsPreconditionFailed()) << rejected.status().ToString();
  EXPECT_EQ(rejected.status().error_code(), "ConditionNotMet");
  auto current = blob("guarded").DownloadToString();
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->data, "version 2");
  EXPECT_EQ(current->download.properties.etag, v2->etag);

  BlobDownloadOptions read_stale;
  read_stale.conditions.if_match = v1->etag;
  EXPECT_TRUE(blob("guarded")
                  .DownloadToString(0, kToEndOfBlob, read_stale)
                  .status()
                  .IsPreconditionFailed());
  storage::BlobGetPropertiesOptions head_stale;
  head_stale.conditions.if_match = v1->etag;
  EXPECT_TRUE(blob("guarded").GetProperties(head_stale).status().IsPreconditionFailed());
  storage::BlobDeleteOptions delete_stale;
  delete_stale.conditions.if_match = v1->etag;
  EXPECT_TRUE(blob("guarded").Delete(delete_stale).IsPreconditionFailed());
  EXPECT_TRUE(blob("guarded").GetProperties().ok());

  BlobUploadOptions fresh;
  fresh.conditions.if_match = v2->etag;
  auto v3 = blob("guarded").Upload("version 3", fresh);
  ASSERT_TRUE(v3.ok()) << v3.status().ToString();
  storage::BlobDeleteOptions delete_current;
  delete_current.conditions.if_match = v3->etag;
  EXPECT_TRUE(blob("guarded").Delete(delete_current).ok());
}

TEST_F(BlobTest, IfNoneMatchOnReadsIsNotModified) {
  auto uploaded = blob("cached").Upload("cached bytes");
  ASSERT_TRUE(uploaded.ok());
  BlobDownloadOptions unchanged;
  unchanged.conditions.if_none_match = uploaded->etag;
  EXPECT_EQ(blob("cached").DownloadToString(0, kToEndOfBlob, unchanged).status().http_status(),
            304);
  storage::BlobGetPropertiesOptions head;
  head.conditions.if_none_match = uploaded->etag;
  EXPECT_EQ(blob("cached").GetProperties(head).status().http_status(), 304);
  unchanged.conditions.if_none_match = "\"0x0000000000000000\"";
  EXPECT_EQ(blob("cached").DownloadToString(0, kToEndOfBlob, unchanged)->data, "cached bytes");
}

TEST_F(BlobTest, IfMatchGivenByTheCallerStreamsInOneRequest) {
  const std::string content = Pattern(11, 0, 200'000);
  auto uploaded = blob("pinned").Upload(content);
  ASSERT_TRUE(uploaded.ok());
  BlobDownloadOptions pinned;
  pinned.conditions.if_match = uploaded->etag;
  pinned.initial_chunk_size = 1000;  // unused: the version is already known
  const auto before = Counters();
  auto result = blob("pinned").DownloadToString(0, kToEndOfBlob, pinned);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->data, content);
  EXPECT_EQ((Counters() - before).operations_of(OperationKind::kBlobRead), 1u);
}

TEST_F(BlobTest, ExactCountersForASmallFileSequence) {
  TempPath file("small");
  WritePatternFile(file.path(), 5000, 12);
  const auto before = Counters();

  ASSERT_TRUE(blob("a").Upload("alpha").ok());                          // write 1
  ASSERT_TRUE(blob("b").UploadFile(file.path()).ok());                  // write 2 (below threshold)
  ASSERT_TRUE(blob("c").Upload(std::string(100, 'c')).ok());            // write 3
  ASSERT_TRUE(container().ListBlobs().ok());                            // list 1
  ASSERT_TRUE(blob("b").GetProperties().ok());                          // properties 1
  ASSERT_EQ(blob("b").DownloadToString()->data, Pattern(12, 0, 5000));  // read 1
  ASSERT_TRUE(blob("a").DownloadToString(1, 2).ok());                   // read 2
  ASSERT_TRUE(blob("a").Delete().ok());                                 // delete 1
  ASSERT_FALSE(*blob("a").DeleteIfExists());                            // delete 2 (404)
  ASSERT_TRUE(container().Delete().ok());                               // container 1

  const storage::CounterSnapshot delta = Counters() - before;
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobWrite), 3u);
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobList), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobProperties), 1u);
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobRead), 2u);
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobDelete), 2u);
  EXPECT_EQ(delta.operations_of(OperationKind::kBlobContainer), 1u);
  EXPECT_EQ(delta.total_operations(), 10u);
  EXPECT_EQ(delta.total_attempts(), 10u);
  EXPECT_EQ(delta.total_retries(), 0u);
  EXPECT_EQ(delta.bytes_sent, 5u + 5000u + 100u);
}

TEST_F(BlobTest, MetadataAndContentTypeAreValidatedBeforeSending) {
  BlobUploadOptions bad;
  bad.metadata = {{"not-an-identifier", "x"}};
  const auto before = Counters();
  EXPECT_TRUE(blob("m").Upload("x", bad).status().IsInvalidArgument());
  TempPath file("meta");
  WritePatternFile(file.path(), 10, 1);
  EXPECT_TRUE(blob("m").UploadFile(file.path(), bad).status().IsInvalidArgument());
  EXPECT_EQ((Counters() - before).total_operations(), 0u);
}

}  // namespace
}  // namespace fanfold::testing
