#include "storage/blob/blob_http.hpp"

#include <cctype>

#include "storage/blob/blob_names.hpp"
#include "storage/blob/blob_range.hpp"
#include "storage/error_response.hpp"
#include "storage/http_date.hpp"

namespace fanfold::storage {
namespace {

bool HasControlCharacter(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Status ApplyConditions(const BlobRequestConditions& conditions, HttpRequest& request) {
  if (HasControlCharacter(conditions.if_match) || HasControlCharacter(conditions.if_none_match)) {
    return Status::InvalidArgument("an ETag condition holds a control character");
  }
  if (!conditions.if_match.empty()) request.headers["If-Match"] = conditions.if_match;
  if (!conditions.if_none_match.empty())
    request.headers["If-None-Match"] = conditions.if_none_match;
  if (conditions.if_modified_since) {
    request.headers["If-Modified-Since"] = FormatRfc1123(*conditions.if_modified_since);
  }
  if (conditions.if_unmodified_since) {
    request.headers["If-Unmodified-Since"] = FormatRfc1123(*conditions.if_unmodified_since);
  }
  return Status::Ok();
}

Status ApplyMetadata(const BlobMetadata& metadata, HttpRequest& request) {
  FANFOLD_RETURN_IF_ERROR(ValidateMetadata(metadata));
  for (const auto& [name, value] : metadata)
    request.headers["x-ms-meta-" + name] = value;
  return Status::Ok();
}

BlobProperties PropertiesFromHeaders(const HttpResponse& response) {
  BlobProperties properties;
  if (const auto total = ParseContentRangeTotal(response.Header("Content-Range"))) {
    properties.size = *total;
  } else if (const auto length = ParseDecimal(response.Header("Content-Length"))) {
    properties.size = *length;
  }
  properties.etag = response.Header("ETag");
  if (const auto modified = ParseRfc1123(response.Header("Last-Modified"))) {
    properties.last_modified = *modified;
  }
  properties.content_type = response.Header("Content-Type");
  // A ranged read's Content-MD5 would be of the range; the blob's own MD5 has its own header.
  properties.content_md5 = response.Header("x-ms-blob-content-md5");
  if (properties.content_md5.empty() && response.status == 200) {
    properties.content_md5 = response.Header("Content-MD5");
  }
  constexpr std::string_view kMetaPrefix = "x-ms-meta-";
  for (const auto& [name, value] : response.headers) {
    if (StartsWithIgnoringCase(name, kMetaPrefix)) {
      properties.metadata[name.substr(kMetaPrefix.size())] = value;
    }
  }
  return properties;
}

Result<BlobUploadResult> UploadResultFrom(const Result<HttpResponse>& response, uint64_t size) {
  if (!response.ok()) return response.status();
  FANFOLD_RETURN_IF_ERROR(CheckResponse(*response));
  BlobUploadResult result;
  result.etag = response->Header("ETag");
  if (const auto modified = ParseRfc1123(response->Header("Last-Modified"))) {
    result.last_modified = *modified;
  }
  result.size = size;
  return result;
}

}  // namespace fanfold::storage
