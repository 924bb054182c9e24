#include "mocks/shep_server/emulator.hpp"

#include "common/xml/ns.hpp"

namespace tekser::mocks {

std::string PayloadWriter::fragment() const {
  std::string out;
  for (auto child = root_.first_child(); child; child = child.next_sibling())
    out += xml::to_string(child);
  return out;
}

std::optional<std::string> child_text(const pugi::xml_node& parent, std::string_view local) {
  for (auto c = parent.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && xml::local_name(c) == local) return xml::text(c);
  }
  return std::nullopt;
}

}  // namespace tekser::mocks
