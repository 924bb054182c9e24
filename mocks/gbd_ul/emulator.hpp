// Mock ГБД ЮЛ (state database of legal entities), SHEP service GbdulInfoByBin_v2: looks the BIN
// up in the fixtures and answers Response{Status, Organization?} in the exact XSD sequence
// order (../shared/contracts/gbd-ul/GbdulInfoByBin_v2.xsd).
#pragma once

#include "mocks/fixtures/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"

namespace tekser::mocks::gbd_ul {

inline constexpr std::string_view kServiceId = "GbdulInfoByBin_v2";
inline constexpr std::string_view kNamespace = "http://gbdulinfobybin_v2.egp.gbdul.tamur.kz";

class GbdUlEmulator final : public Emulator {
 public:
  explicit GbdUlEmulator(const fixtures::Register& fixtures) : fixtures_(fixtures) {}

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  std::vector<xsd::NamespaceFiles> schemas() const override;
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  const fixtures::Register& fixtures_;
};

// The Response payload for one legal entity, or the "not found" one for nullptr.
shep::Payload response_payload(const fixtures::LegalEntity* entity);

}  // namespace tekser::mocks::gbd_ul
