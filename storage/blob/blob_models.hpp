// What the Blob client hands back: containers, blobs, their properties, and the outcomes of
// uploads and downloads. ETags are always kept in the quoted form the service puts in headers
// ("\"0x8D...\""), whatever form a listing used, so any ETag can go straight into If-Match.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fanfold::storage {

// Metadata names are C# identifiers (Azure compares them case-insensitively); values are ASCII.
using BlobMetadata = std::map<std::string, std::string>;

struct BlobContainerItem {
  std::string name;
  std::string etag;
  std::chrono::system_clock::time_point last_modified;
};

struct BlobContainerListPage {
  std::vector<BlobContainerItem> containers;
  // Pass as ListContainersOptions::marker to get the next page; empty on the last page.
  std::string next_marker;
};

struct BlobItem {
  std::string name;
  uint64_t size = 0;
  std::string etag;
  std::chrono::system_clock::time_point last_modified;
  std::string content_type;
  std::string content_md5;  // Base64, as stored by the service; empty when it holds none
  BlobMetadata metadata;    // filled only when the listing asked for metadata
  // "available", "leased", "expired", "breaking" or "broken" (Lease Blob's states).
  std::string lease_state;
};

struct BlobListPage {
  std::vector<BlobItem> blobs;
  // Pass as ListBlobsOptions::marker to get the next page; empty on the last page.
  std::string next_marker;
};

struct BlobProperties {
  uint64_t size = 0;  // of the whole blob, also when a download read only a range of it
  std::string etag;
  std::chrono::system_clock::time_point last_modified;
  std::string content_type;
  std::string content_md5;  // Base64; empty when the service holds none
  BlobMetadata metadata;
};

struct BlobUploadResult {
  std::string etag;
  std::chrono::system_clock::time_point last_modified;
  uint64_t size = 0;
  // Number of Put Block calls; 0 when the content went up in one Put Blob.
  uint32_t block_count = 0;
};

struct BlobDownloadResult {
  // The version that was read: every byte delivered came from this ETag.
  BlobProperties properties;
  uint64_t offset = 0;  // first byte delivered
  uint64_t length = 0;  // bytes delivered (fewer than asked when the range crossed the end)
};

struct BlobContent {
  std::string data;
  BlobDownloadResult download;
};

}  // namespace fanfold::storage
