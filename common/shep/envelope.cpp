#include "common/shep/envelope.hpp"

#include <cctype>
#include <limits>
#include <optional>
#include <stdexcept>

#include "common/shep/services.hpp"
#include "common/time/xsd_time.hpp"
#include "common/xml/ns.hpp"
#include "common/xml/untrusted.hpp"

namespace tekser::shep {
namespace {

using xml::Name;

void add_text(pugi::xml_node parent, const char* name, std::string_view value) {
  parent.append_child(name).text().set(std::string(value).c_str());
}

void add_optional(pugi::xml_node parent, const char* name, const std::optional<std::string>& v) {
  if (v) add_text(parent, name, *v);
}

// The Envelope and its Body. Prefixed (and rebound) styles write soap:; default_ns makes SOAP the
// default namespace.
pugi::xml_node start_envelope(pugi::xml_document& doc, EnvelopeStyle style = {}) {
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  if (style == EnvelopeStyle::default_ns) {
    auto envelope = doc.append_child("Envelope");
    envelope.append_attribute("xmlns") = std::string(kSoapNs).c_str();
    return envelope.append_child("Body");
  }
  auto envelope = doc.append_child("soap:Envelope");
  envelope.append_attribute("xmlns:soap") = std::string(kSoapNs).c_str();
  return envelope.append_child("soap:Body");
}

// The SyncChannel operation element (SendMessage, SendMessageResponse) and its unqualified child.
pugi::xml_node start_operation(pugi::xml_node body, std::string_view operation, const char* child,
                               EnvelopeStyle style) {
  if (style == EnvelopeStyle::default_ns) {
    auto op = body.append_child(std::string(operation).c_str());
    op.append_attribute("xmlns") = std::string(kTypesNs).c_str();
    auto inner = op.append_child(child);
    inner.append_attribute("xmlns") = "";  // the contract's children are unqualified
    return inner;
  }
  auto op = body.append_child(("typ:" + std::string(operation)).c_str());
  op.append_attribute("xmlns:typ") = std::string(kTypesNs).c_str();
  return op.append_child(child);
}

std::string serialize(const pugi::xml_document& doc) {
  struct Writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  } writer;
  doc.save(writer, "", pugi::format_raw, pugi::encoding_utf8);
  return std::move(writer.out);
}

bool has_prefix(const pugi::xml_node& node) {
  return std::string_view(node.name()).find(':') != std::string_view::npos;
}

// Under a default namespace, the payload's unqualified elements get xmlns="" where they would
// otherwise fall into it: the top-level ones, and those under a prefixed element.
void undeclare_default_ns(pugi::xml_node parent, bool parent_in_default) {
  for (auto c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const bool prefixed = has_prefix(c);
    if (!prefixed && parent_in_default && !c.attribute("xmlns")) c.prepend_attribute("xmlns") = "";
    undeclare_default_ns(c, prefixed || std::string_view(c.attribute("xmlns").value()) != "");
  }
}

// Appends the payload as <data> in the shape `style` asks for: typed (xsi:type on data, the
// fragment as its children), declared ({smartbridge}sendMessageRequest/Response around the
// fragment), undeclared (a JAXB-style root in the service's namespace) or untyped.
void append_data(pugi::xml_node parent, const Payload& payload, const WireStyle& style,
                 bool request) {
  auto data = parent.append_child("data");
  const bool rebound = style.envelope == EnvelopeStyle::rebound;
  const bool default_ns = style.envelope == EnvelopeStyle::default_ns;
  pugi::xml_node holder = data;
  bool holder_in_default = false;
  switch (style.shape) {
    case PayloadShape::typed:
      if (!payload.type_name.empty()) {
        const std::string prefix = rebound ? "soap" : "pl";
        data.append_attribute("xmlns:xsi") = std::string(kXsiNs).c_str();
        data.append_attribute(("xmlns:" + prefix).c_str()) = payload.type_ns.c_str();
        data.append_attribute("xsi:type") = (prefix + ":" + payload.type_name).c_str();
      }
      break;
    case PayloadShape::declared:
    case PayloadShape::undeclared: {
      const bool declared = style.shape == PayloadShape::declared;
      const std::string ns = declared ? std::string(kSmartbridgeNs) : payload.type_ns;
      const std::string local = declared ? (request ? "sendMessageRequest" : "sendMessageResponse")
                                         : (request ? "requestDataType" : "responseDataType");
      if (default_ns) {
        holder = data.append_child(local.c_str());
        holder.append_attribute("xmlns") = ns.c_str();
        holder_in_default = true;
      } else {
        const std::string prefix = rebound ? "soap" : declared ? "sb" : "ns2";
        holder = data.append_child((prefix + ":" + local).c_str());
        holder.append_attribute(("xmlns:" + prefix).c_str()) = ns.c_str();
      }
      break;
    }
    case PayloadShape::untyped:
      break;
  }
  if (payload.content_xml.empty()) return;
  pugi::xml_document fragment;
  const auto result = fragment.load_buffer(payload.content_xml.data(), payload.content_xml.size(),
                                           pugi::parse_default | pugi::parse_fragment);
  if (!result)
    throw std::invalid_argument(std::string("payload is not XML: ") + result.description());
  for (auto c = fragment.first_child(); c; c = c.next_sibling()) holder.append_copy(c);
  if (holder_in_default) undeclare_default_ns(holder, true);
}

void append_error_info(pugi::xml_node node, const ErrorInfo& e) {
  add_text(node, "errorCode", e.code);
  add_text(node, "errorMessage", e.message);
  add_optional(node, "errorData", e.data);
  add_text(node, "errorDate", e.date);
  if (e.sub_error) append_error_info(node.append_child("subError"), *e.sub_error);
  add_optional(node, "sessionId", e.session_id);
}

// Children of request/response/ErrorInfo are unqualified in the contract; readers match them by
// local name so that a sender that qualifies them anyway is still understood.
pugi::xml_node field(const pugi::xml_node& parent, std::string_view local) {
  for (auto c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && xml::local_name(c) == local) return c;
  }
  return {};
}

