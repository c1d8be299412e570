// Starting a cpp-httplib server in the background, as /metrics and the Functions custom handler
// both do. Two quirks of cpp-httplib 0.11 are handled here, once:
// - it sets SO_REUSEPORT, with which a second process can bind the same port and the kernel then
//   splits connections between the two (two workers given one --metrics-addr would each answer
//   half the scrapes); SO_REUSEADDR alone still lets a restart rebind a port in TIME_WAIT;
// - its stop() does nothing until the accept loop runs, so a stop that came right after the
//   start would be lost and the join would hang; this returns only once the loop runs.
#pragma once

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "storage/result.hpp"

namespace fanfold::telemetry {

// Binds `server` to host:port (port 0: any free one) and serves it on `thread`. Returns the port
// bound; IoError when the port is in use or the host is not an address of this machine.
inline storage::Result<int> ServeInBackground(httplib::Server& server, const std::string& host,
                                              int port, std::thread& thread) {
  server.set_socket_options([](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return storage::Status::IoError("cannot listen on " + host + ":" + std::to_string(port) +
                                    " (in use, or not an address of this machine)");
  }
  auto returned = std::make_shared<std::atomic<bool>>(false);
  thread = std::thread([&server, returned] {
    server.listen_after_bind();
    *returned = true;
  });
  while (!server.is_running() && !*returned)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!server.is_running()) {
    thread.join();
    return storage::Status::IoError("the server on " + host + ":" + std::to_string(bound) +
                                    " stopped as it started");
  }
  return bound;
}

}  // namespace fanfold::telemetry
