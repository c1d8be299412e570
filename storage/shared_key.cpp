#include "storage/shared_key.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "storage/ascii_text.hpp"
#include "storage/crypto.hpp"

namespace fanfold::storage {
namespace {

std::string HeaderOrEmpty(const HttpRequest& request, const char* name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? std::string() : it->second;
}

std::string Trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

std::string BlobQueueStringToSign(const HttpRequest& request, const std::string& account_name) {
  // Content-Length is empty when zero (API versions from 2015-02-21 on).
  const std::string content_length =
      request.body.empty() ? std::string() : std::to_string(request.body.size());
  std::string out;
  out += HttpMethodName(request.method);
  out += '\n';
  out += HeaderOrEmpty(request, "Content-Encoding") + '\n';
  out += HeaderOrEmpty(request, "Content-Language") + '\n';
  out += content_length + '\n';
  out += HeaderOrEmpty(request, "Content-MD5") + '\n';
  out += HeaderOrEmpty(request, "Content-Type") + '\n';
  out += '\n';  // Date: we always send x-ms-date instead
  out += HeaderOrEmpty(request, "If-Modified-Since") + '\n';
  out += HeaderOrEmpty(request, "If-Match") + '\n';
  out += HeaderOrEmpty(request, "If-None-Match") + '\n';
  out += HeaderOrEmpty(request, "If-Unmodified-Since") + '\n';
  out += HeaderOrEmpty(request, "Range") + '\n';

  std::vector<std::pair<std::string, std::string>> ms_headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower = AsciiLower(name);
    if (lower.rfind("x-ms-", 0) == 0) ms_headers.emplace_back(std::move(lower), Trimmed(value));
  }
  std::sort(ms_headers.begin(), ms_headers.end());
  for (const auto& [name, value] : ms_headers)
    out += name + ':' + value + '\n';

  out += '/' + account_name + request.url.path;
  std::map<std::string, std::vector<std::string>> parameters;
  for (const auto& [name, value] : request.url.query)
    parameters[AsciiLower(name)].push_back(value);
  for (auto& [name, values] : parameters) {
    std::sort(values.begin(), values.end());
    out += '\n' + name + ':';
    for (size_t i = 0; i < values.size(); ++i)
      out += (i == 0 ? "" : ",") + values[i];
  }
  return out;
}

std::string TableStringToSign(const HttpRequest& request, const std::string& account_name) {
  std::string out;
  out += HttpMethodName(request.method);
  out += '\n';
  out += HeaderOrEmpty(request, "Content-MD5") + '\n';
  out += HeaderOrEmpty(request, "Content-Type") + '\n';
  out += HeaderOrEmpty(request, "x-ms-date") + '\n';
  out += '/' + account_name + request.url.path;
  for (const auto& [name, value] : request.url.query) {
    if (AsciiLower(name) == "comp") {
      out += "?comp=" + value;
      break;
    }
  }
  return out;
}

std::string SignString(const std::string& account_key, const std::string& string_to_sign) {
  return Base64Encode(HmacSha256(account_key, string_to_sign));
}

Result<HttpResponse> SigningPolicy::Send(HttpRequest& request, const NextPolicy& next) const {
  if (credential_.has_sas()) {
    // The token goes on this attempt only; the request keeps its unsigned URL for the next one.
    const Url unsigned_url = request.url;
    request.url.AppendRawQuery(credential_.sas_token);
    Result<HttpResponse> result = next(request);
    request.url = unsigned_url;
    return result;
  }
  if (credential_.has_key()) {
    const std::string to_sign = scheme_ == SigningScheme::kTable
                                    ? TableStringToSign(request, credential_.account_name)
                                    : BlobQueueStringToSign(request, credential_.account_name);
    request.headers["Authorization"] = "SharedKey " + credential_.account_name + ':' +
                                       SignString(credential_.account_key, to_sign);
  }
  return next(request);
}

}  // namespace fanfold::storage
