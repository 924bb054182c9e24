// Mock personal-assistant checks, SHEP service PersonalAssistantChecks — the ASSUMED contract
// contracts/assumed/pa_checks/PersonalAssistantChecks.xsd: one reply with a section per register
// (psychiatric registration, criminal record, incapacity), about a person as the world has it
// (state/world.hpp: fixtures/pa_checks.json, the synthetic population's individual
// entrepreneurs, state changes). Anyone else is unknown to the registers (PERSON_NOT_FOUND).
// Sensitive data: the journal/log outcome is only "answered" or "person_not_found", never what the
// registers hold.
#pragma once

#include <filesystem>
#include <memory>

#include "common/shep/services.hpp"
#include "mocks/pa_checks/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::pa_checks {

inline constexpr std::string_view kServiceId = shep::service::pa_checks;
inline constexpr std::string_view kNamespace = shep::payload_ns::pa_checks;
// Relative to the assumed-contracts folder (contracts/assumed of the source tree).
inline constexpr std::string_view kSchemaFile = "pa_checks/PersonalAssistantChecks.xsd";

class PaChecksEmulator final : public Emulator {
 public:
  PaChecksEmulator(const state::World& world, const std::filesystem::path& assumed_contracts_dir);
  // A world of these fixtures alone.
  PaChecksEmulator(const Register& fixtures, const std::filesystem::path& assumed_contracts_dir);

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  std::vector<xsd::NamespaceFiles> schemas() const override;
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  std::unique_ptr<state::World> owned_;  // set when built from fixtures alone
  const state::World& world_;
  std::filesystem::path schema_;
};

// The Response payload about `iin`: the sections of `person`, or PERSON_NOT_FOUND for nullptr.
shep::Payload response_payload(std::string_view iin, const PersonRecords* person);

}  // namespace tekser::mocks::pa_checks
