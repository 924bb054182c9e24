#include "common/shep/services.hpp"

#include <array>

namespace tekser::shep {
namespace {

// Top-level fields, from the Request/Response complex types of each contract.
constexpr std::array<std::string_view, 2> kGbdUlRequest{"RequestorBIN", "BIN"};
constexpr std::array<std::string_view, 3> kGbdUlResponse{"Status", "Organization", "IpsNerezident"};
constexpr std::array<std::string_view, 11> kGbdFlRequest{
    "messageId",  "messageDate", "senderCode",     "iin",      "surname",  "name",
    "patronymic", "birthDate",   "documentNumber", "kdpToken", "publicKey"};
constexpr std::array<std::string_view, 7> kGbdFlResponse{
    "messageId", "messageDate", "requestId", "sender", "receiver", "messageResult", "persons"};
constexpr std::array<std::string_view, 3> kKgdRequest{"requestorBin", "biin", "asOf"};
constexpr std::array<std::string_view, 2> kKgdResponse{"result", "taxpayer"};
constexpr std::array<std::string_view, 2> kElicenseRequest{"requestorBin", "biin"};
constexpr std::array<std::string_view, 2> kElicenseResponse{"result", "subject"};
constexpr std::array<std::string_view, 4> kEnisRequest{"RequestorBIN", "PrincipalId",
                                                       "RepresentativeIIN", "PoaNumber"};
constexpr std::array<std::string_view, 2> kEnisResponse{"Result", "PowerOfAttorney"};
constexpr std::array<std::string_view, 2> kPaRequest{"RequestorBIN", "IIN"};
constexpr std::array<std::string_view, 5> kPaResponse{"Result", "IIN", "PsychiatricRegistration",
                                                      "CriminalRecord", "Incapacity"};

// Where each Response names its subject.
constexpr std::array<std::string_view, 2> kUlBin{"Organization", "BIN"};
constexpr std::array<std::span<const std::string_view>, 1> kGbdUlSubject{kUlBin};
constexpr std::array<std::string_view, 3> kFlIin{"persons", "person", "iin"};
constexpr std::array<std::span<const std::string_view>, 1> kGbdFlSubject{kFlIin};
constexpr std::array<std::string_view, 2> kKgdBiin{"taxpayer", "biin"};
constexpr std::array<std::span<const std::string_view>, 1> kKgdSubject{kKgdBiin};
constexpr std::array<std::string_view, 2> kElBiin{"subject", "biin"};
constexpr std::array<std::span<const std::string_view>, 1> kElicenseSubject{kElBiin};
constexpr std::array<std::string_view, 1> kPaIin{"IIN"};
constexpr std::array<std::span<const std::string_view>, 1> kPaSubject{kPaIin};

const std::array<ServiceContract, 6> kServices{{
    {"gbd_ul", service::gbd_ul, payload_ns::gbd_ul, "Request", "Response", kGbdUlRequest,
     kGbdUlResponse, kGbdUlSubject, true, false},
    {"gbd_fl", service::gbd_fl, payload_ns::gbd_fl, "Request", "Response", kGbdFlRequest,
     kGbdFlResponse, kGbdFlSubject, false, false},
    {"kgd", service::kgd, payload_ns::kgd, "Request", "Response", kKgdRequest, kKgdResponse,
     kKgdSubject, false, true},
    {"elicense", service::elicense, payload_ns::elicense, "Request", "Response", kElicenseRequest,
     kElicenseResponse, kElicenseSubject, false, true},
    {"enis",
     service::enis,
     payload_ns::enis,
     "Request",
     "Response",
     kEnisRequest,
     kEnisResponse,
     {},
     false,
     true},
    {"pa_checks", service::pa_checks, payload_ns::pa_checks, "Request", "Response", kPaRequest,
     kPaResponse, kPaSubject, false, true},
}};

}  // namespace

std::span<const ServiceContract> services() {
  return kServices;
}

std::optional<ServiceContract> service_by_id(std::string_view service_id) {
  for (const auto& s : kServices)
    if (s.service_id == service_id) return s;
  return std::nullopt;
}

std::optional<ServiceContract> service_by_system(std::string_view system) {
  for (const auto& s : kServices)
    if (s.system == system) return s;
  return std::nullopt;
}

}  // namespace tekser::shep
