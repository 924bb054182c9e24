// How a state-system emulator plugs into the mock SHEP SyncChannel: the bus routes a request by
// serviceId, validates it against SHEP + the emulator's schemas, then asks the emulator for the
// payload of the reply. Emulators are pure: no sockets, no clock (the moment and the ids they
// stamp come in a ReplyContext), so tests call them directly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "common/shep/envelope.hpp"
#include "common/xsd/validator.hpp"

namespace tekser::mocks {

// The short name of the system behind a serviceId served by the mocks ("GbdulInfoByBin_v2" ->
// "gbd_ul"); the serviceId itself when it is not in the table.
std::string_view system_of_service(std::string_view service_id);

// What the state system stamps on its own reply.
struct ReplyContext {
  std::string message_id;  // a fresh UUID
  std::string now;         // xsd:dateTime with +05:00
};

struct EmulatorAnswer {
  shep::Payload payload;
  std::string outcome;  // for the journal and logs: "found", "not_found", "kdp_token_invalid"...
};

class Emulator {
 public:
  virtual ~Emulator() = default;

  virtual std::string_view service_id() const = 0;
  // The system's short name, as the gateway and the fault rules call it ("gbd_ul", "kgd", ...).
  // By default looked up by serviceId in one table (system_of_service); an unknown serviceId is
  // its own system.
  virtual std::string_view system() const { return system_of_service(service_id()); }
  // The payload namespace and the xsi:type names of its request and reply.
  virtual std::string_view payload_namespace() const = 0;
  virtual std::string_view request_type() const { return "Request"; }
  virtual std::string_view response_type() const { return "Response"; }
  // Whether the service wants the request data signed too, with an enveloped ds:Signature in
  // <data> (ГБД ЮЛ); the bus checks it under the same policy as the Body's signature.
  virtual bool wants_payload_signature() const { return false; }
  // Contract files of the payload, added to the SHEP bundle to validate requests.
  virtual std::vector<xsd::NamespaceFiles> schemas() const = 0;

  // The subject the request asks about (BIN or IIN), when the payload names one.
  virtual std::optional<std::string> subject(const pugi::xml_node& data) const = 0;

  // The reply payload for a request that passed validation. `data` is requestData/data.
  virtual EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const = 0;
};

// Builds a payload fragment: the children of <data>, unqualified as the payload XSDs want.
class PayloadWriter {
 public:
  PayloadWriter() : root_(doc_.append_child("data")) {}

  pugi::xml_node root() const { return root_; }

  static pugi::xml_node add(pugi::xml_node parent, const char* name, std::string_view value) {
    auto node = parent.append_child(name);
    node.text().set(std::string(value).c_str());
    return node;
  }
  // Exact overloads so that strings never pick the optional one.
  static pugi::xml_node add(pugi::xml_node parent, const char* name, const std::string& value) {
    return add(parent, name, std::string_view(value));
  }
  static pugi::xml_node add(pugi::xml_node parent, const char* name, const char* value) {
    return add(parent, name, std::string_view(value));
  }
  // An absent optional element is left out.
  static void add(pugi::xml_node parent, const char* name, const std::optional<std::string>& v) {
    if (v) add(parent, name, std::string_view(*v));
  }

  // The XML of root()'s children, as shep::Payload::content_xml expects.
  std::string fragment() const;

 private:
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

// Trimmed text of the first child element of `parent` with that local name (payload children are
// unqualified, but a sender that qualifies them is still understood).
std::optional<std::string> child_text(const pugi::xml_node& parent, std::string_view local);

}  // namespace tekser::mocks
