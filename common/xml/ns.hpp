// Namespace-aware reading over pugixml, which itself only sees qualified names. A reply that
// uses other prefixes (or a default namespace) for the same elements reads the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

namespace tekser::xml {

// The part of a qualified name after the prefix.
std::string_view local_name(const pugi::xml_node& node);
std::string_view local_name(const pugi::xml_attribute& attr);

// The namespace URI bound to the node's prefix (or the default namespace), searching the
// ancestors' xmlns declarations; empty when unqualified.
std::string namespace_uri(const pugi::xml_node& node);

// A step of a path: a namespace URI (empty = unqualified) and a local name.
struct Name {
  std::string_view ns;
  std::string_view local;
};

bool is(const pugi::xml_node& node, const Name& name);

// First child element with that name, or an empty node.
pugi::xml_node child(const pugi::xml_node& parent, const Name& name);
std::vector<pugi::xml_node> children(const pugi::xml_node& parent, const Name& name);

// Follows a path of child steps; an empty node where any step is missing.
pugi::xml_node find_path(pugi::xml_node from, std::initializer_list<Name> path);
pugi::xml_node find_path(pugi::xml_node from, const std::vector<Name>& path);

// First element anywhere below `from` (depth first) with that name.
pugi::xml_node find_descendant(const pugi::xml_node& from, const Name& name);

// Trimmed text of an element; nullopt when the node is missing or the text is empty.
std::optional<std::string> text(const pugi::xml_node& node);

// Resolves a QName value such as an xsi:type "p:Request" in the scope of `context`.
std::optional<Name> resolve_qname(const pugi::xml_node& context, std::string_view qname,
                                  std::string& ns_storage);

// Parse options used for every untrusted document: no DOCTYPE, no custom entities (pugixml
// never expands external entities), whitespace kept out.
unsigned int safe_parse_options();

// Serialises a node (and its subtree) without indentation and without an XML declaration.
std::string to_string(const pugi::xml_node& node);

}  // namespace tekser::xml
