// Fuzz target: the elicense mapping (mappings/elicense) behind the SHEP envelope codec
// (soap_mapping.hpp).
#include "mappings/elicense/elicense.hpp"

#include "fuzz/soap_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return tekser::fuzz::run_soap_mapping(data, size, tekser::mappings::elicense::kSystem,
                                        &tekser::mappings::elicense::map_reply);
}
