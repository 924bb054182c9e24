#include "gateway/verify/exchange_audit.hpp"

#include <exception>

#include "gateway/store/audit_store.hpp"
#include "mappings/gbd_fl/gbd_fl.hpp"

namespace tekser::verify {

namespace {

store::AuditEntry entry_of(const store::AuditContext& context, const std::string& consent_sha256,
                           const adapters::Outgoing& outgoing) {
  store::AuditEntry e;
  e.client = context.client;
  e.purpose = context.purpose;
  e.related_subject = context.related_subject;
  e.subject = outgoing.subject;
  e.system = outgoing.system;
  e.service_id = outgoing.service_id;
  e.message_id = outgoing.message_id;
  // Only ГБД ФЛ's request carries the consent (KDP) token (adapters/gbd_fl).
  if (outgoing.system == mappings::gbd_fl::kSystem) e.consent_sha256 = consent_sha256;
  return e;
}

}  // namespace

StoreExchangeAudit::StoreExchangeAudit(store::DbPool& db, store::AuditContext context,
                                       std::string consent_sha256)
    : db_(db), context_(std::move(context)), consent_sha256_(std::move(consent_sha256)) {}

boost::asio::awaitable<std::optional<std::string>> StoreExchangeAudit::open(
    adapters::Outgoing outgoing) {
  auto entry = entry_of(context_, consent_sha256_, outgoing);
  entry.asked_at = xsd_time::now_ms();
  auto write = [entry](pqxx::connection& c) { store::AuditStore(c).open(entry); };
  std::exception_ptr error;
  try {
    co_await db_.run(write);
  } catch (...) {
    error = std::current_exception();
  }
  if (error) co_return std::string(kNotAudited);
  co_return std::nullopt;
}

boost::asio::awaitable<void> StoreExchangeAudit::close(adapters::Outgoing outgoing,
                                                       const adapters::QueryResult& answer) {
  auto entry = entry_of(context_, consent_sha256_, outgoing);
  entry.asked_at = xsd_time::now_ms();  // used only if the pending row is gone (never, normally)
  entry.outcome = answer.result.outcome;
  if (answer.exchange) entry.reply_sha256 = answer.exchange->reply_sha256;
  auto write = [entry](pqxx::connection& c) { store::AuditStore(c).complete(entry); };
  try {
    co_await db_.run(write);
  } catch (...) {
    // Left pending: the recording of the answer completes it, or it stays on record as pending.
  }
}

}  // namespace tekser::verify
