#include "mocks/shep_server/sync_channel.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <utility>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"
#include "common/time/xsd_time.hpp"
#include "common/xml/ns.hpp"
#include "mocks/shep_server/fault_replies.hpp"

namespace tekser::mocks {
namespace {

constexpr std::string_view kXmlDsigNs = "http://www.w3.org/2000/09/xmldsig#";

std::string now_text() {
  return xsd_time::format_datetime(xsd_time::now_ms());
}

SoapReply fault(std::string_view fault_code, std::string_view error_code, std::string message,
                std::optional<std::string> data = std::nullopt) {
  shep::ErrorInfo error{std::string(error_code), message, std::move(data), now_text(), nullptr,
                        new_session_id()};
  SoapReply reply;
  reply.http_status = 500;  // SOAP 1.1 faults travel with HTTP 500
  reply.body = shep::build_fault(fault_code, message, error);
  reply.outcome = std::string(error_code);
  return reply;
}

SoapReply client_fault(std::string_view error_code, std::string message,
                       std::optional<std::string> data = std::nullopt) {
  return fault("soap:Client", error_code, std::move(message), std::move(data));
}

// The ГБД ЮЛ Request type has no room for the enveloped ds:Signature the service requires, so
// signatures are taken out of the payload before validation (contracts README, known quirks).
bool strip_signatures(pugi::xml_node node) {
  bool stripped = false;
  for (auto child = node.first_child(); child;) {
    auto next = child.next_sibling();
    if (child.type() == pugi::node_element) {
      if (xml::is(child, xml::Name{kXmlDsigNs, "Signature"})) {
        node.remove_child(child);
        stripped = true;
      } else {
        stripped = strip_signatures(child) || stripped;
      }
    }
    child = next;
  }
  return stripped;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

// A SendMessageResponse with a non-success status and no data (status_error).
std::string status_error_reply(const shep::ParsedRequest& request, std::string_view status_code) {
  shep::ResponseInfo info{new_uuid(),
                          request.info.message_id,
                          now_text(),
                          std::string(status_code),
                          "Ошибка вызова сервиса поставщика (сбой, заданный в tekser-mocks)",
                          new_session_id()};
  return shep::build_response(info, std::nullopt);
}

// The faults that replace the answer outright (no validation, no emulator); nullopt for the
// modes that alter the real answer (latency, truncated and the signature modes).
std::optional<SoapReply> replacement(const InjectedFault& injected) {
  SoapReply reply;
  switch (injected.mode) {
    case FaultMode::timeout:
      reply.action = SoapReply::Action::hold;
      return reply;
    case FaultMode::reset:
      reply.action = SoapReply::Action::reset;
      return reply;
    case FaultMode::empty:
      reply.action = SoapReply::Action::close;
      return reply;
    case FaultMode::empty_body:
      return reply;
    case FaultMode::malformed:
      reply.body = garbage_soap_reply();
      return reply;
    case FaultMode::http_500:
      reply.http_status = 500;
      reply.content_type = "text/html; charset=utf-8";
      reply.body = "<html><body><h1>500 Internal Server Error</h1></body></html>";
      return reply;
    case FaultMode::http_503:
      reply.http_status = 503;
      reply.content_type = "text/html; charset=utf-8";
      reply.body = "<html><body><h1>503 Service Unavailable</h1></body></html>";
      return reply;
    case FaultMode::soap_fault:
      return fault("soap:Server", injected.error_code,
                   "Информационная система поставщика недоступна (сбой, заданный в tekser-mocks)");
    case FaultMode::custom_body:
      reply.body = injected.body;
      return reply;
    case FaultMode::status_error:  // needs the request: built by the caller
    case FaultMode::latency:
    case FaultMode::truncated:
    case FaultMode::missing_signature:
    case FaultMode::invalid_signature:
    case FaultMode::other_subject:
    case FaultMode::wrong_correlation:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

struct SyncChannel::Route {
  std::unique_ptr<Emulator> emulator;
  std::unique_ptr<xsd::Validator> validator;
  // libxml2 shares a compiled schema across threads, but the mock is no hot path: serialising
  // validation per service removes any doubt at no real cost.
  std::mutex validation_mutex;
};

std::string new_uuid() {
  thread_local boost::uuids::random_generator generate;
  return boost::uuids::to_string(generate());
}

std::string new_session_id() {
  return "{" + new_uuid() + "}";
}

SyncChannel::SyncChannel(const std::filesystem::path& contracts_dir,
                         std::vector<std::unique_ptr<Emulator>> emulators, FaultSwitch& faults,
                         Journal& journal)
    : faults_(faults), journal_(journal) {
  for (auto& emulator : emulators) {
    auto bundle = xsd::shep_namespaces();
    for (auto& ns : emulator->schemas()) bundle.push_back(std::move(ns));
    auto route = std::make_unique<Route>();
    route->validator = std::make_unique<xsd::Validator>(contracts_dir, bundle);
    route->emulator = std::move(emulator);
    routes_.push_back(std::move(route));
  }
}

SyncChannel::~SyncChannel() = default;

bool SyncChannel::serves(std::string_view service_id) const {
  return std::any_of(routes_.begin(), routes_.end(),
                     [&](const auto& r) { return r->emulator->service_id() == service_id; });
}

std::vector<std::string> SyncChannel::service_ids() const {
  std::vector<std::string> ids;
  for (const auto& r : routes_) ids.emplace_back(r->emulator->service_id());
  return ids;
}

SoapReply SyncChannel::internal_fault(std::string_view what) {
  return fault("soap:Server", kErrorInternal,
               "Internal error of tekser-mocks: " + std::string(what));
}

std::vector<std::string> SyncChannel::systems() const {
  std::vector<std::string> names;
  for (const auto& r : routes_) names.emplace_back(r->emulator->system());
  return names;
}

std::string SyncChannel::system_of(std::string_view service_id) const {
  for (const auto& r : routes_) {
    if (r->emulator->service_id() == service_id) return std::string(r->emulator->system());
  }
  return {};
}

void SyncChannel::set_reply_signer(ReplySigner signer) {
  signer_ = std::move(signer);
}

std::string_view to_string(RequestSignaturePolicy policy) {
  switch (policy) {
    case RequestSignaturePolicy::ignore:
      return "ignore";
    case RequestSignaturePolicy::verify_if_present:
      return "verify_if_present";
    case RequestSignaturePolicy::require:
      return "require";
  }
  return "ignore";
}

std::optional<RequestSignaturePolicy> parse_request_signature_policy(std::string_view text) {
  for (const auto policy :
       {RequestSignaturePolicy::ignore, RequestSignaturePolicy::verify_if_present,
        RequestSignaturePolicy::require})
    if (text == to_string(policy)) return policy;
  return std::nullopt;
}

void SyncChannel::set_request_verification(RequestSignaturePolicy policy,
                                           RequestVerifier verifier) {
  if (policy != RequestSignaturePolicy::ignore && !verifier)
    throw std::invalid_argument("a request signature policy other than ignore needs a verifier");
  request_policy_ = policy;
  request_verifier_ = std::move(verifier);
}

std::optional<SoapReply> SyncChannel::check_signatures(std::string_view body,
                                                       const Emulator& emulator,
                                                       JournalEntry& entry) const {
  if (request_policy_ == RequestSignaturePolicy::ignore) return std::nullopt;
  const bool required = request_policy_ == RequestSignaturePolicy::require;
  // Both findings are journaled before either refuses, so that a test sees the whole picture.
  const auto envelope = request_verifier_(body, SignedPart::body);
  entry.signature = envelope.status;
  entry.signer_sha256 = envelope.signer_sha256;
  std::optional<SignatureFinding> payload;
  if (emulator.wants_payload_signature()) {
    payload = request_verifier_(body, SignedPart::request_data);
    entry.payload_signature = payload->status;
    entry.payload_signer_sha256 = payload->signer_sha256;
  }
  const auto refusal = [&entry](std::string_view code, std::string message) {
    entry.signature_problem = message;
    return client_fault(code, "Request refused: " + message);
  };
  if (envelope.status == "invalid")
    return refusal(kErrorSignatureInvalid,
                   "the WS-Security signature is invalid: " + envelope.reason);
  if (payload && payload->status == "invalid")
    return refusal(kErrorSignatureInvalid, "the enveloped signature of the request data of " +
                                               std::string(emulator.service_id()) +
                                               " is invalid: " + payload->reason);
  if (required && envelope.status == "absent")
    return refusal(kErrorSignatureMissing,
                   "the request carries no WS-Security signature and the bus requires one "
                   "(--request-signature require)");
  if (required && payload && payload->status == "absent")
    return refusal(kErrorSignatureMissing,
                   "the request data of " + std::string(emulator.service_id()) +
                       " carries no enveloped ds:Signature and the service requires one "
                       "(--request-signature require)");
  return std::nullopt;
}

std::string SyncChannel::sign(std::string envelope) const {
  return signer_ ? signer_(envelope) : envelope;
}

SoapReply SyncChannel::handle(std::string_view body, std::string_view path) {
  JournalEntry entry;
  entry.received_at = xsd_time::now_ms();
  entry.time = xsd_time::format_utc(entry.received_at);
  entry.path = std::string(path);
  entry.validation = "not_checked";
  SoapReply reply = dispatch(body, entry);
  entry.outcome = reply.outcome;
  reply.system = entry.system;
  reply.service_id = entry.service_id;
  reply.subject = entry.subject;
  reply.fault_id = entry.fault_id;
  journal_.record(std::move(entry));
  return reply;
}

SoapReply SyncChannel::dispatch(std::string_view body, JournalEntry& entry) {
  auto request = shep::parse_request(body);
  entry.message_id = request.info.message_id;
  entry.service_id = request.info.service_id;
  if (!request.ok)
    return client_fault(kErrorRequestInvalid, "Invalid SendMessage request: " + request.problem);

  auto route_it = std::find_if(routes_.begin(), routes_.end(), [&](const auto& r) {
    return r->emulator->service_id() == request.info.service_id;
  });
  if (route_it == routes_.end()) {
    std::string known;
    for (const auto& id : service_ids()) known += (known.empty() ? "" : ", ") + id;
    return client_fault(kErrorServiceNotFound,
                        "Service '" + request.info.service_id +
                            "' is not registered on the bus (known: " + known + ")");
  }
  Route& route = **route_it;
  const Emulator& emulator = *route.emulator;
  entry.system = std::string(emulator.system());
  // The payload wherever <data> holds it: typed, the declared element, a JAXB-style root.
  const auto contract = shep::service_by_id(emulator.service_id());
  const auto located = contract ? shep::locate_payload(request.data, contract->request_fields)
                                : shep::LocatedPayload{request.data, shep::PayloadShape::typed, {}};
  entry.payload_shape = request.data ? std::string(shep::to_string(located.shape)) : "";
  entry.subject = emulator.subject(located.fields).value_or("");

  // The sender is authenticated first: a refused request reaches neither faults nor validation.
  if (auto refused = check_signatures(body, emulator, entry)) return std::move(*refused);

  // Faults apply to requests that parse and name a served service, before validation.
  const auto injected =
      faults_.take(FaultTarget{emulator.system(), emulator.service_id(), entry.subject, true});
  if (!injected) return answer(route, request, located, body, entry, Signing::normal, Lie{});

  entry.fault_id = injected->rule_id;
  entry.fault_mode = std::string(to_string(injected->mode));
  entry.latency_ms = injected->delay.count();
  const std::string injected_outcome = "injected_" + entry.fault_mode;
  SoapReply reply;
  if (auto replaced = replacement(*injected)) {
    reply = std::move(*replaced);
    reply.outcome = injected_outcome;
  } else if (injected->mode == FaultMode::status_error) {
    reply.body = sign(status_error_reply(request, injected->status_code));
    reply.outcome = injected_outcome;
  } else {
    const auto signing = injected->mode == FaultMode::missing_signature   ? Signing::skip
                         : injected->mode == FaultMode::invalid_signature ? Signing::tamper
                                                                          : Signing::normal;
    Lie lie;
    if (injected->mode == FaultMode::other_subject) lie.subject = injected->answer_subject;
    lie.wrong_correlation = injected->mode == FaultMode::wrong_correlation;
    reply = answer(route, request, located, body, entry, signing, lie);
    const bool is_response = reply.http_status == 200;  // not a fault of the bus
    if (injected->mode == FaultMode::truncated) {
      reply.body = cut_mid_element(reply.body);
      reply.outcome = injected_outcome;
    } else if (injected->mode != FaultMode::latency && is_response) {
      reply.outcome = injected_outcome;  // the signature modes act on replies only
    }
  }
  reply.delay = injected->delay;
  return reply;
}

SoapReply SyncChannel::answer(Route& route, const shep::ParsedRequest& request,
                              const shep::LocatedPayload& located, std::string_view body,
                              JournalEntry& entry, Signing signing, const Lie& lie) {
  const Emulator& emulator = *route.emulator;
  const std::string expected_type =
      "{" + std::string(emulator.payload_namespace()) + "}" + std::string(emulator.request_type());
  const auto refuse = [&](std::vector<std::string> problems) {
    entry.validation = "invalid";
    entry.violations = problems;
    return client_fault(kErrorSchemaViolation,
                        "Request does not conform to the contract of " +
                            std::string(emulator.service_id()) + ": " + problems.front(),
                        join(problems));
  };
  // What the contract allows in <data> (xsd:anyType): the payload typed with xsi:type, the
  // declared sendMessageRequest element, or — as JAXB clients write it — one root element in the
  // service's namespace (accepted with a warning), or the fields with no type at all (a warning).
  // Each is validated as the Request type.
  if (!request.data) return refuse({"requestData/data is missing"});
  bool typed_as_request = false;  // libxml2 then validates the payload by its xsi:type
  switch (located.shape) {
    case shep::PayloadShape::typed: {
      const auto type = shep::xsi_type(request.data);
      // xsd:anyType, what <data> is declared as, says nothing more than no type at all.
      if (type && type->first == "http://www.w3.org/2001/XMLSchema" && type->second == "anyType") {
        entry.warnings.push_back("requestData/data typed xsd:anyType: accepted, validated as " +
                                 expected_type);
        break;
      }
      if (!type || type->first != emulator.payload_namespace() ||
          type->second != emulator.request_type())
        return refuse({"requestData/data carries xsi:type {" + (type ? type->first : "") + "}" +
                       (type ? type->second : "") + ", expected " + expected_type});
      typed_as_request = true;
      break;
    }
    case shep::PayloadShape::declared:
      break;
    case shep::PayloadShape::undeclared:
      if (xml::namespace_uri(located.fields) != emulator.payload_namespace())
        return refuse({"requestData/data holds " + located.wrapper +
                       ": neither typed data (xsi:type " + expected_type + "), the declared {" +
                       std::string(shep::kSmartbridgeNs) +
                       "}sendMessageRequest, nor a root in the service's namespace"});
      entry.warnings.push_back("payload in an undeclared root element " + located.wrapper +
                               " (JAXB style): accepted, validated as " + expected_type);
      break;
    case shep::PayloadShape::untyped:
      entry.warnings.push_back("requestData/data carries no xsi:type: accepted, validated as " +
                               expected_type);
      break;
  }

  std::vector<std::string> violations;
  {
    const bool stripped = strip_signatures(request.data);
    const std::string stripped_body = stripped ? xml::to_string(*request.doc) : std::string();
    // The payload once more as typed data, unless it came so: the declared element's schema may
    // not be in the bundle, an undeclared root or untyped data are not validated by anyType.
    std::string as_typed;
    if (!typed_as_request) {
      std::string content;
      for (auto c = located.fields.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element) content += xml::to_string(c);
      shep::Payload typed{std::string(emulator.payload_namespace()),
                          std::string(emulator.request_type()), std::move(content)};
      as_typed = shep::build_request(request.info, typed);
    }
    std::lock_guard lock(route.validation_mutex);
    violations =
        route.validator->validate_soap_body(stripped ? std::string_view(stripped_body) : body);
    if (!as_typed.empty())
      for (auto& v : route.validator->validate_soap_body(as_typed))
        violations.push_back("payload as " + expected_type + ": " + v);
  }
  if (!violations.empty()) return refuse(std::move(violations));
  entry.validation = "valid";

  const std::string now = now_text();
  SoapReply reply;
  // A reply recorded from the real bus for this service and subject is served instead of the
  // emulator's (--replay, /admin/replay), made an answer to this request; as recorded, its
  // payload keeps the shape the real bus gave it.
  if (auto recording = entry.subject.empty() ? std::nullopt
                                             : replay_.find(emulator.service_id(), entry.subject)) {
    reply.body = replay_envelope(recording->envelope, new_uuid(), request.info.message_id, now,
                                 new_session_id());
    reply.outcome = "replayed";
    entry.replay = recording->file.string();
  } else {
    // other_subject: the request as if it had named another subject, answered truthfully.
    if (!lie.subject.empty() && !entry.subject.empty()) {
      // Every element of the request that names the subject asked names the other one instead
      // (the request passed the screen: its depth is bounded).
      const std::function<void(pugi::xml_node)> rename = [&](pugi::xml_node node) {
        for (auto c = node.first_child(); c; c = c.next_sibling()) {
          if (c.type() != pugi::node_element) continue;
          if (xml::text(c) == entry.subject)
            c.text().set(lie.subject.c_str());
          else
            rename(c);
        }
      };
      rename(located.fields);
    }
    auto answer = emulator.answer(located.fields, ReplyContext{new_uuid(), now});
    shep::ResponseInfo info{new_uuid(),
                            lie.wrong_correlation ? new_uuid() : request.info.message_id,
                            now,
                            std::string(shep::kSuccessCode),
                            "Сообщение успешно обработано",
                            new_session_id()};
    const auto style = wire_styles_.take(emulator.service_id(), emulator.system(), entry.subject);
    entry.reply_shape = std::string(shep::to_string(style.shape)) + "/" +
                        std::string(shep::to_string(style.envelope));
    reply.body = shep::build_response(info, answer.payload, style);
    reply.outcome = std::move(answer.outcome);
  }
  switch (signing) {
    case Signing::normal:
      reply.body = sign(std::move(reply.body));
      break;
    case Signing::skip:
      break;
    case Signing::tamper: {
      // Sign, then change the signed Body: the signature is there and no longer verifies.
      auto altered = alter_body_text(sign(std::move(reply.body)));
      if (!altered) throw std::logic_error("invalid_signature: the signed reply has no Body text");
      reply.body = std::move(*altered);
      break;
    }
  }
  return reply;
}

}  // namespace tekser::mocks
