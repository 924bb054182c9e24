// The audit of state-system access (migration 0040): who asked, about whom, when, why, and what
// came of it — one row per exchange, append-only (the database refuses UPDATE, DELETE and
// TRUNCATE), queried by subject, client, system and time with a cursor.
//
// Rows are written by Store::record_verification in the transaction of the exchange's
// message-log row (and by append() inside a caller's transaction for exchanges that have none),
// so an exchange is never recorded without its audit row. Blocking (libpqxx): run it on the
// database pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"
#include "mappings/facts/fact.hpp"

namespace tekser::store {

struct AuditEntry {
  long long id = 0;  // the cursor; set by the database
  xsd_time::TimePoint asked_at{};
  xsd_time::TimePoint recorded_at{};  // set by the database
  std::string client;
  std::string subject;          // BIN/IIN in full; empty: a whole register, nobody in particular
  std::string related_subject;  // empty unless another person was asked about too
  std::string system;
  std::string service_id;
  std::string message_id;  // joins message_log.message_id
  std::string purpose;
  std::string consent_sha256;  // empty: no consent token was sent
  facts::Outcome outcome = facts::Outcome::unavailable;
};

struct AuditFilter {
  std::optional<std::string> subject;  // matches the subject or the related subject
  std::optional<std::string> client;
  std::optional<std::string> system;
  std::optional<xsd_time::TimePoint> since;  // asked_at >= since
  std::optional<xsd_time::TimePoint> until;  // asked_at < until
  long long after = 0;                       // rows with a larger id only
  int limit = 100;
};

class AuditStore {
 public:
  explicit AuditStore(pqxx::connection& connection) : connection_(connection) {}

  // Appends one row inside the caller's transaction. Throws what the database refuses (a
  // malformed subject, an empty client or purpose, a purpose over 200 characters): the caller's
  // transaction then records nothing.
  static void append(pqxx::transaction_base& txn, const AuditEntry& entry);

  // Oldest first by id, at most filter.limit rows (clamped to 1..1000).
  std::vector<AuditEntry> query(const AuditFilter& filter);

 private:
  pqxx::connection& connection_;
};

}  // namespace tekser::store
