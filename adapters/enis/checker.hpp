// ЕНИС (unified notary information system) behind SHEP: is this power of attorney registered, and
// what does it say? Not a Source of the weekly fan-out — it needs the document's number, which only
// an application carries — but an adapter the caller asks per document. ASSUMED contract
// (contracts/assumed/enis/) until the service passport arrives.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "adapters/enis/request.hpp"
#include "adapters/shep/client.hpp"
#include "adapters/source.hpp"
#include "mappings/enis/enis.hpp"

namespace tekser::adapters::enis {

// The judgement of the fact on a day (pure; see mappings/enis/enis.hpp).
using mappings::enis::assess;
using mappings::enis::Assessment;

// error_code of a query refused before anything was sent (an identifier or the number is invalid).
inline constexpr std::string_view kInvalidQuery = "TEKSER_INVALID_QUERY";

struct Options {
  std::string requestor_bin;  // the BIN of the system owner sending the request
  // A power of attorney can be revoked any day: facts read from ЕНИС are fresh for a day only.
  std::chrono::seconds valid_for{std::chrono::hours(24)};
};

class PowerOfAttorneyChecker {
 public:
  PowerOfAttorneyChecker(shep::Client& client, Options options);

  std::string_view system() const;
  std::string_view service_id() const;

  // The power_of_attorney fact (outcome data), no_data when ЕНИС holds no such document, malformed
  // when ЕНИС answers about another principal / representative / number, and the bus-level
  // unknowns (unavailable, refused, malformed). A query whose identifiers are not a valid
  // BIN/IIN (principal) and IIN (representative), or whose number is empty, is refused without
  // being sent (error_code kInvalidQuery). Never throws for what the network or the peer can cause.
  // With `audit`, its row is opened before the request leaves (nothing is sent if that fails)
  // and closed with the answer.
  boost::asio::awaitable<QueryResult> check(const PoaQuery& query,
                                            std::shared_ptr<ExchangeAudit> audit = nullptr);

 private:
  shep::Client& client_;
  Options options_;
};

}  // namespace tekser::adapters::enis
