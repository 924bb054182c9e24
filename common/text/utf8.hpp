// Strict UTF-8 validation (RFC 3629): what tekser accepts as text from outside — JSON bodies,
// query parameters and path segments, XML replies and requests. Overlong forms, surrogates and
// code points above U+10FFFF are invalid, as they are for Boost.JSON and libxml2.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tekser::text {

// The offset of the first byte that does not start (or continue) a valid UTF-8 sequence;
// nullopt when the whole text is valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return !invalid_utf8_at(text);
}

// A copy that a UTF-8 text column accepts: each invalid byte and each NUL becomes U+FFFD. For
// keeping a hostile reply in the message log (its SHA-256 is of the bytes as received).
std::string to_valid_utf8(std::string_view text);

// At most `max_bytes` of `text` (valid UTF-8), cut at a character boundary: for quoting a piece
// of outside input in an error message.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace tekser::text
