// Samruk-Kazyna list of unreliable potential suppliers and the quasi-public register of unreliable
// participants, through the ASSUMED REST API (contracts/assumed/samruk/README.md):
//   GET {base}/api/unreliable-suppliers?bin_iin=<BIN/IIN>&list=all&page_size=100[&page=N]
// with "Authorization: Bearer <token>"; replies {"count", "next", "previous", "results"}, followed
// while "next" is not null. One exchange answers both lists: facts samruk_unreliable and
// quasi_public_rnu (mappings/samruk).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "adapters/source.hpp"
#include "common/net/http_client.hpp"

namespace tekser::adapters::samruk {

struct Options {
  std::string token;
  std::string base_path;        // path before /api ("" for the API at the root of its host)
  std::size_t page_size = 100;  // the assumed API's maximum
  std::size_t max_pages = 50;
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};  // the weekly refresh cycle
  // "YYYY-MM-DD" for the active rule; unset: today in Kazakhstan by the clock. (Tests pin it.)
  std::function<std::string()> today;
};

// System "samruk", service "sk_unreliable_v1" (assumed). Applies to BINs and IINs.
class UnreliableSource final : public Source {
 public:
  UnreliableSource(net::HttpClient& client, Options options);
  std::string_view system() const override;
  std::string_view service_id() const override;
  bool applies_to(const Subject& subject) const override;
  boost::asio::awaitable<QueryResult> query(const Subject& subject) override;

 private:
  net::HttpClient& client_;
  Options options_;
};

}  // namespace tekser::adapters::samruk
