#include "mocks/shep_server/fault_replies.hpp"

#include <cctype>
#include <vector>

#include <pugixml.hpp>

#include "common/shep/envelope.hpp"
#include "common/xml/ns.hpp"

namespace tekser::mocks {
namespace {

bool is_ascii_alnum(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && std::isalnum(u);
}

// Another character of the same kind, so that a UUID stays hex and a number stays a number.
char changed(char c) {
  if (c >= '0' && c <= '9') return c == '9' ? '0' : static_cast<char>(c + 1);
  if (c >= 'a' && c <= 'f') return c == 'f' ? 'a' : static_cast<char>(c + 1);
  if (c >= 'A' && c <= 'F') return c == 'F' ? 'A' : static_cast<char>(c + 1);
  if (c >= 'a' && c <= 'z') return c == 'z' ? 'g' : static_cast<char>(c + 1);
  return c == 'Z' ? 'G' : static_cast<char>(c + 1);
}

// The text nodes below `node`, in document order.
void collect_text(pugi::xml_node node, std::vector<pugi::xml_node>& out) {
  for (auto child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_pcdata) out.push_back(child);
    if (child.type() == pugi::node_element) collect_text(child, out);
  }
}

}  // namespace

std::string cut_mid_element(std::string_view xml) {
  if (xml.size() < 4) return std::string(xml.substr(0, xml.size() / 2));
  auto starts_element = [&xml](std::size_t at) {
    return xml[at] == '<' && at + 2 < xml.size() &&
           std::isalpha(static_cast<unsigned char>(xml[at + 1]));
  };
  std::size_t at = xml.find('<', xml.size() / 2);
  while (at != std::string_view::npos && !starts_element(at)) at = xml.find('<', at + 1);
  if (at == std::string_view::npos) {
    // No element starts in the second half: take the last one that does.
    at = xml.size() / 2;
    while (at > 0 && !starts_element(at)) --at;
    if (!starts_element(at)) return std::string(xml.substr(0, xml.size() / 2));
  }
  return std::string(xml.substr(0, at + 2));  // "<" and the first letter of the name
}

std::string cut_mid_json(std::string_view json) {
  const auto quote = json.find('"', json.size() / 2);
  if (quote == std::string_view::npos || quote + 2 >= json.size())
    return std::string(json.substr(0, json.size() / 2));
  return std::string(json.substr(0, quote + 2));  // a quote and the character after it
}

std::optional<std::string> alter_body_text(std::string_view envelope) {
  pugi::xml_document doc;
  if (!doc.load_buffer(envelope.data(), envelope.size(), pugi::parse_default, pugi::encoding_utf8))
    return std::nullopt;
  pugi::xml_node body;
  const auto root = doc.document_element();
  for (auto child = root.first_child(); child; child = child.next_sibling()) {
    if (xml::is(child, xml::Name{shep::kSoapNs, "Body"})) body = child;
  }
  if (!body) return std::nullopt;
  // Each text node is found by its offset in the original bytes; the raw text up to the next
  // '<' may hold entity references, which are skipped.
  std::vector<pugi::xml_node> texts;
  collect_text(body, texts);
  for (const auto& text : texts) {
    const auto offset = text.offset_debug();
    if (offset < 0) continue;
    for (auto at = static_cast<std::size_t>(offset); at < envelope.size() && envelope[at] != '<';
         ++at) {
      if (envelope[at] == '&') {
        at = envelope.find(';', at);
        if (at == std::string_view::npos) return std::nullopt;
        continue;
      }
      if (is_ascii_alnum(envelope[at])) {
        std::string out(envelope);
        out[at] = changed(out[at]);
        return out;
      }
    }
  }
  return std::nullopt;
}

std::string garbage_soap_reply() {
  // Crossed end tags: no XML parser takes this. Nothing the gateway's screen of untrusted XML
  // refuses (an entity, a control character): that is the custom_body fault's job, and this
  // mode stands for a reply that is merely broken.
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"") +
         std::string(shep::kSoapNs) + "\"><soap:Body><typ:SendMessageResponse xmlns:typ=\"" +
         std::string(shep::kTypesNs) +
         "\"><response><responseInfo><messageId>garbage</responseInfo></messageId>"
         " ~~~ not XML ~~~</response></soap:Body>";
}

std::string garbage_json_reply() {
  return R"({"total": 1, "items": [{"id": 104417 "supplier_biin": ]} ~~~ not JSON ~~~)";
}

}  // namespace tekser::mocks
