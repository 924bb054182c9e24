#include "gateway/store/store.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <unordered_set>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "gateway/store/migrations.hpp"
#include "gateway/store/params.hpp"
#include "gateway/store/rows.hpp"
#include "gateway/store/sql.hpp"

// Conventions of this file:
//  - TimePoints cross the wire as epoch milliseconds (long long); SQL converts them exactly.
//  - Where a SupplierRecord or a VerificationWrite leaves a bookkeeping time at its default (the
//    epoch), the database's now() is used instead: created_at, updated_at, verified_at.
//    Provenance times are stored as given.
//  - Nullable parameters are passed as a null `const char*` (libpqxx sends SQL NULL).

namespace tekser::store {
namespace {

using std::chrono::milliseconds;

long long to_ms(TimePoint t) {
  return t.time_since_epoch().count();
}
TimePoint from_ms(long long ms) {
  return TimePoint{milliseconds{ms}};
}
bool is_unset(TimePoint t) {
  return t.time_since_epoch().count() == 0;
}

// NULL for a time never set.
params::Nullable ms_or_null(TimePoint t) {
  if (is_unset(t)) return {};
  return {std::to_string(to_ms(t))};
}

std::optional<std::string> field_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

std::optional<TimePoint> field_time(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return from_ms(f.as<long long>());
}

std::string json_text(const boost::json::value& v) {
  return boost::json::serialize(v);
}

facts::Outcome outcome_of(const pqxx::field& f) {
  const auto text = f.as<std::string>();
  auto outcome = facts::outcome_from_string(text);
  if (!outcome) throw std::runtime_error("store: unknown outcome in the database: " + text);
  return *outcome;
}

facts::SignatureStatus signature_of(const pqxx::field& f) {
  const auto text = f.as<std::string>();
  auto status = facts::signature_status_from_string(text);
  if (!status) throw std::runtime_error("store: unknown signature status in the database: " + text);
  return *status;
}

bool same_context(const AuditContext& a, const AuditContext& b) {
  return a.client == b.client && a.purpose == b.purpose && a.related_subject == b.related_subject &&
         a.request_id == b.request_id;
}

// The message-log rows of verifications and their audit completions: one statement
// (sql::kRecordExchanges) for writes that share their audit context, each verified at its
// `at_ms` (an exchange without a start time was asked then). An exchange
// is never on record without who asked and why: its audit row, normally written `pending` before
// the request left (AuditStore::open), is completed in the same write if the answer's own
// completion did not get through; otherwise it is appended.
void record_exchanges(pqxx::work& txn, std::span<const VerificationWrite> writes,
                      std::span<const long long> at_ms) {
  params::ArrayLiteral message_id, supplier, system, service_id, endpoint, request, response,
      http_status, outcome, cause, digest, started_at, duration, signature, signer, algorithm,
      asked_at, consent;
  std::size_t rows = 0;
  for (std::size_t w = 0; w < writes.size(); ++w) {
    const auto& write = writes[w];
    for (const auto& m : write.messages) {
      ++rows;
      message_id.text(m.message_id);
      supplier.text(m.supplier_id.empty() ? write.supplier_id : m.supplier_id);
      system.text(m.system);
      service_id.text(m.service_id);
      endpoint.text(m.endpoint);
      request.text(m.request_body);
      response.text_or_null(m.response_body);
      if (m.http_status) {
        http_status.number(*m.http_status);
      } else {
        http_status.null();
      }
      outcome.text(facts::to_string(m.outcome));
      cause.text(m.cause);
      digest.empty_as_null(m.reply_sha256);
      started_at.number(to_ms(m.started_at));
      duration.number(m.duration_ms);
      signature.text(facts::to_string(m.signature));
      signer.empty_as_null(m.signer_sha256);
      algorithm.empty_as_null(m.signature_algorithm);
      asked_at.number(is_unset(m.started_at) ? at_ms[w] : to_ms(m.started_at));
      consent.empty_as_null(m.consent_sha256);
    }
  }
  if (rows == 0) return;
  const auto& audit = writes.front().audit;
  const auto related = params::empty_as_null(audit.related_subject);
  const auto request_id = params::empty_as_null(audit.request_id);
  params::exec_prepared(
      txn, "tekser_record_exchanges", sql::kRecordExchanges, message_id.str(), supplier.str(),
      system.str(), service_id.str(), endpoint.str(), request.str(), response.str(),
      http_status.str(), outcome.str(), cause.str(), digest.str(), started_at.str(), duration.str(),
      signature.str(), signer.str(), algorithm.str(), asked_at.str(), consent.str(), audit.client,
      audit.purpose, related.get(), request_id.get());
}

// Every fact of the sources that gave data, for every write, in one statement
// (sql::kRecordFacts): a fact's provenance fields left empty come from its answer's
// (effective_provenance); facts are keyed by (supplier, SourceResult::system, Fact::name).
// Summaries in the order of `writes`.
std::vector<VerificationSummary> record_facts(pqxx::work& txn,
                                              std::span<const VerificationWrite> writes,
                                              std::span<const long long> at_ms) {
  params::ArrayLiteral supplier, at, system, name, value, service_id, message_id, reply_message_id,
      retrieved_at, valid_until, digest, signature, signer, algorithm;
  std::size_t rows = 0;
  for (std::size_t w = 0; w < writes.size(); ++w) {
    for (const auto& result : writes[w].results) {
      if (result.outcome != facts::Outcome::data) continue;  // changes no fact, only its status
      for (const auto& fact : result.facts) {
        const auto p = effective_provenance(result, fact);
        supplier.text(writes[w].supplier_id);
        at.number(at_ms[w]);
        system.text(result.system);
        name.text(fact.name);
        value.text(json_text(fact.value));
        service_id.text(p.service_id);
        message_id.text(p.message_id);
        reply_message_id.text(p.reply_message_id);
        retrieved_at.number(to_ms(p.retrieved_at));
        valid_until.number(to_ms(p.valid_until));
        digest.text(p.reply_sha256);
        signature.text(facts::to_string(p.signature));
        signer.empty_as_null(p.signer_sha256);
        algorithm.empty_as_null(p.signature_algorithm);
        ++rows;
      }
    }
  }
  std::vector<VerificationSummary> summaries(writes.size());
  if (rows == 0) return summaries;
  std::map<std::string, VerificationSummary, std::less<>> by_supplier;
  for (const auto& row : params::exec_prepared(
           txn, "tekser_record_facts", sql::kRecordFacts, supplier.str(), at.str(), system.str(),
           name.str(), value.str(), service_id.str(), message_id.str(), reply_message_id.str(),
           retrieved_at.str(), valid_until.str(), digest.str(), signature.str(), signer.str(),
           algorithm.str()))
    by_supplier[row[0].as<std::string>()] = {row[1].as<int>(), row[2].as<int>()};
  for (std::size_t w = 0; w < writes.size(); ++w)
    if (auto it = by_supplier.find(writes[w].supplier_id); it != by_supplier.end())
      summaries[w] = it->second;
  return summaries;
}

// Whatever the outcome, each source's status is its latest answer; every answer is kept besides
// (known_at.hpp). One statement for every write (sql::kRecordSourceAnswers).
void record_source_answers(pqxx::work& txn, std::span<const VerificationWrite> writes,
                           std::span<const long long> at_ms) {
  params::ArrayLiteral supplier, at, system, service_id, outcome, cause, error_code, message_id;
  std::size_t rows = 0;
  for (std::size_t w = 0; w < writes.size(); ++w) {
    for (const auto& result : writes[w].results) {
      supplier.text(writes[w].supplier_id);
      at.number(at_ms[w]);
      system.text(result.system);
      service_id.text(result.service_id.empty() ? result.provenance.service_id : result.service_id);
      outcome.text(facts::to_string(result.outcome));
      cause.text(result.cause);
      error_code.text_or_null(result.error_code);
      message_id.text(result.provenance.message_id);
      ++rows;
    }
  }
  if (rows == 0) return;
  params::exec_prepared(txn, "tekser_record_source_answers", sql::kRecordSourceAnswers,
                        supplier.str(), at.str(), system.str(), service_id.str(), outcome.str(),
                        cause.str(), error_code.str(), message_id.str());
}

}  // namespace

facts::Provenance effective_provenance(const facts::SourceResult& result, const facts::Fact& fact) {
  facts::Provenance p = fact.provenance;
  const facts::Provenance& r = result.provenance;
  if (!p.system.empty() && p.system != result.system)
    throw std::invalid_argument("store: fact '" + fact.name + "' claims system '" + p.system +
                                "' inside a result of '" + result.system + "'");
  p.system = result.system;
  if (p.service_id.empty()) p.service_id = r.service_id.empty() ? result.service_id : r.service_id;
  if (p.message_id.empty()) p.message_id = r.message_id;
  if (p.reply_message_id.empty()) p.reply_message_id = r.reply_message_id;
  if (is_unset(p.retrieved_at)) p.retrieved_at = r.retrieved_at;
  if (is_unset(p.valid_until)) p.valid_until = r.valid_until;
  if (p.reply_sha256.empty()) p.reply_sha256 = r.reply_sha256;
  if (p.signature == facts::SignatureStatus::not_checked) {
    p.signature = r.signature;
    p.signer_sha256 = r.signer_sha256;
    p.signature_algorithm = r.signature_algorithm;
  }
  // The fingerprint and the algorithm go with a valid signature only (the table checks it).
  if (p.signature != facts::SignatureStatus::valid) {
    p.signer_sha256.clear();
    p.signature_algorithm.clear();
  }
  return p;
}

std::vector<int> Store::migrate() {
  auto all = embedded_migrations();
  std::vector<Migration> pending(all.begin(), all.end());
  std::sort(pending.begin(), pending.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });

