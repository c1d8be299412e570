// The HTTP pipeline: an ordered chain of policies ending in a transport. Cross-cutting concerns
// (request ids, retries, dates, signing, counting) live here once instead of at each call site.
#pragma once

#include <memory>
#include <vector>

#include "storage/http_message.hpp"
#include "storage/result.hpp"
#include "storage/transport.hpp"

namespace fanfold::storage {

class Pipeline;

// The rest of the chain after a policy.
class NextPolicy {
 public:
  NextPolicy(const Pipeline& pipeline, size_t index) : pipeline_(pipeline), index_(index) {}
  Result<HttpResponse> operator()(HttpRequest& request) const;

 private:
  const Pipeline& pipeline_;
  size_t index_;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual Result<HttpResponse> Send(HttpRequest& request, const NextPolicy& next) const = 0;
};

class Pipeline {
 public:
  Pipeline(std::vector<std::unique_ptr<Policy>> policies, std::shared_ptr<Transport> transport);
  Result<HttpResponse> Send(HttpRequest& request) const;

 private:
  friend class NextPolicy;
  std::vector<std::unique_ptr<Policy>> policies_;
  std::shared_ptr<Transport> transport_;
};

}  // namespace fanfold::storage
