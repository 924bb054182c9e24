// Mock ГБД ФЛ (state database of individuals), SHEP service GBDFL_UniversalServiceSync, consent
// (KDP) token variant: checks the token, looks the IIN up in the fixtures and answers
// Response{messageId, messageDate, requestId, sender, receiver, messageResult, persons?} with
// each person in the order of ../shared/contracts/gbd-fl/person.xsd.
#pragma once

#include "mocks/fixtures/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"

namespace tekser::mocks::gbd_fl {

inline constexpr std::string_view kServiceId = "GBDFL_UniversalServiceSync";
inline constexpr std::string_view kNamespace = "http://message.persistence.interactive.nat";

class GbdFlEmulator final : public Emulator {
 public:
  explicit GbdFlEmulator(const fixtures::Register& fixtures) : fixtures_(fixtures) {}

  std::string_view service_id() const override { return kServiceId; }
  std::string_view payload_namespace() const override { return kNamespace; }
  std::vector<xsd::NamespaceFiles> schemas() const override;
  std::optional<std::string> subject(const pugi::xml_node& data) const override;
  EmulatorAnswer answer(const pugi::xml_node& data, const ReplyContext& context) const override;

 private:
  const fixtures::Register& fixtures_;
};

}  // namespace tekser::mocks::gbd_fl
