// The PostgreSQL store: watched suppliers, their facts (current and history), the state of each
// source per supplier, and a log of every exchange with a state system.
//
// Every member is blocking (libpqxx) and must run on the database pool (db_pool.hpp), never on
// an I/O thread. A Store is bound to one connection; the pool gives each worker its own.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"
#include "mappings/facts/fact.hpp"

namespace tekser::store {

using xsd_time::TimePoint;

// Supplier categories of the portal (order No. 285).
inline constexpr const char* kCategories[] = {"technical_aids", "sanatorium", "sign_language",
                                              "personal_assistant", "invataxi"};

struct Consent {
  std::string kdp_token;   // ГБД ФЛ consent (KDP) token for this subject
  std::string public_key;  // the key the token was issued for
};

struct SupplierRecord {
  std::string id;            // BIN or IIN
  std::string subject_kind;  // "legal_entity" (BIN) | "individual" (IIN)
  std::vector<std::string> categories;
  std::optional<Consent> consent;
  // What it supplies: the portal's codes of goods and services (p.3 item 9 asks a licence only
  // where one of them needs it); nullopt: the portal has not said.
  std::optional<std::vector<std::string>> services;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> last_verified_at;
};

struct StoredFact {
  facts::Fact fact;
  TimePoint first_seen_at{};  // when this value was first observed
  TimePoint checked_at{};     // when a reply last confirmed it
};

// The last answer of one source about one supplier.
struct SourceStatus {
  std::string system;
  std::string service_id;
  facts::Outcome outcome = facts::Outcome::unavailable;
  std::string cause;
  std::optional<std::string> error_code;
  std::string message_id;
  TimePoint checked_at{};
  std::optional<TimePoint> last_data_at;  // last time this source gave data
};

struct HistoryEntry {
  std::string fact_name;
  std::string system;
  std::optional<boost::json::value> old_value;  // nullopt for a first observation
  boost::json::value new_value;
  facts::Provenance provenance;
  TimePoint changed_at{};
  // Set when `tekser-ctl facts re-derive --apply` wrote it from a reply kept in the message log
  // (fact_rederivations, migration 0140); none: a reply brought it as it arrived.
  std::optional<long long> rederivation_id;
};

// One request to and reply from a state system.
struct MessageLogEntry {
  std::string message_id;  // our requestInfo/messageId
  std::string supplier_id;
  std::string system;
  std::string service_id;
  std::string endpoint;
  std::string request_body;
  std::optional<std::string> response_body;
  std::optional<int> http_status;
  facts::Outcome outcome = facts::Outcome::unavailable;
  std::string cause;
  std::string reply_sha256;  // empty when there was no reply
  TimePoint started_at{};
  int duration_ms = 0;
  // The reply's WS-Security signature; the signer whenever a certificate was found (also for an
  // invalid signature: who signed the reply that was refused).
  facts::SignatureStatus signature = facts::SignatureStatus::not_checked;
  std::string signer_sha256;
  std::string signature_algorithm;  // the SignatureMethod URI; empty when none was found
  // The audit's consent reference: SHA-256 (hex) of the consent token this request carried
  // (ГБД ФЛ's KDP token); empty when it carried none.
  std::string consent_sha256;
  // The API request that caused the exchange (read back; written from the AuditContext); empty:
  // none, e.g. the weekly refresh.
  std::string request_id;
};

// Who asked the state systems and why: every exchange of a VerificationWrite gets an audit row
// (audit_store.hpp) with these, in the transaction of its message-log row. The defaults name a
// code path that forgot to say.
struct AuditContext {
  std::string client = "unattributed";  // API client id, refresh-run:<id>, ...
  std::string purpose = "unspecified";  // e.g. "weekly re-check (p.16)"
  std::string related_subject;          // another person asked about (ЕНИС: the representative)
  std::string request_id;  // the API request that caused it (X-Request-Id); empty: none
};

struct VerificationWrite {
  std::string supplier_id;
  std::vector<facts::SourceResult> results;
  std::vector<MessageLogEntry> messages;
  TimePoint verified_at{};
  AuditContext audit{};
};

struct VerificationSummary {
  int facts_changed = 0;    // new or different values, each also written to history
  int facts_confirmed = 0;  // same value seen again
};

// A fact's provenance as it is stored: the fact's own fields win, what it leaves empty comes from
// the answer (exchange) it was read from. std::invalid_argument when the fact claims another
// system than its answer's.
facts::Provenance effective_provenance(const facts::SourceResult& result, const facts::Fact& fact);

class Store {
 public:
  explicit Store(pqxx::connection& connection) : connection_(connection) {}

