#include "storage/blob/blob_service_client.hpp"

#include "storage/blob/blob_xml.hpp"
#include "storage/error_response.hpp"

namespace fanfold::storage {

BlobServiceClient::BlobServiceClient(const StorageAccount& account, const PipelineOptions& options)
    : BlobServiceClient(
          MakeStoragePipeline(account.credential, SigningScheme::kBlobOrQueue, options),
          account.blob_endpoint) {}

BlobServiceClient::BlobServiceClient(std::shared_ptr<const Pipeline> pipeline, Url blob_endpoint)
    : pipeline_(std::move(pipeline)), endpoint_(std::move(blob_endpoint)) {}

Result<BlobContainerListPage> BlobServiceClient::ListContainers(
    const ListContainersOptions& options) const {
  if (options.max_results < 0 || options.max_results > 5000) {
    return Status::InvalidArgument("max_results must be 1 to 5000 (or 0 for the default), not " +
                                   std::to_string(options.max_results));
  }
  HttpRequest request;
  request.method = HttpMethod::kGet;
  request.kind = OperationKind::kBlobList;
  request.url = endpoint_;
  // The service resource is the endpoint's root: "/" on Azure, "/<account>/" on Azurite.
  if (request.url.path.empty() || request.url.path.back() != '/') request.url.path += '/';
  request.url.AddQuery("comp", "list");
  if (!options.prefix.empty()) request.url.AddQuery("prefix", options.prefix);
  if (!options.marker.empty()) request.url.AddQuery("marker", options.marker);
  if (options.max_results > 0) {
    request.url.AddQuery("maxresults", std::to_string(options.max_results));
  }
  Result<HttpResponse> response = pipeline_->Send(request);
  if (!response.ok()) return response.status();
  FANFOLD_RETURN_IF_ERROR(CheckResponse(*response));
  return ParseContainerListXml(response->body);
}

BlobContainerClient BlobServiceClient::GetContainerClient(std::string container_name) const {
  return BlobContainerClient(pipeline_, endpoint_, std::move(container_name));
}

}  // namespace fanfold::storage
