// Random identifiers: message ids, request ids, instance ids, event ids, upload ids. Each id
// takes its 122 random bits straight from the kernel (getrandom), so there is no generator state
// to seed badly, to share between threads, or to copy into a child by fork(): a forked worker
// cannot repeat its parent's ids, which a seeded per-thread engine would.
#pragma once

#include <cstddef>
#include <string>

namespace fanfold::storage {

// Fills `size` bytes at `data` from the kernel's CSPRNG. Aborts the process if the kernel cannot
// give them (no getrandom and no OpenSSL RAND_bytes): an id that may repeat would silently
// merge two messages, which is worse than stopping.
void RandomBytes(void* data, std::size_t size);

// A random RFC 4122 version 4 UUID, lower-case: "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx".
std::string NewUuid();

}  // namespace fanfold::storage
