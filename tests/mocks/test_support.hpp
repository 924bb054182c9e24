// Shared helpers of the mocks' tests: the shipped fixtures, SOAP requests as the gateway sends
// them, and validators of the contracts.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/shep/envelope.hpp"
#include "common/xml/ns.hpp"
#include "common/xsd/validator.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/gbd_fl/emulator.hpp"
#include "mocks/gbd_ul/emulator.hpp"

namespace tekser::mocks::testing {

inline std::filesystem::path contracts_dir() {
  return std::filesystem::weakly_canonical(TEKSER_CONTRACTS_DIR);
}

inline const fixtures::Register& shipped_fixtures() {
  static const fixtures::Register reg = fixtures::load(TEKSER_MOCKS_FIXTURES);
  return reg;
}

inline std::vector<xsd::NamespaceFiles> concat(std::vector<xsd::NamespaceFiles> a,
                                               const std::vector<xsd::NamespaceFiles>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// SHEP + both payload namespaces: validates every reply of the mocks, typed data included.
inline const xsd::Validator& reply_validator() {
  static const xsd::Validator validator(
      contracts_dir(),
      concat(concat(xsd::shep_namespaces(), xsd::gbd_ul_namespaces()), xsd::gbd_fl_namespaces()));
  return validator;
}

// SHEP alone: enough for faults (their detail is an ErrorInfo).
inline const xsd::Validator& shep_validator() {
  static const xsd::Validator validator(contracts_dir(), xsd::shep_namespaces());
  return validator;
}

inline shep::RequestInfo request_info(std::string service_id, std::string message_id) {
  shep::RequestInfo info;
  info.message_id = std::move(message_id);
  info.service_id = std::move(service_id);
  info.message_date = "2026-01-15T10:00:00.000+05:00";
  info.sender_id = "tekser";
  info.password = "not-a-secret";
  return info;
}

inline std::string gbd_ul_request(const std::string& bin,
                                  const std::string& message_id = "ul-request-0001") {
  return shep::build_request(
      request_info(std::string(gbd_ul::kServiceId), message_id),
      shep::Payload{std::string(gbd_ul::kNamespace), "Request",
                    "<RequestorBIN>210440099998</RequestorBIN><BIN>" + bin + "</BIN>"});
}

inline std::string gbd_fl_request(const std::string& iin,
                                  const std::string& kdp_token = "kdp-token-1",
                                  const std::string& message_id = "fl-request-0001") {
  return shep::build_request(
      request_info(std::string(gbd_fl::kServiceId), message_id),
      shep::Payload{std::string(gbd_fl::kNamespace), "Request",
                    "<messageId>" + message_id +
                        "</messageId><messageDate>2026-01-15T10:00:00.000+05:00</messageDate>"
                        "<senderCode>TEKSER</senderCode><iin>" +
                        iin + "</iin><kdpToken>" + kdp_token +
                        "</kdpToken><publicKey>MIIBIjANBgkq</publicKey>"});
}

// Text of a path of unqualified payload children below `node`.
inline std::string text_at(pugi::xml_node node, std::initializer_list<std::string_view> path) {
  for (auto step : path) {
    pugi::xml_node next;
    for (auto c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && xml::local_name(c) == step) {
        next = c;
        break;
      }
    }
    node = next;
    if (!node) return "<missing>";
  }
  return xml::text(node).value_or("");
}

inline bool has_child(pugi::xml_node node, std::string_view local) {
  return text_at(node, {local}) != "<missing>";
}

}  // namespace tekser::mocks::testing
