// Options of the Blob client's operations. Every field has a default that suits fanfold, so
// `{}` is always a valid argument; limits Azure would refuse are checked before anything is sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "storage/blob/blob_models.hpp"

namespace fanfold::storage {

inline constexpr uint64_t kMiB = 1024 * 1024;
// A download length meaning "up to the end of the blob".
inline constexpr uint64_t kToEndOfBlob = std::numeric_limits<uint64_t>::max();

// HTTP conditions on the blob's current version. Unset fields send nothing.
// Failed If-Match / If-Unmodified-Since answer 412; If-None-Match: "*" on an upload makes it
// create-once (409 BlobAlreadyExists when the blob exists); on a read, a matching If-None-Match
// or an unmet If-Modified-Since answers 304 (a Status with http_status() 304).
struct BlobRequestConditions {
  std::string if_match;       // an ETag, or "*" for "any existing blob"
  std::string if_none_match;  // an ETag, or "*" for "only if the blob does not exist"
  std::optional<std::chrono::system_clock::time_point> if_modified_since;
  std::optional<std::chrono::system_clock::time_point> if_unmodified_since;
};

struct ListContainersOptions {
  std::string prefix;   // only containers whose names start with it; default all
  std::string marker;   // next_marker of the previous page; default the first page
  int max_results = 0;  // page size, 1..5000; 0 (default) lets the service choose (5000)
};

struct ListBlobsOptions {
  std::string prefix;             // only blobs whose names start with it; default all
  std::string marker;             // next_marker of the previous page; default the first page
  int max_results = 0;            // page size, 1..5000; 0 (default) lets the service choose (5000)
  bool include_metadata = false;  // default off: metadata makes every page larger
};

// How UploadFile splits a file. Memory held at once is about concurrency × block_size (or the
// whole file when it goes up in a single Put Blob, hence a threshold of the same order).
struct BlobTransferOptions {
  // Files up to this size go up in one Put Blob; larger ones in blocks. Default 8 MiB.
  uint64_t single_upload_threshold = 8 * kMiB;
  // Bytes per Put Block, 1 byte..4000 MiB; a file may need at most 50,000 blocks. Default 8 MiB.
  uint64_t block_size = 8 * kMiB;
  // Put Block calls in flight at once, >= 1. Default 4.
  int concurrency = 4;
};

struct BlobUploadOptions {
  // Stored Content-Type; empty (default) leaves the service's application/octet-stream.
  std::string content_type;
  BlobMetadata metadata;  // default none
  // For a block upload they apply to the final Put Block List, which is what replaces the blob;
  // the blocks themselves are invisible until then.
  BlobRequestConditions conditions;
  // Send Content-MD5 with each body (Put Blob, or each Put Block) so the service rejects bytes
  // damaged in transit. Default on: MD5 costs far less than the network.
  bool verify_content_md5 = true;
  BlobTransferOptions transfer;  // used by UploadFile only
  // Whole-request limit of each data-carrying request; zero (default) means none, leaving the
  // transport's stall detection to catch a dead connection.
  std::chrono::milliseconds timeout{0};
};

struct BlobDownloadOptions {
  // Applied to the first request; every later request of the same download is also pinned to
  // the ETag the first one saw (If-Match), so a blob replaced mid-download fails with 412
  // instead of mixing versions.
  BlobRequestConditions conditions;
  // Unless conditions.if_match already names the version, the first request reads at most this
  // many bytes and holds them until its response confirms which ETag they belong to; the rest of
  // the range then streams straight to the sink. Default 4 MiB; at least 1.
  uint64_t initial_chunk_size = 4 * kMiB;
  // Whole-request limit; zero (default) means none (see BlobUploadOptions::timeout).
  std::chrono::milliseconds timeout{0};
};

struct BlobGetPropertiesOptions {
  BlobRequestConditions conditions;
};

struct BlobDeleteOptions {
  BlobRequestConditions conditions;
  // Delete the blob's snapshots with it; without this Azure refuses (409 SnapshotsPresent) to
  // delete a blob that has any. Default on.
  bool include_snapshots = true;
};

}  // namespace fanfold::storage
