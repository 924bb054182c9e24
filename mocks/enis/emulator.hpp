// Mock ЕНИС (unified notary information system), SHEP service ENIS_PoaVerification — the ASSUMED
// contract contracts/assumed/enis/PoaVerification.xsd. Looks the power of attorney up by its
// number and answers Response{Result, PowerOfAttorney?} in the XSD's sequence order, with the
// document as registered: whether its principal and representative match the request is for the
// gateway to judge.
#pragma once

#include <filesystem>

#include "common/shep/services.hpp"
#include "mocks/enis/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"

namespace tekser::mocks::enis {

inline constexpr std::string_view kServiceId = shep::service::enis;
inline constexpr std::string_view kNamespace = shep::payload_ns::enis;
// Relative to the assumed-contracts folder (contracts/assumed of the source tree).
inline constexpr std::string_view kSchemaFile = "enis/PoaVerification.xsd";

class EnisEmulator final : public Emulator {
 public:
  // `assumed_contracts_dir`: the folder holding enis/PoaVerification.xsd (made absolute here, as
  // the SyncChannel resolves schema files against the public contracts folder).
  EnisEmulator(const Register& fixtures, const std::filesystem::path& assumed_contracts_dir);

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  std::vector<xsd::NamespaceFiles> schemas() const override;
  // The principal the request is about.
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  const Register& fixtures_;
  std::filesystem::path schema_;
};

// The Response payload for one power of attorney, or the NOT_FOUND one for nullptr.
shep::Payload response_payload(const PowerOfAttorney* poa);

}  // namespace tekser::mocks::enis
