#include "storage/service_probe.hpp"

#include "storage/error_response.hpp"

namespace fanfold::storage {

const char* StorageServiceName(StorageService service) {
  switch (service) {
    case StorageService::kBlob:
      return "blob";
    case StorageService::kQueue:
      return "queue";
    case StorageService::kTable:
      return "table";
  }
  return "?";
}

ProbeResult ProbeService(const StorageAccount& account, StorageService service,
                         const PipelineOptions& options) {
  HttpRequest request;
  request.timeout = std::chrono::seconds(10);
  SigningScheme scheme = SigningScheme::kBlobOrQueue;
  switch (service) {
    case StorageService::kBlob:
    case StorageService::kQueue:
      request.url =
          service == StorageService::kBlob ? account.blob_endpoint : account.queue_endpoint;
      request.kind =
          service == StorageService::kBlob ? OperationKind::kBlobList : OperationKind::kQueueAdmin;
      request.url.AddQuery("comp", "list");
      request.url.AddQuery("maxresults", "1");
      break;
    case StorageService::kTable:
      scheme = SigningScheme::kTable;
      request.url = account.table_endpoint;
      request.url.AppendPath("Tables");
      request.url.AddQuery("$top", "1");
      request.kind = OperationKind::kTableAdmin;
      request.headers["Accept"] = "application/json;odata=nometadata";
      request.headers["DataServiceVersion"] = "3.0";
      break;
  }
  ProbeResult probe{service, request.url.ToStringWithoutQuery(), Status::Ok(), {}};
  const auto pipeline = MakeStoragePipeline(account.credential, scheme, options);
  const auto start = std::chrono::steady_clock::now();
  auto response = pipeline->Send(request);
  probe.round_trip = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  probe.status = response.ok() ? CheckResponse(*response) : response.status();
  return probe;
}

}  // namespace fanfold::storage
