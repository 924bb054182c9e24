// Fuzz target: the gbd_ul mapping (mappings/gbd_ul) behind the SHEP envelope codec
// (soap_mapping.hpp).
#include "mappings/gbd_ul/gbd_ul.hpp"

#include "fuzz/soap_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return tekser::fuzz::run_soap_mapping(data, size, tekser::mappings::gbd_ul::kSystem,
                                        &tekser::mappings::gbd_ul::map_reply);
}
