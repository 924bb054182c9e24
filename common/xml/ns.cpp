#include "common/xml/ns.hpp"

#include <sstream>

namespace tekser::xml {
namespace {

std::string_view prefix_of(std::string_view qname) {
  const auto colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view{} : qname.substr(0, colon);
}

std::string_view after_colon(std::string_view qname) {
  const auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::optional<std::string> lookup_prefix(pugi::xml_node node, std::string_view prefix) {
  const std::string attr_name = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (; node && node.type() == pugi::node_element; node = node.parent()) {
    if (auto attr = node.attribute(attr_name.c_str())) return std::string(attr.value());
  }
  if (prefix == "xml") return std::string("http://www.w3.org/XML/1998/namespace");
  return std::nullopt;
}

}  // namespace

std::string_view local_name(const pugi::xml_node& node) { return after_colon(node.name()); }
std::string_view local_name(const pugi::xml_attribute& attr) { return after_colon(attr.name()); }

std::string namespace_uri(const pugi::xml_node& node) {
  return lookup_prefix(node, prefix_of(node.name())).value_or(std::string{});
}

bool is(const pugi::xml_node& node, const Name& name) {
  return node.type() == pugi::node_element && local_name(node) == name.local &&
         namespace_uri(node) == name.ns;
}

pugi::xml_node child(const pugi::xml_node& parent, const Name& name) {
  for (auto c = parent.first_child(); c; c = c.next_sibling()) {
    if (is(c, name)) return c;
  }
  return {};
}

std::vector<pugi::xml_node> children(const pugi::xml_node& parent, const Name& name) {
  std::vector<pugi::xml_node> out;
  for (auto c = parent.first_child(); c; c = c.next_sibling()) {
    if (is(c, name)) out.push_back(c);
  }
  return out;
}

pugi::xml_node find_path(pugi::xml_node from, std::initializer_list<Name> path) {
  for (const auto& step : path) {
    from = child(from, step);
    if (!from) return {};
  }
  return from;
}

pugi::xml_node find_path(pugi::xml_node from, const std::vector<Name>& path) {
  for (const auto& step : path) {
    from = child(from, step);
    if (!from) return {};
  }
  return from;
}

pugi::xml_node find_descendant(const pugi::xml_node& from, const Name& name) {
  // Iterative pre-order walk: a hostile document can nest deeper than the stack allows.
  pugi::xml_node node = from.first_child();
  while (node) {
    if (is(node, name)) return node;
    if (node.first_child()) {
      node = node.first_child();
      continue;
    }
    while (node != from && !node.next_sibling()) node = node.parent();
    if (node == from) return {};
    node = node.next_sibling();
  }
  return {};
}

std::optional<std::string> text(const pugi::xml_node& node) {
  if (!node) return std::nullopt;
  std::string value = node.text().get();
  const auto first = value.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  const auto last = value.find_last_not_of(" \t\r\n");
  return value.substr(first, last - first + 1);
}

std::optional<Name> resolve_qname(const pugi::xml_node& context, std::string_view qname,
                                  std::string& ns_storage) {
  auto uri = lookup_prefix(context, prefix_of(qname));
  if (!uri && !prefix_of(qname).empty()) return std::nullopt;
  ns_storage = uri.value_or(std::string{});
  return Name{ns_storage, after_colon(qname)};
}

unsigned int safe_parse_options() {
  // parse_default without parse_doctype-related processing; pugixml ignores DTD internal
  // subsets and never resolves external entities, and parse_escapes only handles the five
  // predefined entities and character references.
  return pugi::parse_default & ~pugi::parse_doctype;
}

std::string to_string(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw | pugi::format_no_declaration);
  return out.str();
}

}  // namespace tekser::xml
