// The weekly refresh's work queue and the outbox of triggers, in PostgreSQL (migration 0010).
//
// Several gateway replicas share these tables. Work is leased, never owned: a lease is taken
// with FOR UPDATE SKIP LOCKED and expires, so a replica killed mid-run loses nothing — its items
// come back to the queue when the lease runs out and another replica (or itself, restarted)
// takes them. The database's clock decides leases, so the replicas' clocks need not agree.
//
// Every member is blocking (libpqxx) and must run on the database pool. Members taking a
// pqxx::work& join the caller's transaction: the refresh writes the facts, the trigger state, the
// triggers and the item's completion in one.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"

namespace tekser::store {

using xsd_time::TimePoint;

struct RefreshRun {
  long long id = 0;
  std::string requested_by;  // schedule | api | cli
  std::optional<TimePoint> scheduled_for;
  std::string status;  // running | done | cancelled
  std::string rule_set;
  int total = 0;
  TimePoint created_at{};
  std::optional<TimePoint> finished_at;
  boost::json::object mirrors;
};

struct RunProgress {
  RefreshRun run;
  int pending = 0;
  int leased = 0;
  int done = 0;
  int failed = 0;
  int triggers = 0;
  // Per system, how many suppliers got each outcome: {"kgd": {"data": 10, "unavailable": 2}}.
  std::map<std::string, std::map<std::string, int>> outcomes;
  double rate_per_second = 0;  // items finished over the last minute
  std::optional<std::chrono::seconds> eta;
};

struct StartedRun {
  RefreshRun run;
  bool created = false;  // false: this slot's run, or the running one, already existed
};

// One row of a register being mirrored: its place in the register, the subject it lists and the
// row as received (JSON text).
struct MirrorRow {
  long long position = 0;
  std::string subject;
  std::string entry;
};

struct MirrorOfSubject {
  std::optional<boost::json::object> status;
  boost::json::array entries;
};

struct LeasedItem {
  long long run_id = 0;
  std::string supplier_id;
  // Failures recorded (release_item) before this lease: what max_attempts bounds.
  int attempts = 0;
  // Leases taken, this one included; one whose owner died and let it expire counts here only.
  int leases = 0;
};

// A trigger to write into the outbox (the body is the exact document the portal receives).
struct NewTrigger {
  std::string id;  // UUID; the Idempotency-Key
  std::string supplier_id;
  std::string kind;
  std::string rule_set;
  std::optional<long long> run_id;
  TimePoint data_received_at{};
  // The first deadline the law gives for the kind; none for a kind without one.
  std::optional<TimePoint> deadline;
  bool deadline_estimate = false;
};

struct TriggerRow {
  std::string id;
  long long cursor = 0;
  std::string supplier_id;
  long long sequence = 0;
  std::string kind;
  std::string body;
  std::string rule_set;
  std::optional<long long> run_id;
  TimePoint created_at{};
  TimePoint data_received_at{};
  std::optional<TimePoint> deadline;  // none: the kind has no legal deadline
  bool deadline_estimate = false;
  std::string status;  // pending | delivered | dead
  int attempts = 0;
  TimePoint next_attempt_at{};
  std::optional<std::string> last_error;
  std::optional<int> last_status;
  std::optional<TimePoint> delivered_at;
};

struct TriggerFilter {
  long long after = 0;  // cursor
  int limit = 100;
  std::optional<std::string> supplier_id;
  std::optional<std::string> status;
  std::optional<std::string> kind;
  bool overdue_only = false;  // not delivered and past the deadline
};

struct TriggerCounts {
  int pending = 0;
  int delivered = 0;
  int dead = 0;
  int overdue = 0;  // not delivered, deadline passed
};

class RefreshStore {
 public:
  explicit RefreshStore(pqxx::connection& connection) : connection_(connection) {}

