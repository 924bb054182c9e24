// Facts re-derive (issue 15 item 12): today's mappings over the replies kept in the message log.
// When a mapping is fixed, the replies already received say more, or otherwise, than was read
// from them then; re-reading them heals the facts without asking any state system again.
//
// For each watched supplier and each system in scope, the latest reply that was read (data, no
// data or malformed; its body kept, its signature not invalid) is classified and mapped again
// exactly as on arrival — the bus status, the correlationId and the subject asked are checked
// again — and compared with the supplier's current facts of that system. Without `apply` nothing
// is written; with it each supplier's changes are recorded in one transaction, as new values
// whose history names the run (fact_rederivations) and whose provenance is the reply they were
// read from. The reply's signature is the one checked on arrival, not checked again.
//
// What it never does: decide triggers (the next verify or refresh of the supplier does, from
// the healed facts), or withdraw a fact today's mapping no longer reads from the reply (it is
// listed as no longer derived and expires at its valid_until unless a later reply confirms it).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <pqxx/pqxx>

#include "gateway/store/exchange_store.hpp"
#include "gateway/store/rederive_store.hpp"
#include "gateway/store/store.hpp"
#include "mappings/facts/fact.hpp"

namespace tekser::rederive {

// The systems whose replies the message log keeps per supplier and that are mapped here: the
// SHEP services. (The goszakup and Samruk registers are mirrored whole, not logged per
// supplier: their facts are read again at the next register fetch.)
std::vector<std::string> rederivable_systems();

// Today's reading of one kept reply about `supplier`: the source's answer as it would be now,
// with the reply's provenance (retrieved when it arrived, valid for `valid_for` from then).
// Pure.
facts::SourceResult reread(const store::Exchange& logged, const store::SupplierRecord& supplier,
                           std::chrono::seconds valid_for);

struct FactChange {
  enum class Kind { added, changed, no_longer_derived };
  Kind kind = Kind::added;
  std::string name;
  std::optional<boost::json::value> before;  // the current value (none: added)
  std::optional<boost::json::value> after;   // today's reading (none: no longer derived)
};
std::string_view to_string(FactChange::Kind kind);

struct ReplyChange {
  long long log_id = 0;  // the message-log row
  std::string supplier_id;
  std::string system;
  std::string message_id;
  std::string reply_sha256;
  xsd_time::TimePoint received_at{};
  // its latest reading on record: a re-derive's, else the one on arrival
  facts::Outcome outcome_then = facts::Outcome::malformed;
  facts::Outcome outcome_now = facts::Outcome::malformed;
  std::string cause_now;  // for an outcome other than data
  std::vector<FactChange> facts;
  bool changed() const { return outcome_then != outcome_now || !facts.empty(); }
};

// Today's reading against the supplier's current facts of that system. Pure. A fact whose value
// is the same is no change, whatever its provenance.
ReplyChange compare(const store::Exchange& logged, const facts::SourceResult& now,
                    const std::vector<store::StoredFact>& current);

struct Request {
  store::RederiveScope scope;  // systems: each one of rederivable_systems()
  bool apply = false;          // record the changes (else only show them)
  int limit = 100;             // changed replies listed; the counts cover all
  std::string requested_by;    // the API client (recorded with an applied run)
  std::chrono::seconds valid_for{std::chrono::hours(24 * 7)};  // sources.facts_valid_for
};

// Every watched supplier in id order, a transaction each (a reading of one supplier is
// consistent; with `apply` its changes commit together under its row lock). The report:
// {systems, since, applied, rederivation_id, suppliers, replies, changed, facts_changed,
//  outcomes_changed, listed, changes: [{supplier_id, system, message_id, reply_sha256,
//  received_at, outcome_then, outcome_now, cause_now?, facts: [{name, change, before?, after?}],
//  recorded?}]}.
boost::json::value run(pqxx::connection& connection, const Request& request);

}  // namespace tekser::rederive
