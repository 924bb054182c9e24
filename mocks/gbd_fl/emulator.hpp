// Mock ГБД ФЛ (state database of individuals), SHEP service GBDFL_UniversalServiceSync, consent
// (KDP) token variant: checks the token, asks the world (state/world.hpp) about the IIN and answers
// Response{messageId, messageDate, requestId, sender, receiver, messageResult, persons?} with
// each person in the order of contracts/official/gbd-fl/person.xsd.
#pragma once

#include <memory>

#include "common/shep/services.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::gbd_fl {

inline constexpr std::string_view kServiceId = shep::service::gbd_fl;
inline constexpr std::string_view kNamespace = shep::payload_ns::gbd_fl;

class GbdFlEmulator final : public Emulator {
 public:
  explicit GbdFlEmulator(const state::World& world) : world_(world) {}
  // A world of these fixtures alone.
  explicit GbdFlEmulator(const fixtures::Register& fixtures);

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  std::vector<xsd::NamespaceFiles> schemas() const override;
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  std::unique_ptr<state::World> owned_;  // set when built from fixtures alone
  const state::World& world_;
};

}  // namespace tekser::mocks::gbd_fl
