// A transport wrapper that makes storage misbehave on purpose, for tests: it answers a chosen
// share of requests with 503 ServerBusy or 500 InternalError, fails them with a timeout or a
// connection reset, or adds latency. By default faults strike before the request reaches the
// service (so the service never saw it); lost_response_rate instead lets the service act and
// then drops its answer, the ambiguous case a client must also survive.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>

#include "storage/transport.hpp"

namespace fanfold::storage {

struct FaultOptions {
  double server_busy_rate = 0;     // answer 503 ServerBusy
  double internal_error_rate = 0;  // answer 500 InternalError
  double timeout_rate = 0;         // fail with a timeout
  double reset_rate = 0;           // fail with a connection reset
  double lost_response_rate = 0;   // send, then fail with a reset as if the answer was lost
  std::chrono::milliseconds added_latency{0};
  uint64_t seed = 42;
};

struct FaultCounts {
  uint64_t requests = 0;
  uint64_t server_busy = 0;
  uint64_t internal_error = 0;
  uint64_t timeouts = 0;
  uint64_t resets = 0;
  uint64_t lost_responses = 0;
  uint64_t total_faults() const {
    return server_busy + internal_error + timeouts + resets + lost_responses;
  }
};

class FaultInjectingTransport final : public Transport {
 public:
  FaultInjectingTransport(std::shared_ptr<Transport> inner, FaultOptions options);
  Result<HttpResponse> Send(HttpRequest& request) override;

  // Faults can be switched on and off while requests run (for example around a setup phase).
  void set_options(const FaultOptions& options);
  FaultCounts counts() const;

 private:
  enum class Fault { kNone, kServerBusy, kInternalError, kTimeout, kReset, kLostResponse };
  Fault Draw(FaultOptions* options_out);

  std::shared_ptr<Transport> inner_;
  mutable std::mutex mutex_;
  FaultOptions options_;
  std::mt19937_64 random_;
  FaultCounts counts_;
};

}  // namespace fanfold::storage
