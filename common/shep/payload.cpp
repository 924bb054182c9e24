#include "common/shep/payload.hpp"

#include <algorithm>
#include <vector>

#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"
#include "common/xml/ns.hpp"

namespace tekser::shep {
namespace {

constexpr std::string_view kDsigNs = "http://www.w3.org/2000/09/xmldsig#";

bool is_signature(const pugi::xml_node& node) {
  return xml::local_name(node) == "Signature" && xml::namespace_uri(node) == kDsigNs;
}

std::vector<pugi::xml_node> element_children(const pugi::xml_node& node) {
  std::vector<pugi::xml_node> out;
  for (auto c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && !is_signature(c)) out.push_back(c);
  return out;
}

bool names_a_field(const std::vector<pugi::xml_node>& children,
                   std::span<const std::string_view> field_names) {
  return std::any_of(children.begin(), children.end(), [&](const pugi::xml_node& c) {
    return std::find(field_names.begin(), field_names.end(), xml::local_name(c)) !=
           field_names.end();
  });
}

}  // namespace

std::string_view to_string(PayloadShape shape) {
  switch (shape) {
    case PayloadShape::typed:
      return "typed";
    case PayloadShape::declared:
      return "declared";
    case PayloadShape::undeclared:
      return "jaxb";
    case PayloadShape::untyped:
      return "untyped";
  }
  return "typed";
}

std::string_view to_string(EnvelopeStyle style) {
  switch (style) {
    case EnvelopeStyle::prefixed:
      return "prefixed";
    case EnvelopeStyle::default_ns:
      return "default-ns";
    case EnvelopeStyle::rebound:
      return "rebound";
  }
  return "prefixed";
}

std::optional<PayloadShape> parse_payload_shape(std::string_view text) {
  for (auto s : {PayloadShape::typed, PayloadShape::declared, PayloadShape::undeclared,
                 PayloadShape::untyped})
    if (text == to_string(s)) return s;
  if (text == "undeclared") return PayloadShape::undeclared;
  return std::nullopt;
}

std::optional<EnvelopeStyle> parse_envelope_style(std::string_view text) {
  for (auto s : {EnvelopeStyle::prefixed, EnvelopeStyle::default_ns, EnvelopeStyle::rebound})
    if (text == to_string(s)) return s;
  if (text == "default_ns") return EnvelopeStyle::default_ns;
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> xsi_type(const pugi::xml_node& node) {
  for (auto attr = node.first_attribute(); attr; attr = attr.next_attribute()) {
    const std::string_view name = attr.name();
    if (name.find(':') == std::string_view::npos || xml::local_name(attr) != "type") continue;
    std::string attr_ns;
    auto attr_name = xml::resolve_qname(node, name, attr_ns);
    if (!attr_name || attr_name->ns != kXsiNs) continue;
    std::string type_ns;
    auto type = xml::resolve_qname(node, attr.value(), type_ns);
    if (!type) return std::nullopt;
    return std::pair{std::string(type->ns), std::string(type->local)};
  }
  return std::nullopt;
}

LocatedPayload locate_payload(const pugi::xml_node& data,
                              std::span<const std::string_view> field_names) {
  LocatedPayload out;
  if (!data) return out;
  out.fields = data;
  out.shape = xsi_type(data) ? PayloadShape::typed : PayloadShape::untyped;
  // xsi:type alone does not stop the walk: a writer may type <data> as xsd:anyType and still wrap.
  for (int depth = 0; depth < 3; ++depth) {
    const auto children = element_children(out.fields);
    if (names_a_field(children, field_names) || children.size() != 1) return out;
    const auto& only = children.front();
    if (element_children(only).empty()) return out;  // a lone leaf is a field, not a wrapper
    if (depth == 0) {
      const auto ns = xml::namespace_uri(only);
      const auto local = xml::local_name(only);
      out.shape =
          ns == kSmartbridgeNs && (local == "sendMessageRequest" || local == "sendMessageResponse")
              ? PayloadShape::declared
              : PayloadShape::undeclared;
      out.wrapper = "{" + ns + "}" + std::string(local);
    }
    out.fields = only;
  }
  return out;
}

std::optional<std::string> other_subject(const pugi::xml_node& fields,
                                         const ServiceContract& contract, std::string_view asked) {
  if (!fields) return std::nullopt;
  for (const auto& path : contract.subject_paths) {
    std::vector<pugi::xml_node> level{fields};
    for (const auto& step : path) {
      std::vector<pugi::xml_node> next;
      for (const auto& node : level)
        for (auto c = node.first_child(); c; c = c.next_sibling())
          if (c.type() == pugi::node_element && xml::local_name(c) == step) next.push_back(c);
      level = std::move(next);
    }
    for (const auto& node : level) {
      const auto id = xml::text(node);
      if (id && *id != asked) return id;
    }
  }
  return std::nullopt;
}

}  // namespace tekser::shep
