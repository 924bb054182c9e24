// ГБД ФЛ (GBDFL_UniversalServiceSync, consent-token variant) behind SHEP: facts about an
// individual (an individual entrepreneur, a personal assistant) by IIN. Since 2024 the service
// answers only with the subject's consent (KDP) token: without one nothing is sent.
#pragma once

#include <chrono>
#include <string>

#include "adapters/shep/client.hpp"
#include "adapters/source.hpp"

namespace tekser::adapters::gbd_fl {

struct Options {
  std::string sender_code;  // our code as ГБД ФЛ knows the sending system
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};
};

// error_code of the result when the subject has no consent token on file.
inline constexpr std::string_view kNoConsent = "NO_CONSENT_TOKEN";

class GbdFlSource final : public Source {
 public:
  GbdFlSource(shep::Client& client, Options options);
  std::string_view system() const override;
  std::string_view service_id() const override;
  bool applies_to(const Subject& subject) const override;
  boost::asio::awaitable<QueryResult> query(const Subject& subject) override;

 private:
  shep::Client& client_;
  Options options_;
};

}  // namespace tekser::adapters::gbd_fl
