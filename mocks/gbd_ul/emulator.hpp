// Mock ГБД ЮЛ (state database of legal entities), SHEP service GbdulInfoByBin_v2: asks the world
// (state/world.hpp: fixtures, synthetic population, state changes) about the BIN and answers
// Response{Status, Organization?} in the exact XSD sequence order
// (contracts/official/gbd-ul/GbdulInfoByBin_v2.xsd).
#pragma once

#include <memory>

#include "common/shep/services.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::gbd_ul {

inline constexpr std::string_view kServiceId = shep::service::gbd_ul;
inline constexpr std::string_view kNamespace = shep::payload_ns::gbd_ul;

class GbdUlEmulator final : public Emulator {
 public:
  explicit GbdUlEmulator(const state::World& world) : world_(world) {}
  // A world of these fixtures alone.
  explicit GbdUlEmulator(const fixtures::Register& fixtures);

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  // The service wants an enveloped signature on the request data (contracts README).
  bool wants_payload_signature() const override { return true; }
  std::vector<xsd::NamespaceFiles> schemas() const override;
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  std::unique_ptr<state::World> owned_;  // set when built from fixtures alone
  const state::World& world_;
};

// The Response payload for one legal entity, or the "not found" one for nullptr.
shep::Payload response_payload(const fixtures::LegalEntity* entity);

}  // namespace tekser::mocks::gbd_ul
