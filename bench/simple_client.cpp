#include "bench/simple_client.hpp"

#include <curl/curl.h>

#include "storage/http_date.hpp"
#include "storage/pipeline.hpp"
#include "storage/shared_key.hpp"
#include "tablestore/table_protocol.hpp"

namespace fanfold::bench {
namespace {

using storage::HttpRequest;

size_t CountBody(char* /*data*/, size_t size, size_t count, void* received) {
  *static_cast<uint64_t*>(received) += size * count;
  return size * count;
}

// Stamps date and version, signs with the scheme the service wants, and flattens the request.
PresignedGet Presign(const storage::StorageAccount& account, HttpRequest request,
                     storage::SigningScheme scheme) {
  request.headers["x-ms-date"] = storage::FormatRfc1123(std::chrono::system_clock::now());
  request.headers["x-ms-version"] = storage::kStorageApiVersion;
  const storage::StorageCredential& credential = account.credential;
  if (credential.has_sas()) {
    request.url.AppendRawQuery(credential.sas_token);
  } else if (credential.has_key()) {
    const std::string to_sign =
        scheme == storage::SigningScheme::kTable
            ? storage::TableStringToSign(request, credential.account_name)
            : storage::BlobQueueStringToSign(request, credential.account_name);
    request.headers["Authorization"] = "SharedKey " + credential.account_name + ':' +
                                       storage::SignString(credential.account_key, to_sign);
  }
  PresignedGet out;
  out.url = request.url.ToString();
  out.kind = request.kind;
  for (const auto& [name, value] : request.headers)
    out.headers.push_back(name + ": " + value);
  return out;
}

}  // namespace

PresignedGet PresignQueuePeek(const storage::StorageAccount& account, const std::string& queue) {
  HttpRequest request;
  request.method = storage::HttpMethod::kGet;
  request.url = account.queue_endpoint;
  request.url.AppendPath(queue).AppendPath("messages").AddQuery("peekonly", "true");
  request.kind = storage::OperationKind::kQueuePeek;
  return Presign(account, std::move(request), storage::SigningScheme::kBlobOrQueue);
}

PresignedGet PresignTableGet(const storage::StorageAccount& account, const std::string& table,
                             const std::string& partition_key, const std::string& row_key) {
  HttpRequest request;
  request.method = storage::HttpMethod::kGet;
  request.url = tablestore::ResourceUrl(account.table_endpoint,
                                        tablestore::EntityResource(table, partition_key, row_key));
  request.kind = storage::OperationKind::kTableRead;
  tablestore::AddODataHeaders(request);
  return Presign(account, std::move(request), storage::SigningScheme::kTable);
}

SimpleClient::SimpleClient(PresignedGet request, int threads, storage::StorageCounters* counters)
    : request_(std::move(request)), counters_(counters) {
  curl_slist* list = nullptr;
  for (const std::string& header : request_.headers)
    list = curl_slist_append(list, header.c_str());
  header_list_ = list;
  for (int t = 0; t < threads; ++t) {
    CURL* handle = curl_easy_init();
    curl_easy_setopt(handle, CURLOPT_URL, request_.url.c_str());
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, CountBody);
    handles_.push_back(handle);
  }
}

SimpleClient::~SimpleClient() {
  for (void* handle : handles_)
    curl_easy_cleanup(static_cast<CURL*>(handle));
  curl_slist_free_all(static_cast<curl_slist*>(header_list_));
}

OpOutcome SimpleClient::Send(OpContext& context) {
  CURL* handle = static_cast<CURL*>(handles_[context.thread]);
  uint64_t received = 0;
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &received);
  const CURLcode code = curl_easy_perform(handle);
  long status = 0;
  if (code == CURLE_OK) curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  counters_->RecordOperation(request_.kind);
  counters_->RecordAttempt(request_.kind, 0, received, static_cast<int>(status));
  if (code != CURLE_OK) {
    *context.error = std::string("curl: ") + curl_easy_strerror(code);
    return OpOutcome::kFailed;
  }
  if (status != 200) {
    *context.error = "HTTP " + std::to_string(status);
    return OpOutcome::kFailed;
  }
  return OpOutcome::kDone;
}

}  // namespace fanfold::bench
