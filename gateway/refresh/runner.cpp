#include "gateway/refresh/runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "common/net/http_client.hpp"
#include "gateway/store/audit_store.hpp"
#include "gateway/store/refresh_store.hpp"
#include "gateway/verify/eligibility_input.hpp"
#include "gateway/verify/exchange_audit.hpp"
#include "mappings/goszakup/goszakup.hpp"

namespace tekser::refresh {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using store::RefreshStore;

constexpr const char* kMirrored = "goszakup";
// Why the refresh asks the state systems (the audit's purpose).
constexpr const char* kRefreshPurpose = "weekly re-check (p.16)";

// The item's lease was taken over by another replica: nothing of this attempt is committed.
struct LeaseLost : std::runtime_error {
  LeaseLost() : std::runtime_error("the work item's lease was lost to another replica") {}
};

// The goszakup_rnu fact of one subject, from the run's mirror of the register.
facts::SourceResult from_mirror(const json::object& status, const json::array& entries,
                                const std::string& subject, const std::string& today,
                                std::chrono::seconds valid_for) {
  facts::SourceResult result;
  result.system = std::string(mappings::goszakup::kSystem);
  result.service_id = std::string(mappings::goszakup::kServiceId);
  auto& p = result.provenance;
  p.system = result.system;
  p.service_id = result.service_id;
  if (const auto* id = status.if_contains("message_id"); id && id->is_string())
    p.message_id = std::string(id->as_string());
  if (const auto* at = status.if_contains("retrieved_at_ms"); at && at->is_int64())
    p.retrieved_at = xsd_time::TimePoint{std::chrono::milliseconds{at->as_int64()}};
  p.valid_until = p.retrieved_at + valid_for;
  if (const auto* digest = status.if_contains("reply_sha256"); digest && digest->is_string())
    p.reply_sha256 = std::string(digest->as_string());
  const auto* outcome = status.if_contains("outcome");
  if (!outcome || !outcome->is_string() || outcome->as_string() != "data") {
    result.outcome = facts::Outcome::unavailable;
    const auto* cause = status.if_contains("cause");
    result.cause = "the register's mirror for this run failed: " +
                   (cause && cause->is_string() ? std::string(cause->as_string()) : "unknown");
    return result;
  }
  auto mapped = mappings::goszakup::map_items(entries, subject, today, p);
  result.outcome = mapped.outcome;
  result.cause = mapped.cause;
  result.error_code = mapped.error_code;
  result.facts = std::move(mapped.facts);
  return result;
}

}  // namespace

RefreshRunner::RefreshRunner(asio::any_io_executor executor, store::DbPool& db,
                             verify::Verifier& verifier, MirrorFetcher goszakup_mirror,
                             const triggers::TriggerQueue& queue, RunnerOptions options,
                             logging::JsonLog& log)
    : executor_(std::move(executor)),
      db_(db),
      verifier_(verifier),
      goszakup_mirror_(std::move(goszakup_mirror)),
      queue_(queue),
      options_(std::move(options)),
      log_(log),
      stop_(std::make_shared<net::StopSignal>()),
      stats_(std::make_shared<RunnerStats>()) {}

RefreshRunner::~RefreshRunner() {
  stop();
}

void RefreshRunner::start() {
  for (int i = 0; i < std::max(1, options_.workers); ++i)
    asio::co_spawn(asio::make_strand(executor_), worker(), asio::detached);
}

void RefreshRunner::stop() {
  stop_->stop();
}

asio::awaitable<void> RefreshRunner::worker() {
  const auto stop = stop_;  // outlives a runner destroyed while this sleeps
  while (!stop->stopped()) {
    int done = 0;
    try {
      done = co_await run_once();
    } catch (const std::exception& e) {
      log_.error("refresh_pass_failed", {{"error", e.what()}});
    }
    if (done == 0 && !co_await stop->sleep(options_.idle_poll)) break;
  }
}

asio::awaitable<int> RefreshRunner::run_once() {
  auto find_running = [](pqxx::connection& c) { return RefreshStore(c).running_run(); };
  const auto run = co_await db_.run(find_running);
  if (!run) co_return 0;
  if (goszakup_mirror_ && !run->mirrors.contains(kMirrored)) {
    bool mine = false;
    {
      std::lock_guard lock(mirroring_mutex_);
      mine = mirroring_.insert(run->id).second;
    }
    if (!mine) co_return 0;  // another worker of this replica is fetching it
    std::exception_ptr error;
    try {
      co_await ensure_mirror(run->id);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mirroring_mutex_);
      mirroring_.erase(run->id);
    }
    if (error) std::rethrow_exception(error);
  }

  const auto owner = options_.owner;
  const auto lease = options_.lease;
  const int batch = options_.batch;
  const long long run_id = run->id;
  auto lease_work = [run_id, owner, lease, batch](pqxx::connection& c) {
    return RefreshStore(c).lease_items(run_id, owner, lease, batch);
  };
  const auto items = co_await db_.run(lease_work);
  std::vector<PreparedItem> prepared;
  for (const auto& item : items) {
    if (stop_->stopped()) break;  // the lease expires and another worker takes the item
    prepared.push_back(co_await prepare_item(item));
  }
  co_await commit_items(std::move(prepared));
  if (items.empty()) {
    auto finish = [run_id](pqxx::connection& c) {
      return RefreshStore(c).finish_if_complete(run_id);
    };
    if (co_await db_.run(finish) && run->status == "running")
      log_.info("refresh_run_finished", {{"run", run_id}});
  }
  co_return static_cast<int>(items.size());
}

