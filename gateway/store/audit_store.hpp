// The audit of state-system access (migration 0040): who asked, about whom, when, why, and what
// came of it — one row per exchange, append-only (the database refuses UPDATE, DELETE and
// TRUNCATE), queried by subject, client, system and time with a cursor.
//
// A row is committed with outcome `pending` before the request leaves (open(), migration 0080,
// gateway/verify/exchange_audit.hpp) and completed with the outcome, the reply's digest and the
// time it finished when the answer arrives (complete(), also from Store::record_verification in
// the transaction of the exchange's message-log row). So an exchange at a state system always has
// its row, also when the gateway dies before it records the answer: that row stays `pending`,
// and is called `interrupted` once it has been so for longer than any exchange lasts
// (mark_interrupted, migration 0090); a late answer still completes it.
// Exchanges audited only afterwards (append()) get a complete row at once. Blocking (libpqxx):
// run it on the database pool.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
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
  std::string request_id;      // the API request that caused it; empty: none (e.g. the refresh)
  facts::Outcome outcome = facts::Outcome::unavailable;  // meaningless unless complete
  // Where the exchange stands. The API shows a pending or interrupted row's outcome as that word.
  enum class Progress {
    complete,
    pending,      // written before the request left, its end not (yet) seen
    interrupted,  // pending for longer than any exchange lasts: the gateway never saw its end
  };
  Progress progress = Progress::complete;
  std::string reply_sha256;  // of the reply's bytes; empty: no reply (or not complete)
  // Set on completion; for an interrupted row, when it was called interrupted.
  std::optional<xsd_time::TimePoint> finished_at;

  bool pending() const { return progress == Progress::pending; }
  // The outcome column's word: "pending", "interrupted", or the outcome.
  std::string_view outcome_text() const;
};

struct UnfinishedExchanges {
  long long pending = 0;
  long long interrupted = 0;
};

struct AuditFilter {
  std::optional<std::string> subject;  // matches the subject or the related subject
  std::optional<std::string> client;
  std::optional<std::string> system;
  std::optional<std::string> request_id;
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

  // Before the request leaves: commits the entry as `pending` in a transaction of its own.
  // Throws when the database does not take it — then the request must not be sent.
  void open(const AuditEntry& entry);
  // The same for several requests about to leave together (a verification's sources): one
  // statement, all rows or none.
  void open(const std::vector<AuditEntry>& entries);

  // The exchange has ended: completes its pending row (same system and message id) with the
  // entry's outcome and reply_sha256, or appends a complete row when there is none. A row already
  // complete is left alone (the answer is recorded once). Inside the caller's transaction.
  static void complete(pqxx::transaction_base& txn, const AuditEntry& entry);
  // The same in a transaction of its own.
  void complete(const AuditEntry& entry);

  // Calls `interrupted` every row pending for longer than `after` (migration 0090); the number
  // of rows it changed. Run by every replica now and then (verify::InterruptedExchangeSweep).
  long long mark_interrupted(std::chrono::milliseconds after);

  // The rows not complete, for /metrics.
  UnfinishedExchanges unfinished();

  // Oldest first by id, at most filter.limit rows (clamped to 1..1000).
  std::vector<AuditEntry> query(const AuditFilter& filter);

 private:
  pqxx::connection& connection_;
};

}  // namespace tekser::store
