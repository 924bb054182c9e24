// Fuzz target: the ЕНИС mapping (mappings/enis) behind the SHEP envelope codec
// (soap_mapping.hpp), with the query of the golden replies; the assessment of any document it
// yields runs too (adapters/enis' checker does that for the API).
#include "mappings/enis/enis.hpp"

#include "fuzz/soap_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace enis = tekser::mappings::enis;
  static const enis::PoaQuery kQuery{"150340012340", "800304403774", "ДВ-2025-000417"};
  return tekser::fuzz::run_soap_mapping(
      data, size, enis::kSystem,
      [](const pugi::xml_node& node, const tekser::facts::Provenance& provenance) {
        auto mapped = enis::map_reply(node, kQuery, provenance);
        for (const auto& fact : mapped.facts) {
          const auto assessment = enis::assess(fact.value, "2026-01-15");
          tekser::fuzz::check_storable(assessment.reason, "assessment reason");
        }
        return mapped;
      });
}
