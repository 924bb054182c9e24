#include "mocks/portal/signature.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace tekser::mocks::portal {
namespace {

constexpr std::size_t kHexDigits = 64;  // SHA-256
constexpr std::string_view kSchemeV1 = "v1=";
constexpr std::size_t kMaxEntries = 8;  // rotation needs two; more is a broken header

// Lower-case hex only: the contract fixes the form, so that a sender's upper-case bug shows.
bool is_lower_hex_digest(std::string_view text) {
  return text.size() == kHexDigits && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

SignatureCheck refuse(SignatureStatus status, std::string_view header, std::string reason) {
  return SignatureCheck{status, std::string(header), std::move(reason)};
}

}  // namespace

std::string_view to_string(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::valid:
      return "valid";
    case SignatureStatus::missing_timestamp:
      return "missing_timestamp";
    case SignatureStatus::malformed_timestamp:
      return "malformed_timestamp";
    case SignatureStatus::stale_timestamp:
      return "stale_timestamp";
    case SignatureStatus::missing_signature:
      return "missing_signature";
    case SignatureStatus::malformed_signature:
      return "malformed_signature";
    case SignatureStatus::mismatch:
      return "mismatch";
  }
  return "unknown";
}

SignatureCheck verify(std::string_view secret, std::optional<std::string_view> timestamp,
                      std::optional<std::string_view> signature, std::string_view body,
                      std::int64_t now_unix_seconds) {
  if (!timestamp)
    return refuse(SignatureStatus::missing_timestamp, kTimestampHeader, "the header is missing");
  // Unix seconds as decimal digits: no sign, no fraction, at most 12 digits (year 33658).
  std::int64_t sent = 0;
  const auto* end = timestamp->data() + timestamp->size();
  const auto parsed = std::from_chars(timestamp->data(), end, sent);
  if (timestamp->empty() || timestamp->size() > 12 || (*timestamp)[0] == '-' ||
      parsed.ec != std::errc{} || parsed.ptr != end)
    return refuse(SignatureStatus::malformed_timestamp, kTimestampHeader,
                  "must be Unix time in whole seconds (decimal digits), got '" +
                      std::string(timestamp->substr(0, 40)) + "'");
  const auto skew = sent - now_unix_seconds;
  if (skew > kTimestampTolerance.count() || -skew > kTimestampTolerance.count())
    return refuse(SignatureStatus::stale_timestamp, kTimestampHeader,
                  std::string(*timestamp) + " is " + std::to_string(skew < 0 ? -skew : skew) +
                      " s " + (skew < 0 ? "behind" : "ahead of") +
                      " the portal's clock; the window is ±" +
                      std::to_string(kTimestampTolerance.count()) + " s");

  if (!signature)
    return refuse(SignatureStatus::missing_signature, kSignatureHeader, "the header is missing");
  std::vector<std::string_view> candidates;
  std::size_t entries = 0;
  for (std::size_t from = 0; from <= signature->size();) {
    const auto comma = std::min(signature->find(',', from), signature->size());
    const auto entry = trim(signature->substr(from, comma - from));
    from = comma + 1;
    if (++entries > kMaxEntries)
      return refuse(SignatureStatus::malformed_signature, kSignatureHeader,
                    "more than " + std::to_string(kMaxEntries) + " entries");
    if (entry.find('=') == std::string_view::npos)
      return refuse(SignatureStatus::malformed_signature, kSignatureHeader,
                    "each entry must be <scheme>=<value>, e.g. v1=<64 lower-case hex digits>");
    if (!entry.starts_with(kSchemeV1)) continue;  // another scheme: for a later contract version
    const auto hex = entry.substr(kSchemeV1.size());
    if (!is_lower_hex_digest(hex))
      return refuse(SignatureStatus::malformed_signature, kSignatureHeader,
                    "a v1 entry must be 64 lower-case hex digits");
    candidates.push_back(hex);
  }
  if (candidates.empty())
    return refuse(SignatureStatus::malformed_signature, kSignatureHeader, "no v1=<hex> entry");

  const auto expected = webhook::sign(secret, *timestamp, body).substr(kSchemeV1.size());
  bool matched = false;
  // Every candidate is compared, in constant time, whatever the earlier ones gave.
  for (const auto candidate : candidates)
    matched |= CRYPTO_memcmp(candidate.data(), expected.data(), kHexDigits) == 0;
  if (!matched)
    return refuse(SignatureStatus::mismatch, kSignatureHeader,
                  "no v1 signature matches HMAC-SHA256(secret, timestamp + \".\" + body)");
  return {};
}

}  // namespace tekser::mocks::portal
