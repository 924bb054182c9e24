// Eligibility of a supplier under the registration requirements of order No. 285 (p.3, p.6):
// for a category, each automated requirement comes out pass / fail / unknown / not_applicable,
// with the facts it rests on, the rule reference and a reason in Russian and Kazakh.
//
// Pure: the rule set, the supplier's facts, the state of its sources and "today" come in; no
// clock, no database. The rule set is data (rulesets/*.json) dated by its entry into force (and
// its repeal), so an amendment is a new file beside the old one and a past day is judged by the
// rules in force on it; the checks it names are the functions in checks.cpp. "Unknown" is never
// "fail": a source that is down or holds no data proves nothing.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/time/xsd_time.hpp"
#include "mappings/facts/fact.hpp"

namespace tekser::eligibility {

class RuleSetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Outcome { pass, fail, unknown, not_applicable };
std::string_view to_string(Outcome outcome);

struct Text {
  std::string ru;
  std::string kk;
};

struct Requirement {
  std::string id;         // "p3.4"
  std::string reference;  // "p.3 item 4, order No. 285 as amended 29.08.2025"
  Text title;
  std::string check;           // name of the check function
  boost::json::object params;  // the check's parameters (e.g. licensed activities per category)
  // What the supplier does when a register holds no data on it, cited from the rule set
  // (`when_no_data`); absent: p.3's or p.6's last paragraph of order No. 285.
  std::optional<Text> when_no_data;
};

struct CategoryRules {
  std::vector<std::string> requirements;  // evaluated, in this order
  // Requirements the rules exempt this category from, with the reason (shown as not_applicable).
  std::map<std::string, Text> exempt;
  // The rules did not provide for this category at all (the 2022 rules knew no invataxi): no
  // requirement is judged and the verdict is `not_covered`, with this reason.
  std::optional<Text> not_covered;
};

// When verified facts become triggers for the portal (p.15 grounds 2-4, p.16, p.20, p.26): data
// versioned with the requirements, evaluated by gateway/triggers.
struct TriggerGround {
  std::string requirement;  // a requirement whose positive failure blocks
  bool final = false;       // never lifted automatically (death, termination)
};

// One deadline a rule gives, in working days: the first step counts from the day the data
// arrived, each later one from the end of the step before (p.13: 5 days to re-review, then 1 to
// inform the territorial unit).
struct DeadlineStep {
  std::string step;  // "commission_review"
  int working_days = 1;
  std::string reference;
  Text what;  // who must do what by then
};
struct KindDeadlines {
  std::vector<std::string> policies;  // only under these deregistration policies; empty: always
  std::vector<DeadlineStep> steps;
};

// p.13: a changed legal address has the commission re-review the supplier (a review trigger).
struct ReviewRule {
  std::string code;  // the ground's code, "p13.legal_address"
  std::string reference;
  Text title;
  std::string fact;               // "legal_address"
  std::string entity_system;      // where a legal entity's address comes from ("gbd_ul")
  std::string individual_system;  // and an individual's ("gbd_fl")
};

struct CommissionDeadline {
  std::string point;  // "p.10"
  int working_days = 1;
  Text what;
};

struct TriggerRules {
  std::string legal_basis;
  std::vector<TriggerGround> block;  // block while one of these fails
  std::vector<std::string> warn;     // warn the commission when one of these starts failing
  // Named policies: the block grounds that also deregister (issue: "configurable policy").
  std::map<std::string, std::vector<std::string>> deregister_policies;
  std::string default_deregister_policy;
  // The deadlines the law gives per trigger kind ("deregister", "review"); a kind not listed
  // has none, and its triggers carry none rather than a borrowed one.
  std::map<std::string, KindDeadlines> deadlines;
  std::optional<ReviewRule> review;  // p.13: absent in a rule set without it
  // Deadlines of the commission's own steps, for the portal to show (not counted by tekser).
  std::vector<CommissionDeadline> commission_deadlines;
};

// The deadlines of `kind` under `policy`: null when the rule gives none.
const KindDeadlines* deadlines_for(const TriggerRules& rules, std::string_view kind,
                                   std::string_view policy);

// The first official publication an act's entry into force counts from. Until the date is
// confirmed from the official source, `confirmed` is false and every answer says so.
struct Publication {
  std::string date;  // YYYY-MM-DD
  std::string source;
  bool confirmed = false;
};

// When the act enters into force. A dated rule set's effective_from is computed from this, never
// written by hand: an act is in force from its entry into force, not from its signing.
struct EntryIntoForce {
  // "calendar_days_after_publication": `days` calendar days pass after the day of the first
  // official publication (D+1 .. D+days), and the act applies from the day after (D+days+1);
  // "on_date": the act names its date. Empty: the rule set gives effective_from itself.
  std::string rule;
  int days = 0;
  std::string date;  // on_date only
  std::string reference;
};

// The act ceased to apply: from `from` (the first day it no longer applies) on, by `by`.
struct Repeal {
  std::string from;  // YYYY-MM-DD
  std::string by;
  std::string source;
};

struct RuleSet {
  std::string id;
  std::string effective_from;  // YYYY-MM-DD: the first day the rules apply
  EntryIntoForce entry_into_force;
  std::optional<Publication> publication;  // with calendar_days_after_publication
  std::optional<Repeal> repealed;
  std::string legal_basis;
  std::map<std::string, Requirement> requirements;
  std::map<std::string, CategoryRules> categories;
  std::optional<TriggerRules> triggers;  // absent in a rule set that only judges eligibility

