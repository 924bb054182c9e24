// The evidence of one trigger, for the commission (GET /v1/triggers/{id}/evidence): the trigger as
// it was sent (kind, supplier, grounds, rule set, times) and, for each reply it rests on, that
// reply as the message log keeps it — its bytes exactly as stored, their SHA-256 recomputed here
// and compared with the digest the trigger recorded, the signature status and signer the log
// recorded, and when the exchange took place.
//
// Nothing is hidden: a digest that does not match is reported as a mismatch, and a reply the log
// does not hold is reported as absent with the reason (the goszakup register mirrored once for a
// refresh run is audited but not kept in the message log; a row without a body) — never an error.
//
// Blocking (libpqxx): run it on the database pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"

namespace tekser::store {

// One ground of the trigger, as its document words it.
struct EvidenceGround {
  std::string code;  // "p15.3"
  std::string reference;
  std::string text_ru, text_kk;
  std::string reason_ru, reason_kk;
};

// What the message log keeps of the exchange a piece of evidence names.
struct LoggedReply {
  long long log_id = 0;
  int log_rows = 1;        // rows under this message id (each attempt has its own: normally 1)
  std::string subject;     // message_log.supplier_id: whom the request asked about
  std::string system;      // as logged (compared with the trigger's by the caller)
  std::string service_id;  // as logged
  std::string endpoint;
  std::optional<std::string> body;  // the reply exactly as stored; nullopt: logged without one
  std::string body_sha256;          // recomputed over `body` (empty without a body)
  std::string logged_sha256;        // the digest the log recorded at receipt (empty: none)
  std::optional<int> http_status;
  std::string outcome;
  std::string cause;
  xsd_time::TimePoint started_at{};
  int duration_ms = 0;
  std::string signature;  // not_checked | absent | valid | invalid (as the log recorded it)
  std::string signer_sha256;
  std::string signature_algorithm;
};

// The audit row of an exchange (for a reply the message log does not keep).
struct AuditedExchange {
  std::string subject;  // empty: a whole register
  std::string client;
  std::string purpose;
  std::string outcome;
  std::string reply_sha256;  // empty: none recorded
  xsd_time::TimePoint asked_at{};
};

struct EvidenceItem {
  // As the trigger's document recorded it.
  std::string system;
  std::string service_id;
  std::string message_id;
  std::string received_at;   // xsd:dateTime text, as in the document
  std::string reply_sha256;  // the digest the trigger rests on
  boost::json::value fact;   // {"name", "value"}
  // As the message log keeps it; nullopt: not kept, and `absent_reason` says why.
  std::optional<LoggedReply> reply;
  // Why no bytes are kept: no_message_id, no_body (a row without a reply), register_mirror (the
  // refresh's whole-register fetch: audited, not in the message log), not_in_message_log (an
  // audit row but no log row), not_found (in neither); empty when the bytes are kept.
  std::string absent_code;
  std::string absent_reason;             // the same in a sentence
  std::optional<AuditedExchange> audit;  // the exchange's audit row, when the log has no reply
  // For the goszakup register mirrored by the trigger's refresh run: what the mirror kept of the
  // supplier's entries (null when the run or the mirror is gone).
  boost::json::value register_entries;

  // The recomputed digest of the stored bytes equals the trigger's: nullopt when no bytes are kept.
  std::optional<bool> sha256_matches() const;
};

struct TriggerEvidence {
  std::string id;
  std::string supplier_id;
  bool individual = false;  // the document named an IIN
  long long sequence = 0;
  std::string kind;
  std::string status;  // pending | delivered | dead
  std::string rule_set;
  std::optional<long long> run_id;
  std::string supersedes;
  xsd_time::TimePoint created_at{};
  xsd_time::TimePoint data_received_at{};
  // The first deadline the law gives for the kind; none for a kind without one (a block: p.16
  // names none). `deadlines`: every step as the document lists them ({"step", "due", ...}).
  std::optional<xsd_time::TimePoint> deadline;
  bool deadline_estimate = false;
  boost::json::array deadlines;
  std::optional<xsd_time::TimePoint> delivered_at;
  std::vector<EvidenceGround> grounds;
  std::vector<EvidenceItem> evidence;
  // The trigger's stored document could not be read (then grounds and evidence are empty): why.
  std::string document_problem;
};

class EvidenceStore {
 public:
  explicit EvidenceStore(pqxx::connection& connection) : connection_(connection) {}

  // nullopt: no trigger with this id (a canonical lower-case UUID; anything else finds nothing).
  std::optional<TriggerEvidence> trigger_evidence(const std::string& trigger_id);

 private:
  pqxx::connection& connection_;
};

}  // namespace tekser::store
