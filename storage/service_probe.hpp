// One cheap authorized request per service (list one container, one queue, one table), timed.
// It answers "can this process reach and use the account?" for `fanfold doctor` and for
// start-up checks, without creating anything.
#pragma once

#include <chrono>
#include <string>

#include "storage/connection_string.hpp"
#include "storage/pipeline.hpp"

namespace fanfold::storage {

enum class StorageService { kBlob, kQueue, kTable };
const char* StorageServiceName(StorageService service);

struct ProbeResult {
  StorageService service;
  std::string endpoint;  // without query: never a SAS
  Status status;         // OK, or why the service is unusable
  std::chrono::microseconds round_trip{0};
};

ProbeResult ProbeService(const StorageAccount& account, StorageService service,
                         const PipelineOptions& options = {});

}  // namespace fanfold::storage
