// Decides a supplier's triggers from its stored facts and trigger state and queues them in the
// outbox, inside the caller's transaction — so the facts, the triggers and the new trigger state
// commit together or not at all. The one code path for the weekly refresh, a verify that brings
// evidence (a register hit found by the portal's own verify does not wait for Monday), and a
// commission's decision (POST …/commission-decisions).
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"
#include "gateway/calendar/working_calendar.hpp"
#include "gateway/store/store.hpp"
#include "gateway/triggers/decide.hpp"

namespace tekser::triggers {

class TriggerQueue {
 public:
  // `deregister_policy`: a policy of the rule set in force; empty: its default.
  TriggerQueue(const calendar::WorkingCalendar& calendar, std::string deregister_policy)
      : calendar_(calendar), deregister_policy_(std::move(deregister_policy)) {}

  struct Queued {
    int count = 0;  // triggers queued
    std::string rule_set;
    State state;  // the trigger state saved
    // What it judged from, read in the caller's transaction (a verify answers with them).
    std::vector<store::StoredFact> facts;
    std::vector<store::SourceStatus> sources;
  };

  // Judges by the rule set in force on `now`'s date (throws std::logic_error when there is none
  // with trigger rules). `run_id`: the refresh run that found the evidence; none for a verify
  // or a decision. `amend`, when given, changes the stored state before the decision (the
  // commission's decision); the state is locked (FOR UPDATE) for the transaction.
  Queued decide_and_queue(pqxx::connection& connection, pqxx::work& txn,
                          const store::SupplierRecord& supplier, xsd_time::TimePoint now,
                          std::optional<long long> run_id,
                          const std::function<State(const State&)>& amend = {}) const;
  // The same for several distinct suppliers at once, with the statements of one (a refresh
  // commits a batch of items together). Results in the order of `suppliers`.
  std::vector<Queued> decide_and_queue(pqxx::connection& connection, pqxx::work& txn,
                                       std::span<const store::SupplierRecord> suppliers,
                                       xsd_time::TimePoint now, std::optional<long long> run_id,
                                       const std::function<State(const State&)>& amend = {}) const;

 private:
  const calendar::WorkingCalendar& calendar_;
  std::string deregister_policy_;
};

}  // namespace tekser::triggers
