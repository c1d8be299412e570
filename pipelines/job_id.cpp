#include "pipelines/job_id.hpp"

#include <cctype>

#include "storage/crypto.hpp"

namespace fanfold::pipelines {
namespace {

constexpr std::size_t kSlugMax = 40;

std::string Slug(std::string_view blob) {
  // The file name only: "2026/11/customer.tbl" reads as "customer-tbl".
  const auto slash = blob.find_last_of('/');
  if (slash != std::string_view::npos) blob.remove_prefix(slash + 1);
  std::string slug;
  for (const char c : blob) {
    if (slug.size() == kSlugMax) break;
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0) {
      slug.push_back(static_cast<char>(std::tolower(u)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  return slug.empty() ? "job" : slug;
}

}  // namespace

std::string UnquotedETag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

std::string QuotedETag(std::string_view etag) {
  return "\"" + UnquotedETag(etag) + "\"";
}

std::string MakeJobId(std::string_view container, std::string_view blob, std::string_view etag) {
  // NUL separators: no (container, blob, etag) triple can be spelled as another.
  std::string identity(container);
  identity.push_back('\0');
  identity.append(blob);
  identity.push_back('\0');
  identity.append(UnquotedETag(etag));
  return Slug(blob) + "-" + storage::LowerHex(storage::Sha256(identity)).substr(0, 16);
}

}  // namespace fanfold::pipelines
