#include "datagen/line_splitter.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include "datagen/output_file.hpp"

namespace fanfold::datagen {
namespace {

namespace fs = std::filesystem;
using storage::Result;
using storage::Status;

constexpr std::size_t kReadBytes = std::size_t{1} << 20;
constexpr std::size_t kAllOutputBuffersBytes = std::size_t{64} << 20;

// The input, read front to back in fixed chunks, any number of times.
class InputFile {
 public:
  ~InputFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Open(const std::string& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return ErrnoStatus("cannot open input", path, errno);
    struct stat info {};
    if (::fstat(fd_, &info) != 0) return ErrnoStatus("cannot stat input", path, errno);
    if (!S_ISREG(info.st_mode)) return Status::InvalidArgument(path + " is not a regular file");
    buffer_.resize(kReadBytes);
    return Status::Ok();
  }

  Status Rewind() {
    if (::lseek(fd_, 0, SEEK_SET) != 0) return ErrnoStatus("cannot rewind", path_, errno);
    return Status::Ok();
  }

  // The next chunk; empty at the end of the file.
  Result<std::string_view> Read() {
    for (;;) {
      const ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
      if (got >= 0) return std::string_view(buffer_.data(), static_cast<std::size_t>(got));
      if (errno != EINTR) return ErrnoStatus("cannot read", path_, errno);
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::string buffer_;
};

// Length of the prefix of `bytes` holding up to `lines` complete lines; sets *found to how many.
std::size_t PrefixOfLines(std::string_view bytes, std::int64_t lines, std::int64_t* found) {
  std::size_t end = 0;
  *found = 0;
  while (*found < lines) {
    const void* newline = std::memchr(bytes.data() + end, '\n', bytes.size() - end);
    if (newline == nullptr) break;
    end = static_cast<std::size_t>(static_cast<const char*>(newline) - bytes.data()) + 1;
    ++*found;
  }
  return end;
}

struct Part {
  SplitPart summary;
  std::unique_ptr<OutputFile> file;
};

Status WriteTo(Part& part, std::string_view bytes) {
  part.summary.bytes += bytes.size();
  return part.file->Write(bytes);
}

// Pass 1 of a contiguous split: lines (a final unterminated one included) and bytes.
Status CountLines(InputFile& input, SplitStats* stats) {
  char last = '\n';
  for (;;) {
    auto chunk = input.Read();
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) break;
    stats->lines += std::count(chunk->begin(), chunk->end(), '\n');
    stats->bytes += chunk->size();
    last = chunk->back();
  }
  if (last != '\n') ++stats->lines;
  return Status::Ok();
}

// Lines of part `index` (0-based) when `lines` are shared by `parts`: the first lines % parts
// parts take one extra.
std::int64_t ContiguousQuota(std::int64_t lines, std::size_t parts, std::size_t index) {
  const auto count = static_cast<std::int64_t>(parts);
  return lines / count + (static_cast<std::int64_t>(index) < lines % count ? 1 : 0);
}

Status SplitContiguous(InputFile& input, std::vector<Part>& parts, SplitStats* stats) {
  FANFOLD_RETURN_IF_ERROR(CountLines(input, stats));
  FANFOLD_RETURN_IF_ERROR(input.Rewind());
  const Status changed = Status::IoError("the input changed while it was being split");
  std::size_t current = 0;
  std::int64_t quota = ContiguousQuota(stats->lines, parts.size(), 0);
  std::uint64_t copied = 0;
  std::int64_t lines_copied = 0;
  char last = '\n';
  for (;;) {
    auto chunk = input.Read();
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) break;
    copied += chunk->size();
    last = chunk->back();
    std::string_view rest = *chunk;
    while (!rest.empty()) {
      while (quota == 0 && current + 1 < parts.size()) {
        quota = ContiguousQuota(stats->lines, parts.size(), ++current);
      }
      if (quota == 0) return changed;  // more lines than pass 1 counted
      std::int64_t found = 0;
      // Fewer than `quota` newlines left in the chunk: all of it belongs to this part, the tail
      // being the start of a line that ends in the next chunk (or the unterminated last line).
      const std::size_t end = PrefixOfLines(rest, quota, &found);
      const std::size_t take = found == quota ? end : rest.size();
      FANFOLD_RETURN_IF_ERROR(WriteTo(parts[current], rest.substr(0, take)));
      parts[current].summary.lines += found;
      lines_copied += found;
      quota -= found;
      rest.remove_prefix(take);
    }
  }
  if (last != '\n') {  // the unterminated last line, counted in pass 1, has no '\n' to find
    ++parts[current].summary.lines;
    ++lines_copied;
  }
  if (copied != stats->bytes || lines_copied != stats->lines) return changed;
  return Status::Ok();
}

Status SplitRoundRobin(InputFile& input, std::vector<Part>& parts, SplitStats* stats) {
  std::size_t current = 0;
  bool mid_line = false;  // the current part has the start of a line that is not finished yet
  for (;;) {
    auto chunk = input.Read();
    if (!chunk.ok()) return chunk.status();
    if (chunk->empty()) break;
    stats->bytes += chunk->size();
    std::string_view rest = *chunk;
    while (!rest.empty()) {
      const void* newline = std::memchr(rest.data(), '\n', rest.size());
      if (newline == nullptr) {
        FANFOLD_RETURN_IF_ERROR(WriteTo(parts[current], rest));
        mid_line = true;
        break;
      }
      const auto take =
          static_cast<std::size_t>(static_cast<const char*>(newline) - rest.data()) + 1;
      FANFOLD_RETURN_IF_ERROR(WriteTo(parts[current], rest.substr(0, take)));
      ++parts[current].summary.lines;
      ++stats->lines;
      mid_line = false;
      current = (current + 1) % parts.size();
      rest.remove_prefix(take);
    }
  }
  if (mid_line) {
    ++parts[current].summary.lines;
    ++stats->lines;
  }
  return Status::Ok();
}

Status PrepareOutputDirectory(const fs::path& dir) {
  std::error_code error;
  if (fs::exists(dir, error)) {
    if (!fs::is_directory(dir, error)) {
      return Status::IoError("output directory " + dir.string() + " is not a directory");
    }
    return Status::Ok();
  }
  fs::create_directories(dir, error);
  if (error) {
    return Status::IoError("cannot create output directory " + dir.string() + ": " +
                           error.message());
  }
  return Status::Ok();
}

}  // namespace

std::string PartFileName(std::string_view prefix, int index, std::string_view extension) {
  std::string digits = std::to_string(index);
  if (digits.size() < 5) digits.insert(0, 5 - digits.size(), '0');
  std::string name(prefix);
  name += '-';
  name += digits;
  name += extension;
  return name;
}

Result<SplitStats> SplitFile(const std::string& input_path, const SplitOptions& options) {
  if (options.parts < 1 || options.parts > kMaxSplitParts) {
    return Status::InvalidArgument("the number of parts must be between 1 and " +
                                   std::to_string(kMaxSplitParts));
  }
  const auto started = std::chrono::steady_clock::now();
  InputFile input;
  FANFOLD_RETURN_IF_ERROR(input.Open(input_path));
  const fs::path source(input_path);
  const std::string prefix = options.prefix.empty() ? source.stem().string() : options.prefix;
  if (prefix.find('/') != std::string::npos) {
    return Status::InvalidArgument("the prefix must be a file name, not a path: use -o DIR");
  }
  const fs::path dir(options.output_dir.empty() ? "." : options.output_dir);
  FANFOLD_RETURN_IF_ERROR(PrepareOutputDirectory(dir));

  const std::size_t buffer_bytes = std::clamp<std::size_t>(
      kAllOutputBuffersBytes / static_cast<std::size_t>(options.parts), 64 << 10, 1 << 20);
  std::vector<Part> parts(static_cast<std::size_t>(options.parts));
  for (int i = 0; i < options.parts; ++i) {
    Part& part = parts[static_cast<std::size_t>(i)];
    part.summary.path = (dir / PartFileName(prefix, i + 1, source.extension().string())).string();
    std::error_code error;
    for (const std::string& candidate : {part.summary.path, part.summary.path + ".tmp"}) {
      if (fs::exists(candidate, error) && fs::equivalent(candidate, source, error)) {
        return Status::InvalidArgument("part " + candidate +
                                       " would overwrite the input: choose another -o or --prefix");
      }
    }
    auto file = OutputFile::Create(part.summary.path, buffer_bytes);
    if (!file.ok()) return file.status();
    part.file = std::move(file).value();
  }

  SplitStats stats;
  FANFOLD_RETURN_IF_ERROR(options.round_robin ? SplitRoundRobin(input, parts, &stats)
                                              : SplitContiguous(input, parts, &stats));
  for (auto& part : parts)
    FANFOLD_RETURN_IF_ERROR(part.file->Commit());
  for (auto& part : parts)
    stats.parts.push_back(std::move(part.summary));
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace fanfold::datagen
