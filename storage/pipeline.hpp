// Builds the standard storage pipeline. Its order is fixed because it matters: the retry policy
// sits before the date and signing policies, so every attempt carries a fresh x-ms-date and a
// fresh signature; attempts are counted last, so the counters see what went on the wire.
#pragma once

#include <memory>

#include "storage/counters.hpp"
#include "storage/credential.hpp"
#include "storage/policy.hpp"
#include "storage/retry_policy.hpp"
#include "storage/transport.hpp"

namespace fanfold::storage {

enum class SigningScheme {
  kBlobOrQueue,  // SharedKey as the Blob and Queue services define it
  kTable,        // SharedKey with the Table service's shorter string-to-sign
};

struct PipelineOptions {
  RetryOptions retry;
  // Defaults to one CurlTransport shared by every pipeline of the process.
  std::shared_ptr<Transport> transport;
  // Defaults to StorageCounters::Global().
  StorageCounters* counters = nullptr;
};

// count operation → request id → retry → date and version → sign → count attempt → transport.
std::shared_ptr<const Pipeline> MakeStoragePipeline(const StorageCredential& credential,
                                                    SigningScheme scheme,
                                                    const PipelineOptions& options = {});

// The transport MakeStoragePipeline uses when none is given.
std::shared_ptr<Transport> DefaultTransport();
// Replaces it for pipelines made from now on (a worker wraps it to inject faults in drills).
void SetDefaultTransport(std::shared_ptr<Transport> transport);

// The x-ms-version fanfold speaks.
inline constexpr const char* kStorageApiVersion = "2021-12-02";

}  // namespace fanfold::storage
