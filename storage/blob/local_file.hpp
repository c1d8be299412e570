// A local file held open by descriptor, for the Blob client's uploads and downloads: positioned
// reads (pread, so several threads read blocks of one descriptor at once), appends, and a stamp
// of size and modification time to notice a file changing under an upload. Errors are kIoError
// naming the path and the system's reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/result.hpp"

namespace fanfold::storage {

struct FileStamp {
  uint64_t size = 0;
  int64_t modified_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

class LocalFile {
 public:
  static Result<LocalFile> OpenForRead(const std::string& path);
  // Creates the file or truncates an existing one.
  static Result<LocalFile> CreateForWrite(const std::string& path);

  LocalFile(LocalFile&& other) noexcept;
  LocalFile& operator=(LocalFile&& other) noexcept;
  LocalFile(const LocalFile&) = delete;
  LocalFile& operator=(const LocalFile&) = delete;
  ~LocalFile();

  Result<FileStamp> Stamp() const;
  // Reads exactly `length` bytes at `offset` into `out`; a file shorter than that is an error.
  // Safe to call from several threads at once.
  Status ReadAt(uint64_t offset, size_t length, char* out) const;
  Status Append(std::string_view bytes);
  // Closes and reports a failed close (for a written file, the last chance to see an error).
  Status Close();

  const std::string& path() const { return path_; }

 private:
  LocalFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status Error(const char* action, int error_number) const;

  int fd_ = -1;
  std::string path_;
};

}  // namespace fanfold::storage
