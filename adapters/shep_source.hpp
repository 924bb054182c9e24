// Every SHEP state service as one Source: a row of the table (shep_services) says which subjects
// it applies to, how its request is built and how its reply is mapped; the ShepSource does the
// rest the same way for all (the round trip, the correlation and subject checks, the provenance).
// A new SHEP service is one row here plus its contract row in common/shep/services.hpp.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "adapters/source.hpp"
#include "common/shep/services.hpp"

namespace tekser::adapters {

// What the configuration gives every SHEP source.
struct SourceSettings {
  std::string requestor_bin;       // the BIN of the system owner sending the requests
  std::string gbd_fl_sender_code;  // ГБД ФЛ senderCode
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};  // the weekly refresh cycle
};

// What a row builds for one subject: the payload (and the ids the payload repeats).
struct ShepRequest {
  shep::Payload payload;
  std::string message_id;    // empty: a fresh one
  std::string message_date;  // empty: the client stamps it
};

// The answer given without asking (e.g. ГБД ФЛ without a consent token): outcome, code, cause.
struct NotAsked {
  facts::Outcome outcome = facts::Outcome::refused;
  std::string error_code;
  std::string cause;
};

using SubjectMapping = std::function<mappings::MappedReply(
    const pugi::xml_node& payload, const Subject& subject, const facts::Provenance&)>;

struct ShepService {
  shep::ServiceContract contract;
  std::function<bool(const Subject&)> applies_to;
  std::function<std::variant<ShepRequest, NotAsked>(const Subject&, const SourceSettings&)> request;
  SubjectMapping map;
};

// The rows: ГБД ЮЛ, ГБД ФЛ, KGD, e-licensing, the personal-assistant checks.
std::span<const ShepService> shep_services();
const ShepService* find_shep_service(std::string_view system);

inline constexpr std::string_view kNoConsent = "NO_CONSENT_TOKEN";  // ГБД ФЛ not asked
inline constexpr std::string_view kPersonalAssistant = "personal_assistant";

class ShepSource final : public Source {
 public:
  ShepSource(shep::Client& client, const ShepService& service, SourceSettings settings);
  std::string_view system() const override { return service_.contract.system; }
  std::string_view service_id() const override { return service_.contract.service_id; }
  bool applies_to(const Subject& subject) const override { return service_.applies_to(subject); }
  boost::asio::awaitable<QueryResult> query(const Subject& subject) override;

 private:
  shep::Client& client_;
  const ShepService& service_;
  SourceSettings settings_;
};

}  // namespace tekser::adapters
