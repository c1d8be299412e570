// The request and response that travel through the HTTP pipeline.
// A request keeps its URL structured (see Url) because SharedKey signing needs the encoded path
// and the decoded query separately. A response body is either buffered or, when the request has
// a body sink, streamed to the sink as it arrives (only for 2xx answers; error bodies are always
// buffered so they can be parsed into a Status).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "storage/counters.hpp"
#include "storage/url.hpp"

namespace fanfold::storage {

enum class HttpMethod { kGet, kHead, kPut, kPost, kDelete, kMerge, kPatch };
const char* HttpMethodName(HttpMethod method);

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

// Receives a chunk of a streamed response body; returning false aborts the transfer.
using BodySink = std::function<bool(const char* data, size_t size)>;

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  Url url;
  Headers headers;
  std::string body;
  // Whole-request limit; zero means none (long streamed downloads), in which case the transport
  // still gives up on a connection that delivers nothing for a while.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  OperationKind kind = OperationKind::kOther;
  BodySink body_sink;
  // Called by the retry policy before each new attempt, so that a request whose previous attempt
  // already streamed part of its answer can ask only for the rest (a ranged read resumes).
  std::function<void(HttpRequest&)> before_retry;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;         // empty when streamed to the request's sink
  uint64_t body_bytes = 0;  // bytes received, buffered or streamed

  // Header value or "" when absent.
  const std::string& Header(std::string_view name) const;
  bool IsSuccess() const { return status >= 200 && status < 300; }
};

}  // namespace fanfold::storage
