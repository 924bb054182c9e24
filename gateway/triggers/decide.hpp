// Which triggers a supplier's verified facts call for (p.15 grounds 2-4, p.16, p.20, p.26).
//
// Pure: the rule set, the supplier's current facts and source states (as eligibility sees them),
// and what was already sent come in; the triggers to send and the new trigger state come out.
// Triggers are changes of state, so a weekly refresh that finds nothing new sends nothing:
//   block      a block ground starts failing while the supplier is not blocked;
//   deregister a ground of the deregistration policy starts failing (once per supplier);
//   unblock    every ground that blocked now *passes* — positive evidence of leaving the
//              register (p.20); a final ground (death, termination) is never lifted here, and
//              nothing is lifted while the supplier is deregistered: re-registration needs the
//              commission's positive decision (p.20, last paragraph; apply_commission_decision);
//   review     the legal address changed (p.13): the commission re-reviews the supplier
//              (first seen: remembered, no trigger; unknown or missing: nothing changes);
//   warning    a monitored requirement (tax debt, bankruptcy/liquidation, licence, taxi-carrier
//              notification) starts failing in one of the supplier's categories (p.26) — unless
//              a final block ground fails on the same fact: one event, one trigger.
// Unknown — a source down, silent, stale or incomplete — changes nothing in either direction:
// never a block, never an unblock.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "gateway/eligibility/eligibility.hpp"

namespace tekser::triggers {

enum class Kind { block, deregister, unblock, warning, review };
std::string_view to_string(Kind kind);

// What has been decided for a supplier so far; stored beside it.
struct State {
  std::set<std::string> block_grounds;  // requirements that failed and keep it blocked
  bool deregistered = false;
  // The deregistration in force: "gateway" (the deregistration policy sent it) or "commission"
  // (its protocol, recorded through the API); the ground ("p15.3") and, for the commission's,
  // the date it was decided (YYYY-MM-DD). Empty when not deregistered.
  std::string deregistered_by;
  std::string deregistration_ground;
  std::string deregistered_on;
  std::set<std::string> warnings;  // requirements currently failing that were warned about
  // The block trigger in force, which an unblock names as the one it lifts ("supersedes");
  // set by whoever gives the block its id.
  std::string block_trigger_id;
  // SHA-256 of the legal address last seen (its canonical form: no personal data kept here),
  // against which a change is told (p.13); empty until one is seen.
  std::string legal_address_sha256;

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

// The digest by which two legal-address facts are told apart: kato/codes and words, spaces
// collapsed; the derived one-line texts (text_ru, text_kk) and the date the address was
// registered from are left out. Empty for a value that is not an address object.
std::string address_digest(const boost::json::value& address);

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

// A decision of the commission, recorded by the portal (POST /v1/suppliers/{id}/commission-
// decisions): a deregistration (p.19: its protocol removes the supplier, on a ground of p.15),
// or the positive decision that re-registers it (p.20, last paragraph).
struct CommissionDecision {
  enum class Kind { deregistration, reregistration };
  Kind kind = Kind::deregistration;
  std::string ground;      // deregistration: "p15.1" … "p15.5"; empty for a re-registration
  std::string decided_on;  // YYYY-MM-DD
  std::string protocol_number;
};
std::string_view to_string(CommissionDecision::Kind kind);
inline constexpr const char* kDeregistrationGrounds[] = {"p15.1", "p15.2", "p15.3", "p15.4",
                                                         "p15.5"};

// Why the commission's decision cannot change the trigger state: the field and the reason, and
// whether it conflicts with the state (409) or is wrong in itself (422).
struct DecisionRefused {
  std::string field;
  std::string reason;
  bool conflict = false;
};

// The trigger state once the decision is taken, or why it is not. A deregistration holds any
// block in place (no unblock until a re-registration); a re-registration releases that hold —
// refused when the supplier is not deregistered, when a final ground (death, termination) blocks
// it, or before a year has passed since a deregistration on ground p15.5 (p.20). The block
// itself is lifted by decide(), on positive evidence that every ground has gone.
struct CommissionOutcome {
  std::optional<State> next;
  std::optional<DecisionRefused> refused;
};
CommissionOutcome apply_commission_decision(const eligibility::RuleSet& rules,
                                            const State& previous,
                                            const CommissionDecision& decision);

}  // namespace tekser::triggers
