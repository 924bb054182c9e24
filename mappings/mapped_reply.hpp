// What a mapping makes of one state system's payload: pure data, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mappings/facts/fact.hpp"

namespace tekser::mappings {

// The mapping's verdict on a payload the bus delivered with SCSS001.
//  - data:      facts were read (`facts` non-empty)
//  - no_data:   the registry answered and holds nothing on the subject
//  - refused:   the service declined (e.g. no or invalid consent token) — says nothing of the
//  subject
//  - malformed: the payload is not what the contract describes
struct MappedReply {
  facts::Outcome outcome = facts::Outcome::malformed;
  std::string cause;                      // for every outcome but data
  std::optional<std::string> error_code;  // the service's own status/result code, when it gave one
  std::vector<facts::Fact> facts;         // each carries the provenance passed in
};

}  // namespace tekser::mappings
