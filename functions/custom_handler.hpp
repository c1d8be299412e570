// Answers the Functions host's invocations: finds the function's code, hands it the message
// the host received, and answers 200 once the message is settled or 500 when it is not (the
// host then retries it). The code is what a worker runs for the same message, so a message
// means the same thing whoever received it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "queuestore/queue_models.hpp"
#include "storage/result.hpp"

namespace httplib {
class Server;
}

namespace fanfold::functions {

class CustomHandler {
 public:
  // Ok once the message is settled (deleted, re-posted, released or poisoned by fanfold):
  // the host's own delete afterwards finds nothing, which it ignores.
  using Run = std::function<storage::Status(const queuestore::ReceivedMessage&)>;
  void Register(const std::string& function, Run run);

  struct Reply {
    int status = 200;
    std::string body;
  };
  // One invocation: POST /<function> with the host's JSON body.
  Reply Invoke(const std::string& function, std::string_view body) const;
  std::vector<std::string> functions() const;

 private:
  std::map<std::string, Run> runs_;
};

// Serves a CustomHandler over HTTP on 127.0.0.1 (the host talks to it on the same machine).
class CustomHandlerServer {
 public:
  explicit CustomHandlerServer(const CustomHandler& handler);
  ~CustomHandlerServer();
  CustomHandlerServer(const CustomHandlerServer&) = delete;
  CustomHandlerServer& operator=(const CustomHandlerServer&) = delete;

  // Port 0 picks a free one; returns the port bound.
  storage::Result<int> Start(int port);
  // Returns once serving has stopped.
  void Wait();
  // Stops serving; safe from another thread (not from a signal handler).
  void Stop();

 private:
  const CustomHandler& handler_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace fanfold::functions
