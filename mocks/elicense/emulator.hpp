// Mock e-licensing (state electronic register of permits and notifications), SHEP service
// ELICENSE_LicensesByBiin — an ASSUMED contract
// (contracts/assumed/elicense/ELICENSE_LicensesByBiin.xsd) in the real exchange namespace, until
// the service passport arrives. Asks the world (state/world.hpp: fixtures/elicense.json, the
// synthetic population, state changes) about the IIN/BIN and answers Response{result, subject?}: a
// known subject with its licences and notifications (possibly none), or result 01 for a subject the
// register does not know.
#pragma once

#include <filesystem>
#include <memory>

#include "common/shep/services.hpp"
#include "mocks/elicense/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::elicense {

inline constexpr std::string_view kServiceId = shep::service::elicense;
inline constexpr std::string_view kNamespace = shep::payload_ns::elicense;
// Relative to the folder of the assumed contracts (contracts/assumed).
inline constexpr std::string_view kSchemaFile = "elicense/ELICENSE_LicensesByBiin.xsd";

class ElicenseEmulator final : public Emulator {
 public:
  // `assumed_contracts_dir`: the project's contracts/assumed folder.
  ElicenseEmulator(const state::World& world, std::filesystem::path assumed_contracts_dir)
      : world_(world), dir_(std::move(assumed_contracts_dir)) {}
  // A world of these fixtures alone.
  ElicenseEmulator(const Register& fixtures, std::filesystem::path assumed_contracts_dir);

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  std::vector<xsd::NamespaceFiles> schemas() const override;
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  std::unique_ptr<state::World> owned_;  // set when built from fixtures alone
  const state::World& world_;
  std::filesystem::path dir_;
};

// The schema bundle entry of the payload namespace (an absolute path).
xsd::NamespaceFiles schema(const std::filesystem::path& assumed_contracts_dir);

// The Response payload for one subject, or the "unknown to the register" one for nullptr.
shep::Payload response_payload(const Subject* subject);

}  // namespace tekser::mocks::elicense