std::optional<std::string> field_text(const pugi::xml_node& parent, std::string_view local) {
  return xml::text(field(parent, local));
}

ErrorInfo read_error_info(const pugi::xml_node& node, int depth = 0) {
  ErrorInfo e;
  e.code = field_text(node, "errorCode").value_or("");
  e.message = field_text(node, "errorMessage").value_or("");
  e.data = field_text(node, "errorData");
  e.date = field_text(node, "errorDate").value_or("");
  e.session_id = field_text(node, "sessionId");
  if (auto sub = field(node, "subError"); sub && depth < 8)
    e.sub_error = std::make_shared<ErrorInfo>(read_error_info(sub, depth + 1));
  return e;
}

struct LoadedBody {
  std::shared_ptr<pugi::xml_document> doc;
  pugi::xml_node first;  // first element child of Body
  std::string problem;
  bool unsafe = false;  // refused by the screen of untrusted XML, never parsed
};

// Both directions read XML from outside (the gateway SHEP's replies, the mock bus requests): the
// screen refuses DTDs, entities, deep nesting, floods of elements and invalid UTF-8 first.
LoadedBody load_body(std::string_view text, const xml::UntrustedLimits& limits = {}) {
  LoadedBody out;
  out.doc = std::make_shared<pugi::xml_document>();
  if (auto loaded = xml::load_untrusted(*out.doc, text, limits); !loaded) {
    out.unsafe = loaded.status == xml::UntrustedLoad::Status::refused;
    out.problem = out.unsafe ? "unsafe XML, not parsed: " + loaded.problem : loaded.problem;
    return out;
  }
  const auto envelope = out.doc->document_element();
  if (!xml::is(envelope, Name{kSoapNs, "Envelope"})) {
    out.problem = "root element is not a SOAP 1.1 Envelope";
    return out;
  }
  const auto body = xml::child(envelope, Name{kSoapNs, "Body"});
  if (!body) {
    out.problem = "SOAP Envelope has no Body";
    return out;
  }
  for (auto c = body.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) {
      out.first = c;
      break;
    }
  }
  if (!out.first) out.problem = "SOAP Body is empty";
  return out;
}

}  // namespace

