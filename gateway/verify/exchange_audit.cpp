#include "gateway/verify/exchange_audit.hpp"

#include <exception>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

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
  e.request_id = context.request_id;
  e.subject = outgoing.subject;
  e.system = outgoing.system;
  e.service_id = outgoing.service_id;
  e.message_id = outgoing.message_id;
  // Only ГБД ФЛ's request carries the consent (KDP) token (adapters/gbd_fl).
  if (outgoing.system == mappings::gbd_fl::kSystem) e.consent_sha256 = consent_sha256;
  return e;
}

}  // namespace

// The rows one write opens, and the requests waiting for it.
struct StoreExchangeAudit::Batch {
  explicit Batch(const boost::asio::any_io_executor& executor)
      : written(executor, boost::asio::steady_timer::time_point::max()) {}
  std::vector<store::AuditEntry> entries;
  std::vector<bool> refused;  // per entry, once written: its row was not taken
  bool done = false;
  boost::asio::steady_timer written;  // cancelled when the write has ended
};

StoreExchangeAudit::StoreExchangeAudit(store::DbPool& db, store::AuditContext context,
                                       std::string consent_sha256, Completion completion)
    : db_(db),
      context_(std::move(context)),
      consent_sha256_(std::move(consent_sha256)),
      completion_(completion) {}

boost::asio::awaitable<std::optional<std::string>> StoreExchangeAudit::open(
    adapters::Outgoing outgoing) {
  auto entry = entry_of(context_, consent_sha256_, outgoing);
  entry.asked_at = xsd_time::now_ms();
  if (filling_) {  // a write is due: join it
    auto batch = filling_;
    const auto index = batch->entries.size();
    batch->entries.push_back(std::move(entry));
    if (!batch->done)
      co_await batch->written.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (batch->refused[index]) co_return std::string(kNotAudited);
    co_return std::nullopt;
  }
  auto executor = co_await boost::asio::this_coro::executor;
  auto batch = std::make_shared<Batch>(executor);
  batch->entries.push_back(std::move(entry));
  filling_ = batch;
  // One turn of the executor: the other sources of this verification, started in the same turn,
  // reach their open() meanwhile and join this write.
  co_await boost::asio::post(executor, boost::asio::use_awaitable);
  filling_.reset();
  // All rows in one statement; if it is refused, each on its own, so that a row the database
  // refuses stops only its own request.
  auto write = [batch](pqxx::connection& c) {
    store::AuditStore audit(c);
    std::vector<bool> refused(batch->entries.size(), false);
    try {
      audit.open(batch->entries);
      return refused;
    } catch (const pqxx::broken_connection&) {
      throw;
    } catch (...) {
      if (batch->entries.size() == 1) throw;
    }
    for (std::size_t i = 0; i < batch->entries.size(); ++i) {
      try {
        audit.open(batch->entries[i]);
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (...) {
        refused[i] = true;
      }
    }
    return refused;
  };
  try {
    batch->refused = co_await db_.run(write);
  } catch (...) {
    batch->refused.assign(batch->entries.size(), true);  // the database did not take any
  }
  batch->done = true;
  batch->written.cancel();
  if (batch->refused[0]) co_return std::string(kNotAudited);
  co_return std::nullopt;
}

boost::asio::awaitable<void> StoreExchangeAudit::close(adapters::Outgoing outgoing,
                                                       const adapters::QueryResult& answer) {
  if (completion_ == Completion::by_record) co_return;
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

boost::asio::awaitable<void> complete_audit_rows(store::DbPool& db,
                                                 const store::VerificationWrite& write) {
  std::vector<store::AuditEntry> entries;
  for (const auto& m : write.messages) {
    store::AuditEntry e;
    e.asked_at = m.started_at;
    e.client = write.audit.client;
    e.purpose = write.audit.purpose;
    e.related_subject = write.audit.related_subject;
    e.subject = m.supplier_id.empty() ? write.supplier_id : m.supplier_id;
    e.system = m.system;
    e.service_id = m.service_id;
    e.message_id = m.message_id;
    e.consent_sha256 = m.consent_sha256;
    e.outcome = m.outcome;
    e.reply_sha256 = m.reply_sha256;
    entries.push_back(std::move(e));
  }
  if (entries.empty()) co_return;
  auto complete = [entries](pqxx::connection& c) {
    store::AuditStore audit(c);
    for (const auto& e : entries) {
      try {
        audit.complete(e);
      } catch (const pqxx::broken_connection&) {
        throw;  // the others cannot get through either
      } catch (...) {
        // this row stays pending; the others are still worth completing
      }
    }
  };
  try {
    co_await db.run(complete);
  } catch (...) {
    // The database is away: the rows stay pending, then interrupted.
  }
}

}  // namespace tekser::verify
