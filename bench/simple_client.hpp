// The "simple client" baseline: a bare libcurl loop sending one pre-signed GET again and again —
// no pipeline, no retry policy, no per-request signing, no parsing of the answer — to show what
// the same service delivers to the least a client can do. The gap between it and the fanfold
// clients on the same request is the clients' overhead; its own ceiling is the service's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/case_runner.hpp"
#include "storage/connection_string.hpp"
#include "storage/counters.hpp"

namespace fanfold::bench {

// A GET signed once. A SharedKey signature carries its x-ms-date, which Azure accepts for 15
// minutes: plenty for one benchmark case, so each case signs afresh.
struct PresignedGet {
  std::string url;                   // with the SAS token when the account uses one
  std::vector<std::string> headers;  // "Name: value", Authorization included
  storage::OperationKind kind = storage::OperationKind::kOther;
};

// Peek Messages (one message) of `queue`.
PresignedGet PresignQueuePeek(const storage::StorageAccount& account, const std::string& queue);
// Get Entity of (partition_key, row_key) in `table`, asking for the same JSON as TableClient.
PresignedGet PresignTableGet(const storage::StorageAccount& account, const std::string& table,
                             const std::string& partition_key, const std::string& row_key);

// One keep-alive curl handle per thread, each sending the same request.
class SimpleClient {
 public:
  // Records one operation and one attempt per request into `counters`, so that the baseline's
  // results carry the same fields as the fanfold clients'.
  SimpleClient(PresignedGet request, int threads, storage::StorageCounters* counters);
  ~SimpleClient();
  SimpleClient(const SimpleClient&) = delete;
  SimpleClient& operator=(const SimpleClient&) = delete;

  // Sends the request on the thread's handle; kDone for an HTTP 200.
  OpOutcome Send(OpContext& context);

 private:
  PresignedGet request_;
  storage::StorageCounters* counters_;
  void* header_list_ = nullptr;  // curl_slist*, kept opaque so curl.h stays out of headers
  std::vector<void*> handles_;   // CURL*, one per thread
};

}  // namespace fanfold::bench
