#include "storage/pipeline.hpp"

#include <mutex>

#include "storage/curl_transport.hpp"
#include "storage/header_policies.hpp"
#include "storage/shared_key.hpp"

namespace fanfold::storage {

namespace {

std::mutex default_transport_mutex;

std::shared_ptr<Transport>& DefaultTransportSlot() {
  static std::shared_ptr<Transport> transport = std::make_shared<CurlTransport>();
  return transport;
}

}  // namespace

std::shared_ptr<Transport> DefaultTransport() {
  const std::lock_guard<std::mutex> lock(default_transport_mutex);
  return DefaultTransportSlot();
}

void SetDefaultTransport(std::shared_ptr<Transport> transport) {
  const std::lock_guard<std::mutex> lock(default_transport_mutex);
  DefaultTransportSlot() = std::move(transport);
}

std::shared_ptr<const Pipeline> MakeStoragePipeline(const StorageCredential& credential,
                                                    SigningScheme scheme,
                                                    const PipelineOptions& options) {
  StorageCounters* counters =
      options.counters != nullptr ? options.counters : &StorageCounters::Global();
  std::vector<std::unique_ptr<Policy>> policies;
  policies.push_back(std::make_unique<OperationCountingPolicy>(counters));
  policies.push_back(std::make_unique<RequestIdPolicy>());
  policies.push_back(std::make_unique<RetryPolicy>(options.retry, counters));
  policies.push_back(std::make_unique<DateAndVersionPolicy>(kStorageApiVersion));
  policies.push_back(std::make_unique<SigningPolicy>(credential, scheme));
  policies.push_back(std::make_unique<AttemptCountingPolicy>(counters));
  return std::make_shared<const Pipeline>(
      std::move(policies), options.transport ? options.transport : DefaultTransport());
}

}  // namespace fanfold::storage
