#include "functions/custom_handler.hpp"

#include <httplib.h>

#include <chrono>

#include "functions/function_app.hpp"
#include "functions/invocation.hpp"
#include "telemetry/http_serving.hpp"
#include "telemetry/log.hpp"

namespace fanfold::functions {

void CustomHandler::Register(const std::string& function, Run run) {
  runs_[function] = std::move(run);
}

std::vector<std::string> CustomHandler::functions() const {
  std::vector<std::string> names;
  for (const auto& [name, run] : runs_)
    names.push_back(name);
  return names;
}

CustomHandler::Reply CustomHandler::Invoke(const std::string& function,
                                           std::string_view body) const {
  const auto found = runs_.find(function);
  if (found == runs_.end()) {
    return {404, InvocationResponse({"fanfold has no function named '" + function +
                                     "' (its function.json and this binary disagree: "
                                     "regenerate the app with `fanfold serve-functions "
                                     "--write-app DIR`)"})};
  }
  auto message = ParseQueueInvocation(body, kTriggerBinding);
  if (!message.ok()) {
    telemetry::LogError("invocation.rejected",
                        {{"function", function}, {"error", message.status().ToString()}});
    return {400, InvocationResponse({message.status().ToString()})};
  }
  const auto start = std::chrono::steady_clock::now();
  storage::Status settled;
  try {
    settled = found->second(*message);
  } catch (const std::exception& error) {
    settled = storage::Status::Aborted(std::string("the function threw: ") + error.what());
  }
  const double milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json fields = {{"function", function},
                           {"message_id", message->message_id},
                           {"dequeue_count", message->dequeue_count},
                           {"duration_ms", milliseconds}};
  if (!settled.ok()) {
    fields["error"] = settled.ToString();
    telemetry::LogWarn("invocation.failed", fields);
    return {500, InvocationResponse({function + ": " + settled.ToString() +
                                     " (the message comes back for another attempt)"})};
  }
  telemetry::Log(telemetry::LogLevel::kDebug, "invocation.completed", fields);
  return {200, InvocationResponse({function + ": message " + message->message_id + " handled"})};
}

CustomHandlerServer::CustomHandlerServer(const CustomHandler& handler) : handler_(handler) {}

CustomHandlerServer::~CustomHandlerServer() {
  Stop();
  Wait();
}

storage::Result<int> CustomHandlerServer::Start(int port) {
  server_ = std::make_unique<httplib::Server>();
  for (const std::string& function : handler_.functions()) {
    server_->Post("/" + function,
                  [this, function](const httplib::Request& request, httplib::Response& response) {
                    const CustomHandler::Reply reply = handler_.Invoke(function, request.body);
                    response.status = reply.status;
                    response.set_content(reply.body, "application/json");
                  });
  }
  auto bound = telemetry::ServeInBackground(*server_, "127.0.0.1", port, thread_);
  if (!bound.ok()) server_.reset();
  return bound;
}

void CustomHandlerServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

void CustomHandlerServer::Stop() {
  if (server_) server_->stop();
}

}  // namespace fanfold::functions
