// The contract of each SHEP service tekser speaks, in one table shared by the gateway (request
// builders, reply reading) and the mocks (routing, validation, reply writing): its serviceId, its
// system's short name, the payload namespace, the xsi:type names of Request and Response, their
// top-level fields (how a payload is found in requestData/data whatever its shape, payload.hpp)
// and the schema files that describe it. A new SHEP service starts as one row here.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tekser::shep {

// Where the declared request/response elements of ГБД ЮЛ and ГБД ФЛ live
// (declareRequestResponseTypes.xsd, sendMessage.xsd): {kSmartbridgeNs}sendMessageRequest/Response.
inline constexpr std::string_view kSmartbridgeNs = "http://smartbridge.b10.kz";

struct ServiceContract {
  std::string_view system;      // "gbd_ul": the gateway's and the fault rules' name
  std::string_view service_id;  // "GbdulInfoByBin_v2": requestInfo/serviceId
  std::string_view payload_ns;  // the namespace of Request/Response
  std::string_view request_type = "Request";
  std::string_view response_type = "Response";
  // The local names of the Request's and the Response's children, in sequence order.
  std::span<const std::string_view> request_fields;
  std::span<const std::string_view> response_fields;
  // Where the Response names the subject it is about: paths of local names from the payload's
  // fields; every element found on them must hold the subject asked (a reply about another
  // subject is no answer). Empty: the service does not echo it.
  std::span<const std::span<const std::string_view>> subject_paths;
  // Whether the service also wants the request data signed, enveloped (ГБД ЮЛ).
  bool wants_payload_signature = false;
  // Whether the contract is a public one (contracts/official) or designed here (contracts/assumed).
  bool assumed = false;
};

// Every SHEP service, in a fixed order.
std::span<const ServiceContract> services();

std::optional<ServiceContract> service_by_id(std::string_view service_id);
std::optional<ServiceContract> service_by_system(std::string_view system);

// The payload namespaces (targetNamespace of each Request/Response).
namespace payload_ns {
inline constexpr std::string_view gbd_ul = "http://gbdulinfobybin_v2.egp.gbdul.tamur.kz";
inline constexpr std::string_view gbd_fl = "http://message.persistence.interactive.nat";
inline constexpr std::string_view kgd = "http://tekser.kz/assumed/kgd/v1";
inline constexpr std::string_view elicense = "http://integration.elicense.kz/eokno/exchangeservice";
inline constexpr std::string_view enis = "urn:tekser:assumed:enis:poa-verification:v1";
inline constexpr std::string_view pa_checks = "urn:tekser:assumed:pa-checks:v1";
}  // namespace payload_ns

namespace service {
inline constexpr std::string_view gbd_ul = "GbdulInfoByBin_v2";
inline constexpr std::string_view gbd_fl = "GBDFL_UniversalServiceSync";
inline constexpr std::string_view kgd = "KGD_TaxpayerStatus";
inline constexpr std::string_view elicense = "ELICENSE_LicensesByBiin";
inline constexpr std::string_view enis = "ENIS_PoaVerification";
inline constexpr std::string_view pa_checks = "PersonalAssistantChecks";
}  // namespace service

}  // namespace tekser::shep
