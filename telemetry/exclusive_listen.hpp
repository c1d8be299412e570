// cpp-httplib sets SO_REUSEPORT on its listening sockets, with which a second process can bind
// the same port and the kernel then splits connections between the two: two workers given one
// --metrics-addr would each answer half the scrapes. Our servers set SO_REUSEADDR only (a
// restart can still rebind a port in TIME_WAIT), so a port in use is an error at start-up.
#pragma once

#include <httplib.h>
#include <sys/socket.h>

namespace fanfold::telemetry {

inline void ListenExclusively(httplib::Server& server) {
  server.set_socket_options([](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

}  // namespace fanfold::telemetry
