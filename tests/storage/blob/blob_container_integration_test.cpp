// Containers and listings against the storage fixture: create/delete outcomes as values, names
// refused before sending, and paging that returns every item exactly once.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/storage/blob/blob_test_support.hpp"
#include "tests/support/storage_test_environment.hpp"

namespace fanfold::testing {
namespace {

using storage::OperationKind;

TEST_F(BlobTest, CreateIsAValueWhenTheContainerExists) {
  const storage::Status again = container().Create();
  EXPECT_TRUE(again.IsConflict()) << again.ToString();
  EXPECT_EQ(again.error_code(), "ContainerAlreadyExists");

  storage::Result<bool> created = container().CreateIfNotExists();
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE(*created);

  auto fresh = service_->GetContainerClient(UniqueName("blobfresh"));
  created = fresh.CreateIfNotExists();
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(*created);
  storage::Result<bool> deleted = fresh.DeleteIfExists();
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_TRUE(*deleted);
  EXPECT_EQ(Counters().operations_of(OperationKind::kBlobContainer), 4u);
}

TEST_F(BlobTest, DeletingAMissingContainerIsNotFound) {
  auto missing = service_->GetContainerClient(UniqueName("blobmissing"));
  const storage::Status status = missing.Delete();
  EXPECT_TRUE(status.IsNotFound()) << status.ToString();
  EXPECT_EQ(status.error_code(), "ContainerNotFound");
  storage::Result<bool> deleted = missing.DeleteIfExists();
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(*deleted);
  // Operations on blobs of a missing container are NotFound too.
  EXPECT_TRUE(missing.GetBlobClient("x").GetProperties().status().IsNotFound());
}

TEST_F(BlobTest, InvalidNamesFailBeforeAnythingIsSent) {
  const auto before = Counters();
  for (const char* name : {"UpperCase", "ab", "double--hyphen", "under_score"}) {
    auto bad = service_->GetContainerClient(name);
    EXPECT_TRUE(bad.Create().IsInvalidArgument()) << name;
    EXPECT_TRUE(bad.ListBlobs().status().IsInvalidArgument()) << name;
    EXPECT_TRUE(bad.GetBlobClient("ok").Upload("x").status().IsInvalidArgument()) << name;
  }
  EXPECT_TRUE(blob("").Upload("x").status().IsInvalidArgument());
  EXPECT_TRUE(blob(std::string(1025, 'n')).Upload("x").status().IsInvalidArgument());
  EXPECT_TRUE(blob(std::string(1025, 'n')).DownloadToString().status().IsInvalidArgument());
  EXPECT_EQ((Counters() - before).total_operations(), 0u);
}

TEST_F(BlobTest, ListContainersPagesByPrefix) {
  const std::string prefix = UniqueName("blobpage").substr(0, 16);
  std::set<std::string> expected;
  for (int i = 0; i < 5; ++i) {
    const std::string name = prefix + "x" + std::to_string(i);
    ASSERT_TRUE(service_->GetContainerClient(name).Create().ok());
    expected.insert(name);
  }
  std::multiset<std::string> seen;
  storage::ListContainersOptions options;
  options.prefix = prefix;
  options.max_results = 2;
  int pages = 0;
  const auto before = Counters();
  do {
    storage::Result<storage::BlobContainerListPage> page = service_->ListContainers(options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_LE(page->containers.size(), 2u);
    for (const auto& item : page->containers) {
      seen.insert(item.name);
      EXPECT_EQ(item.etag.front(), '"');
      EXPECT_GT(item.last_modified.time_since_epoch().count(), 0);
    }
    options.marker = page->next_marker;
    ++pages;
  } while (!options.marker.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ((Counters() - before).operations_of(OperationKind::kBlobList), 3u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
  EXPECT_EQ(seen.size(), expected.size());  // nobody listed twice
  for (const auto& name : expected) {
    ASSERT_TRUE(service_->GetContainerClient(name).Delete().ok());
  }
}

TEST_F(BlobTest, ListBlobsPagesOfTenReturnEachOfTwentyFiveOnce) {
  std::map<std::string, storage::BlobUploadResult> uploaded;
  storage::BlobUploadOptions upload_options;
  upload_options.content_type = "text/plain";
  for (int i = 0; i < 25; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "page/item-%02d.txt", i);
    auto result = blob(name).Upload(std::string(static_cast<size_t>(i), 'p'), upload_options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    uploaded.emplace(name, *result);
  }
  ASSERT_TRUE(blob("other/outside-prefix").Upload("x").ok());

  storage::ListBlobsOptions options;
  options.prefix = "page/";
  options.max_results = 10;
  std::vector<size_t> page_sizes;
  std::vector<std::string> seen;
  const auto before = Counters();
  do {
    storage::Result<storage::BlobListPage> page = container().ListBlobs(options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    page_sizes.push_back(page->blobs.size());
    for (const auto& item : page->blobs) {
      seen.push_back(item.name);
      const auto it = uploaded.find(item.name);
      ASSERT_NE(it, uploaded.end()) << item.name;
      EXPECT_EQ(item.size, it->second.size);
      EXPECT_EQ(item.etag, it->second.etag);
      EXPECT_EQ(item.content_type, "text/plain");
      EXPECT_GT(item.last_modified.time_since_epoch().count(), 0);
    }
    options.marker = page->next_marker;
  } while (!options.marker.empty());
  EXPECT_EQ(page_sizes, (std::vector<size_t>{10, 10, 5}));
  EXPECT_EQ((Counters() - before).operations_of(OperationKind::kBlobList), 3u);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  storage::ListBlobsOptions all;
  all.max_results = 7;
  storage::Result<std::vector<storage::BlobItem>> everything = container().ListAllBlobs(all);
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->size(), 26u);
}

TEST_F(BlobTest, ListBlobsCanIncludeMetadata) {
  storage::BlobUploadOptions options;
  options.metadata = {{"owner", "fanfold"}, {"stage", "2"}};
  ASSERT_TRUE(blob("with-metadata").Upload("m", options).ok());
  storage::ListBlobsOptions list;
  list.include_metadata = true;
  auto page = container().ListBlobs(list);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->blobs.size(), 1u);
  EXPECT_EQ(page->blobs[0].metadata, options.metadata);
  auto without = container().ListBlobs();
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->blobs[0].metadata.empty());
}

TEST_F(BlobTest, ListingAnEmptyContainerIsOneEmptyPage) {
  auto page = container().ListBlobs();
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_TRUE(page->blobs.empty());
  EXPECT_TRUE(page->next_marker.empty());
  storage::ListBlobsOptions too_many;
  too_many.max_results = 5001;
  EXPECT_TRUE(container().ListBlobs(too_many).status().IsInvalidArgument());
}

}  // namespace
}  // namespace fanfold::testing
