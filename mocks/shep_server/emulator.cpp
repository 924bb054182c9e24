#include "mocks/shep_server/emulator.hpp"

#include <utility>

#include "common/shep/services.hpp"
#include "common/xml/ns.hpp"

namespace tekser::mocks {

std::string_view system_of_service(std::string_view service_id) {
  // The gateway's names for the systems, from the one contract table both sides use.
  for (const auto& contract : shep::services())
    if (contract.service_id == service_id) return contract.system;
  return service_id;
}

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
