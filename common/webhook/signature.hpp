// The portal webhook's signature (contracts/portal): X-Tekser-Timestamp: <unix seconds>,
// X-Tekser-Signature: v1=<lower-case hex HMAC-SHA256(secret, timestamp + "." + body)>. Shared by
// the gateway's dispatcher (signs) and the mock portal (verifies): one definition of the bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tekser::webhook {

inline constexpr std::string_view kTimestampHeader = "X-Tekser-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-Tekser-Signature";
inline constexpr std::string_view kIdempotencyHeader = "Idempotency-Key";

// Lower-case hex HMAC-SHA256 of `message` under `secret` (OpenSSL).
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

// The X-Tekser-Signature value for a delivery: "v1=" + hmac(timestamp "." body).
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

}  // namespace tekser::webhook