  // Applies the versioned migrations not yet applied, under an advisory lock so that several
  // replicas starting together apply each once. Returns the versions applied now.
  std::vector<int> migrate();

  // Creates or updates a watched supplier. Returns true when it was created. An update replaces
  // kind, categories and consent (nullopt clears it) and keeps created_at. created_at/updated_at
  // left at their default (the epoch) take the database's now(). Duplicate categories are
  // dropped; an id that is not 12 digits, no category or an unknown one is a pqxx::check_violation.
  bool upsert_supplier(const SupplierRecord& supplier);
  std::optional<SupplierRecord> find_supplier(const std::string& id);
  static std::optional<SupplierRecord> find_supplier(pqxx::transaction_base& txn,
                                                     const std::string& id);

  std::vector<StoredFact> current_facts(const std::string& supplier_id);
  std::vector<SourceStatus> source_statuses(const std::string& supplier_id);
  // The same inside the caller's transaction (the refresh reads what it has just written).
  static std::vector<StoredFact> current_facts(pqxx::transaction_base& txn,
                                               const std::string& supplier_id);
  static std::vector<SourceStatus> source_statuses(pqxx::transaction_base& txn,
                                                   const std::string& supplier_id);
  // The same for several suppliers in one statement each, by supplier id (a supplier with none
  // is absent).
  static std::map<std::string, std::vector<StoredFact>> current_facts_of(
      pqxx::transaction_base& txn, const std::vector<std::string>& supplier_ids);
  static std::map<std::string, std::vector<SourceStatus>> source_statuses_of(
      pqxx::transaction_base& txn, const std::vector<std::string>& supplier_ids);
  std::vector<HistoryEntry> history(const std::string& supplier_id, int limit = 100);
  std::vector<MessageLogEntry> messages(const std::string& supplier_id, int limit = 100);

  // In one transaction: logs the exchanges and audits each — completes the row written before
  // the request left, or appends one (an audit row that cannot be written fails the whole
  // record); for each source that gave data, compares every fact
  // with the current one, keeps changes (and first observations) in history and makes them
  // current; facts a source did not mention this time are left as they were; a source that gave
  // no data, was down or refused changes no fact — only its status. Stamps last_verified_at.
  // The supplier must exist (else std::invalid_argument, nothing written); verified_at left at
  // the epoch takes the database's now(). A fact's provenance fields left empty are taken from
  // its SourceResult's; facts are keyed by (SourceResult::system, Fact::name).
  VerificationSummary record_verification(const VerificationWrite& write);
  // The same inside the caller's transaction, which commits it (the refresh writes the facts,
  // the triggers they cause and its work item's completion together).
  static VerificationSummary record_verification(pqxx::work& txn, const VerificationWrite& write);
  // Several suppliers' verifications (distinct suppliers) in the caller's transaction, with the
  // statements of one: a refresh commits a batch of items together (issue 16 item 2). The
  // suppliers are locked in the order of their ids. Summaries in the order of `writes`; an
  // unknown supplier is std::invalid_argument, and the caller's transaction is then unusable.
  static std::vector<VerificationSummary> record_verifications(
      pqxx::work& txn, std::span<const VerificationWrite> writes);

  // A fact's new value (or first observation: `old_value` none) from the reply `provenance`
  // names: made current (first seen and checked at `at`) and kept in history with the stored
  // `old_value` (JSON text). `rederivation_id`: the facts re-derive run that read it from the
  // message log (none: the reply itself as it arrived). Inside the caller's transaction.
  static void record_fact_change(pqxx::work& txn, const std::string& supplier_id,
                                 const std::string& system, const facts::Fact& fact,
                                 const facts::Provenance& provenance,
                                 const std::optional<std::string>& old_value, TimePoint at,
                                 std::optional<long long> rederivation_id = std::nullopt);

 private:
  pqxx::connection& connection_;
};

}  // namespace tekser::store
