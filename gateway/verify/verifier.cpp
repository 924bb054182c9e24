#include "gateway/verify/verifier.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/digest/sha256.hpp"
#include "common/text/utf8.hpp"
#include "gateway/verify/exchange_audit.hpp"
#include "mappings/gbd_fl/gbd_fl.hpp"

namespace tekser::verify {

namespace asio = boost::asio;

Verifier::Verifier(std::vector<std::shared_ptr<adapters::Source>> sources, store::DbPool& db)
    : sources_(std::move(sources)), db_(db) {}

adapters::Subject Verifier::subject_of(const store::SupplierRecord& supplier) {
  adapters::Subject subject;
  subject.id = supplier.id;
  subject.categories = supplier.categories;
  subject.kind = supplier.subject_kind == "individual" ? identity::SubjectKind::individual
                                                       : identity::SubjectKind::legal_entity;
  if (supplier.consent)
    subject.consent = adapters::Consent{supplier.consent->kdp_token, supplier.consent->public_key};
  return subject;
}

std::optional<store::MessageLogEntry> to_log_entry(const std::string& supplier_id,
                                                   const adapters::QueryResult& answer) {
  if (!answer.exchange) return std::nullopt;
  const auto& exchange = *answer.exchange;
  store::MessageLogEntry entry;
  entry.message_id = answer.result.provenance.message_id;
  entry.supplier_id = supplier_id;
  entry.system = answer.result.system;
  entry.service_id = answer.result.service_id;
  entry.endpoint = exchange.endpoint;
  entry.request_body = exchange.request_body;
  // A text column takes only UTF-8 without NUL; a hostile reply is kept readable, its digest
  // (reply_sha256) is of the bytes as received.
  if (exchange.response_body) entry.response_body = text::to_valid_utf8(*exchange.response_body);
  if (exchange.http_status) entry.http_status = static_cast<int>(*exchange.http_status);
  entry.outcome = answer.result.outcome;
  entry.cause = answer.result.cause;
  entry.reply_sha256 = exchange.reply_sha256;
  entry.started_at = exchange.started_at;
  entry.duration_ms = static_cast<int>(exchange.duration.count());
  entry.signature = answer.result.provenance.signature;
  entry.signer_sha256 = exchange.signature.signer_sha256;
  entry.signature_algorithm = exchange.signature.signature_algorithm;
  return entry;
}

std::string consent_reference(const std::string& kdp_token) {
  return digest::sha256_hex(kdp_token);
}

std::vector<std::string> Verifier::systems() const {
  std::vector<std::string> out;
  for (const auto& source : sources_) out.emplace_back(source->system());
  return out;
}

store::VerificationWrite Verifier::to_write(const std::string& supplier_id,
                                            const std::vector<adapters::QueryResult>& answers) {
  store::VerificationWrite write;
  write.supplier_id = supplier_id;
  for (const auto& answer : answers) {
    for (const auto& retried : answer.earlier_attempts)  // each attempt went out: each is logged
      if (auto entry = to_log_entry(supplier_id, retried))
        write.messages.push_back(std::move(*entry));
    if (auto entry = to_log_entry(supplier_id, answer)) write.messages.push_back(std::move(*entry));
    write.results.push_back(answer.result);
  }
  return write;
}

store::VerificationWrite Verifier::to_write(const store::SupplierRecord& supplier,
                                            const std::vector<adapters::QueryResult>& answers,
                                            store::AuditContext audit) {
  auto write = to_write(supplier.id, answers);
  write.audit = std::move(audit);
  // Only ГБД ФЛ's request carries the consent (KDP) token (adapters/gbd_fl).
  if (supplier.consent)
    for (auto& m : write.messages)
      if (m.system == mappings::gbd_fl::kSystem)
        m.consent_sha256 = consent_reference(supplier.consent->kdp_token);
  return write;
}

asio::awaitable<Report> Verifier::verify(const store::SupplierRecord& supplier, Options options) {
  auto gathered = co_await gather(supplier, options);
  Report report;
  report.skipped = std::move(gathered.skipped);
  auto& answers = gathered.answers;
  const auto write = to_write(supplier, answers, options.audit);
  auto record = [&write, &report, supplier, queue = trigger_queue_](pqxx::connection& connection) {
    pqxx::work txn(connection, "tekser_verify");
    report.summary = store::Store::record_verification(txn, write);
    if (queue) {
      // The facts and answers the triggers were decided from are the supplier's view as this
      // transaction commits it: the caller answers with them, without reading them again.
      auto queued =
          queue->decide_and_queue(connection, txn, supplier, xsd_time::now_ms(), std::nullopt);
      report.triggers_queued = queued.count;
      if (auto stamped = store::Store::find_supplier(txn, supplier.id))
        report.committed =
            Committed{std::move(*stamped), std::move(queued.facts), std::move(queued.sources)};
    }
    txn.commit();
  };
  if (!answers.empty()) {  // nothing asked: nothing new
    std::exception_ptr error;
    try {
      co_await db_.run(record);
    } catch (...) {
      report.committed.reset();
      error = std::current_exception();
    }
    if (error) {  // the record was to complete the audit rows (gather): complete them anyway
      co_await complete_audit_rows(db_, write);
      std::rethrow_exception(error);
    }
  }
  for (auto& answer : answers) report.results.push_back(std::move(answer.result));
  co_return report;
}

asio::awaitable<Gathered> Verifier::gather(const store::SupplierRecord& supplier, Options options) {
  auto subject = subject_of(supplier);
  // Every request about this supplier is audited before it leaves (exchange_audit.hpp).
  // Its callers record the answers, which completes the rows (verify(), the refresh runner).
  subject.audit = std::make_shared<StoreExchangeAudit>(
      db_, options.audit,
      supplier.consent ? consent_reference(supplier.consent->kdp_token) : std::string(),
      StoreExchangeAudit::Completion::by_record);
  Gathered report;

  std::vector<store::SourceStatus> statuses;
  if (options.max_age) {
    auto read_statuses = [id = supplier.id](pqxx::connection& c) {
      return store::Store(c).source_statuses(id);
    };
    statuses = co_await db_.run(read_statuses);
  }
  const auto now = xsd_time::now_ms();
  std::vector<std::shared_ptr<adapters::Source>> asked;
  for (const auto& source : sources_) {
    if (!source->applies_to(subject)) continue;
    const std::string system(source->system());
    if (options.systems && !options.systems->count(system)) continue;
    if (options.max_age) {
      const store::SourceStatus* last = nullptr;
      for (const auto& s : statuses)
        if (s.system == system) last = &s;
      if (last && last->last_data_at && now - *last->last_data_at < *options.max_age) {
        const auto age =
            std::chrono::duration_cast<std::chrono::seconds>(now - *last->last_data_at);
        report.skipped.push_back({system, "last data " + std::to_string(age.count()) +
                                              " s old, within max_age_seconds"});
        continue;
      }
    }
    asked.push_back(source);
  }

  // Every applicable source is asked at once; each answer lands in its slot. The queries run on
  // this coroutine's executor (the connection's strand), so the slots and the counter need no
  // lock; the timer only wakes this coroutine when the last answer is in.
  auto executor = co_await asio::this_coro::executor;
  std::vector<adapters::QueryResult> answers(asked.size());
  std::size_t pending = asked.size();
  asio::steady_timer all_answered(executor, asio::steady_timer::time_point::max());
  // One bulkhead per system for the portal's requests and the refresh alike (see set_guards).
  Guards guards = guards_;
  if (options.limiter) guards.limiter = options.limiter;
  for (std::size_t i = 0; i < asked.size(); ++i) {
    asio::co_spawn(executor, guarded_query(asked[i].get(), subject, guards, next_jitter_seed()),
                   [&, i](std::exception_ptr error, adapters::QueryResult answer) {
                     if (error) answer = failed_query(*asked[i], error);
                     answers[i] = std::move(answer);
                     if (--pending == 0) all_answered.cancel();
                   });
  }
  if (pending > 0) co_await all_answered.async_wait(asio::as_tuple(asio::use_awaitable));
  report.answers = std::move(answers);
  co_return report;
}

}  // namespace tekser::verify
