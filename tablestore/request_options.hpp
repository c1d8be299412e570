// Options and constants shared by the single-request Table operations.
#pragma once

#include <chrono>

namespace fanfold::tablestore {

// If-Match value that matches any existing version of an entity (an unconditional update).
inline constexpr const char* kMatchAny = "*";

struct RequestOptions {
  // Limit of each attempt on the wire (retries get a fresh one). Default 30 s.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

}  // namespace fanfold::tablestore
