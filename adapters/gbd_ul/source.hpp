// ГБД ЮЛ (GbdulInfoByBin_v2) behind SHEP: facts about a legal entity by BIN.
#pragma once

#include <chrono>
#include <string>

#include "adapters/shep/client.hpp"
#include "adapters/source.hpp"

namespace tekser::adapters::gbd_ul {

struct Options {
  std::string requestor_bin;  // the BIN of the system owner sending the request (RequestorBIN)
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};  // the weekly refresh cycle
};

class GbdUlSource final : public Source {
 public:
  GbdUlSource(shep::Client& client, Options options);
  std::string_view system() const override;
  std::string_view service_id() const override;
  bool applies_to(const Subject& subject) const override;
  boost::asio::awaitable<QueryResult> query(const Subject& subject) override;

 private:
  shep::Client& client_;
  Options options_;
};

}  // namespace tekser::adapters::gbd_ul
