// Where a service payload sits in requestData/data or responseData/data. The contracts type <data>
// as xsd:anyType, and the wire carries the payload in several shapes (contracts/official/README.md,
// known quirks):
//   typed      <data xsi:type="ns:Response"> with the fields directly inside
//   declared   <data><sb:sendMessageResponse> (the element declareRequestResponseTypes.xsd
//              declares in http://smartbridge.b10.kz) whose content is the Response
//   undeclared <data><ns:responseDataType> — one root element in the service's namespace that no
//              XSD declares, as JAXB clients write it (a public ГБД ЮЛ fixture shows
//              tamur:responseDataType)
//   untyped    <data> with the fields directly inside and no xsi:type
// each with prefixed or default namespaces, xmlns="" on unqualified children, or a prefix that
// the payload rebinds. locate_payload is the one place that finds the fields; readers after it
// never see the shape.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace tekser::shep {

enum class PayloadShape { typed, declared, undeclared, untyped };

// How an envelope spells its namespaces.
//   prefixed  soap:/typ: prefixes, the payload's own prefixes (what tekser always wrote)
//   default_ns  default namespaces throughout, xmlns="" on the unqualified children
//   rebound   the payload rebinds the envelope's prefix "soap" to its own namespace
enum class EnvelopeStyle { prefixed, default_ns, rebound };

std::string_view to_string(PayloadShape shape);
std::string_view to_string(EnvelopeStyle style);
std::optional<PayloadShape> parse_payload_shape(std::string_view text);
std::optional<EnvelopeStyle> parse_envelope_style(std::string_view text);

// How a writer (the gateway's requests, the mocks' replies) puts a payload on the wire.
struct WireStyle {
  PayloadShape shape = PayloadShape::typed;
  EnvelopeStyle envelope = EnvelopeStyle::prefixed;
};

struct LocatedPayload {
  pugi::xml_node fields;  // the element whose children are the Request's/Response's fields
  PayloadShape shape = PayloadShape::untyped;
  std::string wrapper;  // declared/undeclared: {namespace}local of the wrapping element
};

// Finds the payload's fields in `data` (requestData/data or responseData/data). `field_names` are
// the local names of the type's top-level children (services.hpp): a level whose children include
// one of them, or that carries xsi:type, is the payload; otherwise a level with exactly one
// element child (a ds:Signature aside) is a wrapper and is stepped into, at most twice. An empty
// `data` gives an empty node.
LocatedPayload locate_payload(const pugi::xml_node& data,
                              std::span<const std::string_view> field_names);

struct ServiceContract;

// The first subject id the payload names on the contract's subject paths that is not `asked`
// (compared as text, trimmed); nullopt when every one is `asked` or none is there.
std::optional<std::string> other_subject(const pugi::xml_node& fields,
                                         const ServiceContract& contract, std::string_view asked);

// The xsi:type of an element resolved to {namespace, local}; nullopt when it has none or the
// prefix is unbound.
std::optional<std::pair<std::string, std::string>> xsi_type(const pugi::xml_node& node);

}  // namespace tekser::shep
