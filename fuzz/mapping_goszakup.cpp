// Fuzz target: the goszakup РНУ mapping (mappings/goszakup) behind the REST page reader
// (rest_mapping.hpp).
#include "mappings/goszakup/goszakup.hpp"

#include "fuzz/rest_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace goszakup = tekser::mappings::goszakup;
  return tekser::fuzz::run_rest_mapping(data, size, goszakup::kSystem, "items", "supplier_biin",
                                        &goszakup::map_rnu);
}
