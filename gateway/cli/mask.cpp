#include "gateway/cli/mask.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

#include <pugixml.hpp>

#include "common/identity/identity.hpp"
#include "common/xml/ns.hpp"

namespace tekser::ctl {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool one_of(const std::string& name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool contains(const std::string& name, std::string_view part) {
  return name.find(part) != std::string::npos;
}

// A letter becomes 'X', a digit '0'; spaces and ASCII punctuation stay. Counted per code point.
std::string scrub(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    if (c < 0x80) {
      out += std::isdigit(c) ? '0' : std::isalpha(c) ? 'X' : static_cast<char>(c);
    } else {
      out += 'X';
    }
    i += std::min(length, text.size() - i);
  }
  return out;
}

// 1900-01-01, the rest of the value (a time, an offset) kept.
std::string masked_date(std::string_view text) {
  if (text.size() >= 10 && text[4] == '-' && text[7] == '-')
    return "1900-01-01" + std::string(text.substr(10));
  return scrub(text);
}

bool is_leaf(const pugi::xml_node& node) {
  for (auto c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element) return false;
  return true;
}

// An element standing for a person: by its name, or because its iin/biin/id child is an IIN.
bool is_person(const pugi::xml_node& node) {
  const auto name = lower(xml::local_name(node));
  if (one_of(name,
             {"representative", "notary", "organizationleader", "foundersfl", "leader", "person"}))
    return true;
  for (auto c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (!one_of(lower(xml::local_name(c)), {"iin", "biin", "id"})) continue;
    const auto parsed = identity::parse(c.text().get());
    if (parsed && parsed.identifier->kind == identity::SubjectKind::individual) return true;
  }
  return false;
}

bool below(pugi::xml_node node, bool (*test)(const std::string&)) {
  for (auto p = node.parent(); p && p.type() == pugi::node_element; p = p.parent())
    if (test(lower(xml::local_name(p)))) return true;
  return false;
}

enum class Kind { none, text, date };

Kind what_to_mask(const pugi::xml_node& node) {
  const auto name = lower(xml::local_name(node));
  if (one_of(name, {"surname", "name", "patronymic", "middlename", "firstname", "lastname", "fio"}))
    return Kind::text;
  if (one_of(name, {"birthdate", "dateofbirth"})) return Kind::date;
  if (contains(name, "name") && is_person(node.parent())) return Kind::text;
  const bool address_part = name.starts_with("street") || name.starts_with("building") ||
                            name.starts_with("office") || name.starts_with("city") ||
                            one_of(name, {"flat", "house", "apartment", "zipcode", "arcode"});
  if (address_part &&
      below(node, [](const std::string& n) { return contains(n, "address") || n == "birthplace"; }))
    return Kind::text;
  if (one_of(name, {"number", "documentnumber"}) && below(node, [](const std::string& n) {
        return contains(n, "document") || contains(n, "certificate");
      }))
    return Kind::text;
  return Kind::none;
}

void walk(pugi::xml_node node, int& masked) {
  for (auto child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    if (!is_leaf(child)) {
      walk(child, masked);
      continue;
    }
    const auto kind = what_to_mask(child);
    const std::string value = child.text().get();
    if (kind == Kind::none || value.empty()) continue;
    child.text().set((kind == Kind::date ? masked_date(value) : scrub(value)).c_str());
    ++masked;
  }
}

}  // namespace

MaskResult mask_personal_data(std::string_view text) {
  pugi::xml_document doc;
  const unsigned options = xml::safe_parse_options() | pugi::parse_declaration |
                           pugi::parse_ws_pcdata | pugi::parse_comments;
  const auto parsed = doc.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
  if (!parsed)
    throw std::invalid_argument(std::string("not well-formed XML: ") + parsed.description() +
                                " at byte " + std::to_string(parsed.offset));
  MaskResult result;
  walk(doc, result.masked);
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  result.xml = out.str();
  return result;
}

}  // namespace tekser::ctl
