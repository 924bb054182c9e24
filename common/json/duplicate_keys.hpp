// Duplicate member names in a JSON object. RFC 8259 leaves their meaning to the reader, and
// Boost.JSON keeps one of them silently: a body {"status":"ok","status":"blocked"} would mean
// whatever the last reader along the way decides. Requests from outside are refused instead,
// naming the key, before they are parsed into a value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tekser::json_text {

// The path of the first member name that repeats within one object ("supplier.phones[1].kind";
// the name alone at the top level), or nullopt when there is none or `text` is not JSON (the
// real parse then says what is wrong with it).
std::optional<std::string> first_duplicate_key(std::string_view text);

}  // namespace tekser::json_text
