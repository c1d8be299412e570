#include "storage/blob/local_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace fanfold::storage {
namespace {

Status OpenError(const char* action, const std::string& path, int error_number) {
  return Status::IoError(std::string("cannot ") + action + " '" + path +
                         "': " + std::strerror(error_number));
}

}  // namespace

Result<LocalFile> LocalFile::OpenForRead(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OpenError("open", path, errno);
  return LocalFile(fd, path);
}

Result<LocalFile> LocalFile::CreateForWrite(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return OpenError("create", path, errno);
  return LocalFile(fd, path);
}

LocalFile::LocalFile(LocalFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

LocalFile& LocalFile::operator=(LocalFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

LocalFile::~LocalFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status LocalFile::Error(const char* action, int error_number) const {
  return OpenError(action, path_, error_number);
}

Result<FileStamp> LocalFile::Stamp() const {
  struct stat info {};
  if (::fstat(fd_, &info) != 0) return Error("stat", errno);
  if (!S_ISREG(info.st_mode)) return Status::IoError("'" + path_ + "' is not a regular file");
  return FileStamp{
      static_cast<uint64_t>(info.st_size),
      static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

Status LocalFile::ReadAt(uint64_t offset, size_t length, char* out) const {
  size_t done = 0;
  while (done < length) {
    const ssize_t got = ::pread(fd_, out + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error("read", errno);
    }
    if (got == 0) {
      return Status::IoError("'" + path_ + "' ended at byte " + std::to_string(offset + done) +
                             ", before the " + std::to_string(length) + " bytes expected at " +
                             std::to_string(offset));
    }
    done += static_cast<size_t>(got);
  }
  return Status::Ok();
}

Status LocalFile::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return Error("write", errno);
    }
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

Status LocalFile::Close() {
  if (fd_ < 0) return Status::Ok();
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return Error("close", errno);
  return Status::Ok();
}

}  // namespace fanfold::storage