asio::awaitable<void> RefreshRunner::ensure_mirror(long long run_id) {
  // One worker per replica gets here (run_once); replicas starting a run together may each
  // fetch it, and the last write stays: the register is small (≈ 20 000 rows) and a duplicate
  // fetch costs seconds once a week.
  // The fetch is audited before it leaves: a pending row, completed below with the outcome (or
  // left pending if this replica dies meanwhile). No row, no fetch (the pass fails and retries).
  store::AuditEntry audit;
  audit.client = "refresh-run:" + std::to_string(run_id);
  audit.system = kMirrored;
  audit.service_id = std::string(mappings::goszakup::kServiceId);
  audit.message_id = net::new_uuid();
  audit.purpose = std::string(kRefreshPurpose) + ", whole register";
  auto open_row = [audit](pqxx::connection& c) { store::AuditStore(c).open(audit); };
  co_await db_.run(open_row);
  const std::string message_id = audit.message_id;
  MirrorPageSink sink = [this, run_id,
                         message_id](std::vector<store::MirrorRow> rows) -> asio::awaitable<void> {
    auto write = [run_id, &message_id, &rows](pqxx::connection& c) {
      RefreshStore(c).save_mirror_page(run_id, message_id, rows);
    };
    co_await db_.run(write);
  };
  auto fetching = goszakup_mirror_(audit.message_id, std::move(sink));
  auto fetched = co_await std::move(fetching);
  json::object status{{"outcome", fetched.complete ? "data" : "unavailable"},
                      {"cause", fetched.cause},
                      {"message_id", fetched.message_id},
                      {"rows", fetched.rows},
                      {"reply_sha256", fetched.sha256},
                      {"retrieved_at_ms", fetched.retrieved_at.time_since_epoch().count()}};
  // The audit row is completed in the transaction that makes the fetch the run's mirror: a run
  // never uses a register copy whose fetch is not on record with its outcome. An incomplete
  // fetch keeps no entries (its status says the register is unavailable for this run).
  audit.asked_at = fetched.retrieved_at;  // only if the pending row were gone
  audit.outcome = fetched.complete ? facts::Outcome::data : facts::Outcome::unavailable;
  audit.reply_sha256 = fetched.sha256;
  const bool keep_entries = fetched.complete;
  auto save = [run_id, &status, &audit, keep_entries](pqxx::connection& c) {
    pqxx::work txn(c, "tekser_mirror_finish");
    store::AuditStore::complete(txn, audit);
    RefreshStore(c).finish_mirror(txn, run_id, kMirrored, audit.message_id, status, keep_entries);
    txn.commit();
  };
  co_await db_.run(save);
  ++stats_->mirrors;
  log_.info("register_mirrored", {{"run", run_id},
                                  {"system", kMirrored},
                                  {"complete", fetched.complete},
                                  {"rows", fetched.rows},
                                  {"cause", fetched.cause}});
}

asio::awaitable<RefreshRunner::PreparedItem> RefreshRunner::prepare_item(
    const store::LeasedItem& item) {
  PreparedItem prepared{item, std::nullopt, {}, {}};
  try {
    const auto supplier_id = item.supplier_id;
    auto find = [supplier_id](pqxx::connection& c) {
      return store::Store(c).find_supplier(supplier_id);
    };
    prepared.supplier = co_await db_.run(find);
    if (!prepared.supplier) co_return prepared;  // deleted since the run began

    verify::Options verify_options;
    verify_options.limiter = options_.limiter;
    // Each request is audited before it leaves, under the run's name (refresh_runs says who
    // started it: the schedule, the API, the CLI).
    verify_options.audit = {"refresh-run:" + std::to_string(item.run_id), kRefreshPurpose, {}, {}};
    if (goszakup_mirror_) {
      std::set<std::string> systems;
      for (const auto& s : verifier_.systems())
        if (s != kMirrored) systems.insert(s);
      verify_options.systems = std::move(systems);
    }
    auto gathered = co_await verifier_.gather(*prepared.supplier, verify_options);
    // The audit names the run. Until the write is committed, the answers' audit rows wait for
    // it (Verifier::gather).
    store::AuditContext audit{
        "refresh-run:" + std::to_string(item.run_id), kRefreshPurpose, {}, {}};
    prepared.write =
        verify::Verifier::to_write(*prepared.supplier, gathered.answers, std::move(audit));
  } catch (const std::exception& e) {
    prepared.failure = e.what();
  }
  co_return prepared;
}

