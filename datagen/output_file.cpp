#include "datagen/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace fanfold::datagen {
namespace {

using storage::Result;
using storage::Status;

}  // namespace

Status ErrnoStatus(const std::string& what, const std::string& path, int error) {
  return Status::IoError(what + " " + path + ": " + std::strerror(error));
}

OutputFile::OutputFile(std::string path, std::string target, int fd, Mode mode,
                       std::size_t buffer_bytes)
    : path_(std::move(path)),
      target_(std::move(target)),
      temporary_path_(mode == Mode::kRenameIntoPlace ? target_ + ".tmp" : target_),
      fd_(fd),
      mode_(mode),
      buffer_limit_(std::max<std::size_t>(buffer_bytes, 1)) {}

Result<std::unique_ptr<OutputFile>> OutputFile::Create(const std::string& path,
                                                       std::size_t buffer_bytes) {
  if (path.empty()) return Status::InvalidArgument("the output path is empty");
  if (path == "-") {
    return std::unique_ptr<OutputFile>(
        new OutputFile(path, path, STDOUT_FILENO, Mode::kStandardOutput, buffer_bytes));
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return Status::InvalidArgument(path + " is a directory");
    if (!S_ISREG(info.st_mode)) {
      // A device or pipe (/dev/null, a FIFO): renaming a temporary over it would replace the
      // device node itself, so write to it directly.
      const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) return ErrnoStatus("cannot open", path, errno);
      return std::unique_ptr<OutputFile>(
          new OutputFile(path, path, fd, Mode::kDirect, buffer_bytes));
    }
  }
  // Through a symbolic link, replace the file it points to rather than the link.
  std::string target = path;
  if (::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
    if (char* resolved = ::realpath(path.c_str(), nullptr); resolved != nullptr) {
      target = resolved;
      std::free(resolved);
    }
  }
  const std::string temporary = target + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", temporary, errno);
  return std::unique_ptr<OutputFile>(
      new OutputFile(path, target, fd, Mode::kRenameIntoPlace, buffer_bytes));
}

OutputFile::~OutputFile() {
  if (mode_ == Mode::kStandardOutput || fd_ < 0) return;
  ::close(fd_);
  if (!committed_ && mode_ == Mode::kRenameIntoPlace) ::unlink(temporary_path_.c_str());
}

Status OutputFile::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write",
                         mode_ == Mode::kStandardOutput ? "standard output" : temporary_path_,
                         errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return Status::Ok();
}

Status OutputFile::Flush() {
  if (buffer_.empty()) return Status::Ok();
  const Status status = WriteAll(buffer_);
  buffer_.clear();
  return status;
}

Status OutputFile::Write(std::string_view bytes) {
  if (committed_) return Status::InvalidArgument("write after commit to " + path_);
  if (buffer_.size() + bytes.size() <= buffer_limit_) {
    if (buffer_.capacity() < buffer_limit_) buffer_.reserve(buffer_limit_);
    buffer_.append(bytes);
    return Status::Ok();
  }
  FANFOLD_RETURN_IF_ERROR(Flush());
  if (bytes.size() >= buffer_limit_) return WriteAll(bytes);
  buffer_.append(bytes);
  return Status::Ok();
}

Status OutputFile::Commit() {
  if (committed_) return Status::Ok();
  FANFOLD_RETURN_IF_ERROR(Flush());
  if (mode_ == Mode::kRenameIntoPlace) {
    // fsync before rename: otherwise a crash could leave PATH renamed but with missing blocks.
    if (::fsync(fd_) != 0) return ErrnoStatus("cannot sync", temporary_path_, errno);
  }
  if (mode_ != Mode::kStandardOutput) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return ErrnoStatus("cannot close", temporary_path_, errno);
  }
  if (mode_ == Mode::kRenameIntoPlace &&
      std::rename(temporary_path_.c_str(), target_.c_str()) != 0) {
    return ErrnoStatus("cannot rename " + temporary_path_ + " to", target_, errno);
  }
  committed_ = true;
  return Status::Ok();
}

}  // namespace fanfold::datagen
