// Issue 15's case table: every automated point of order No. 285 as amended 29.08.2025 (and the
// 2022 rules' one working day), each with pass, fail and unknown — for eligibility per category
// with the exemptions (p.3 items 4-7, 9, 11; p.6 sub-item 3); p.15 grounds 2-4 and p.16 for the
// triggers; p.13 for a changed address; p.19-20 for the commission. One row, one case: a failing
// row names its point, its category and its case.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "gateway/calendar/working_calendar.hpp"
#include "gateway/triggers/deadlines.hpp"
#include "gateway/triggers/decide.hpp"
#include "tests/gateway/supplier_inputs.hpp"

namespace tekser::eligibility {
namespace {

using Mutate = std::function<void(Input&)>;
using testing::set_fact;

const RuleSet& rules() {
  return *rule_set_for(shipped_rule_sets(), "2026-11-23");
}

void down(Input& in, const std::string& system, const std::string& name) {
  in.facts.erase({system, name});
  in.sources[system] = SourceState{facts::Outcome::unavailable, "HTTP 503"};
}

// A supplier of `category` every register vouches for.
Input clean(const std::string& category) {
  Input in = testing::clean_entity();
  in.category = category;
  if (category == "sanatorium") in.services = std::vector<std::string>{"sanatorium.treatment"};
  if (category == "sign_language")
    in.services = std::vector<std::string>{"sign_language.interpreting"};
  if (category == "invataxi") in.services = std::vector<std::string>{};
  if (category == "personal_assistant") {
    in.facts.erase({"gbd_ul", "status"});
    in.supplier_id = "911103304560";
    in.individual = true;
    in.birth_date = "1991-11-03";
    set_fact(in, "gbd_fl", "status", R"({"value":"alive"})");
    set_fact(in, "pa_checks", "psychiatric_registration", R"({"registered":false,"since":null})");
    set_fact(in, "pa_checks", "criminal_record",
             R"({"has_unexpunged_record":false,"articles":[]})");
    set_fact(in, "pa_checks", "incapacity",
             R"({"declared_incapable":false,"court_decision_date":null,"limited_capacity":false,)"
             R"("limited_capacity_decision_date":null})");
  }
  return in;
}

struct EligibilityCase {
  const char* point;
  const char* category;
  const char* requirement;
  const char* name;
  Mutate mutate;
  Outcome expected;
};

const std::vector<EligibilityCase>& eligibility_cases() {
  const auto nothing = [](Input&) {};
  static const std::vector<EligibilityCase> cases = [&] {
    std::vector<EligibilityCase> out;
    for (const char* c : {"technical_aids", "sanatorium", "sign_language", "invataxi"}) {
      // p.3 item 4: tax and social-payment debt (KGD).
      out.push_back({"p.3 item 4", c, "p3.4", "no debt", nothing, Outcome::pass});
      out.push_back({"p.3 item 4", c, "p3.4", "a tax debt",
                     [](Input& in) {
                       set_fact(in, "kgd", "tax_debt",
                                R"({"has_tax_debt":true,"has_social_debt":false})");
                     },
                     Outcome::fail});
      out.push_back({"p.3 item 4", c, "p3.4", "KGD down",
                     [](Input& in) { down(in, "kgd", "tax_debt"); }, Outcome::unknown});
      // p.3 item 5: bankruptcy or liquidation (KGD lists, ГБД ЮЛ status).
      out.push_back({"p.3 item 5", c, "p3.5", "neither", nothing, Outcome::pass});
      out.push_back({"p.3 item 5", c, "p3.5", "in the bankrupt list",
                     [](Input& in) {
                       set_fact(in, "kgd", "kgd_lists",
                                R"({"bankrupt":true,"liquidation_in_progress":false})");
                     },
                     Outcome::fail});
      out.push_back({"p.3 item 5", c, "p3.5", "KGD lists down",
                     [](Input& in) { down(in, "kgd", "kgd_lists"); }, Outcome::unknown});
      // p.3 item 6: the goszakup РНУ.
      out.push_back({"p.3 item 6", c, "p3.6", "not listed", nothing, Outcome::pass});
      out.push_back({"p.3 item 6", c, "p3.6", "listed",
                     [](Input& in) {
                       set_fact(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
                     },
                     Outcome::fail});
      out.push_back({"p.3 item 6", c, "p3.6", "goszakup down",
                     [](Input& in) { down(in, "goszakup", "goszakup_rnu"); }, Outcome::unknown});
      // p.3 item 7: the quasi-public РНУ and the Samruk-Kazyna list.
      out.push_back({"p.3 item 7", c, "p3.7", "in neither", nothing, Outcome::pass});
      out.push_back({"p.3 item 7", c, "p3.7", "in the Samruk-Kazyna list",
                     [](Input& in) {
                       set_fact(in, "samruk", "samruk_unreliable",
                                R"({"listed":true,"entries":[]})");
                     },
                     Outcome::fail});
      out.push_back({"p.3 item 7", c, "p3.7", "Samruk down",
                     [](Input& in) { down(in, "samruk", "quasi_public_rnu"); }, Outcome::unknown});
      // p.15 sub-item 2: the supplier exists.
      out.push_back({"p.15 sub-item 2", c, "p15.2", "active", nothing, Outcome::pass});
      out.push_back({"p.15 sub-item 2", c, "p15.2", "liquidated",
                     [](Input& in) {
                       set_fact(in, "gbd_ul", "status",
                                R"({"value":"liquidated","since":"2026-11-01"})");
                     },
                     Outcome::fail});
      out.push_back({"p.15 sub-item 2", c, "p15.2", "a status with an unknown code",
                     [](Input& in) {
                       set_fact(in, "gbd_ul", "status",
                                R"({"value":"unknown","unknown_reason":"RegStatus 9"})");
                     },
                     Outcome::unknown});
    }
    // p.3 item 9: a licence only where the activity needs one.
    for (const char* c : {"technical_aids", "sanatorium"}) {
      out.push_back({"p.3 item 9", c, "p3.9", "the licence held", nothing, Outcome::pass});
      out.push_back({"p.3 item 9", c, "p3.9", "the licence revoked",
                     [](Input& in) {
                       set_fact(in, "elicense", "licences",
                                R"([{"number":"L1","activity_code":"MED","status":"revoked",)"
                                R"("expires":null}])");
                     },
                     Outcome::fail});
      out.push_back({"p.3 item 9", c, "p3.9", "a service code the rule set does not know",
                     [](Input& in) { in.services = std::vector<std::string>{"tsr.teleporter"}; },
                     Outcome::unknown});
    }
    out.push_back({"p.3 item 9", "technical_aids", "p3.9", "wheelchairs only: no licence needed",
                   [](Input& in) { in.services = std::vector<std::string>{"tsr.wheelchair"}; },
                   Outcome::not_applicable});
    out.push_back({"p.3 item 9", "sign_language", "p3.9", "interpreting needs no licence", nothing,
                   Outcome::not_applicable});
    out.push_back({"p.3 item 9", "invataxi", "p3.9", "exempt (p.3, second paragraph)", nothing,
                   Outcome::not_applicable});
    // p.3 item 11: the taxi-carrier notification, invataxi only.
    out.push_back(
        {"p.3 item 11", "invataxi", "p3.11", "a valid notification", nothing, Outcome::pass});
    out.push_back({"p.3 item 11", "invataxi", "p3.11", "none",
                   [](Input& in) { set_fact(in, "elicense", "notifications", "[]"); },
                   Outcome::fail});
    out.push_back({"p.3 item 11", "invataxi", "p3.11", "e-licensing down",
                   [](Input& in) { down(in, "elicense", "notifications"); }, Outcome::unknown});
    // p.6 sub-item 3): personal assistants; p.3 does not apply to them.
    const char* pa = "personal_assistant";
    for (const char* id : {"p3.4", "p3.5", "p3.6", "p3.7", "p3.9", "p3.11"})
      out.push_back({"p.3, first paragraph (exemption)", pa, id, "not a p.3 supplier", nothing,
                     Outcome::not_applicable});
    out.push_back({"p.6 sub-item 3)", pa, "p6.age", "33 years old", nothing, Outcome::pass});
    out.push_back({"p.6 sub-item 3)", pa, "p6.age", "17 years old",
                   [](Input& in) { in.birth_date = "2009-11-24"; }, Outcome::fail});
    out.push_back({"p.6 sub-item 3)", pa, "p6.age", "no birth date",
                   [](Input& in) { in.birth_date.reset(); }, Outcome::unknown});
    struct Register {
      const char* id;
      const char* fact;
      const char* failing;
    };
    for (const auto& r : {Register{"p6.psychiatric", "psychiatric_registration",
                                   R"({"registered":true,"since":"2016-05-12"})"},
                          Register{"p6.criminal", "criminal_record",
                                   R"({"has_unexpunged_record":true,"articles":["188.2"]})"},
                          Register{"p6.incapacity", "incapacity",
                                   R"({"declared_incapable":false,"limited_capacity":true,)"
                                   R"("limited_capacity_decision_date":"2023-06-05"})"}}) {
      out.push_back({"p.6 sub-item 3)", pa, r.id, "no record", nothing, Outcome::pass});
      out.push_back({"p.6 sub-item 3)", pa, r.id, "a record",
                     [r](Input& in) { set_fact(in, "pa_checks", r.fact, r.failing); },
                     Outcome::fail});
      out.push_back({"p.6 sub-item 3)", pa, r.id, "the register down",
                     [r](Input& in) { down(in, "pa_checks", r.fact); }, Outcome::unknown});
    }
    out.push_back({"p.15 sub-item 2", pa, "p15.2", "alive", nothing, Outcome::pass});
    out.push_back({"p.15 sub-item 2", pa, "p15.2", "dead",
                   [](Input& in) {
                     set_fact(in, "gbd_fl", "status",
                              R"({"value":"deceased","death_date":"2026-10-01"})");
                   },
                   Outcome::fail});
    out.push_back({"p.15 sub-item 2", pa, "p15.2", "ГБД ФЛ down",
                   [](Input& in) { down(in, "gbd_fl", "status"); }, Outcome::unknown});
    // p.15 sub-item 2 for an individual entrepreneur: stopped trading (KGD).
    const Mutate entrepreneur = [](Input& in) {
      in.facts.erase({"gbd_ul", "status"});
      in.supplier_id = "840512401230";
      in.individual = true;
      in.entrepreneur = true;
      set_fact(in, "gbd_fl", "status", R"({"value":"alive"})");
      set_fact(in, "kgd", "entrepreneur_registration", R"({"status":"registered","code":"1"})");
    };
    out.push_back({"p.15 sub-item 2 (entrepreneur)", "sign_language", "p15.2", "still trading",
                   entrepreneur, Outcome::pass});
    out.push_back({"p.15 sub-item 2 (entrepreneur)", "sign_language", "p15.2", "stopped trading",
                   [entrepreneur](Input& in) {
                     entrepreneur(in);
                     set_fact(
                         in, "kgd", "entrepreneur_registration",
                         R"({"status":"deregistered","code":"2","deregistered_on":"2026-11-02"})");
                   },
                   Outcome::fail});
    out.push_back({"p.15 sub-item 2 (entrepreneur)", "sign_language", "p15.2",
                   "KGD silent on the registration",
                   [entrepreneur](Input& in) {
                     entrepreneur(in);
                     down(in, "kgd", "entrepreneur_registration");
                   },
                   Outcome::unknown});
    return out;
  }();
  return cases;
}

TEST(CaseTable, EveryAutomatedPointPassesFailsAndIsUnknownInEveryCategory) {
  std::map<std::string, std::set<Outcome>> seen;  // point/category/requirement -> outcomes
  for (const auto& c : eligibility_cases()) {
    SCOPED_TRACE(std::string(c.point) + " · " + c.category + " · " + c.requirement + " · " +
                 c.name);
    auto in = clean(c.category);
    c.mutate(in);
    const auto verdict = evaluate(rules(), in);
    const RequirementVerdict* found = nullptr;
    for (const auto& r : verdict.requirements)
      if (r.id == c.requirement) found = &r;
    ASSERT_NE(found, nullptr) << "no verdict for the requirement";
    EXPECT_EQ(to_string(found->outcome), to_string(c.expected)) << found->reason.ru;
    seen[std::string(c.category) + " " + c.requirement].insert(c.expected);
  }
  // The table covers what it claims: pass, fail and unknown of every requirement a category is
  // judged on (not_applicable rows stand for an exemption or a service needing no licence).
  for (const char* category :
       {"technical_aids", "sanatorium", "sign_language", "invataxi", "personal_assistant"})
    for (const auto& id : rules().categories.at(category).requirements) {
      const auto& outcomes = seen[std::string(category) + " " + id];
      if (outcomes.contains(Outcome::not_applicable)) continue;
      for (const auto o : {Outcome::pass, Outcome::fail, Outcome::unknown})
        EXPECT_TRUE(outcomes.contains(o)) << category << " " << id << " lacks " << to_string(o);
    }
}

// ---- the triggers -------------------------------------------------------------------------------

using triggers::decide;
using triggers::State;

std::vector<std::string> kinds(const triggers::Decision& d) {
  std::vector<std::string> out;
  for (const auto& t : d.triggers) out.emplace_back(to_string(t.kind));
  return out;
}

struct TriggerCase {
  const char* point;
  const char* name;
  Mutate mutate;
  State previous;
  const char* policy;
  std::vector<std::string> expected;
};

TEST(CaseTable, EveryTriggerPointFiresOnEvidenceAndNeverOnUnknown) {
  const auto seen_address = [] {
    State s;
    s.legal_address_sha256 =
        triggers::address_digest(boost::json::parse(R"({"kato":"751110000","building":"1"})"));
    return s;
  }();
  State blocked_rnu;
  blocked_rnu.block_grounds = {"p15.3"};
  State deregistered = blocked_rnu;
  deregistered.deregistered = true;
  deregistered.deregistered_by = "commission";
  deregistered.deregistration_ground = "p15.3";
  const auto nothing = [](Input&) {};
  const std::vector<TriggerCase> cases{
      // p.15 grounds 2-4 and p.16: a block at once on positive evidence; nothing otherwise.
      {"p.15 sub-item 2, p.16",
       "liquidated",
       [](Input& in) {
         set_fact(in, "gbd_ul", "status", R"({"value":"liquidated","since":"2026-11-01"})");
       },
       {},
       "never",
       {"block"}},
      {"p.15 sub-item 2, p.16", "active", nothing, {}, "never", {}},
      {"p.15 sub-item 2, p.16",
       "ГБД ЮЛ down",
       [](Input& in) { down(in, "gbd_ul", "status"); },
       {},
       "never",
       {}},
      {"p.15 sub-item 3, p.16",
       "in the goszakup РНУ",
       [](Input& in) {
         set_fact(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
       },
       {},
       "never",
       {"block"}},
      {"p.15 sub-item 3, p.16", "not listed", nothing, {}, "never", {}},
      {"p.15 sub-item 3, p.16",
       "goszakup down",
       [](Input& in) { down(in, "goszakup", "goszakup_rnu"); },
       {},
       "never",
       {}},
      {"p.15 sub-item 4, p.16",
       "in the quasi-public РНУ",
       [](Input& in) {
         set_fact(in, "samruk", "quasi_public_rnu", R"({"listed":true,"entries":[]})");
       },
       {},
       "never",
       {"block"}},
      {"p.15 sub-item 4, p.16", "in neither list", nothing, {}, "never", {}},
      {"p.15 sub-item 4, p.16",
       "Samruk down",
       [](Input& in) { down(in, "samruk", "quasi_public_rnu"); },
       {},
       "never",
       {}},
      // p.19-20: the commission deregisters; nothing reopens it but its positive decision.
      {"p.20", "left the РНУ while only blocked", nothing, blocked_rnu, "never", {"unblock"}},
      {"p.20", "left the РНУ while deregistered", nothing, deregistered, "never", {}},
      {"p.20",
       "still listed while blocked",
       [](Input& in) {
         set_fact(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
       },
       blocked_rnu,
       "never",
       {}},
      // p.13: a changed legal address is reviewed.
      {"p.13",
       "moved",
       [](Input& in) {
         set_fact(in, "gbd_ul", "legal_address", R"({"kato":"711210000","building":"6"})");
       },
       seen_address,
       "never",
       {"review"}},
      {"p.13",
       "the same address",
       [](Input& in) {
         set_fact(in, "gbd_ul", "legal_address", R"({"kato":"751110000","building":"1"})");
       },
       seen_address,
       "never",
       {}},
      {"p.13",
       "no address (ГБД ЮЛ down)",
       [](Input& in) { down(in, "gbd_ul", "legal_address"); },
       seen_address,
       "never",
       {}},
      // The 2022 rules (order No. 60, p.20): deregistration too, for a portal on that policy.
      {"order No. 60 p.20",
       "in the goszakup РНУ under rules_2022",
       [](Input& in) {
         set_fact(in, "goszakup", "goszakup_rnu", R"({"listed":true,"entries":[]})");
       },
       {},
       "rules_2022",
       {"block", "deregister"}},
      {"order No. 60 p.20", "clean under rules_2022", nothing, {}, "rules_2022", {}},
      {"order No. 60 p.20",
       "goszakup down under rules_2022",
       [](Input& in) { down(in, "goszakup", "goszakup_rnu"); },
       {},
       "rules_2022",
       {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.point) + " · " + c.name);
    auto in = testing::clean_entity();
    c.mutate(in);
    EXPECT_EQ(kinds(decide(rules(), in, {"technical_aids"}, c.previous, c.policy)), c.expected);
  }
}

// p.16 names no deadline; p.13 gives 5 + 1 working days; the 2022 rules one working day.
TEST(CaseTable, TheDeadlinesAreTheLawsAndOnlyThose) {
  const auto calendar = calendar::WorkingCalendar::load_dir(TEKSER_CALENDAR_DIR);
  const auto& t = *rules().triggers;
  const auto arrived = *xsd_time::parse_datetime("2026-11-23T10:00:00+05:00");  // a Monday
  const auto due = [&](const char* kind, const char* policy) {
    std::vector<std::string> out;
    for (const auto& d : triggers::deadlines_due(calendar, deadlines_for(t, kind, policy), arrived))
      out.push_back(d.step + " " + xsd_time::format_datetime(d.due).substr(0, 10));
    return out;
  };
  EXPECT_EQ(due("block", "never"), std::vector<std::string>{});
  EXPECT_EQ(due("unblock", "never"), std::vector<std::string>{});
  EXPECT_EQ(due("warning", "never"), std::vector<std::string>{});
  EXPECT_EQ(due("review", "never"),
            (std::vector<std::string>{"commission_review 2026-11-30",
                                      "inform_territorial_unit 2026-12-01"}));
  EXPECT_EQ(due("deregister", "rules_2022"), std::vector<std::string>{"deregister 2026-11-24"});
  EXPECT_EQ(due("deregister", "final_grounds_only"), std::vector<std::string>{});
}

}  // namespace
}  // namespace tekser::eligibility
