#include "mappings/rules/text.hpp"

namespace tekser::mappings {
namespace {

// "город Алматы" / "Алматы қаласы" / "г. Алматы" -> "Алматы"; anything else -> itself.
std::string_view city_name(std::string_view part) {
  for (const std::string_view prefix : {"город ", "г. ", "г.", "қ. "}) {
    if (part.starts_with(prefix)) return part.substr(prefix.size());
  }
  for (const std::string_view suffix : {" қаласы", " қ."}) {
    if (part.ends_with(suffix)) return part.substr(0, part.size() - suffix.size());
  }
  return part;
}

}  // namespace

std::string address_line(const std::vector<std::optional<std::string>>& parts) {
  std::string out;
  std::vector<std::string_view> seen;
  for (const auto& part : parts) {
    if (!part || part->empty()) continue;
    bool named = false;
    for (const auto earlier : seen)
      named = named || earlier == *part || city_name(earlier) == *part;
    if (named) continue;
    if (!out.empty()) out += ", ";
    out += *part;
    seen.push_back(*part);
  }
  return out;
}

std::optional<std::string> member_text(const boost::json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::string> labelled(std::string_view prefix,
                                    const std::optional<std::string>& value,
                                    std::string_view suffix) {
  if (!value || value->empty()) return std::nullopt;
  return std::string(prefix) + *value + std::string(suffix);
}

}  // namespace tekser::mappings
