// The audit row of every exchange, written before the request leaves (adapters::ExchangeAudit
// over the store): open() commits a `pending` row — who asked, why, about whom, which system,
// service and message id — and only then may the adapter send; close() completes it with the
// outcome and the reply's digest. If the database does not take the pending row the request is
// not sent, and the answer is `unavailable` (unknown, never a block).
//
// With Completion::by_record the recording of the answer is the completion, and close() does
// nothing. A row whose close() did not get through (the gateway killed, the database away) stays
// `pending` until the recording of the answer completes it (Store::record_verification); if that
// never happens either, it stays pending for good: the request may have reached the system, and the
// audit says so.
#pragma once

#include <memory>
#include <string>

#include "adapters/source.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/store.hpp"

namespace tekser::verify {

class StoreExchangeAudit final : public adapters::ExchangeAudit {
 public:
  // Who completes a row with its answer.
  enum class Completion {
    on_answer,  // close(): a write of its own as each answer arrives
    // The caller records the exchanges (Store::record_verification completes each row in the
    // write that logs it), so close() writes nothing; if that record fails, the caller completes
    // the rows itself (complete_audit_rows). Saves a database round trip per exchange, on the
    // path every answer waits on.
    by_record,
  };

  // `consent_sha256`: the consent reference of the requests that carry the subject's consent
  // token (ГБД ФЛ's); empty when it has none. Requests of one verification opened together (its
  // sources start at once) are written in one statement: open() lets the others of the same
  // executor join before it writes. The audit is used from one strand (the gathering
  // coroutine's): its batching needs no lock.
  StoreExchangeAudit(store::DbPool& db, store::AuditContext context, std::string consent_sha256,
                     Completion completion = Completion::on_answer);

  boost::asio::awaitable<std::optional<std::string>> open(adapters::Outgoing outgoing) override;
  boost::asio::awaitable<void> close(adapters::Outgoing outgoing,
                                     const adapters::QueryResult& answer) override;

 private:
  struct Batch;

  store::DbPool& db_;
  store::AuditContext context_;
  std::string consent_sha256_;
  Completion completion_;
  std::shared_ptr<Batch> filling_;  // rows waiting for their write; none: no write is due
};

// Completes the audit rows of a verification whose record failed (StoreExchangeAudit::by_record):
// each with its outcome and reply digest, in a write of its own. Never throws: a row it cannot
// complete stays pending, then interrupted (the request may have reached the system).
boost::asio::awaitable<void> complete_audit_rows(store::DbPool& db,
                                                 const store::VerificationWrite& write);

// The cause of an answer whose request was not sent because its audit row could not be written.
inline constexpr const char* kNotAudited =
    "its audit row could not be written (the database is unavailable); nothing was asked";

}  // namespace tekser::verify
