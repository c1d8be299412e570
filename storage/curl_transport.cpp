#include "storage/curl_transport.hpp"

#include <curl/curl.h>

#include <cctype>
#include <mutex>
#include <string_view>

#include "storage/ascii_text.hpp"

namespace fanfold::storage {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

void EnsureCurlGlobal() {
  static CurlGlobal global;
}

struct TransferState {
  HttpRequest* request;
  HttpResponse* response;
  CURL* handle;
  bool sink_aborted = false;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 100 Continue or a redirect) starts a fresh header set.
    state->response->headers.clear();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    state->response->headers[std::string(TrimAsciiSpace(line.substr(0, colon)))] =
        std::string(TrimAsciiSpace(line.substr(colon + 1)));
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  const size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(state->handle, CURLINFO_RESPONSE_CODE, &status);
  state->response->body_bytes += bytes;
  if (state->request->body_sink && status >= 200 && status < 300) {
    if (!state->request->body_sink(data, bytes)) {
      state->sink_aborted = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return bytes;
  }
  state->response->body.append(data, bytes);
  return bytes;
}

Status TransportFailure(CURLcode code, const char* detail) {
  std::string message = curl_easy_strerror(code);
  if (detail != nullptr && detail[0] != '\0') message += std::string(" (") + detail + ")";
  if (code == CURLE_OPERATION_TIMEDOUT) return Status::Timeout(message);
  return Status::Transport(message);
}

}  // namespace

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(options) {
  EnsureCurlGlobal();
}

CurlTransport::~CurlTransport() {
  for (void* handle : idle_handles_)
    curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* CurlTransport::AcquireHandle() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_handles_.empty()) {
      void* handle = idle_handles_.back();
      idle_handles_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlTransport::ReleaseHandle(void* handle) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_handles_.push_back(handle);
}

Result<HttpResponse> CurlTransport::Send(HttpRequest& request) {
  CURL* handle = static_cast<CURL*>(AcquireHandle());
  if (handle == nullptr) return Status::Transport("curl_easy_init failed");
  // Reset options but keep the handle's open connections and caches.
  curl_easy_reset(handle);

  HttpResponse response;
  TransferState state{&request, &response, handle};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const std::string url = request.url.ToString();

  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  // The path goes out exactly as it was signed: without this, libcurl squashes "/./" and "/../"
  // (RFC 3986 dot segments), so the request would either fail its signature or name another
  // resource than the one the caller asked for.
  curl_easy_setopt(handle, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  if (request.timeout.count() > 0) {
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  } else {
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, options_.stall_bytes_per_second);
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(options_.stall_time.count()));
  }
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &state);

  switch (request.method) {
    case HttpMethod::kGet:
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
      break;
    case HttpMethod::kHead:
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
      break;
    default:
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, HttpMethodName(request.method));
      break;
  }
  const bool has_body = request.method == HttpMethod::kPut || request.method == HttpMethod::kPost ||
                        request.method == HttpMethod::kMerge ||
                        request.method == HttpMethod::kPatch || !request.body.empty();
  if (has_body) {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }

  // Every header we send was signed; stop curl from adding ones that were not.
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : request.headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  if (request.headers.find("Content-Type") == request.headers.end()) {
    header_list = curl_slist_append(header_list, "Content-Type:");
  }
  header_list = curl_slist_append(header_list, "Expect:");
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list);

  const CURLcode code = curl_easy_perform(handle);
  curl_slist_free_all(header_list);

  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  if (code != CURLE_OK) {
    // A failed transfer may leave the connection in an unknown state: do not reuse it.
    curl_easy_cleanup(handle);
    if (state.sink_aborted) return Status::Aborted("the response consumer stopped the download");
    return TransportFailure(code, error_buffer);
  }
  ReleaseHandle(handle);
  return response;
}

}  // namespace fanfold::storage
