// A buffered output file that appears under its name only once complete: bytes go to "PATH.tmp",
// and Commit() flushes, fsyncs and renames it over PATH. Destroying an uncommitted file removes
// the temporary, so a failed or interrupted run never leaves a truncated file under the real
// name (a crash may leave PATH.tmp behind; the next run truncates it). Written directly, never
// renamed: "-" (standard output) and an existing PATH that is not a regular file, such as
// /dev/null or a FIFO, since renaming over it would replace the device node itself. Through a
// symbolic link, the file it points to is replaced, not the link.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "storage/result.hpp"

namespace fanfold::datagen {

// kIoError "WHAT PATH: <the system's reason for errno ERROR>", for every file error of datagen.
storage::Status ErrnoStatus(const std::string& what, const std::string& path, int error);

class OutputFile {
 public:
  // Creates (truncating) PATH.tmp, opens a non-regular PATH, or wraps stdout for "-".
  // `buffer_bytes` (>= 1) is how much is gathered before each write(2); larger writes go straight
  // through.
  static storage::Result<std::unique_ptr<OutputFile>> Create(const std::string& path,
                                                             std::size_t buffer_bytes = 1 << 20);

  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  storage::Status Write(std::string_view bytes);
  // Flush, fsync, close, rename. Nothing may be written after it.
  storage::Status Commit();

  const std::string& path() const { return path_; }
  bool is_stdout() const { return mode_ == Mode::kStandardOutput; }

 private:
  enum class Mode { kRenameIntoPlace, kDirect, kStandardOutput };
  OutputFile(std::string path, std::string target, int fd, Mode mode, std::size_t buffer_bytes);
  storage::Status Flush();
  storage::Status WriteAll(std::string_view bytes);

  std::string path_;            // as given
  std::string target_;          // what Commit replaces: path_, or the file a link points to
  std::string temporary_path_;  // where the bytes go: target_ + ".tmp", or target_ when direct
  int fd_;
  Mode mode_;
  bool committed_ = false;
  std::size_t buffer_limit_;
  std::string buffer_;
};

}  // namespace fanfold::datagen
