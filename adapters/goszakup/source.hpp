// goszakup register of unreliable suppliers (РНУ) through the public OWS v3 REST API:
//   GET {base}/v3/rnu?supplier_biin=<BIN/IIN>&limit=200     (per-supplier lookup: the Source)
//   GET {base}/v3/rnu?limit=200[&after=<last id>]            (the whole register: mirror())
// with "Authorization: Bearer <token>". Replies {"total", "limit", "next_page", "items"}; a
// non-empty next_page means more rows follow, and the next page is asked by the cursor `after` =
// the last id received (OWS v3's own links spell it `page=next&search_after=`).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "adapters/source.hpp"
#include "common/net/http_client.hpp"

namespace tekser::adapters::goszakup {

struct Options {
  std::string token;             // the OWS v3 bearer token
  std::string base_path;         // path before /v3 ("" for the API at the root of its host)
  std::size_t page_limit = 200;  // rows per page (OWS allows up to 200)
  std::size_t max_pages = 1000;  // a cursor running longer than this is an error
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};  // the weekly refresh cycle
  // "YYYY-MM-DD" for the active rule; unset: today in Kazakhstan by the clock. (Tests pin it.)
  std::function<std::string()> today;
};

// The per-supplier lookup as a Source: system "goszakup", service "ows_v3_rnu", fact
// goszakup_rnu. Applies to BINs and IINs (individual entrepreneurs are listed by IIN).
class RnuSource final : public Source {
 public:
  RnuSource(net::HttpClient& client, Options options);
  std::string_view system() const override;
  std::string_view service_id() const override;
  bool applies_to(const Subject& subject) const override;
  boost::asio::awaitable<QueryResult> query(const Subject& subject) override;

 private:
  net::HttpClient& client_;
  Options options_;
};

// The whole register, page by page.
struct MirrorResult {
  bool complete = false;
  std::string cause;                  // why not complete: transport, HTTP, paging, count
  std::size_t count = 0;              // rows received
  std::optional<std::int64_t> total;  // the register's own count (first page's "total")
  std::size_t pages = 0;
  // SHA-256 (hex) over the rows in register (id) order, each serialized as received and
  // followed by '\n': the same register gives the same digest whatever the page size.
  std::string sha256;
  std::vector<boost::json::object> rows;  // all rows, unless a page callback took them
};

// Called with each page's items as it arrives (then MirrorResult::rows stays empty).
using PageCallback = std::function<boost::asio::awaitable<void>(const boost::json::array& items)>;

// Pages through GET /v3/rnu with the cursor until next_page is empty. Ids must rise strictly
// across the whole run (a duplicate or a step back is an error), and the rows received must
// match the register's "total". Never throws for what the network or the peer can cause.
boost::asio::awaitable<MirrorResult> mirror(net::HttpClient& client, Options options,
                                            PageCallback on_page = {});

}  // namespace tekser::adapters::goszakup
