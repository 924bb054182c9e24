// Supplier facts: what a state system said about a supplier, normalised, each with provenance.
// Plain data shared by the mappings (which make facts), the store and the API.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/time/xsd_time.hpp"

namespace tekser::facts {

// What became of the WS-Security signature of the reply a fact was read from.
enum class SignatureStatus {
  not_checked,  // not a signed channel (REST), or the gateway does not check (policy ignore)
  absent,       // the reply carried no signature (accepted under policy verify_if_present)
  valid,        // signed over its Body by a trusted certificate (signer_sha256 says which)
  invalid,      // a signature that does not verify or is not trusted: never used for facts
};

std::string_view to_string(SignatureStatus status);
// Inverse of to_string; nullopt for an unknown text.
std::optional<SignatureStatus> signature_status_from_string(std::string_view text);

// Where a fact came from: enough to find the exchange again in the message log and to prove the
// reply it was read from.
struct Provenance {
  std::string system;            // "gbd_ul", "gbd_fl", ...
  std::string service_id;        // SHEP serviceId, e.g. "GbdulInfoByBin_v2"
  std::string message_id;        // our requestInfo/messageId
  std::string reply_message_id;  // responseInfo/messageId set by the replying side
  xsd_time::TimePoint retrieved_at{};
  xsd_time::TimePoint valid_until{};
  std::string reply_sha256;  // SHA-256 of the reply body bytes as received
  SignatureStatus signature = SignatureStatus::not_checked;
  std::string signer_sha256;  // valid only: SHA-256 fingerprint of the signer's certificate
  // valid only: the SignatureMethod URI (RSA-SHA256, or GOST R 34.10-2012 / Streebog as the
  // Kazakh bus signs)
  std::string signature_algorithm;
};

// Fact names (the keys of a supplier's facts).
namespace name {
inline constexpr const char* kind = "kind";  // legal_entity | individual_entrepreneur | individual
inline constexpr const char* identifier = "identifier";  // BIN or IIN as the registry has it
inline constexpr const char* names = "names";
inline constexpr const char* legal_address = "legal_address";
inline constexpr const char* registration_date = "registration_date";
inline constexpr const char* head = "head";
inline constexpr const char* founders = "founders";
inline constexpr const char* status = "status";
inline constexpr const char* birth_date = "birth_date";
}  // namespace name

// Values of the "status" fact's "value" member.
namespace status {
inline constexpr const char* active = "active";
inline constexpr const char* in_liquidation = "in_liquidation";
inline constexpr const char* liquidated = "liquidated";
inline constexpr const char* bankrupt = "bankrupt";
inline constexpr const char* inactive_taxpayer = "inactive_taxpayer";
inline constexpr const char* deceased = "deceased";
inline constexpr const char* alive = "alive";
// The register answered but its status code is one the code table does not know: no evidence
// either way.
inline constexpr const char* unknown = "unknown";
}  // namespace status

struct Fact {
  std::string name;
  boost::json::value value;
  Provenance provenance;
};

// What one state system's answer about one subject amounted to. `no_data` is its own outcome:
// the registry answered and holds nothing on the subject, which is never a pass or a fail.
enum class Outcome {
  data,         // facts were read
  no_data,      // the source answered that it holds nothing on the subject
  unavailable,  // transport failure, HTTP error, timeout: the source could not be asked
  refused,      // SOAP fault, non-success bus status, service-level refusal (e.g. no consent)
  malformed,    // the reply could not be understood
};

std::string_view to_string(Outcome outcome);
// Inverse of to_string; nullopt for an unknown text.
std::optional<Outcome> outcome_from_string(std::string_view text);

// The result of asking one system about one subject: the facts, or why there are none.
struct SourceResult {
  std::string system;
  std::string service_id;
  Outcome outcome = Outcome::unavailable;
  std::string cause;  // human-readable, for unknown outcomes: "connect timeout after 2000 ms"
  std::optional<std::string> error_code;  // SHEP errorCode / status code / service result code
  std::vector<Fact> facts;
  Provenance provenance;  // of the exchange (also for no_data / refused)
};

}  // namespace tekser::facts
