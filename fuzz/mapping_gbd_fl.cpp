// Fuzz target: the gbd_fl mapping (mappings/gbd_fl) behind the SHEP envelope codec
// (soap_mapping.hpp).
#include "mappings/gbd_fl/gbd_fl.hpp"

#include "fuzz/soap_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return tekser::fuzz::run_soap_mapping(data, size, tekser::mappings::gbd_fl::kSystem,
                                        &tekser::mappings::gbd_fl::map_reply);
}
