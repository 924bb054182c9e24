// KGD (KGD_TaxpayerStatus, ASSUMED contract) behind SHEP: tax and social-payments arrears and
// membership in KGD's published lists, for a BIN or an IIN (individual entrepreneurs are taxpayers
// by IIN).
#pragma once

#include <chrono>
#include <string>

#include "adapters/shep/client.hpp"
#include "adapters/source.hpp"

namespace tekser::adapters::kgd {

struct Options {
  std::string requestor_bin;  // the BIN of the system owner sending the request (requestorBin)
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};  // the weekly refresh cycle
};

class KgdSource final : public Source {
 public:
  KgdSource(shep::Client& client, Options options);
  std::string_view system() const override;
  std::string_view service_id() const override;
  // Both BIN and IIN subjects.
  bool applies_to(const Subject& subject) const override;
  boost::asio::awaitable<QueryResult> query(const Subject& subject) override;

 private:
  shep::Client& client_;
  Options options_;
};

}  // namespace tekser::adapters::kgd