  // ---- runs ----
  // Creates a run over every watched supplier, unless one is running (then that one is returned)
  // or, for a scheduled run, the slot already has its run (returned, whatever its status).
  StartedRun start_run(const std::string& requested_by, std::optional<TimePoint> scheduled_for,
                       const std::string& rule_set);
  std::optional<RefreshRun> find_run(long long id);
  std::optional<RefreshRun> running_run();
  std::vector<RefreshRun> recent_runs(int limit);
  RunProgress progress(long long run_id);
  // Marks the run done when no item is pending or leased; true when it did (or was done).
  bool finish_if_complete(long long run_id);
  bool cancel_run(long long run_id);
  // A whole-register mirror is written as it is fetched, so the gateway never holds the register:
  // each page's rows under the fetch's message id (save_mirror_page), then the finished fetch made
  // the run's mirror in one statement (finish_mirror).
  void save_mirror_page(long long run_id, const std::string& message_id,
                        const std::vector<MirrorRow>& rows);
  // Makes the fetch `message_id` the run's mirror of `system`: its status under mirrors->system
  // and, when `keep_entries`, its rows grouped per subject in register order (a row whose subject
  // is no BIN/IIN names no supplier and is left out). Replaces an earlier mirror of the same system
  // for that run. Discards the fetch's pages, and those of fetches that died with a run no longer
  // running.
  void finish_mirror(pqxx::work& txn, long long run_id, const std::string& system,
                     const std::string& message_id, const boost::json::object& status,
                     bool keep_entries);
  // Both at once, for a register already in hand (tests; small registers).
  void save_mirror(long long run_id, const std::string& system, const boost::json::object& status,
                   const std::map<std::string, boost::json::array>& entries_by_subject);
  // The run's mirror of `system` as one subject's refresh reads it: its status (none: not
  // mirrored) and the subject's entries (empty when the register does not list it).
  MirrorOfSubject mirror_of(pqxx::work& txn, long long run_id, const std::string& system,
                            const std::string& subject);
  // The same for several subjects in one statement, by subject (each asked is there).
  std::map<std::string, MirrorOfSubject> mirror_of(pqxx::work& txn, long long run_id,
                                                   const std::string& system,
                                                   const std::vector<std::string>& subjects);

  // ---- items ----
  // Leases up to `limit` items of the running run that are pending or whose lease expired.
  std::vector<LeasedItem> lease_items(long long run_id, const std::string& owner,
                                      std::chrono::milliseconds lease, int limit);
  // Inside the caller's transaction: the item is done with these outcomes and trigger count.
  // False when the lease was lost (another replica took the item): the caller must roll back.
  bool complete_item(pqxx::work& txn, const LeasedItem& item, const std::string& owner,
                     const boost::json::object& outcomes, int triggers);
  // The same for several items of one run in one statement; returns the suppliers of the items
  // completed (one missing: its lease was lost, and the caller must roll back).
  struct CompletedItem {
    LeasedItem item;
    boost::json::object outcomes;
    int triggers = 0;
  };
  std::set<std::string> complete_items(pqxx::work& txn, const std::vector<CompletedItem>& items,
                                       const std::string& owner);
  // Records a failed attempt: the item goes back to the queue, or is failed for good once
  // `max_attempts` failures are recorded. A lease that merely expired (its owner died) is not a
  // failure and does not count.
  void release_item(const LeasedItem& item, const std::string& owner, const std::string& error,
                    int max_attempts);

  // ---- trigger state and outbox (inside the refresh's transaction) ----
  // The supplier's stored trigger state, locked for this transaction; null when none yet.
  std::optional<boost::json::value> lock_trigger_state(pqxx::work& txn,
                                                       const std::string& supplier_id);
  void save_trigger_state(pqxx::work& txn, const std::string& supplier_id,
                          const boost::json::value& state);
  // The same for several suppliers, a statement each: the states there are, locked in the order
  // of the ids (a supplier with none is absent); the states given, written.
  std::map<std::string, boost::json::value> lock_trigger_states(
      pqxx::work& txn, const std::vector<std::string>& supplier_ids);
  void save_trigger_states(pqxx::work& txn,
                           const std::map<std::string, boost::json::value>& states);
  // Appends to the outbox with the supplier's next sequence number; `body_of(sequence)` builds
  // the document (it carries the sequence). Returns the sequence given.
  long long enqueue_trigger(pqxx::work& txn, const NewTrigger& trigger,
                            const std::function<std::string(long long sequence)>& body_of);

  // ---- delivery ----
  // Leases due triggers that are next in their supplier's order (no earlier trigger of the same
  // supplier pending; a dead letter does not hold the rest back), oldest first.
  std::vector<TriggerRow> lease_deliveries(const std::string& owner,
                                           std::chrono::milliseconds lease, int limit);
  bool mark_delivered(const std::string& id, const std::string& owner, int http_status);
  // A failed attempt: retried at `next_attempt_at`, or dead when `dead`.
  bool mark_failed(const std::string& id, const std::string& owner, const std::string& error,
                   std::optional<int> http_status, TimePoint next_attempt_at, bool dead);
  // Puts a dead trigger back in the queue with its attempts reset; false if it is not dead.
  bool replay(const std::string& id);

  std::vector<TriggerRow> triggers(const TriggerFilter& filter);
  std::optional<TriggerRow> find_trigger(const std::string& id);
  TriggerCounts trigger_counts();

 private:
  pqxx::connection& connection_;
};

}  // namespace tekser::store
