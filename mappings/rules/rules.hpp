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

struct FieldRule {
  std::string_view member;        // JSON member of the fact; empty: the fact is this scalar
  std::vector<xml::Name> path;    // child steps from the record element
  ValueType type = ValueType::text;
};

struct FactRule {
  std::string_view fact;
  std::vector<FieldRule> fields;
};

// One field's value: null where the element is missing, empty or not of its type.
boost::json::value read_field(const pugi::xml_node& record, const FieldRule& rule);

// The fact's value: an object of its members (nulls kept, so that a field that disappears from
// a later reply shows up as a change), a scalar for a single unnamed field, or null when the
// object would hold nothing but nulls.
boost::json::value apply(const FactRule& rule, const pugi::xml_node& record);

// Unqualified name: the payload elements of the contracts are unqualified (no
// elementFormDefault in their XSDs).
inline xml::Name u(std::string_view local) { return xml::Name{"", local}; }

}  // namespace tekser::mappings