  // Its dates rest on no assumption: no publication they count from, or one confirmed.
  bool dates_confirmed() const { return !publication || publication->confirmed; }
};

// Parses and checks a rule set: every requirement a category names exists, every check is
// known, dates are valid. Throws RuleSetError naming `source` and the field.
RuleSet parse_rule_set(std::string_view json_text, std::string_view source);

// The rule sets shipped with the gateway (rulesets/*.json), oldest first.
const std::vector<RuleSet>& shipped_rule_sets();

// The rule set in force on `date` (YYYY-MM-DD): the latest whose effective_from <= date, unless
// it was repealed by then; null when none of `sets` applies on that day.
const RuleSet* rule_set_for(const std::vector<RuleSet>& sets, std::string_view date);

// Why rule_set_for(sets, date) is null, in words for an API error: before the first set, in a gap
// between one's repeal and the next one's entry into force (rules not shipped), or after a repeal.
std::string no_rule_set_reason(const std::vector<RuleSet>& sets, std::string_view date);

// What the gateway knows about the supplier.
struct SourceState {
  facts::Outcome outcome = facts::Outcome::unavailable;
  std::string cause;
};

struct Input {
  std::string supplier_id;  // BIN or IIN
  bool individual = false;  // IIN
  // An individual supplying as an entrepreneur (any category but personal assistance): p.15
  // sub-item 2 then also means one who stopped trading (KGD's entrepreneur registration).
  bool entrepreneur = false;
  std::optional<std::string> birth_date;  // IIN only, from the number itself
  std::string category;
  // The portal's codes of what the supplier supplies (p.3 item 9); nullopt: not said.
  std::optional<std::vector<std::string>> services;
  std::string today;          // YYYY-MM-DD, Asia/Almaty
  xsd_time::TimePoint now{};  // facts past their valid_until prove nothing any more
  // Current facts keyed by (system, name), and the last answer of each source by system.
  std::map<std::pair<std::string, std::string>, facts::Fact> facts;
  std::map<std::string, SourceState> sources;
};

struct RequirementVerdict {
  std::string id;
  std::string reference;
  Text title;
  Outcome outcome = Outcome::unknown;
  Text reason;
  std::vector<facts::Fact> evidence;  // the facts the outcome rests on, with provenance
  bool documents_required = false;  // unknown because a register holds no data: the supplier enters
                                    // it with documents (p.3 / p.6, last paragraph)
};

struct Verdict {
  std::string rule_set;
  std::string legal_basis;
  std::string category;
  // eligible: every requirement passes or does not apply; not_eligible: one fails;
  // undetermined: none fails but one is unknown; not_covered: the rules did not provide for the
  // category (then `reason` says so and no requirement is judged).
  std::string overall;
  std::optional<Text> reason;
  std::vector<RequirementVerdict> requirements;
};

// Throws RuleSetError for a category the rule set does not know.
Verdict evaluate(const RuleSet& rules, const Input& input);

// One requirement of the rule set for `input` (its category is used by checks that have
// per-category parameters). Throws RuleSetError for an unknown requirement id.
RequirementVerdict evaluate_requirement(const RuleSet& rules, std::string_view requirement,
                                        const Input& input);

}  // namespace tekser::eligibility
