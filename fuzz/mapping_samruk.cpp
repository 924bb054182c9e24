// Fuzz target: the Samruk-Kazyna lists mapping (mappings/samruk) behind the REST page reader
// (rest_mapping.hpp).
#include "mappings/samruk/samruk.hpp"

#include "fuzz/rest_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace samruk = tekser::mappings::samruk;
  return tekser::fuzz::run_rest_mapping(data, size, samruk::kSystem, "results", "bin_iin",
                                        &samruk::map_lists);
}
