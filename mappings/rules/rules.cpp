#include "mappings/rules/rules.hpp"

#include <charconv>
#include <string>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"

namespace tekser::mappings {

boost::json::value read_field(const pugi::xml_node& record, const FieldRule& rule) {
  const auto node = xml::find_path(record, rule.path);
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

boost::json::value apply(const FactRule& rule, const pugi::xml_node& record) {
  if (rule.fields.size() == 1 && rule.fields.front().member.empty())
    return read_field(record, rule.fields.front());
  boost::json::object out;
  bool any = false;
  for (const auto& field : rule.fields) {
    auto v = read_field(record, field);
    any = any || !v.is_null();
    out[field.member] = std::move(v);
  }
  if (!any) return nullptr;
  return out;
}

}  // namespace tekser::mappings
