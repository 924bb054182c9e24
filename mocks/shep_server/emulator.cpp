#include "mocks/shep_server/emulator.hpp"

#include <utility>

#include "common/xml/ns.hpp"

namespace tekser::mocks {

std::string_view system_of_service(std::string_view service_id) {
  // The gateway's names for the systems (its verify replies and the README use them too).
  static constexpr std::pair<std::string_view, std::string_view> kSystems[] = {
      {"GbdulInfoByBin_v2", "gbd_ul"},  {"GBDFL_UniversalServiceSync", "gbd_fl"},
      {"KGD_TaxpayerStatus", "kgd"},    {"ELICENSE_LicensesByBiin", "elicense"},
      {"ENIS_PoaVerification", "enis"}, {"PersonalAssistantChecks", "pa_checks"},
  };
  for (const auto& [service, system] : kSystems) {
    if (service == service_id) return system;
  }
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
