// The last stage of the pipeline: sends one HTTP request and returns the answer.
// Any HTTP status is a successful transport result; only a request that got no complete answer
// (connection failure, reset, timeout) is an error Status.
#pragma once

#include "storage/http_message.hpp"
#include "storage/result.hpp"

namespace fanfold::storage {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<HttpResponse> Send(HttpRequest& request) = 0;
};

}  // namespace fanfold::storage