std::string build_request(const RequestInfo& info, const Payload& payload, const WireStyle& style) {
  pugi::xml_document doc;
  auto body = start_envelope(doc, style.envelope);
  auto request = start_operation(body, "SendMessage", "request", style.envelope);
  auto ri = request.append_child("requestInfo");
  add_text(ri, "messageId", info.message_id);
  add_optional(ri, "correlationId", info.correlation_id);
  add_text(ri, "serviceId", info.service_id);
  add_text(ri, "messageDate", info.message_date);
  add_optional(ri, "routeId", info.route_id);
  auto sender = ri.append_child("sender");
  add_text(sender, "senderId", info.sender_id);
  add_optional(sender, "password", info.password);
  for (const auto& p : info.properties) {
    auto prop = ri.append_child("properties");
    add_text(prop, "key", p.key);
    add_text(prop, "value", p.value);
  }
  add_optional(ri, "sessionId", info.session_id);
  append_data(request.append_child("requestData"), payload, style, true);
  return serialize(doc);
}

std::string build_response(const ResponseInfo& info, const std::optional<Payload>& payload,
                           const WireStyle& style) {
  pugi::xml_document doc;
  auto body = start_envelope(doc, style.envelope);
  auto response = start_operation(body, "SendMessageResponse", "response", style.envelope);
  auto ri = response.append_child("responseInfo");
  add_text(ri, "messageId", info.message_id);
  add_optional(ri, "correlationId", info.correlation_id);
  add_text(ri, "responseDate", info.response_date);
  auto status = ri.append_child("status");
  add_text(status, "code", info.status_code);
  add_text(status, "message", info.status_message);
  add_optional(ri, "sessionId", info.session_id);
  auto data = response.append_child("responseData");
  if (payload) append_data(data, *payload, style, false);
  return serialize(doc);
}

std::string build_fault(std::string_view fault_code, std::string_view fault_string,
                        const ErrorInfo& error) {
  pugi::xml_document doc;
  auto body = start_envelope(doc);
  auto fault = body.append_child("soap:Fault");
  add_text(fault, "faultcode", fault_code);
  add_text(fault, "faultstring", fault_string);
  auto detail = fault.append_child("detail");
  auto info = detail.append_child("typ:SendMessageFault1_SendMessageFault");
  info.append_attribute("xmlns:typ") = std::string(kTypesNs).c_str();
  append_error_info(info, error);
  return serialize(doc);
}

// The faultcode, faultstring and the ErrorInfo of a soap:Fault, by direct child steps (the
// ErrorInfo at `detail`'s first level, or anywhere under it when `search_detail`).
void read_fault(ParsedReply& reply, const pugi::xml_node& fault, bool search_detail) {
  reply.kind = ParsedReply::Kind::fault;
  reply.fault_code = field_text(fault, "faultcode").value_or("");
  reply.fault_string = field_text(fault, "faultstring").value_or("");
  if (auto detail = field(fault, "detail")) {
    pugi::xml_node info;
    if (search_detail)
      info = xml::find_descendant(detail, Name{kTypesNs, "SendMessageFault1_SendMessageFault"});
    else
      info = xml::child(detail, Name{kTypesNs, "SendMessageFault1_SendMessageFault"});
    if (!info) {
      // Tolerate an ErrorInfo under another wrapper: anything that has an errorCode child.
      for (auto c = detail.first_child(); c; c = c.next_sibling()) {
        if (field(c, "errorCode")) {
          info = c;
          break;
        }
      }
    }
    if (info) reply.error = read_error_info(info);
  }
}

// A fault whose detail nests deeper, or holds more elements, than the screen allows still says in
// its first levels who failed and why. When the document is safe but for those caps (no DTD, no
// entity, UTF-8), it is parsed (pugixml does not recurse) and only its faultcode, faultstring and
// top ErrorInfo are read by bounded child steps; the deep tree is not handed on to any reader.
std::optional<ParsedReply> fault_beyond_the_caps(std::string_view text,
                                                 const std::string& problem) {
  constexpr auto kNoCap = std::numeric_limits<std::size_t>::max();
  const auto loaded =
      load_body(text, xml::UntrustedLimits{.max_depth = kNoCap, .max_elements = kNoCap});
  if (!loaded.problem.empty() || !xml::is(loaded.first, Name{kSoapNs, "Fault"}))
    return std::nullopt;
  ParsedReply reply;
  read_fault(reply, loaded.first, false);
  constexpr std::string_view kRefused = "unsafe XML, not parsed: ";
  reply.problem = "its detail was not read: " +
                  (problem.starts_with(kRefused) ? problem.substr(kRefused.size()) : problem);
  reply.doc = std::make_shared<pugi::xml_document>();
  return reply;
}