asio::awaitable<std::vector<int>> RefreshRunner::commit_together(
    const std::vector<PreparedItem>& items) {
  const auto now = xsd_time::now_ms();
  const auto today = xsd_time::format_datetime(now).substr(0, 10);
  const bool mirrored = static_cast<bool>(goszakup_mirror_);
  const auto valid_for = options_.mirror_valid_for;
  const auto owner = options_.owner;
  const auto& queue = queue_;
  // Everything below commits together, or not at all.
  auto record = [&](pqxx::connection& c) -> std::vector<int> {
    pqxx::work txn(c, "tekser_refresh_items");
    RefreshStore rs(c);
    const long long run_id = items.front().item.run_id;
    // The suppliers still there, and their writes with the mirror's answer added (copies: the
    // items stay as gathered, should they have to be committed one by one after all).
    std::vector<store::SupplierRecord> suppliers;
    std::vector<store::VerificationWrite> writes;
    std::vector<std::string> ids;
    for (const auto& p : items) {
      if (!p.supplier) continue;
      suppliers.push_back(*p.supplier);
      writes.push_back(p.write);
      ids.push_back(p.item.supplier_id);
    }
    if (mirrored && !ids.empty()) {
      auto mirror = rs.mirror_of(txn, run_id, kMirrored, ids);
      for (std::size_t i = 0; i < writes.size(); ++i) {
        auto& of = mirror[ids[i]];
        const json::object mirror_status =
            of.status ? std::move(*of.status)
                      : json::object{{"outcome", "unavailable"}, {"cause", "no mirror"}};
        writes[i].results.push_back(
            from_mirror(mirror_status, of.entries, ids[i], today, valid_for));
      }
    }
    store::Store::record_verifications(txn, writes);
    const auto queued = queue.decide_and_queue(c, txn, suppliers, now, run_id);

    std::vector<RefreshStore::CompletedItem> completed;
    std::vector<int> counts;
    std::size_t next = 0;  // index into writes and queued, which skip deleted suppliers
    for (const auto& p : items) {
      RefreshStore::CompletedItem done{p.item, {}, 0};
      if (p.supplier) {
        for (const auto& r : writes[next].results)
          done.outcomes[r.system] = facts::to_string(r.outcome);
        done.triggers = queued[next].count;
        ++next;
      }
      counts.push_back(done.triggers);
      completed.push_back(std::move(done));
    }
    if (rs.complete_items(txn, completed, owner).size() != items.size()) throw LeaseLost();
    txn.commit();
    return counts;
  };
  co_return co_await db_.run(record);
}

asio::awaitable<void> RefreshRunner::commit_items(std::vector<PreparedItem> items) {
  std::vector<PreparedItem> ready;
  for (auto& p : items) {
    if (p.failure.empty()) {
      ready.push_back(std::move(p));
    } else {
      co_await fail_item(p, p.failure);
    }
  }
  if (ready.empty()) co_return;
  std::string failure;
  try {
    const auto counts = co_await commit_together(ready);
    for (std::size_t i = 0; i < ready.size(); ++i) {
      const auto& item = ready[i].item;
      if (options_.written) options_.written(item.supplier_id);
      ++stats_->items_done;
      stats_->triggers += counts[i];
      if (counts[i] > 0)
        log_.info("refresh_triggers", {{"run", item.run_id},
                                       {"supplier", identity::mask(item.supplier_id)},
                                       {"triggers", counts[i]}});
    }
    co_return;
  } catch (const std::exception& e) {
    failure = e.what();
  }
  // C++ has no co_await in a handler: what a failure needs happens after it.
  if (ready.size() == 1) {
    co_await fail_item(ready.front(), failure);
    co_return;
  }
  log_.info("refresh_batch_split", {{"run", ready.front().item.run_id},
                                    {"items", static_cast<long long>(ready.size())},
                                    {"error", failure}});
  for (auto& p : ready) {
    std::vector<PreparedItem> one;
    one.push_back(std::move(p));
    co_await commit_items(std::move(one));
  }
}

asio::awaitable<void> RefreshRunner::fail_item(const PreparedItem& prepared,
                                               const std::string& failure) {
  const auto& item = prepared.item;
  const auto owner = options_.owner;
  // The answers were not recorded, so their audit rows (left to the record: Verifier::gather)
  // are completed here.
  co_await verify::complete_audit_rows(db_, prepared.write);
  ++stats_->items_released;
  log_.error("refresh_item_failed", {{"run", item.run_id},
                                     {"supplier", identity::mask(item.supplier_id)},
                                     {"attempt", item.attempts + 1},
                                     {"lease", item.leases},
                                     {"error", failure}});
  const int max_attempts = options_.max_attempts;
  auto release = [item, owner, failure, max_attempts](pqxx::connection& c) {
    RefreshStore(c).release_item(item, owner, failure, max_attempts);
  };
  try {
    co_await db_.run(release);
  } catch (const std::exception& again) {
    // The lease will expire and the item comes back anyway.
    log_.error("refresh_release_failed", {{"error", again.what()}});
  }
}

}  // namespace tekser::refresh
