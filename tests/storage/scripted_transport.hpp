// A transport for pure-logic pipeline tests: answers from a script of canned responses or
// transport failures, and records every request it saw (after all policies ran).
#pragma once

#include <deque>
#include <mutex>
#include <vector>

#include "storage/transport.hpp"

namespace fanfold::storage::test {

class ScriptedTransport final : public Transport {
 public:
  void Answer(int status, Headers headers = {}, std::string body = {}) {
    HttpResponse response;
    response.status = status;
    response.headers = std::move(headers);
    response.body = std::move(body);
    response.body_bytes = response.body.size();
    script_.emplace_back(std::move(response));
  }
  void Fail(Status status) { script_.emplace_back(std::move(status)); }

  Result<HttpResponse> Send(HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.push_back(request);
    if (script_.empty()) return Status::Transport("script exhausted");
    Result<HttpResponse> next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  const std::vector<HttpRequest>& seen() const { return seen_; }

 private:
  std::mutex mutex_;
  std::deque<Result<HttpResponse>> script_;
  std::vector<HttpRequest> seen_;
};

}  // namespace fanfold::storage::test
