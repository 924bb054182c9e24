// Fuzz target: the kgd mapping (mappings/kgd) behind the SHEP envelope codec (soap_mapping.hpp).
#include "mappings/kgd/kgd.hpp"

#include "fuzz/soap_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return tekser::fuzz::run_soap_mapping(data, size, tekser::mappings::kgd::kSystem,
                                        &tekser::mappings::kgd::map_reply);
}