ParsedReply parse_reply(std::string_view text) {
  ParsedReply reply;
  auto loaded = load_body(text);
  reply.doc = loaded.doc;
  if (!loaded.problem.empty()) {
    if (loaded.unsafe) {
      if (auto fault = fault_beyond_the_caps(text, loaded.problem)) return std::move(*fault);
    }
    reply.problem = loaded.problem;
    reply.unsafe = loaded.unsafe;
    return reply;
  }
  const auto first = loaded.first;
  if (xml::is(first, Name{kSoapNs, "Fault"})) {
    read_fault(reply, first, true);
    return reply;
  }
  if (!xml::is(first, Name{kTypesNs, "SendMessageResponse"})) {
    reply.problem =
        "SOAP Body holds " + std::string(first.name()) + ", not a SyncChannel SendMessageResponse";
    return reply;
  }
  const auto response = field(first, "response");
  const auto info = field(response, "responseInfo");
  if (!info) {
    reply.problem = "SendMessageResponse has no response/responseInfo";
    return reply;
  }
  const auto status = field(info, "status");
  auto code = field_text(status, "code");
  if (!code) {
    reply.problem = "responseInfo has no status/code";
    return reply;
  }
  reply.kind = ParsedReply::Kind::response;
  reply.info.message_id = field_text(info, "messageId").value_or("");
  reply.info.correlation_id = field_text(info, "correlationId");
  reply.info.response_date = field_text(info, "responseDate").value_or("");
  reply.info.status_code = *code;
  reply.info.status_message = field_text(status, "message").value_or("");
  reply.info.session_id = field_text(info, "sessionId");
  reply.data = field(field(response, "responseData"), "data");
  return reply;
}

ParsedRequest parse_request(std::string_view text) {
  ParsedRequest req;
  auto loaded = load_body(text);
  req.doc = loaded.doc;
  auto fail = [&req](std::string problem) {
    req.problem = std::move(problem);
    return req;
  };
  if (!loaded.problem.empty()) return fail(loaded.problem);
  if (!xml::is(loaded.first, Name{kTypesNs, "SendMessage"}))
    return fail("SOAP Body holds " + std::string(loaded.first.name()) + ", expected {" +
                std::string(kTypesNs) + "}SendMessage");
  const auto request = field(loaded.first, "request");
  if (!request) return fail("SendMessage has no request");
  const auto info = field(request, "requestInfo");
  if (!info) return fail("request has no requestInfo");
  auto required = [&info](std::string_view name, std::string& out) {
    auto v = field_text(info, name);
    if (!v) return false;
    out = *v;
    return true;
  };
  if (!required("messageId", req.info.message_id)) return fail("requestInfo/messageId is missing");
  if (!required("serviceId", req.info.service_id)) return fail("requestInfo/serviceId is missing");
  if (!required("messageDate", req.info.message_date))
    return fail("requestInfo/messageDate is missing");
  if (!xsd_time::parse_datetime(req.info.message_date, true))
    return fail("requestInfo/messageDate '" + req.info.message_date +
                "' is not an xsd:dateTime with an explicit offset");
  const auto sender = field(info, "sender");
  auto sender_id = field_text(sender, "senderId");
  if (!sender_id) return fail("requestInfo/sender/senderId is missing");
  req.info.sender_id = *sender_id;
  req.info.password = field_text(sender, "password");
  req.info.correlation_id = field_text(info, "correlationId");
  req.info.route_id = field_text(info, "routeId");
  req.info.session_id = field_text(info, "sessionId");
  for (auto c = info.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && xml::local_name(c) == "properties")
      req.info.properties.push_back(
          {field_text(c, "key").value_or(""), field_text(c, "value").value_or("")});
  }
  const auto request_data = field(request, "requestData");
  if (!request_data) return fail("request has no requestData");
  req.data = field(request_data, "data");
  req.ok = true;
  return req;
}

bool is_braced_guid(std::string_view t) {
  if (t.size() != 38 || t.front() != '{' || t.back() != '}') return false;
  for (std::size_t i = 1; i < 37; ++i) {
    const bool dash = i == 9 || i == 14 || i == 19 || i == 24;
    const char c = t[i];
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace tekser::shep
