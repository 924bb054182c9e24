// The audit row of every exchange, written before the request leaves (adapters::ExchangeAudit
// over the store): open() commits a `pending` row — who asked, why, about whom, which system,
// service and message id — and only then may the adapter send; close() completes it with the
// outcome and the reply's digest. If the database does not take the pending row the request is
// not sent, and the answer is `unavailable` (unknown, never a block).
//
// A row whose close() did not get through (the gateway killed, the database away) stays `pending`
// until the recording of the answer completes it (Store::record_verification); if that never
// happens either, it stays pending for good: the request may have reached the system, and the
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
  // `consent_sha256`: the consent reference of the requests that carry the subject's consent
  // token (ГБД ФЛ's); empty when it has none.
  StoreExchangeAudit(store::DbPool& db, store::AuditContext context, std::string consent_sha256);

  boost::asio::awaitable<std::optional<std::string>> open(adapters::Outgoing outgoing) override;
  boost::asio::awaitable<void> close(adapters::Outgoing outgoing,
                                     const adapters::QueryResult& answer) override;

 private:
  store::DbPool& db_;
  store::AuditContext context_;
  std::string consent_sha256_;
};

// The cause of an answer whose request was not sent because its audit row could not be written.
inline constexpr const char* kNotAudited =
    "its audit row could not be written (the database is unavailable); nothing was asked";

}  // namespace tekser::verify
