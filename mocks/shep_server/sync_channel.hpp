// The mock SHEP SyncChannel (SendMessage, SOAP 1.1): parses the envelope, routes by serviceId to
// an emulator, validates the Body against the SHEP + service schemas, applies the fault switch,
// signs the reply when a signer is set, records the request in the journal and builds the reply.
// No sockets: the HTTP layer hands it the body and sends back what it returns.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/xsd/validator.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/shep_server/fault_switch.hpp"
#include "mocks/shep_server/journal.hpp"
#include "mocks/shep_server/replay.hpp"
#include "mocks/shep_server/wire_styles.hpp"

namespace tekser::mocks {

// ErrorInfo codes and bus status codes of the mock bus. ASSUMED: SHEP publishes no list.
inline constexpr std::string_view kErrorRequestInvalid = "SE_REQUEST_INVALID";
inline constexpr std::string_view kErrorServiceNotFound = "SE_SERVICE_NOT_FOUND";
inline constexpr std::string_view kErrorSchemaViolation = "SE_SCHEMA_VIOLATION";
inline constexpr std::string_view kErrorInternal = "SE_INTERNAL_ERROR";
// A request refused for its signature (--request-signature): none where one is required, or one
// that does not verify or whose signer is not trusted.
inline constexpr std::string_view kErrorSignatureMissing = "SE_SIGNATURE_MISSING";
inline constexpr std::string_view kErrorSignatureInvalid = "SE_SIGNATURE_INVALID";
// The injected faults' codes, kErrorProviderUnavailable and kStatusProviderError, are in
// fault_switch.hpp.

struct SoapReply {
  enum class Action {
    respond,  // send the reply
    hold,     // never answer
    reset,    // TCP reset
    close,    // close in order without a byte of answer
  };
  Action action = Action::respond;
  unsigned http_status = 200;
  std::string content_type = "text/xml; charset=utf-8";
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before acting (injected latency)
  // For the request log line.
  std::string system;
  std::string service_id;
  std::string subject;
  std::string outcome;
  std::string fault_id;
};

// Signs a reply envelope (WS-Security over the Body) and returns the signed envelope. Injected so
// that the mock bus needs no keys of its own; an exception from it is a bug of the mocks.
using ReplySigner = std::function<std::string(std::string_view envelope)>;

// What the bus demands of the signatures on the requests it receives (--request-signature).
enum class RequestSignaturePolicy {
  ignore,             // never checked: the journal says not_checked
  verify_if_present,  // a signature must verify and be trusted; an unsigned request is served
  require,            // every request must carry a valid, trusted signature
};
std::string_view to_string(RequestSignaturePolicy policy);
std::optional<RequestSignaturePolicy> parse_request_signature_policy(std::string_view text);

// The signatures of a request the bus checks: WS-Security over the Body (every service), and the
// enveloped signature inside requestData/data (the services that want one: ГБД ЮЛ).
enum class SignedPart { body, request_data };

// What a verifier found of one signature.
struct SignatureFinding {
  std::string status;  // "valid", "invalid" or "absent"
  std::string reason;  // invalid / absent: what is wrong
  std::string signer_sha256;
  std::string signer_subject;
};

// Checks one signature of a request envelope against the certificates the bus trusts. Injected,
// like the ReplySigner, so that the bus itself holds no keys (mocks/signing makes one).
using RequestVerifier = std::function<SignatureFinding(std::string_view envelope, SignedPart part)>;

class SyncChannel {
 public:
  // Compiles one schema set per emulator (SHEP + its payload); throws if a contract is missing.
  SyncChannel(const std::filesystem::path& contracts_dir,
              std::vector<std::unique_ptr<Emulator>> emulators, FaultSwitch& faults,
              Journal& journal);
  ~SyncChannel();

  // Answers any input with a reply or a fault; an exception here means a bug, and the request
  // boundary (MockRoutes::handle) turns it into internal_fault(). `path` is only journaled.
  SoapReply handle(std::string_view body, std::string_view path = "/bip-sync-wss-gost/");

  // A soap:Server fault for failures outside handle() (the request boundary uses it).
  static SoapReply internal_fault(std::string_view what);

  bool serves(std::string_view service_id) const;
  std::vector<std::string> service_ids() const;
  // The systems behind the services ("gbd_ul", "kgd", ...), in service order.
  std::vector<std::string> systems() const;
  // The system behind a served serviceId ("" when not served).
  std::string system_of(std::string_view service_id) const;

  // Successful replies (SendMessageResponse, with data or a status) pass through `signer`; faults
  // never do. Without a signer (the default) replies go unsigned. Set it before serving.
  void set_reply_signer(ReplySigner signer);
  bool has_reply_signer() const { return static_cast<bool>(signer_); }

  // Requests pass `verifier` as `policy` says before anything else is done with them (fault rules
  // included): an invalid signature, or a missing one under require, is answered with a
  // soap:Client fault (kErrorSignatureInvalid / kErrorSignatureMissing) naming the problem, as
  // SHEP refuses a sender it cannot authenticate. The journal records each request's findings.
  // Without a call (or with ignore) nothing is checked. Set it before serving.
  void set_request_verification(RequestSignaturePolicy policy, RequestVerifier verifier);

  // How replies go on the wire (payload shape, namespace spelling): defaults and overrides.
  WireStyles& wire_styles() { return wire_styles_; }
  // Replies recorded from the real bus (replay.hpp): a request whose (serviceId, subject) has a
  // recording is answered with it, after the same checks, faults and signing as any other.
  ReplayStore& replay() { return replay_; }

 private:
  struct Route;
  enum class Signing { normal, skip, tamper };
  // What an injected lie changes in a real answer (fault modes other_subject, wrong_correlation).
  struct Lie {
    std::string subject;  // answer about this BIN / IIN instead of the one asked
    bool wrong_correlation = false;
  };
  SoapReply dispatch(std::string_view body, JournalEntry& entry);
  // The emulator's answer after validation (or the schema fault), signed as `signing` says.
  SoapReply answer(Route& route, const shep::ParsedRequest& request,
                   const shep::LocatedPayload& located, std::string_view body, JournalEntry& entry,
                   Signing signing, const Lie& lie);
  std::string sign(std::string envelope) const;
  // The refusal of a request whose signatures the policy does not accept; nullopt to go on.
  std::optional<SoapReply> check_signatures(std::string_view body, const Emulator& emulator,
                                            JournalEntry& entry) const;
  std::vector<std::unique_ptr<Route>> routes_;
  FaultSwitch& faults_;
  Journal& journal_;
  ReplySigner signer_;
  WireStyles wire_styles_;
  RequestSignaturePolicy request_policy_ = RequestSignaturePolicy::ignore;
  RequestVerifier request_verifier_;
  ReplayStore replay_;
};

// Fresh identifiers as SHEP writes them.
std::string new_uuid();
std::string new_session_id();  // braced GUID

}  // namespace tekser::mocks
