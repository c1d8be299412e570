#include "storage/blob/blob_xml.hpp"

#include <pugixml.hpp>

#include "storage/blob/blob_range.hpp"
#include "storage/http_date.hpp"

namespace fanfold::storage {
namespace {

Result<pugi::xml_node> LoadEnumeration(pugi::xml_document& document, std::string_view body,
                                       const char* what) {
  const pugi::xml_parse_result parsed = document.load_buffer(body.data(), body.size());
  if (!parsed) {
    return Status::Corruption(std::string(what) + " answer is not XML: " + parsed.description());
  }
  const pugi::xml_node root = document.child("EnumerationResults");
  if (!root) return Status::Corruption(std::string(what) + " answer has no EnumerationResults");
  return root;
}

std::chrono::system_clock::time_point TimeOrEpoch(const char* text) {
  const auto parsed = ParseRfc1123(text);
  return parsed ? *parsed : std::chrono::system_clock::time_point{};
}

}  // namespace

std::string QuoteEtag(std::string_view etag) {
  if (etag.empty() || etag.front() == '"') return std::string(etag);
  return '"' + std::string(etag) + '"';
}

Result<BlobContainerListPage> ParseContainerListXml(std::string_view body) {
  pugi::xml_document document;
  Result<pugi::xml_node> root = LoadEnumeration(document, body, "List Containers");
  if (!root.ok()) return root.status();
  BlobContainerListPage page;
  for (const pugi::xml_node container : root->child("Containers").children("Container")) {
    BlobContainerItem item;
    item.name = container.child_value("Name");
    if (item.name.empty()) return Status::Corruption("List Containers item without a Name");
    const pugi::xml_node properties = container.child("Properties");
    item.etag = QuoteEtag(properties.child_value("Etag"));
    item.last_modified = TimeOrEpoch(properties.child_value("Last-Modified"));
    page.containers.push_back(std::move(item));
  }
  page.next_marker = root->child_value("NextMarker");
  return page;
}

Result<BlobListPage> ParseBlobListXml(std::string_view body) {
  pugi::xml_document document;
  Result<pugi::xml_node> root = LoadEnumeration(document, body, "List Blobs");
  if (!root.ok()) return root.status();
  BlobListPage page;
  for (const pugi::xml_node blob : root->child("Blobs").children("Blob")) {
    BlobItem item;
    item.name = blob.child_value("Name");
    if (item.name.empty()) return Status::Corruption("List Blobs item without a Name");
    const pugi::xml_node properties = blob.child("Properties");
    const auto size = ParseDecimal(properties.child_value("Content-Length"));
    if (!size) {
      return Status::Corruption("List Blobs item '" + item.name + "' has no valid Content-Length");
    }
    item.size = *size;
    item.etag = QuoteEtag(properties.child_value("Etag"));
    item.last_modified = TimeOrEpoch(properties.child_value("Last-Modified"));
    item.content_type = properties.child_value("Content-Type");
    item.content_md5 = properties.child_value("Content-MD5");
    item.lease_state = properties.child_value("LeaseState");
    for (const pugi::xml_node entry : blob.child("Metadata").children()) {
      item.metadata[entry.name()] = entry.child_value();
    }
    page.blobs.push_back(std::move(item));
  }
  page.next_marker = root->child_value("NextMarker");
  return page;
}

std::string BuildBlockListXml(const std::vector<std::string>& block_ids) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  // Block ids are Base64, whose alphabet needs no XML escaping.
  for (const std::string& id : block_ids)
    xml += "<Latest>" + id + "</Latest>";
  xml += "</BlockList>";
  return xml;
}

}  // namespace fanfold::storage
