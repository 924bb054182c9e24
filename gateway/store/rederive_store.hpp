// Facts re-derive (migration 0140) in the store: the replies to read again, each run's record,
// and the source status a re-read answer restates. The facts themselves are written by
// Store::record_fact_change, the same statements a verification uses.
//
// Blocking (libpqxx): run it on the database pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "gateway/store/exchange_store.hpp"
#include "gateway/store/store.hpp"

namespace tekser::store {

struct RederiveScope {
  std::vector<std::string> systems;     // at least one
  std::optional<TimePoint> since;       // only replies received from then on
  std::optional<std::string> supplier;  // only this supplier's (BIN/IIN)
};

class RederiveStore {
 public:
  // The ids of the watched suppliers after `after`, in order, at most `limit`.
  static std::vector<std::string> suppliers_after(pqxx::transaction_base& txn,
                                                  const std::string& after, int limit);

  // For each system of the scope, the supplier's latest reply that was read — data, no data or
  // malformed on arrival, its body kept, its signature not invalid — received since the scope's
  // `since`: the reply its current facts and source status rest on. By system; the outcome is
  // the reply's latest reading (a re-derive's, else the one on arrival).
  static std::vector<Exchange> latest_read_replies(pqxx::transaction_base& txn,
                                                   const std::string& supplier_id,
                                                   const RederiveScope& scope);

  // The run's row, before it writes anything: its id names the history rows it writes.
  static long long start_run(pqxx::work& txn, const std::string& requested_by,
                             const RederiveScope& scope);
  static void finish_run(pqxx::work& txn, long long run_id, int replies, int facts_changed);

  // Locks the supplier's row, as a verification does first (the two then write one after the
  // other). False when the supplier is no longer watched.
  static bool lock_supplier(pqxx::work& txn, const std::string& supplier_id);

  // Today's reading of a kept reply (message_log row `log_id`), noted beside the outcome it was
  // given on arrival, which stays.
  static void note_reading(pqxx::work& txn, long long log_id, facts::Outcome outcome,
                           long long run_id);

  // Whether two JSON texts are the same value as the store compares facts (jsonb equality: key
  // order and number spelling aside).
  static bool same_json(pqxx::transaction_base& txn, const std::string& a, const std::string& b);

  // A re-read answer whose reply is still the source's latest answer becomes its status (and is
  // kept among the answers, at `at`); returns false, writing nothing, when a later answer came.
  static bool restate_source(pqxx::work& txn, const std::string& supplier_id,
                             const facts::SourceResult& reread, TimePoint at);
};

}  // namespace tekser::store
