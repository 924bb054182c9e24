// The message log read back (migrations 0001 and 0020): the exchanges with the state systems,
// each with the reply exactly as it was kept, so that an operator can export the replies of the
// real bus as test cases for the mocks (tekser-ctl exchanges export, tekser-mocks --replay).
// The request bodies are never read here: a ГБД ФЛ request carries the subject's consent token.
//
// Blocking (libpqxx): run it on the database pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"
#include "mappings/facts/fact.hpp"

namespace tekser::store {

struct Exchange {
  long long id = 0;        // the cursor
  std::string message_id;  // our requestInfo/messageId
  std::string subject;     // message_log.supplier_id: the BIN/IIN asked about ("" for a register)
  std::string system;
  std::string service_id;
  std::optional<std::string> response_body;  // as kept: the reply's bytes when they were UTF-8
  std::optional<int> http_status;
  facts::Outcome outcome = facts::Outcome::unavailable;
  std::string cause;
  std::string reply_sha256;  // of the bytes as received; empty without a reply
  xsd_time::TimePoint started_at{};
  int duration_ms = 0;
  facts::SignatureStatus signature = facts::SignatureStatus::not_checked;
  std::string signer_sha256;
  std::string signature_algorithm;  // the SignatureMethod URI; empty when none was found
  std::string request_id;           // the API request that caused it; empty: none (the refresh)
};

struct ExchangeFilter {
  std::optional<std::string> system;
  std::optional<std::string> subject;
  std::optional<xsd_time::TimePoint> since;  // started_at >= since
  std::optional<xsd_time::TimePoint> until;  // started_at < until
  std::vector<facts::Outcome> outcomes;      // empty: any
  long long after = 0;                       // rows with a larger id only
  int limit = 20;
};

class ExchangeStore {
 public:
  explicit ExchangeStore(pqxx::connection& connection) : connection_(connection) {}

  // Oldest first by id, at most filter.limit rows (clamped to 1..100: each carries a reply).
  std::vector<Exchange> query(const ExchangeFilter& filter);

 private:
  pqxx::connection& connection_;
};

}  // namespace tekser::store
