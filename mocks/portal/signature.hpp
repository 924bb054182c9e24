// Checking the webhook signature of contracts/portal: X-Tekser-Signature: v1=<hex HMAC-SHA256(
// secret, timestamp + "." + body)>, X-Tekser-Timestamp: <unix seconds> within ±300 s of the
// portal's clock. The bytes signed are defined once, in common/webhook (the dispatcher signs with
// the same code); this is the receiving side: header parsing, the window, secret rotation and a
// constant-time compare. Pure: the clock is an argument.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/webhook/signature.hpp"

namespace tekser::mocks::portal {

using webhook::kSignatureHeader;
using webhook::kTimestampHeader;
inline constexpr std::chrono::seconds kTimestampTolerance{300};

enum class SignatureStatus {
  valid,
  missing_timestamp,
  malformed_timestamp,  // not 1..12 decimal digits
  stale_timestamp,      // more than kTimestampTolerance away from the portal's clock
  missing_signature,
  malformed_signature,  // no "v1=<64 lower-case hex>" entry, or a broken entry
  mismatch,             // well-formed, but no v1 entry matches
};

std::string_view to_string(SignatureStatus status);

struct SignatureCheck {
  SignatureStatus status = SignatureStatus::valid;
  std::string header;  // the header at fault (empty when valid)
  std::string reason;  // for the 401 body and the delivery record

  bool ok() const { return status == SignatureStatus::valid; }
};

// Checks a delivery's headers against `secret`. A header that is absent is nullopt (an empty
// header is present and malformed). The signature header may carry several comma-separated
// entries — "v1=<hex>,v1=<hex>" while tekser rotates its secret — and entries of other schemes
// ("v2=…"), which are ignored; one matching v1 entry is enough.
SignatureCheck verify(std::string_view secret, std::optional<std::string_view> timestamp,
                      std::optional<std::string_view> signature, std::string_view body,
                      std::int64_t now_unix_seconds);

}  // namespace tekser::mocks::portal
