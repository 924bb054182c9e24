// The weekly refresh: re-verifies every supplier of the running run, a few at a time per
// worker, from the store's work queue (leases: replicas split a run; a killed one loses nothing).
// A worker gathers the answers for each supplier of its lease, then commits them together, in one
// transaction: their answers and facts (history kept), the triggers the rule set draws from them
// (gateway/triggers) into the outbox with their deadlines, their trigger states, and the work
// items' completion, each step one statement for the whole batch (issue 16 item 2) — so a crash
// leaves either all of it or none. If the batch cannot be committed, each item is committed on
// its own, so that one bad item fails alone.
//
// Whole-register sources are mirrored once per run, not asked per supplier: the goszakup РНУ is
// fetched by the first worker that finds the run without it, written to the store page by page as
// it arrives, and each supplier's goszakup_rnu fact is read from that copy.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>

#include "common/log/json_log.hpp"
#include "common/net/stop_signal.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/refresh_store.hpp"
#include "gateway/triggers/queue.hpp"
#include "gateway/verify/verifier.hpp"

namespace tekser::refresh {

// A whole register as fetched for a run.
struct MirrorFetch {
  bool complete = false;
  std::string cause;  // why not complete
  std::string message_id;
  std::string sha256;  // digest of the rows, in register order
  std::size_t rows = 0;
  xsd_time::TimePoint retrieved_at{};
};
// Takes one page of the register as it arrives: the runner writes it to the store at once, so the
// gateway holds one page, never the register. Throws if the store refuses it (the fetch stops).
using MirrorPageSink =
    std::function<boost::asio::awaitable<void>(std::vector<store::MirrorRow> rows)>;
// Fetches the register under `message_id`, whose audit row the runner has already written, and
// hands every page to `sink` (rows numbered from 0 in register order, each with its subject).
using MirrorFetcher =
    std::function<boost::asio::awaitable<MirrorFetch>(std::string message_id, MirrorPageSink sink)>;

struct RunnerOptions {
  std::string owner;                         // this replica's name, on its leases
  std::chrono::milliseconds lease{120'000};  // longer than one supplier's verification
  int workers = 8;                           // suppliers verified side by side
  int batch = 4;                             // items a worker leases at once
  int max_attempts = 3;                      // an item failing this often is failed
  std::chrono::milliseconds idle_poll{1000};
  std::chrono::seconds mirror_valid_for{std::chrono::hours(24 * 7)};
  verify::SystemLimiter* limiter = nullptr;
  // Called with the supplier's id once its item's answers are committed (the view cache forgets
  // its view on this replica at once; the others hear it from PostgreSQL).
  std::function<void(const std::string&)> written;
};

struct RunnerStats {
  std::atomic<long long> items_done{0};
  std::atomic<long long> items_released{0};
  std::atomic<long long> triggers{0};
  std::atomic<long long> mirrors{0};
};

class RefreshRunner {
 public:
  RefreshRunner(boost::asio::any_io_executor executor, store::DbPool& db,
                verify::Verifier& verifier, MirrorFetcher goszakup_mirror,
                const triggers::TriggerQueue& queue, RunnerOptions options, logging::JsonLog& log);
  ~RefreshRunner();

  void start();
  void stop();

  // One worker pass: leases items of the running run and refreshes each. Returns how many
  // (0: no run, or nothing left to lease).
  boost::asio::awaitable<int> run_once();

  const RunnerStats& stats() const { return *stats_; }

 private:
  boost::asio::awaitable<void> worker();
  boost::asio::awaitable<void> ensure_mirror(long long run_id);
  // A leased item with its supplier's answers gathered, not yet committed.
  struct PreparedItem {
    store::LeasedItem item;
    std::optional<store::SupplierRecord> supplier;  // none: deleted since the run began
    store::VerificationWrite write;
    std::string failure;  // why it could not be gathered (then nothing is committed)
  };
  boost::asio::awaitable<PreparedItem> prepare_item(const store::LeasedItem& item);
  // Commits the items gathered, all in one transaction; if that fails, each on its own, so that
  // one bad item does not fail its batch.
  boost::asio::awaitable<void> commit_items(std::vector<PreparedItem> items);
  // Returns the triggers queued per item (the order of `items`); throws when nothing was
  // committed.
  boost::asio::awaitable<std::vector<int>> commit_together(const std::vector<PreparedItem>& items);
  // The item is released for another attempt; its answers' audit rows are completed first when
  // they were gathered but never recorded.
  boost::asio::awaitable<void> fail_item(const PreparedItem& item, const std::string& failure);

  boost::asio::any_io_executor executor_;
  store::DbPool& db_;
  verify::Verifier& verifier_;
  MirrorFetcher goszakup_mirror_;
  const triggers::TriggerQueue& queue_;  // decides and queues the triggers of each item
  RunnerOptions options_;
  logging::JsonLog& log_;
  std::shared_ptr<net::StopSignal> stop_;
  std::shared_ptr<RunnerStats> stats_;
  // Runs whose register a worker of this replica is mirroring: the others wait for it.
  std::mutex mirroring_mutex_;
  std::set<long long> mirroring_;
};

}  // namespace tekser::refresh
