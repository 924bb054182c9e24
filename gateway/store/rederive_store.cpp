#include "gateway/store/rederive_store.hpp"

#include <algorithm>

#include "gateway/store/params.hpp"
#include "gateway/store/rows.hpp"
#include "gateway/store/sql.hpp"

namespace tekser::store {
namespace {

using namespace params;

// The conventions are sql.hpp's (epoch milliseconds, NULL for "any").
constexpr const char* kSuppliersAfter =
    "SELECT id FROM suppliers WHERE id > $1 ORDER BY id LIMIT $2";

// $1 supplier, $2 systems (text[]), $3 since ms. The message log's index by supplier and time
// finds each system's latest in a few rows.
// The columns of TEKSER_EXCHANGE_COLUMNS, the outcome being the reply's latest reading (a
// re-derive's, else the one on arrival).
constexpr const char* kLatestReadReplies =
    "SELECT id, message_id, supplier_id, system, service_id, response_body, http_status,"
    " coalesce(reread_outcome, outcome), cause, reply_sha256, tekser_ts_to_ms(started_at),"
    " duration_ms, signature, signer_sha256, signature_algorithm, request_id"
    " FROM unnest($2::text[]) AS s(name)"
    " CROSS JOIN LATERAL ("
    "  SELECT * FROM message_log m"
    "  WHERE m.supplier_id = $1 AND m.system = s.name"
    "   AND m.outcome IN ('data', 'no_data', 'malformed') AND m.response_body IS NOT NULL"
    "   AND m.signature <> 'invalid'"
    "   AND ($3::bigint IS NULL OR m.started_at >= tekser_ms_to_ts($3::bigint))"
    "  ORDER BY m.started_at DESC, m.id DESC LIMIT 1) AS latest"
    " ORDER BY system";

constexpr const char* kStartRun =
    "INSERT INTO fact_rederivations (requested_by, systems, since)"
    " VALUES ($1, $2::text[], tekser_ms_to_ts($3::bigint)) RETURNING id";

constexpr const char* kFinishRun =
    "UPDATE fact_rederivations SET finished_at = now(), replies = $2, facts_changed = $3"
    " WHERE id = $1";

constexpr const char* kLockSupplier = "SELECT id FROM suppliers WHERE id = $1 FOR UPDATE";

// $1 supplier, $2 system, $3 the reply's message id, $4 outcome, $5 cause, $6 error code,
// $7 at ms. Only while that reply is still the source's latest answer; last_data_at as
// sql::kRecordSourceAnswers keeps it.
constexpr const char* kRestateSource =
    "UPDATE source_status SET outcome = $4, cause = $5, error_code = $6,"
    " last_data_at = CASE WHEN $4 = 'data' THEN greatest(last_data_at, checked_at)"
    "                     ELSE last_data_at END"
    " WHERE supplier_id = $1 AND system = $2 AND message_id = $3 RETURNING service_id";

constexpr const char* kNoteReading =
    "UPDATE message_log SET reread_outcome = $2, reread_by = $3 WHERE id = $1";

constexpr const char* kSameJson = "SELECT $1::jsonb = $2::jsonb";

}  // namespace

std::vector<std::string> RederiveStore::suppliers_after(pqxx::transaction_base& txn,
                                                        const std::string& after, int limit) {
  std::vector<std::string> out;
  for (const auto& row : txn.exec_params(kSuppliersAfter, after, std::max(limit, 1)))
    out.push_back(row[0].as<std::string>());
  return out;
}

std::vector<Exchange> RederiveStore::latest_read_replies(pqxx::transaction_base& txn,
                                                         const std::string& supplier_id,
                                                         const RederiveScope& scope) {
  const auto since = optional_ms(scope.since);
  std::vector<Exchange> out;
  for (const auto& row :
       txn.exec_params(kLatestReadReplies, supplier_id, text_array(scope.systems), since.get()))
    out.push_back(exchange_row(row));
  return out;
}

long long RederiveStore::start_run(pqxx::work& txn, const std::string& requested_by,
                                   const RederiveScope& scope) {
  const auto since = optional_ms(scope.since);
  return txn.exec_params1(kStartRun, requested_by, text_array(scope.systems), since.get())[0]
      .as<long long>();
}

void RederiveStore::finish_run(pqxx::work& txn, long long run_id, int replies, int facts_changed) {
  txn.exec_params(kFinishRun, run_id, replies, facts_changed);
}

bool RederiveStore::lock_supplier(pqxx::work& txn, const std::string& supplier_id) {
  return !txn.exec_params(kLockSupplier, supplier_id).empty();
}

bool RederiveStore::restate_source(pqxx::work& txn, const std::string& supplier_id,
                                   const facts::SourceResult& reread, TimePoint at) {
  const std::string outcome(facts::to_string(reread.outcome));
  const auto error_code = optional_text(reread.error_code);
  const auto updated =
      txn.exec_params(kRestateSource, supplier_id, reread.system, reread.provenance.message_id,
                      outcome, reread.cause, error_code.get());
  if (updated.empty()) return false;
  txn.exec_params(sql::kInsertSourceAnswer, supplier_id, reread.system,
                  updated[0][0].as<std::string>(), outcome, reread.cause, error_code.get(),
                  reread.provenance.message_id, at.time_since_epoch().count());
  return true;
}

void RederiveStore::note_reading(pqxx::work& txn, long long log_id, facts::Outcome outcome,
                                 long long run_id) {
  txn.exec_params(kNoteReading, log_id, std::string(facts::to_string(outcome)), run_id);
}

bool RederiveStore::same_json(pqxx::transaction_base& txn, const std::string& a,
                              const std::string& b) {
  return txn.exec_params1(kSameJson, a, b)[0].as<bool>();
}

}  // namespace tekser::store
