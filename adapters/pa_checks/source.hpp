// The personal-assistant checks behind SHEP (ASSUMED service PersonalAssistantChecks,
// contracts/assumed/pa_checks/): psychiatric registration, unexpunged criminal record, declared
// incapacity of an individual registered as a personal assistant. Sensitive personal data: this
// source logs nothing, and its facts keep only flags, dates and article codes.
#pragma once

#include <chrono>
#include <string>

#include "adapters/shep/client.hpp"
#include "adapters/source.hpp"

namespace tekser::adapters::pa_checks {

// The portal category whose subjects this source is asked about.
inline constexpr std::string_view kCategory = "personal_assistant";

struct Options {
  std::string requestor_bin;  // the BIN of the system owner sending the request
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};  // the weekly refresh cycle
};

class PaChecksSource final : public Source {
 public:
  PaChecksSource(shep::Client& client, Options options);
  std::string_view system() const override;
  std::string_view service_id() const override;
  // Individuals (IIN) registered in the portal category "personal_assistant" only: nobody else
  // is checked against these registers.
  bool applies_to(const Subject& subject) const override;
  boost::asio::awaitable<QueryResult> query(const Subject& subject) override;

 private:
  shep::Client& client_;
  Options options_;
};

}  // namespace tekser::adapters::pa_checks