  std::vector<int> applied_now;
  // One transaction per migration, each under the lock: a replica that waited sees what the
  // other applied meanwhile and skips it.
  for (const Migration& migration : pending) {
    pqxx::work txn(connection_, "tekser_migrate");
    txn.exec(sql::kMigrationLock);
    txn.exec(sql::kCreateMigrationsTable);
    std::unordered_set<int> applied;
    for (const auto& row : txn.exec(sql::kAppliedMigrations)) applied.insert(row[0].as<int>());
    if (applied.count(migration.version)) {
      txn.commit();  // another replica applied it meanwhile (or long ago)
      continue;
    }
    txn.exec(std::string(migration.sql));
    txn.exec_params(sql::kRecordMigration, migration.version, std::string(migration.name));
    txn.commit();
    applied_now.push_back(migration.version);
  }
  return applied_now;
}

bool Store::upsert_supplier(const SupplierRecord& supplier) {
  // Duplicates dropped, first occurrence kept, so the order given is the order stored.
  boost::json::array categories;
  std::unordered_set<std::string> seen;
  for (const auto& c : supplier.categories)
    if (seen.insert(c).second) categories.emplace_back(boost::json::string(c));

  const auto created_at = ms_or_null(supplier.created_at);
  const auto updated_at = ms_or_null(supplier.updated_at);
  const auto token = params::optional_text(
      supplier.consent ? std::optional(supplier.consent->kdp_token) : std::nullopt);
  const auto key = params::optional_text(
      supplier.consent ? std::optional(supplier.consent->public_key) : std::nullopt);

  params::Nullable services;
  if (supplier.services) {
    boost::json::array list;
    std::unordered_set<std::string> seen_services;
    for (const auto& code : *supplier.services)
      if (seen_services.insert(code).second) list.emplace_back(boost::json::string(code));
    services = {json_text(list)};
  }

  pqxx::work txn(connection_, "tekser_upsert_supplier");
  auto row = txn.exec_params1(sql::kUpsertSupplier, supplier.id, supplier.subject_kind,
                              json_text(categories), token.get(), key.get(), created_at.get(),
                              updated_at.get(), services.get());
  const bool created = row[0].as<bool>();
  txn.commit();
  return created;
}

