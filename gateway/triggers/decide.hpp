// Which triggers a supplier's verified facts call for (p.15 grounds 2-4, p.16, p.20, p.26).
//
// Pure: the rule set, the supplier's current facts and source states (as eligibility sees them),
// and what was already sent come in; the triggers to send and the new trigger state come out.
// Triggers are changes of state, so a weekly refresh that finds nothing new sends nothing:
//   block      a block ground starts failing while the supplier is not blocked;
//   deregister a ground of the deregistration policy starts failing (once per supplier);
//   unblock    every ground that blocked now *passes* — positive evidence of leaving the
//              register (p.20); a final ground (death, termination) is never lifted here;
//   warning    a monitored requirement (tax debt, bankruptcy/liquidation, licence, taxi-carrier
//              notification) starts failing in one of the supplier's categories (p.26).
// Unknown — a source down, silent, stale or incomplete — changes nothing in either direction:
// never a block, never an unblock.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "gateway/eligibility/eligibility.hpp"

namespace tekser::triggers {

enum class Kind { block, deregister, unblock, warning };
std::string_view to_string(Kind kind);

// What has been decided for a supplier so far; stored beside it.
struct State {
  std::set<std::string> block_grounds;  // requirements that failed and keep it blocked
  bool deregistered = false;
  std::set<std::string> warnings;  // requirements currently failing that were warned about
  // The block trigger in force, which an unblock names as the one it lifts ("supersedes");
  // set by whoever gives the block its id.
  std::string block_trigger_id;

  bool blocked() const { return !block_grounds.empty(); }
  bool operator==(const State&) const = default;
};
boost::json::value to_json(const State& state);
// Throws std::invalid_argument naming the field for a value to_json() did not write.
State state_from_json(const boost::json::value& value);

struct Ground {
  std::string requirement;  // "p15.3"
  std::string reference;
  eligibility::Text title;
  eligibility::Text reason;  // what the state system said
};

struct Draft {
  Kind kind = Kind::block;
  std::vector<Ground> grounds;
  std::vector<facts::Fact> evidence;  // the facts the grounds rest on, with provenance
  // When the evidence arrived: the latest retrieved_at among it (the deadline counts from it).
  xsd_time::TimePoint data_received_at{};
};

struct Decision {
  std::vector<Draft> triggers;  // in the order they must reach the portal
  State next;
};

// `input.category` is ignored: block grounds do not depend on a category, and warnings are
// evaluated in each of `categories` whose requirements list them. Throws
// eligibility::RuleSetError when the rule set has no trigger rules or no such policy.
Decision decide(const eligibility::RuleSet& rules, const eligibility::Input& input,
                const std::vector<std::string>& categories, const State& previous,
                std::string_view deregister_policy);

}  // namespace tekser::triggers
