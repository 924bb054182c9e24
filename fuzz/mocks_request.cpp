// Fuzz target: a request to the mock SHEP bus as tekser-mocks reads it — the envelope codec's
// parse_request (which screens untrusted XML), then, for a request it accepts, the libxml2
// validation of the SOAP Body against the SyncChannel and ГБД ЮЛ contracts.
#include "common/shep/envelope.hpp"
#include "common/xsd/validator.hpp"
#include "fuzz/check.hpp"
#include "fuzz/target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tekser;
  static const xsd::Validator validator = [] {
    auto bundle = xsd::shep_namespaces();
    for (auto& ns : xsd::gbd_ul_namespaces()) bundle.push_back(std::move(ns));
    return xsd::Validator(TEKSER_CONTRACTS_DIR, bundle);
  }();
  const auto text = fuzz::as_text(data, size);
  const auto request = shep::parse_request(text);
  if (!request.ok) return 0;
  for (const auto& violation : validator.validate_soap_body(text))
    fuzz::check_storable(violation, "a violation is not storable text");
  return 0;
}
