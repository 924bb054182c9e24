#include "common/digest/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace tekser::digest {

namespace {

// Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up in its provider store, under a
// lock, on every digest (a few per exchange). Kept for the life of the process.
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* const fetched = [] {
    const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md ? md : EVP_sha256();
  }();
  return fetched;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, sha256_algorithm(), nullptr) != 1)
    throw std::runtime_error("EVP_Digest(sha256) failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0x0f]);
  }
  return out;
}

}  // namespace tekser::digest
