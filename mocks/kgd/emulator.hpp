// Mock KGD (State Revenue Committee), SHEP service KGD_TaxpayerStatus — an ASSUMED contract
// (contracts/assumed/kgd/KGD_TaxpayerStatus.xsd) until the service passport arrives. Asks the
// world (state/world.hpp: fixtures/kgd.json, the synthetic population, state changes) about the
// IIN/BIN and answers Response{result, taxpayer?}:
// the arrears totals computed from the per-office lines, and the lists the taxpayer is in.
#pragma once

#include <filesystem>
#include <memory>

#include "common/shep/services.hpp"
#include "mocks/kgd/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::kgd {

inline constexpr std::string_view kServiceId = shep::service::kgd;
inline constexpr std::string_view kNamespace = shep::payload_ns::kgd;
// Relative to the folder of the assumed contracts (contracts/assumed).
inline constexpr std::string_view kSchemaFile = "kgd/KGD_TaxpayerStatus.xsd";

class KgdEmulator final : public Emulator {
 public:
  // `assumed_contracts_dir`: the project's contracts/assumed folder.
  KgdEmulator(const state::World& world, std::filesystem::path assumed_contracts_dir)
      : world_(world), dir_(std::move(assumed_contracts_dir)) {}
  // A world of these fixtures alone.
  KgdEmulator(const Register& fixtures, std::filesystem::path assumed_contracts_dir);

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  // An absolute path: the SyncChannel joins it to the public contracts folder, which keeps it.
  std::vector<xsd::NamespaceFiles> schemas() const override;
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  std::unique_ptr<state::World> owned_;  // set when built from fixtures alone
  const state::World& world_;
  std::filesystem::path dir_;
};

// The schema bundle entry of the payload namespace, for validators outside the SyncChannel.
xsd::NamespaceFiles schema(const std::filesystem::path& assumed_contracts_dir);

// The Response payload: the taxpayer's status stamped `send_time`, or "not found" for nullptr.
shep::Payload response_payload(const Taxpayer* taxpayer, std::string_view send_time);

}  // namespace tekser::mocks::kgd
