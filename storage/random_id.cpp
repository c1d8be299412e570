#include "storage/random_id.hpp"

#include <openssl/rand.h>
#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace fanfold::storage {
namespace {

// getrandom() may return fewer bytes than asked when a signal interrupts a large request.
bool FromKernel(unsigned char* out, std::size_t size) {
  while (size > 0) {
    const ssize_t got = getrandom(out, size, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return false;  // ENOSYS on a kernel before 3.17
    }
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

void RandomBytes(void* data, std::size_t size) {
  auto* out = static_cast<unsigned char*>(data);
  if (FromKernel(out, size)) return;
  // OpenSSL reseeds after fork() by itself (since 1.1.1), so it keeps the same guarantee.
  if (size <= static_cast<std::size_t>(INT32_MAX) && RAND_bytes(out, static_cast<int>(size)) == 1) {
    return;
  }
  std::fputs("fanfold: no source of random bytes (getrandom and RAND_bytes failed)\n", stderr);
  std::abort();
}

std::string NewUuid() {
  unsigned char bytes[16];
  RandomBytes(bytes, sizeof bytes);
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 15];
  }
  return text;
}

}  // namespace fanfold::storage
