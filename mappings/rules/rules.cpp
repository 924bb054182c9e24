#include "mappings/rules/rules.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"

namespace tekser::mappings {

bool matches(const pugi::xml_node& node, const xml::Name& step, const NsSet& also_ns) {
  if (node.type() != pugi::node_element || xml::local_name(node) != step.local) return false;
  const auto ns = xml::namespace_uri(node);
  if (ns == step.ns) return true;
  return step.ns.empty() && std::find(also_ns.begin(), also_ns.end(), ns) != also_ns.end();
}

pugi::xml_node child(const pugi::xml_node& parent, const xml::Name& step, const NsSet& also_ns) {
  for (auto c = parent.first_child(); c; c = c.next_sibling()) {
    if (matches(c, step, also_ns)) return c;
  }
  return {};
}

std::vector<pugi::xml_node> children(const pugi::xml_node& parent, const xml::Name& step,
                                     const NsSet& also_ns) {
  std::vector<pugi::xml_node> out;
  for (auto c = parent.first_child(); c; c = c.next_sibling()) {
    if (matches(c, step, also_ns)) out.push_back(c);
  }
  return out;
}

pugi::xml_node find_path(pugi::xml_node from, const std::vector<xml::Name>& path,
                         const NsSet& also_ns) {
  for (const auto& step : path) {
    from = child(from, step, also_ns);
    if (!from) return {};
  }
  return from;
}

boost::json::value read_field(const pugi::xml_node& record, const FieldRule& rule,
                              const NsSet& also_ns) {
  const auto node = find_path(record, rule.path, also_ns);
  const auto text = xml::text(node);
  if (!text) return nullptr;
  switch (rule.type) {
    case ValueType::text:
      return boost::json::value(*text);
    case ValueType::date: {
      auto date = xsd_time::normalize_date(*text);
      if (!date) return nullptr;
      return boost::json::value(*date);
    }
    case ValueType::boolean:
      if (*text == "true" || *text == "1") return true;
      if (*text == "false" || *text == "0") return false;
      return nullptr;
    case ValueType::number: {
      double v = 0;
      const auto* end = text->data() + text->size();
      const auto [ptr, ec] = std::from_chars(text->data(), end, v);
      if (ec != std::errc{} || ptr != end) return nullptr;
      return v;
    }
  }
  return nullptr;
}

boost::json::object apply_object(const FactRule& rule, const pugi::xml_node& record) {
  boost::json::object out;
  for (const auto& field : rule.fields) out[field.member] = read_field(record, field, rule.also_ns);
  return out;
}

boost::json::value apply(const FactRule& rule, const pugi::xml_node& record) {
  if (rule.fields.size() == 1 && rule.fields.front().member.empty())
    return read_field(record, rule.fields.front(), rule.also_ns);
  auto out = apply_object(rule, record);
  const bool any = std::any_of(out.begin(), out.end(),
                               [](const auto& member) { return !member.value().is_null(); });
  if (!any) return nullptr;
  return out;
}

}  // namespace tekser::mappings
