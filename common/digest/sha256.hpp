#pragma once

#include <string>
#include <string_view>

namespace tekser::digest {

// Lower-case hex SHA-256 of the bytes, as kept in every fact's provenance.
std::string sha256_hex(std::string_view bytes);

}  // namespace tekser::digest
