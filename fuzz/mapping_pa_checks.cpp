// Fuzz target: the personal-assistant checks mapping (mappings/pa_checks) behind the SHEP
// envelope codec (soap_mapping.hpp), asked about the IIN of the golden replies.
#include "mappings/pa_checks/pa_checks.hpp"

#include "fuzz/soap_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace pa = tekser::mappings::pa_checks;
  return tekser::fuzz::run_soap_mapping(
      data, size, pa::kSystem,
      [](const pugi::xml_node& node, const tekser::facts::Provenance& provenance) {
        return pa::map_reply(node, "911103304560", provenance);
      });
}
