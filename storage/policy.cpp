#include "storage/policy.hpp"

namespace fanfold::storage {

Result<HttpResponse> NextPolicy::operator()(HttpRequest& request) const {
  if (index_ < pipeline_.policies_.size()) {
    return pipeline_.policies_[index_]->Send(request, NextPolicy(pipeline_, index_ + 1));
  }
  return pipeline_.transport_->Send(request);
}

Pipeline::Pipeline(std::vector<std::unique_ptr<Policy>> policies,
                   std::shared_ptr<Transport> transport)
    : policies_(std::move(policies)), transport_(std::move(transport)) {}

Result<HttpResponse> Pipeline::Send(HttpRequest& request) const {
  return NextPolicy(*this, 0)(request);
}

}  // namespace fanfold::storage
