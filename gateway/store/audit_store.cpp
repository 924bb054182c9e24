#include "gateway/store/audit_store.hpp"

#include "gateway/store/params.hpp"

#include <algorithm>
#include <stdexcept>

namespace tekser::store {
namespace {

// Statements of this file; the conventions are sql.hpp's (epoch milliseconds, parameters only).

// An appended row that is not finished (pending, or interrupted) is listed in audit_unfinished
// in the same statement (migration 0210): the tail of kInsertAudit and kInsertAudits.
#define TEKSER_LIST_UNFINISHED                                      \
  " INSERT INTO audit_unfinished (audit_id, asked_at, interrupted)" \
  " SELECT id, asked_at, outcome = 'interrupted' FROM appended"     \
  " WHERE outcome IN ('pending', 'interrupted')"

// $1 asked_at ms (NULL: now()), $2 client, $3 subject, $4 related subject, $5 system,
// $6 service_id, $7 message_id, $8 purpose, $9 consent_sha256, $10 outcome, $11 request_id.
// NULL for the optional ones left empty.
constexpr const char* kInsertAudit =
    "WITH appended AS ("
    "  INSERT INTO audit_log (asked_at, client, subject, related_subject, system, service_id,"
    "   message_id, purpose, consent_sha256, outcome, request_id)"
    "  VALUES (coalesce(tekser_ms_to_ts($1::bigint), now()), $2, $3, $4, $5, $6, $7, $8, $9,"
    "   $10, $11)"
    "  RETURNING id, asked_at, outcome)" TEKSER_LIST_UNFINISHED;

// kInsertAudit for many rows, one array per column, in its parameters' order (asked_at NULL:
// now()).
constexpr const char* kInsertAudits =
    "WITH appended AS ("
    "  INSERT INTO audit_log (asked_at, client, subject, related_subject, system, service_id,"
    "   message_id, purpose, consent_sha256, outcome, request_id)"
    "  SELECT coalesce(tekser_ms_to_ts(asked_ms), now()), client, subject, related_subject,"
    "   system, service_id, message_id, purpose, consent_sha256, outcome, request_id"
    "  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
    "   $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) WITH ORDINALITY AS"
    "   t(asked_ms, client, subject, related_subject, system, service_id, message_id, purpose,"
    "   consent_sha256, outcome, request_id, n)"
    "  ORDER BY n"
    "  RETURNING id, asked_at, outcome)" TEKSER_LIST_UNFINISHED;

#undef TEKSER_LIST_UNFINISHED

// The parameters of kInsertAudit, then $12 reply_sha256 (NULL: none). Completes the pending (or
// interrupted: a late answer) row of the same system and message id, or inserts a complete one when
// that exchange has no row; a complete row is left as it is. (The NOT EXISTS reads the snapshot
// before the UPDATE.) The completed row leaves audit_unfinished.
constexpr const char* kCompleteAudit =
    "WITH done AS ("
    "  UPDATE audit_log SET outcome = $10::text, reply_sha256 = $12::text, finished_at = now()"
    "  WHERE system = $5::text AND message_id = $7::text"
    "   AND outcome IN ('pending', 'interrupted') RETURNING id),"
    " finished AS (DELETE FROM audit_unfinished WHERE audit_id IN (SELECT id FROM done))"
    " INSERT INTO audit_log (asked_at, client, subject, related_subject, system, service_id,"
    " message_id, purpose, consent_sha256, outcome, request_id, reply_sha256, finished_at)"
    " SELECT coalesce(tekser_ms_to_ts($1::bigint), now()), $2::text, $3::text, $4::text,"
    "  $5::text, $6::text, $7::text, $8::text, $9::text, $10::text, $11::text, $12::text, now()"
    " WHERE NOT EXISTS (SELECT 1 FROM done)"
    "  AND ($7::text = '' OR NOT EXISTS (SELECT 1 FROM audit_log"
    "       WHERE system = $5::text AND message_id = $7::text))";

// $1 milliseconds a row may stay pending. The pending rows are found in audit_unfinished; a row
// completed meanwhile is left alone (its outcome is no longer pending when the UPDATE gets its
// lock, and its listing is gone).
constexpr const char* kMarkInterrupted =
    "WITH due AS ("
    "  UPDATE audit_unfinished SET interrupted = true"
    "  WHERE NOT interrupted AND asked_at < now() - $1::bigint * interval '1 millisecond'"
    "  RETURNING audit_id)"
    " UPDATE audit_log a SET outcome = 'interrupted', finished_at = now()"
    " FROM due WHERE a.id = due.audit_id AND a.outcome = 'pending'";

constexpr const char* kCountUnfinished =
    "SELECT count(*) FILTER (WHERE NOT interrupted), count(*) FILTER (WHERE interrupted)"
    " FROM audit_unfinished";

// $1 after (id), $2 subject, $3 client, $4 system, $5 since ms, $6 until ms, $8 request_id (each
// NULL: any), $7 limit. A subject matches the row's subject or its related subject.
constexpr const char* kQueryAudit =
    "SELECT id, tekser_ts_to_ms(asked_at), tekser_ts_to_ms(recorded_at), client, subject,"
    " related_subject, system, service_id, message_id, purpose, consent_sha256, outcome,"
    " reply_sha256, tekser_ts_to_ms(finished_at), request_id"
    " FROM audit_log"
    " WHERE id > $1"
    "  AND ($2::text IS NULL OR subject = $2 OR related_subject = $2)"
    "  AND ($3::text IS NULL OR client = $3)"
    "  AND ($4::text IS NULL OR system = $4)"
    "  AND ($5::bigint IS NULL OR asked_at >= tekser_ms_to_ts($5::bigint))"
    "  AND ($6::bigint IS NULL OR asked_at < tekser_ms_to_ts($6::bigint))"
    "  AND ($8::text IS NULL OR request_id = $8)"
    " ORDER BY id LIMIT $7";

using namespace params;

}  // namespace

namespace {
Nullable asked_at_or_null(const AuditEntry& e) {
  if (e.asked_at.time_since_epoch().count() == 0) return {};
  return {std::to_string(e.asked_at.time_since_epoch().count())};
}
}  // namespace

std::string_view AuditEntry::outcome_text() const {
  switch (progress) {
    case Progress::pending:
      return "pending";
    case Progress::interrupted:
      return "interrupted";
    case Progress::complete:
      break;
  }
  return facts::to_string(outcome);
}

void AuditStore::append(pqxx::transaction_base& txn, const AuditEntry& e) {
  const auto asked_at = asked_at_or_null(e);
  const auto subject = empty_as_null(e.subject);
  const auto related = empty_as_null(e.related_subject);
  const auto consent = empty_as_null(e.consent_sha256);
  const auto request_id = empty_as_null(e.request_id);
  exec_prepared(txn, "tekser_insert_audit", kInsertAudit, asked_at.get(), e.client, subject.get(),
                related.get(), e.system, e.service_id, e.message_id, e.purpose, consent.get(),
                std::string(e.outcome_text()), request_id.get());
}

void AuditStore::open(const AuditEntry& entry) {
  auto pending = entry;
  pending.progress = AuditEntry::Progress::pending;
  // One statement, committed on its own: no BEGIN and COMMIT round trips around it.
  pqxx::nontransaction txn(connection_, "tekser_audit_open");
  append(txn, pending);
}

void AuditStore::open(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return;
  if (entries.size() == 1) return open(entries.front());
  ArrayLiteral asked_at, client, subject, related, system, service_id, message_id, purpose, consent,
      outcome, request_id;
  for (const auto& e : entries) {
    if (e.asked_at.time_since_epoch().count() == 0) {
      asked_at.null();
    } else {
      asked_at.number(e.asked_at.time_since_epoch().count());
    }
    client.text(e.client);
    subject.empty_as_null(e.subject);
    related.empty_as_null(e.related_subject);
    system.text(e.system);
    service_id.text(e.service_id);
    message_id.text(e.message_id);
    purpose.text(e.purpose);
    consent.empty_as_null(e.consent_sha256);
    outcome.text("pending");
    request_id.empty_as_null(e.request_id);
  }
  pqxx::nontransaction txn(connection_, "tekser_audit_open");  // one statement: all or none
  exec_prepared(txn, "tekser_insert_audits", kInsertAudits, asked_at.str(), client.str(),
                subject.str(), related.str(), system.str(), service_id.str(), message_id.str(),
                purpose.str(), consent.str(), outcome.str(), request_id.str());
}

void AuditStore::complete(pqxx::transaction_base& txn, const AuditEntry& e) {
  if (e.progress != AuditEntry::Progress::complete)
    throw std::invalid_argument("store: an audit row is completed with an outcome");
  const auto asked_at = asked_at_or_null(e);
  const auto subject = empty_as_null(e.subject);
  const auto related = empty_as_null(e.related_subject);
  const auto consent = empty_as_null(e.consent_sha256);
  const auto reply = empty_as_null(e.reply_sha256);
  const auto request_id = empty_as_null(e.request_id);
  exec_prepared(txn, "tekser_complete_audit", kCompleteAudit, asked_at.get(), e.client,
                subject.get(), related.get(), e.system, e.service_id, e.message_id, e.purpose,
                consent.get(), std::string(e.outcome_text()), request_id.get(), reply.get());
}

void AuditStore::complete(const AuditEntry& entry) {
  pqxx::nontransaction txn(connection_, "tekser_audit_complete");  // one statement, as open()
  complete(txn, entry);
}

long long AuditStore::mark_interrupted(std::chrono::milliseconds after) {
  pqxx::work txn(connection_, "tekser_audit_interrupted");
  const auto marked = txn.exec_params(kMarkInterrupted, static_cast<long long>(after.count()));
  txn.commit();
  return marked.affected_rows();
}

UnfinishedExchanges AuditStore::unfinished() {
  pqxx::read_transaction txn(connection_, "tekser_audit_unfinished");
  const auto row = txn.exec1(kCountUnfinished);
  return {row[0].as<long long>(), row[1].as<long long>()};
}

std::vector<AuditEntry> AuditStore::query(const AuditFilter& filter) {
  const auto subject = optional_text(filter.subject);
  const auto client = optional_text(filter.client);
  const auto system = optional_text(filter.system);
  const auto request_id = optional_text(filter.request_id);
  const auto since = optional_ms(filter.since);
  const auto until = optional_ms(filter.until);
  const int limit = std::clamp(filter.limit, 1, 1000);
  pqxx::read_transaction txn(connection_, "tekser_audit_query");
  std::vector<AuditEntry> out;
  for (const auto& row :
       txn.exec_params(kQueryAudit, std::max(filter.after, 0LL), subject.get(), client.get(),
                       system.get(), since.get(), until.get(), limit, request_id.get())) {
    AuditEntry e;
    e.id = row[0].as<long long>();
    e.asked_at = from_ms(row[1].as<long long>());
    e.recorded_at = from_ms(row[2].as<long long>());
    e.client = row[3].as<std::string>();
    e.subject = text_or_empty(row[4]);
    e.related_subject = text_or_empty(row[5]);
    e.system = row[6].as<std::string>();
    e.service_id = row[7].as<std::string>();
    e.message_id = row[8].as<std::string>();
    e.purpose = row[9].as<std::string>();
    e.consent_sha256 = text_or_empty(row[10]);
    const auto text = row[11].as<std::string>();
    if (text == "pending") e.progress = AuditEntry::Progress::pending;
    if (text == "interrupted") e.progress = AuditEntry::Progress::interrupted;
    const auto outcome = e.progress != AuditEntry::Progress::complete
                             ? std::optional(facts::Outcome::unavailable)
                             : facts::outcome_from_string(text);
    if (!outcome) throw std::runtime_error("store: unknown outcome in the audit: " + text);
    e.outcome = *outcome;
    e.reply_sha256 = text_or_empty(row[12]);
    if (!row[13].is_null()) e.finished_at = from_ms(row[13].as<long long>());
    e.request_id = text_or_empty(row[14]);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace tekser::store
