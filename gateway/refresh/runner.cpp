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
  for (const auto& item : items) {
    if (stop_->stopped()) break;  // the lease expires and another worker takes the item
    co_await refresh_item(item);
  }
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

asio::awaitable<void> RefreshRunner::refresh_item(const store::LeasedItem& item) {
  const auto owner = options_.owner;
  std::string failure;
  // The answers to record; while `recorded` is false their audit rows wait for it (gather).
  store::VerificationWrite write;
  bool recorded = false;
  try {
    const auto supplier_id = item.supplier_id;
    auto find = [supplier_id](pqxx::connection& c) {
      return store::Store(c).find_supplier(supplier_id);
    };
    const auto supplier = co_await db_.run(find);

    std::vector<adapters::QueryResult> answers;
    if (supplier) {
      verify::Options verify_options;
      verify_options.limiter = options_.limiter;
      // Each request is audited before it leaves, under the run's name (refresh_runs says who
      // started it: the schedule, the API, the CLI).
      verify_options.audit = {"refresh-run:" + std::to_string(item.run_id), kRefreshPurpose, {}};
      if (goszakup_mirror_) {
        std::set<std::string> systems;
        for (const auto& s : verifier_.systems())
          if (s != kMirrored) systems.insert(s);
        verify_options.systems = std::move(systems);
      }
      auto gathered = co_await verifier_.gather(*supplier, verify_options);
      answers = std::move(gathered.answers);
    }

    const auto now = xsd_time::now_ms();
    const auto today = xsd_time::format_datetime(now).substr(0, 10);
    const bool mirrored = static_cast<bool>(goszakup_mirror_);
    const auto valid_for = options_.mirror_valid_for;
    const auto& queue = queue_;
    // The audit names the run (refresh_runs says who started it: the schedule, the API, the CLI).
    store::AuditContext audit{"refresh-run:" + std::to_string(item.run_id), kRefreshPurpose, {}};
    write = supplier ? verify::Verifier::to_write(*supplier, answers, std::move(audit))
                     : verify::Verifier::to_write(item.supplier_id, answers);

    // Everything below commits together, or not at all.
    auto record = [&, item, owner, supplier, now, today, mirrored,
                   valid_for](pqxx::connection& c) -> int {
      pqxx::work txn(c, "tekser_refresh_item");
      RefreshStore rs(c);
      json::object outcomes;
      if (!supplier) {  // deleted since the run began: nothing to refresh
        if (!rs.complete_item(txn, item, owner, outcomes, 0)) throw LeaseLost();
        txn.commit();
        return 0;
      }
      auto& full = write;  // the coroutine waits for this job: nothing else touches it
      if (mirrored) {
        auto mirror = rs.mirror_of(txn, item.run_id, kMirrored, item.supplier_id);
        const json::object mirror_status =
            mirror.status ? std::move(*mirror.status)
                          : json::object{{"outcome", "unavailable"}, {"cause", "no mirror"}};
        full.results.push_back(
            from_mirror(mirror_status, mirror.entries, item.supplier_id, today, valid_for));
      }
      store::Store::record_verification(txn, full);
      for (const auto& r : full.results) outcomes[r.system] = facts::to_string(r.outcome);

      const int count = queue.decide_and_queue(c, txn, *supplier, now, item.run_id).count;
      if (!rs.complete_item(txn, item, owner, outcomes, count)) throw LeaseLost();
      txn.commit();
      return count;
    };
    const int count = co_await db_.run(record);
    recorded = true;
    if (options_.written) options_.written(item.supplier_id);
    ++stats_->items_done;
    stats_->triggers += count;
    if (count > 0)
      log_.info("refresh_triggers", {{"run", item.run_id},
                                     {"supplier", identity::mask(item.supplier_id)},
                                     {"triggers", count}});
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (failure.empty()) co_return;
  // C++ has no co_await in a handler: what a failure needs happens after it. The answers were not
  // recorded, so their audit rows (left to the record: Verifier::gather) are completed here.
  if (!recorded) co_await verify::complete_audit_rows(db_, write);
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
