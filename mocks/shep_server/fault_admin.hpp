// The fault rules as the admin API reads and writes them (JSON), checked against what these
// mocks serve. Pure: no switch, no sockets.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "mocks/shep_server/fault_switch.hpp"

namespace tekser::mocks {

// What a rule may name: the SOAP services (serviceId, system) on the bus and the REST systems.
struct FaultCatalogue {
  std::vector<std::pair<std::string, std::string>> soap_services;
  std::vector<std::string> rest_systems;
  bool reply_signer = false;  // invalid_signature needs one
};

// A refused admin request: the field at fault ("body" for the request as a whole) and why.
struct AdminError {
  std::string field;
  std::string reason;
  std::string message() const { return field + ": " + reason; }
};

// Reads a POST /admin/faults body:
//   {"system"?, "service_id"?, "subject"?, "mode", "count"?, "probability"?, "seed"?,
//    "latency_ms"? | "latency": {"median_ms", "sigma"}?, "error_code"?, "status_code"?}
// Unknown fields, wrong types, values out of range, names these mocks do not serve and modes
// that make no sense for the target are refused, naming the field.
std::variant<FaultRule, AdminError> parse_fault_rule(std::string_view body,
                                                     const FaultCatalogue& catalogue);

// The rule as GET /admin/faults lists it (and POST echoes it, with its id).
boost::json::object to_json(const FaultRule& rule);

}  // namespace tekser::mocks
