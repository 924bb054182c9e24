// The broken bodies the fault switch sends: pure functions of a real reply, so that what the
// client sees can be tested without sockets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tekser::mocks {

// `xml` cut in the middle of an element: just after the first letters of the name of an element
// that starts in its second half (or the last one, for a tiny document). Never well-formed.
std::string cut_mid_element(std::string_view xml);

// `json` cut in the middle of a string (a key or a value) in its second half, or at the
// middle when it holds none. Never valid JSON when `json` is an object or an array.
std::string cut_mid_json(std::string_view json);

// The envelope with one ASCII letter or digit of the first text node inside soap:Body changed
// (same length, still well-formed), so that a signature over the Body no longer verifies;
// nullopt when the envelope cannot be read or its Body holds no such character.
std::optional<std::string> alter_body_text(std::string_view envelope);

// HTTP 200 garbage: starts like a SyncChannel reply, is not well-formed XML.
std::string garbage_soap_reply();
// HTTP 200 garbage for a JSON API: starts like an answer, is not JSON.
std::string garbage_json_reply();

}  // namespace tekser::mocks