std::optional<SupplierRecord> Store::find_supplier(const std::string& id) {
  pqxx::nontransaction txn(connection_, "tekser_find_supplier");  // one statement
  return find_supplier(txn, id);
}

std::optional<SupplierRecord> Store::find_supplier(pqxx::transaction_base& txn,
                                                   const std::string& id) {
  auto rows = params::exec_prepared(txn, "tekser_find_supplier", sql::kFindSupplier, id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  SupplierRecord s;
  s.id = row[0].as<std::string>();
  s.subject_kind = row[1].as<std::string>();
  const auto categories = boost::json::parse(row[2].c_str());  // outlives the loop
  for (const auto& c : categories.as_array()) s.categories.emplace_back(c.as_string().c_str());
  if (!row[3].is_null()) s.consent = Consent{row[3].as<std::string>(), row[4].as<std::string>()};
  s.created_at = from_ms(row[5].as<long long>());
  s.updated_at = from_ms(row[6].as<long long>());
  s.last_verified_at = field_time(row[7]);
  if (!row[8].is_null()) {
    s.services.emplace();
    const auto services = boost::json::parse(row[8].c_str());
    for (const auto& c : services.as_array()) s.services->emplace_back(c.as_string().c_str());
  }
  return s;
}

std::vector<StoredFact> Store::current_facts(const std::string& supplier_id) {
  pqxx::read_transaction txn(connection_, "tekser_current_facts");
  return current_facts(txn, supplier_id);
}

// A row of kCurrentFacts or kFactsKnownAt.
StoredFact stored_fact_row(const pqxx::row& row) {
  StoredFact f;
  f.fact.provenance.system = row[0].as<std::string>();
  f.fact.name = row[1].as<std::string>();
  f.fact.value = boost::json::parse(row[2].c_str());
  f.fact.provenance.service_id = row[3].as<std::string>();
  f.fact.provenance.message_id = row[4].as<std::string>();
  f.fact.provenance.reply_message_id = row[5].as<std::string>();
  f.fact.provenance.retrieved_at = from_ms(row[6].as<long long>());
  f.fact.provenance.valid_until = from_ms(row[7].as<long long>());
  f.fact.provenance.reply_sha256 = row[8].as<std::string>();
  f.first_seen_at = from_ms(row[9].as<long long>());
  f.checked_at = from_ms(row[10].as<long long>());
  f.fact.provenance.signature = signature_of(row[11]);
  f.fact.provenance.signer_sha256 = field_text(row[12]).value_or("");
  f.fact.provenance.signature_algorithm = field_text(row[13]).value_or("");
  return f;
}

// A row of kSourceStatuses or kSourceAnswersKnownAt.
SourceStatus source_status_row(const pqxx::row& row) {
  SourceStatus s;
  s.system = row[0].as<std::string>();
  s.service_id = row[1].as<std::string>();
  s.outcome = outcome_of(row[2]);
  s.cause = row[3].as<std::string>();
  s.error_code = field_text(row[4]);
  s.message_id = row[5].as<std::string>();
  s.checked_at = from_ms(row[6].as<long long>());
  s.last_data_at = field_time(row[7]);
  return s;
}

std::vector<StoredFact> Store::current_facts(pqxx::transaction_base& txn,
                                             const std::string& supplier_id) {
  auto of = current_facts_of(txn, {supplier_id});
  return std::move(of[supplier_id]);
}

namespace {
// The rows a statement over several suppliers ($1 their ids) returns, each read by `read` and
// kept under the supplier id of its column `id_column`.
template <typename Read>
auto rows_by_supplier(pqxx::transaction_base& txn, const char* name, const char* statement,
                      const std::vector<std::string>& supplier_ids, int id_column, Read read) {
  std::map<std::string, std::vector<std::invoke_result_t<Read, const pqxx::row&>>> out;
  for (const auto& row :
       params::exec_prepared(txn, name, statement, params::text_array(supplier_ids)))
    out[row[id_column].as<std::string>()].push_back(read(row));
  return out;
}
}  // namespace

std::map<std::string, std::vector<StoredFact>> Store::current_facts_of(
    pqxx::transaction_base& txn, const std::vector<std::string>& supplier_ids) {
  return rows_by_supplier(txn, "tekser_current_facts", sql::kCurrentFacts, supplier_ids, 14,
                          stored_fact_row);
}

std::vector<SourceStatus> Store::source_statuses(const std::string& supplier_id) {
  pqxx::read_transaction txn(connection_, "tekser_source_statuses");
  return source_statuses(txn, supplier_id);
}

std::vector<SourceStatus> Store::source_statuses(pqxx::transaction_base& txn,
                                                 const std::string& supplier_id) {
  auto of = source_statuses_of(txn, {supplier_id});
  return std::move(of[supplier_id]);
}

std::map<std::string, std::vector<SourceStatus>> Store::source_statuses_of(
    pqxx::transaction_base& txn, const std::vector<std::string>& supplier_ids) {
  return rows_by_supplier(txn, "tekser_source_statuses", sql::kSourceStatuses, supplier_ids, 8,
                          source_status_row);
}

std::vector<HistoryEntry> Store::history(const std::string& supplier_id, int limit) {
  pqxx::read_transaction txn(connection_, "tekser_history");
  std::vector<HistoryEntry> out;
  for (const auto& row : txn.exec_params(sql::kHistory, supplier_id, std::max(limit, 0))) {
    HistoryEntry h;
    h.fact_name = row[0].as<std::string>();
    h.system = row[1].as<std::string>();
    if (!row[2].is_null()) h.old_value = boost::json::parse(row[2].c_str());
    h.new_value = boost::json::parse(row[3].c_str());
    h.provenance.system = h.system;
    h.provenance.service_id = row[4].as<std::string>();
    h.provenance.message_id = row[5].as<std::string>();
    h.provenance.reply_message_id = row[6].as<std::string>();
    h.provenance.retrieved_at = from_ms(row[7].as<long long>());
    h.provenance.valid_until = from_ms(row[8].as<long long>());
    h.provenance.reply_sha256 = row[9].as<std::string>();
    h.changed_at = from_ms(row[10].as<long long>());
    h.provenance.signature = signature_of(row[11]);
    h.provenance.signer_sha256 = field_text(row[12]).value_or("");
    h.provenance.signature_algorithm = field_text(row[13]).value_or("");
    if (!row[14].is_null()) h.rederivation_id = row[14].as<long long>();
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<MessageLogEntry> Store::messages(const std::string& supplier_id, int limit) {
  pqxx::read_transaction txn(connection_, "tekser_messages");
  std::vector<MessageLogEntry> out;
  for (const auto& row : txn.exec_params(sql::kMessages, supplier_id, std::max(limit, 0))) {
    MessageLogEntry m;
    m.message_id = row[0].as<std::string>();
    m.supplier_id = row[1].as<std::string>();
    m.system = row[2].as<std::string>();
    m.service_id = row[3].as<std::string>();
    m.endpoint = row[4].as<std::string>();
    m.request_body = row[5].as<std::string>();
    m.response_body = field_text(row[6]);
    if (!row[7].is_null()) m.http_status = row[7].as<int>();
    m.outcome = outcome_of(row[8]);
    m.cause = row[9].as<std::string>();
    m.reply_sha256 = field_text(row[10]).value_or("");
    m.started_at = from_ms(row[11].as<long long>());
    m.duration_ms = row[12].as<int>();
    m.signature = signature_of(row[13]);
    m.signer_sha256 = field_text(row[14]).value_or("");
    m.signature_algorithm = field_text(row[15]).value_or("");
    m.request_id = field_text(row[16]).value_or("");
    out.push_back(std::move(m));
  }
  return out;
}

VerificationSummary Store::record_verification(const VerificationWrite& write) {
  pqxx::work txn(connection_, "tekser_record_verification");
  auto summary = record_verification(txn, write);
  txn.commit();
  return summary;
}

VerificationSummary Store::record_verification(pqxx::work& txn, const VerificationWrite& write) {
  return record_verifications(txn, std::span(&write, 1)).front();
}

std::vector<VerificationSummary> Store::record_verifications(
    pqxx::work& txn, std::span<const VerificationWrite> writes) {
  if (writes.empty()) return {};
  // First, so that the supplier rows are locked before any fact is compared: two replicas
  // verifying one supplier at once then write one after the other. It also gives the time of
  // each verification: the one given, or the database's now().
  params::ArrayLiteral ids, asked_ms;
  for (const auto& write : writes) {
    ids.text(write.supplier_id);
    if (is_unset(write.verified_at)) {
      asked_ms.null();
    } else {
      asked_ms.number(to_ms(write.verified_at));
    }
  }
  std::map<std::string, long long, std::less<>> stamped;
  for (const auto& row : params::exec_prepared(txn, "tekser_stamp_verified", sql::kStampVerified,
                                               ids.str(), asked_ms.str()))
    stamped[row[0].as<std::string>()] = row[1].as<long long>();
  std::vector<long long> at_ms;
  for (const auto& write : writes) {
    const auto it = stamped.find(write.supplier_id);
    if (it == stamped.end())
      throw std::invalid_argument("store: record_verification for unknown supplier '" +
                                  write.supplier_id + "'");
    at_ms.push_back(it->second);
  }

  // Three statements, whatever the number of suppliers, exchanges, facts and answers (one more
  // for the exchanges of each further audit context: a batch normally has one).
  for (std::size_t first = 0; first < writes.size();) {
    std::size_t last = first + 1;
    while (last < writes.size() && same_context(writes[last].audit, writes[first].audit)) ++last;
    record_exchanges(txn, writes.subspan(first, last - first),
                     std::span<const long long>(at_ms).subspan(first, last - first));
    first = last;
  }
  auto summaries = record_facts(txn, writes, at_ms);
  record_source_answers(txn, writes, at_ms);
  return summaries;
}

void Store::record_fact_change(pqxx::work& txn, const std::string& supplier_id,
                               const std::string& system, const facts::Fact& fact,
                               const facts::Provenance& p,
                               const std::optional<std::string>& old_value, TimePoint at,
                               std::optional<long long> rederivation_id) {
  const long long at_ms = to_ms(at);
  const std::string signature(facts::to_string(p.signature));
  const auto signer = params::empty_as_null(p.signer_sha256);
  const auto algorithm = params::empty_as_null(p.signature_algorithm);
  const std::string value = json_text(fact.value);
  txn.exec_params(old_value ? sql::kChangeFact : sql::kInsertFact, supplier_id, system, fact.name,
                  value, p.service_id, p.message_id, p.reply_message_id, to_ms(p.retrieved_at),
                  to_ms(p.valid_until), p.reply_sha256, at_ms, signature, signer.get(),
                  algorithm.get());
  const auto old_text = params::optional_text(old_value);
  params::Nullable run;
  if (rederivation_id) run.text = std::to_string(*rederivation_id);
  txn.exec_params(sql::kInsertHistory, supplier_id, system, fact.name, old_text.get(), value,
                  p.service_id, p.message_id, p.reply_message_id, to_ms(p.retrieved_at),
                  to_ms(p.valid_until), p.reply_sha256, at_ms, signature, signer.get(),
                  algorithm.get(), run.get());
}

}  // namespace tekser::store
