#include "storage/fault_injecting_transport.hpp"

#include <thread>

namespace fanfold::storage {
namespace {

HttpResponse ErrorAnswer(int status, const char* code, const char* message) {
  HttpResponse response;
  response.status = status;
  response.headers["x-ms-error-code"] = code;
  response.headers["x-ms-request-id"] = "fault-injected";
  response.body = std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>") + code +
                  "</Code><Message>" + message + "</Message></Error>";
  response.body_bytes = response.body.size();
  return response;
}

}  // namespace

FaultInjectingTransport::FaultInjectingTransport(std::shared_ptr<Transport> inner,
                                                 FaultOptions options)
    : inner_(std::move(inner)), options_(options), random_(options.seed) {}

void FaultInjectingTransport::set_options(const FaultOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  options_ = options;
}

FaultCounts FaultInjectingTransport::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

FaultInjectingTransport::Fault FaultInjectingTransport::Draw(FaultOptions* options_out) {
  std::lock_guard<std::mutex> lock(mutex_);
  *options_out = options_;
  ++counts_.requests;
  double draw = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  const std::pair<double, Fault> table[] = {
      {options_.server_busy_rate, Fault::kServerBusy},
      {options_.internal_error_rate, Fault::kInternalError},
      {options_.timeout_rate, Fault::kTimeout},
      {options_.reset_rate, Fault::kReset},
      {options_.lost_response_rate, Fault::kLostResponse},
  };
  for (const auto& [rate, fault] : table) {
    if (draw < rate) {
      switch (fault) {
        case Fault::kServerBusy:
          ++counts_.server_busy;
          break;
        case Fault::kInternalError:
          ++counts_.internal_error;
          break;
        case Fault::kTimeout:
          ++counts_.timeouts;
          break;
        case Fault::kReset:
          ++counts_.resets;
          break;
        case Fault::kLostResponse:
          ++counts_.lost_responses;
          break;
        case Fault::kNone:
          break;
      }
      return fault;
    }
    draw -= rate;
  }
  return Fault::kNone;
}

Result<HttpResponse> FaultInjectingTransport::Send(HttpRequest& request) {
  FaultOptions options;
  const Fault fault = Draw(&options);
  if (options.added_latency.count() > 0) std::this_thread::sleep_for(options.added_latency);
  switch (fault) {
    case Fault::kServerBusy:
      return ErrorAnswer(503, "ServerBusy", "Injected fault: the server is busy.");
    case Fault::kInternalError:
      return ErrorAnswer(500, "InternalError", "Injected fault: internal error.");
    case Fault::kTimeout:
      return Status::Timeout("injected fault: operation timed out");
    case Fault::kReset:
      return Status::Transport("injected fault: connection reset by peer");
    case Fault::kLostResponse: {
      Result<HttpResponse> ignored = inner_->Send(request);
      (void)ignored;
      return Status::Transport("injected fault: connection reset after the request was sent");
    }
    case Fault::kNone:
      break;
  }
  return inner_->Send(request);
}

}  // namespace fanfold::storage
