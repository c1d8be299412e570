#include "storage/error_response.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace fanfold::storage {
namespace {

struct ParsedError {
  std::string code;
  std::string message;
};

ParsedError ParseXmlError(const std::string& body) {
  pugi::xml_document document;
  if (!document.load_buffer(body.data(), body.size())) return {};
  const pugi::xml_node error = document.child("Error");
  return {error.child_value("Code"), error.child_value("Message")};
}

ParsedError ParseJsonError(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return {};
  const auto it = json.find("odata.error");
  if (it == json.end() || !it->is_object()) return {};
  ParsedError out;
  if (const auto code = it->find("code"); code != it->end() && code->is_string()) {
    out.code = code->get<std::string>();
  }
  if (const auto message = it->find("message"); message != it->end()) {
    if (message->is_string()) {
      out.message = message->get<std::string>();
    } else if (message->is_object() && message->contains("value") &&
               (*message)["value"].is_string()) {
      out.message = (*message)["value"].get<std::string>();
    }
  }
  return out;
}

std::string FirstLine(const std::string& text) {
  const auto end = text.find_first_of("\r\n");
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

Status StatusFromResponse(const HttpResponse& response) {
  ParsedError parsed;
  const std::string& body = response.body;
  const auto first = body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string::npos && body[first] == '<') {
    parsed = ParseXmlError(body);
  } else if (first != std::string::npos && body[first] == '{') {
    parsed = ParseJsonError(body);
  }
  std::string code = response.Header("x-ms-error-code");
  if (code.empty()) code = parsed.code;
  // Service messages carry a RequestId/Time suffix on later lines; the first line says it all.
  std::string message = FirstLine(parsed.message);
  if (message.empty())
    message = "the storage service answered HTTP " + std::to_string(response.status);
  return Status::Http(response.status, std::move(code), std::move(message),
                      response.Header("x-ms-request-id"));
}

}  // namespace fanfold::storage
