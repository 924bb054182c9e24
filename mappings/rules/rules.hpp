// Declarative field mapping: a fact is a list of (JSON member <- namespace-aware XML path, type)
// rules applied to a record element. Reading a mapping table tells what a reply field becomes.
#pragma once

#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <pugixml.hpp>

#include "common/xml/ns.hpp"

namespace tekser::mappings {

enum class ValueType {
  text,     // trimmed string
  date,     // xsd:date, normalised to YYYY-MM-DD (an invalid date is kept as null)
  boolean,  // xsd:boolean: true/false/1/0
  number,   // xsd:double / xsd:int
};

// Namespaces an unqualified path step also matches. The contracts' payload elements are
// unqualified (no elementFormDefault), but a writer may put the same elements in the service's
// namespace, with a prefix or a default xmlns; such a reply must read the same. Empty: a step
// matches exactly its (namespace, local name), as xml::is does.
using NsSet = std::vector<std::string_view>;

struct FieldRule {
  std::string_view member;      // JSON member of the fact; empty: the fact is this scalar
  std::vector<xml::Name> path;  // child steps from the record element
  ValueType type = ValueType::text;
};

struct FactRule {
  std::string_view fact;
  std::vector<FieldRule> fields;
  NsSet also_ns = {};  // see NsSet: how tolerant the steps of every field are
};

// Namespace-tolerant counterparts of xml::is / child / children / find_path: a step with an
// empty namespace matches an unqualified element or one in any of `also_ns`; a step with a
// namespace matches only that namespace.
bool matches(const pugi::xml_node& node, const xml::Name& step, const NsSet& also_ns);
pugi::xml_node child(const pugi::xml_node& parent, const xml::Name& step, const NsSet& also_ns);
std::vector<pugi::xml_node> children(const pugi::xml_node& parent, const xml::Name& step,
                                     const NsSet& also_ns);
pugi::xml_node find_path(pugi::xml_node from, const std::vector<xml::Name>& path,
                         const NsSet& also_ns);

// One field's value: null where the element is missing, empty or not of its type.
boost::json::value read_field(const pugi::xml_node& record, const FieldRule& rule,
                              const NsSet& also_ns = {});

// The fact's value: an object of its members (nulls kept, so that a field that disappears from
// a later reply shows up as a change), a scalar for a single unnamed field, or null when the
// object would hold nothing but nulls.
boost::json::value apply(const FactRule& rule, const pugi::xml_node& record);

// The same object with every member present, even when all are null (for facts whose shape a
// caller relies on, e.g. a record that is there but whose fields the reply left out).
boost::json::object apply_object(const FactRule& rule, const pugi::xml_node& record);

// Unqualified name: the payload elements of the contracts are unqualified (no
// elementFormDefault in their XSDs).
inline xml::Name u(std::string_view local) {
  return xml::Name{"", local};
}

}  // namespace tekser::mappings
