// Eligibility under order No. 285: every automated requirement drives pass, fail and unknown;
// the personal-assistant and invataxi exemptions; "unknown" never becomes "fail".
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/json.hpp>

#include "gateway/eligibility/eligibility.hpp"

namespace tekser::eligibility {
namespace {

namespace json = boost::json;
using facts::Outcome;

const xsd_time::TimePoint kNow = *xsd_time::parse_datetime("2026-11-23T10:00:00+05:00");

bool is_category_name(const json::value& v) {
  if (!v.is_string()) return false;
  for (const auto* c :
       {"technical_aids", "sanatorium", "sign_language", "personal_assistant", "invataxi"})
    if (v.as_string() == c) return true;
  return false;
}

class EligibilityTest : public ::testing::Test {
 protected:
  const RuleSet& rules() { return *rule_set_for(shipped_rule_sets(), "2026-11-23"); }

  Input legal_entity(std::string category) {
    Input in;
    in.supplier_id = "150340012340";
    in.category = std::move(category);
    in.today = "2026-11-23";
    in.now = kNow;
    return in;
  }

  Input individual(std::string category, std::string birth_date = "1984-05-12") {
    auto in = legal_entity(std::move(category));
    in.supplier_id = "840512401230";
    in.individual = true;
    in.birth_date = std::move(birth_date);
    return in;
  }

  static void add(Input& in, std::string system, std::string name, std::string_view json_value) {
    facts::Fact f;
    f.name = name;
    f.value = json::parse(json_value);
    f.provenance.system = system;
    f.provenance.service_id = system + "-service";
    f.provenance.message_id = "m-" + name;
    f.provenance.retrieved_at = kNow - std::chrono::hours(1);
    f.provenance.valid_until = kNow + std::chrono::hours(24 * 6);
    in.facts[{system, name}] = f;
    in.sources[system] = SourceState{Outcome::data, ""};
  }

  // A legal entity every register vouches for.
  Input clean_entity(std::string category) {
    auto in = legal_entity(std::move(category));
    add(in, "gbd_ul", "status", R"({"value":"active","since":null})");
    add(in, "kgd", "tax_debt", R"({"has_tax_debt":false,"has_social_debt":false})");
    add(in, "kgd", "kgd_lists", R"({"bankrupt":false,"liquidation_in_progress":false})");
    add(in, "goszakup", "goszakup_rnu", R"({"listed":false,"entries":[]})");
    add(in, "samruk", "quasi_public_rnu", R"({"listed":false,"entries":[]})");
    add(in, "samruk", "samruk_unreliable", R"({"listed":false,"entries":[]})");
    add(in, "elicense", "licences",
        R"([{"number":"KZ12LIC0001","activity_code":"MEDDEV","status":"valid","expires":null},
            {"number":"KZ12LIC0002","activity_code":"MED","status":"valid","expires":"2030-01-01"}])");
    add(in, "elicense", "notifications",
        R"([{"number":"KZ99UVD0001","kind":"taxi_carrier","status":"valid"}])");
    // What it supplies (the portal's codes): prosthetics and sanatorium treatment need the
    // medical licence (MED) it holds.
    in.services = std::vector<std::string>{"tsr.prosthetic_orthopaedic", "sanatorium.treatment"};
    return in;
  }

  const RequirementVerdict& requirement(const Verdict& v, std::string_view id) {
    for (const auto& r : v.requirements)
      if (r.id == id) return r;
    throw std::runtime_error("no requirement " + std::string(id));
  }
};

TEST_F(EligibilityTest, ShippedRuleSetIsInForceAndNamesTheOrder) {
  ASSERT_NE(rule_set_for(shipped_rule_sets(), "2026-11-23"), nullptr);
  EXPECT_EQ(rules().id, "order-285-as-amended-2025-08-29");
  EXPECT_EQ(rule_set_for(shipped_rule_sets(), "2025-01-01"), nullptr)
      << "order No. 285 as in force before amendment No. 261 is not shipped";
  const auto& r = rules().requirements.at("p3.6");
  EXPECT_NE(r.reference.find("p.3 item 6, order No. 285 as amended 29.08.2025"), std::string::npos);
}

TEST_F(EligibilityTest, ACleanLegalEntityIsEligibleWithEvidenceForEveryRequirement) {
  const auto v = evaluate(rules(), clean_entity("technical_aids"));
  EXPECT_EQ(v.overall, "eligible");
  for (const auto& r : v.requirements) {
    EXPECT_EQ(r.outcome, eligibility::Outcome::pass) << r.id << ": " << r.reason.ru;
    EXPECT_FALSE(r.evidence.empty()) << r.id;
    EXPECT_FALSE(r.reason.ru.empty());
    EXPECT_FALSE(r.reason.kk.empty());
  }
  EXPECT_EQ(requirement(v, "p3.4").evidence.front().provenance.message_id, "m-tax_debt");
}

struct Case {
  std::string requirement;
  std::string system;
  std::string fact;
  std::string failing_value;
};

class EachRequirement : public EligibilityTest, public ::testing::WithParamInterface<Case> {};

TEST_P(EachRequirement, FailsOnPositiveEvidenceAndIsUnknownWhenTheSourceIsDownOrHasNoData) {
  const auto& c = GetParam();
  const auto category = c.requirement == "p3.11" ? "invataxi" : "sanatorium";

  auto failing = clean_entity(category);
  add(failing, c.system, c.fact, c.failing_value);
  const auto failed = evaluate(rules(), failing);
  EXPECT_EQ(requirement(failed, c.requirement).outcome, eligibility::Outcome::fail);
  EXPECT_EQ(failed.overall, "not_eligible");

  auto down = clean_entity(category);
  down.facts.erase({c.system, c.fact});
  down.sources[c.system] = SourceState{Outcome::unavailable, "read timeout after 10000 ms"};
  const auto unknown = evaluate(rules(), down);
  const auto& r = requirement(unknown, c.requirement);
  EXPECT_EQ(r.outcome, eligibility::Outcome::unknown);
  EXPECT_NE(r.reason.ru.find("read timeout"), std::string::npos) << r.reason.ru;
  EXPECT_FALSE(r.documents_required);
  EXPECT_EQ(unknown.overall, "undetermined");

  auto no_data = clean_entity(category);
  no_data.facts.erase({c.system, c.fact});
  no_data.sources[c.system] = SourceState{Outcome::no_data, "not found"};
  const auto no_data_verdict = evaluate(rules(), no_data);
  const auto& nd = requirement(no_data_verdict, c.requirement);
  EXPECT_EQ(nd.outcome, eligibility::Outcome::unknown);
  EXPECT_TRUE(nd.documents_required) << "the supplier brings documents instead";
  // The last paragraph of p.3 says so (of p.6 for a personal assistant's checks), not p.22.
  const bool p6 = c.requirement.rfind("p6.", 0) == 0;
  EXPECT_NE(nd.reason.ru.find(p6 ? "п.6, последний абзац" : "п.3, последний абзац"),
            std::string::npos)
      << nd.reason.ru;
  EXPECT_NE(nd.reason.kk.find(p6 ? "6-тармақтың соңғы абзацы" : "3-тармақтың соңғы абзацы"),
            std::string::npos)
      << nd.reason.kk;
  EXPECT_EQ(nd.reason.ru.find("п.22"), std::string::npos) << nd.reason.ru;
}

INSTANTIATE_TEST_SUITE_P(
    AutomatedItems, EachRequirement,
    ::testing::Values(
        Case{"p3.4", "kgd", "tax_debt", R"({"has_tax_debt":true,"has_social_debt":false})"},
        Case{"p3.4", "kgd", "tax_debt", R"({"has_tax_debt":false,"has_social_debt":true})"},
        Case{"p3.5", "gbd_ul", "status", R"({"value":"bankrupt"})"},
        Case{"p3.5", "gbd_ul", "status", R"({"value":"in_liquidation"})"},
        Case{"p3.5", "kgd", "kgd_lists", R"({"bankrupt":true})"},
        Case{"p3.6", "goszakup", "goszakup_rnu", R"({"listed":true})"},
        Case{"p3.7", "samruk", "quasi_public_rnu", R"({"listed":true})"},
        Case{"p3.7", "samruk", "samruk_unreliable", R"({"listed":true})"},
        Case{"p3.9", "elicense", "licences",
             R"([{"number":"L1","activity_code":"MED","status":"revoked","expires":null}])"},
        Case{"p3.9", "elicense", "licences",
             R"([{"number":"L1","activity_code":"MED","status":"valid","expires":"2026-11-22"}])"},
        Case{"p3.9", "elicense", "licences", "[]"},
        Case{"p3.11", "elicense", "notifications",
             R"([{"number":"N1","kind":"taxi_carrier","status":"terminated"}])"},
        Case{"p15.2", "gbd_ul", "status", R"({"value":"liquidated","since":"2024-11-29"})"}),
    [](const auto& info) {
      auto id = info.param.requirement;
      for (auto& ch : id)
        if (ch == '.') ch = '_';
      return id + "_" + info.param.fact + "_" + std::to_string(info.index);
    });

TEST_F(EligibilityTest, TaxSourceDownIsUnknownForItem4NeverFail) {
  auto in = clean_entity("technical_aids");
  in.facts.erase({"kgd", "tax_debt"});
  in.facts.erase({"kgd", "kgd_lists"});
  in.sources["kgd"] = SourceState{Outcome::unavailable, "HTTP 503 Service Unavailable"};
  const auto v = evaluate(rules(), in);
  EXPECT_EQ(requirement(v, "p3.4").outcome, eligibility::Outcome::unknown);
  EXPECT_EQ(requirement(v, "p3.5").outcome, eligibility::Outcome::unknown);
  EXPECT_NE(v.overall, "not_eligible");
}

TEST_F(EligibilityTest, AFlagTheRegisterLeftOutIsUnknownNeverPass) {
  auto in = clean_entity("technical_aids");
  add(in, "kgd", "tax_debt", R"({"has_tax_debt":null,"has_social_debt":false})");
  add(in, "kgd", "kgd_lists", R"({"bankrupt":false})");
  add(in, "goszakup", "goszakup_rnu", R"({"entries":[]})");
  const auto v = evaluate(rules(), in);
  EXPECT_EQ(requirement(v, "p3.4").outcome, eligibility::Outcome::unknown);
  EXPECT_EQ(requirement(v, "p3.5").outcome, eligibility::Outcome::unknown);
  EXPECT_EQ(requirement(v, "p3.6").outcome, eligibility::Outcome::unknown);
  EXPECT_NE(requirement(v, "p3.4").reason.ru.find("has_tax_debt"), std::string::npos);
  // A set flag is still positive evidence even when another is missing.
  add(in, "kgd", "tax_debt", R"({"has_tax_debt":true,"has_social_debt":null})");
  EXPECT_EQ(requirement(evaluate(rules(), in), "p3.4").outcome, eligibility::Outcome::fail);
}

TEST_F(EligibilityTest, FactsPastTheirValidityProveNothing) {
  auto in = clean_entity("technical_aids");
  in.now = kNow + std::chrono::hours(24 * 30);
  const auto v = evaluate(rules(), in);
  EXPECT_EQ(requirement(v, "p3.6").outcome, eligibility::Outcome::unknown);
  EXPECT_EQ(v.overall, "undetermined");
}

TEST_F(EligibilityTest, InvataxiIsExemptFromTheLicenceButNeedsTheTaxiNotification) {
  auto in = clean_entity("invataxi");
  in.facts.erase({"elicense", "licences"});
  const auto v = evaluate(rules(), in);
  const auto& licence = requirement(v, "p3.9");
  EXPECT_EQ(licence.outcome, eligibility::Outcome::not_applicable);
  EXPECT_NE(licence.reason.ru.find("инватакси"), std::string::npos);
  EXPECT_EQ(requirement(v, "p3.11").outcome, eligibility::Outcome::pass);
  EXPECT_EQ(v.overall, "eligible");
}

// p.3 item 9: a licence only «for an activity that needs one» — what the supplier supplies
// decides, not its category.
TEST_F(EligibilityTest, AWheelchairAndHygieneSellerNeedsNoLicence) {
  auto in = clean_entity("technical_aids");
  in.facts.erase({"elicense", "licences"});
  in.sources.erase("elicense");
  in.services = std::vector<std::string>{"tsr.wheelchair", "tsr.hygiene"};
  const auto v = evaluate(rules(), in);
  const auto& licence = requirement(v, "p3.9");
  EXPECT_EQ(licence.outcome, eligibility::Outcome::not_applicable) << licence.reason.ru;
  EXPECT_TRUE(licence.evidence.empty()) << "e-licensing need not even answer";
}

TEST_F(EligibilityTest, EachServiceNeedingALicenceNeedsOneOfItsOwn) {
  auto in = clean_entity("technical_aids");  // holds MED and MEDDEV, not PHARM
  in.services = std::vector<std::string>{"tsr.wheelchair", "tsr.prosthetic_orthopaedic"};
  EXPECT_EQ(requirement(evaluate(rules(), in), "p3.9").outcome, eligibility::Outcome::pass);
  in.services->push_back("tsr.medicines");
  const auto failed_verdict = evaluate(rules(), in);
  const auto& failed = requirement(failed_verdict, "p3.9");
  EXPECT_EQ(failed.outcome, eligibility::Outcome::fail);
  EXPECT_NE(failed.reason.ru.find("tsr.medicines"), std::string::npos) << failed.reason.ru;
  EXPECT_FALSE(failed.evidence.empty()) << "the licences fact it rests on";
}

TEST_F(EligibilityTest, AnUnknownServiceCodeOrNoServicesIsUnknownNeverFail) {
  auto in = clean_entity("technical_aids");
  in.facts.erase({"elicense", "licences"});  // no licence at all: still no fail
  in.services = std::vector<std::string>{"tsr.wheelchair", "tsr.exoskeleton"};
  const auto v = evaluate(rules(), in);
  const auto& unknown = requirement(v, "p3.9");
  EXPECT_EQ(unknown.outcome, eligibility::Outcome::unknown);
  EXPECT_NE(unknown.reason.ru.find("tsr.exoskeleton"), std::string::npos) << unknown.reason.ru;
  EXPECT_EQ(v.overall, "undetermined");

  in.services.reset();
  const auto unsaid_verdict = evaluate(rules(), in);
  const auto& unsaid = requirement(unsaid_verdict, "p3.9");
  EXPECT_EQ(unsaid.outcome, eligibility::Outcome::unknown);
  EXPECT_NE(unsaid.reason.ru.find("services"), std::string::npos) << unsaid.reason.ru;
  in.services = std::vector<std::string>{};
  EXPECT_EQ(requirement(evaluate(rules(), in), "p3.9").outcome, eligibility::Outcome::unknown);
}

TEST_F(EligibilityTest, EveryServiceCodeOfTheRuleSetNamesItsCategoryAndSource) {
  const auto& params = rules().requirements.at("p3.9").params;
  const auto& table = params.at("licences_by_service").as_object();
  EXPECT_GE(table.size(), 5u);
  for (const auto& [code, row] : table) {
    const auto& r = row.as_object();
    EXPECT_TRUE(r.contains("category") && is_category_name(r.at("category"))) << code;
    EXPECT_TRUE(r.contains("activities") && r.at("activities").is_array()) << code;
    EXPECT_TRUE(r.contains("source") && !r.at("source").as_string().empty()) << code;
  }
}

// A table of rules in the README's section `heading` (up to the next "## "): id -> check and
// the point it cites ("| `p3.9` | p.3 item 9 — … | `licence_held` | … |").
std::map<std::string, std::pair<std::string, std::string>> readme_rule_table(
    std::string_view heading) {
  std::ifstream in(TEKSER_README);
  EXPECT_TRUE(in) << TEKSER_README;
  std::map<std::string, std::pair<std::string, std::string>> table;  // id -> check, reference
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) inside = line.rfind(heading, 0) == 0;
    // a rule's id is p and a digit ("| `pa_checks` |" is a row of the systems' table)
    if (!inside || line.rfind("| `p", 0) != 0 || line.size() < 5 ||
        !std::isdigit(static_cast<unsigned char>(line[4])))
      continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    if (cells.size() < 3) continue;
    const auto unquote = [](std::string cell) {
      const auto a = cell.find('`'), b = cell.rfind('`');
      return a == std::string::npos || b == a ? std::string() : cell.substr(a + 1, b - a - 1);
    };
    const auto reference = cells[1].substr(1, cells[1].find(" — ") - 1);
    table[unquote(cells[0])] = {unquote(cells[2]), reference};
  }
  return table;
}

void expect_table_matches(const std::map<std::string, std::pair<std::string, std::string>>& table,
                          const RuleSet& rules) {
  ASSERT_EQ(table.size(), rules.requirements.size()) << rules.id;
  for (const auto& [id, requirement] : rules.requirements) {
    ASSERT_TRUE(table.contains(id)) << id << " is not in the README's table of " << rules.id;
    EXPECT_EQ(table.at(id).first, requirement.check) << id;
    EXPECT_EQ(requirement.reference.rfind(table.at(id).second, 0), 0u)
        << id << ": the README cites '" << table.at(id).second << "', the rule set '"
        << requirement.reference << "'";
  }
}

// The README's table of the rules lists exactly the requirements of the rule set in force today,
// each with its check and the point it cites ("p.3 item 9" in the file's reference, "p.3 item 9"
// in the table).
TEST_F(EligibilityTest, ReadmeRuleTableMatchesTheRuleSet) {
  const auto today = xsd_time::format_datetime(xsd_time::now_ms()).substr(0, 10);
  const auto* in_force = rule_set_for(shipped_rule_sets(), today);
  ASSERT_NE(in_force, nullptr) << "no rule set in force on " << today;
  expect_table_matches(readme_rule_table("## The rules"), *in_force);
}

// And its table of the 2022 rules, the requirements of order No. 60.
TEST_F(EligibilityTest, ReadmeTableOfThe2022RulesMatchesTheirRuleSet) {
  const RuleSet* rules_2022 = nullptr;
  for (const auto& set : shipped_rule_sets())
    if (set.id == "order-60-2022-02-16") rules_2022 = &set;
  ASSERT_NE(rules_2022, nullptr);
  expect_table_matches(readme_rule_table("## Rule sets by date"), *rules_2022);
}

TEST_F(EligibilityTest, SignLanguageNeedsNoLicence) {
  auto in = clean_entity("sign_language");
  in.facts.erase({"elicense", "licences"});
  EXPECT_EQ(requirement(evaluate(rules(), in), "p3.9").outcome,
            eligibility::Outcome::not_applicable);
}

TEST_F(EligibilityTest, PersonalAssistantIsExemptFromPoint3AndCheckedUnderPoint6) {
  auto in = individual("personal_assistant", "1991-11-03");
  add(in, "gbd_fl", "status", R"({"value":"alive"})");
  add(in, "pa_checks", "psychiatric_registration", R"({"registered":false})");
  add(in, "pa_checks", "criminal_record", R"({"has_unexpunged_record":false,"articles":[]})");
  add(in, "pa_checks", "incapacity", R"({"declared_incapable":false,"limited_capacity":false})");
  // Even a tax debt does not matter: p.3 does not apply to personal assistants.
  add(in, "kgd", "tax_debt", R"({"has_tax_debt":true,"has_social_debt":true})");
  const auto v = evaluate(rules(), in);
  EXPECT_EQ(v.overall, "eligible");
  for (const auto* id : {"p3.4", "p3.5", "p3.6", "p3.7", "p3.9", "p3.11"})
    EXPECT_EQ(requirement(v, id).outcome, eligibility::Outcome::not_applicable) << id;
  for (const auto* id : {"p6.age", "p6.psychiatric", "p6.criminal", "p6.incapacity"})
    EXPECT_EQ(requirement(v, id).outcome, eligibility::Outcome::pass) << id;

  add(in, "pa_checks", "criminal_record", R"({"has_unexpunged_record":true,"articles":["188"]})");
  EXPECT_EQ(requirement(evaluate(rules(), in), "p6.criminal").outcome, eligibility::Outcome::fail);
}

// p.6 sub-item 3): incapacity *and limited capacity*; fail, pass and unknown of each check.
TEST_F(EligibilityTest, EveryPersonalAssistantCheckPassesFailsAndIsUnknown) {
  struct Row {
    const char* requirement;
    const char* fact;
    const char* clear;
    const char* set;
    const char* silent;  // the register answered without the flag
  };
  for (const auto& row : {
           Row{"p6.psychiatric", "psychiatric_registration", R"({"registered":false})",
               R"({"registered":true,"since":"2016-05-12"})", R"({"registered":null})"},
           Row{"p6.criminal", "criminal_record", R"({"has_unexpunged_record":false})",
               R"({"has_unexpunged_record":true,"articles":["188"]})",
               R"({"has_unexpunged_record":null})"},
           Row{"p6.incapacity", "incapacity",
               R"({"declared_incapable":false,"limited_capacity":false})",
               R"({"declared_incapable":true,"limited_capacity":false})",
               R"({"declared_incapable":false,"limited_capacity":null})"},
           Row{"p6.incapacity", "incapacity",
               R"({"declared_incapable":false,"limited_capacity":false})",
               R"({"declared_incapable":false,"limited_capacity":true})",
               R"({"declared_incapable":null,"limited_capacity":false})"},
       }) {
    auto in = individual("personal_assistant", "1991-11-03");
    add(in, "pa_checks", row.fact, row.clear);
    EXPECT_EQ(requirement(evaluate(rules(), in), row.requirement).outcome,
              eligibility::Outcome::pass)
        << row.requirement << " " << row.clear;
    add(in, "pa_checks", row.fact, row.set);
    EXPECT_EQ(requirement(evaluate(rules(), in), row.requirement).outcome,
              eligibility::Outcome::fail)
        << row.requirement << " " << row.set;
    add(in, "pa_checks", row.fact, row.silent);
    EXPECT_EQ(requirement(evaluate(rules(), in), row.requirement).outcome,
              eligibility::Outcome::unknown)
        << row.requirement << " " << row.silent;
    in.facts.erase({"pa_checks", row.fact});
    in.sources["pa_checks"] = SourceState{Outcome::unavailable, "HTTP 503"};
    EXPECT_EQ(requirement(evaluate(rules(), in), row.requirement).outcome,
              eligibility::Outcome::unknown)
        << row.requirement << " down";
    EXPECT_NE(rules().requirements.at(row.requirement).reference.find("p.6 sub-item 3)"),
              std::string::npos)
        << "the citation names sub-item 3) of p.6";
  }
  EXPECT_NE(rules().requirements.at("p6.incapacity").title.ru.find("ограниченно дееспособными"),
            std::string::npos);
}

TEST_F(EligibilityTest, PersonalAssistantMustBeEighteenOnTheDay) {
  auto young = individual("personal_assistant", "2008-11-24");
  EXPECT_EQ(requirement(evaluate(rules(), young), "p6.age").outcome, eligibility::Outcome::fail);
  auto birthday = individual("personal_assistant", "2008-11-23");
  EXPECT_EQ(requirement(evaluate(rules(), birthday), "p6.age").outcome, eligibility::Outcome::pass);
}

TEST_F(EligibilityTest, ADeceasedEntrepreneurFailsTheExistenceRequirement) {
  auto in = individual("invataxi");
  add(in, "gbd_fl", "status", R"({"value":"deceased","death_date":"2025-06-14"})");
  const auto verdict = evaluate(rules(), in);
  const auto& r = requirement(verdict, "p15.2");
  EXPECT_EQ(r.outcome, eligibility::Outcome::fail);
  EXPECT_NE(r.reason.ru.find("2025-06-14"), std::string::npos);
}

// p.15 sub-item 2 for an individual entrepreneur is death *or stopping trading*: KGD's
// registration as an entrepreneur, read only for an entrepreneur (not a personal assistant).
TEST_F(EligibilityTest, AnEntrepreneurWhoStoppedTradingFailsP15Sub2AndOnlyOnKgdsWord) {
  auto in = individual("sign_language");
  in.entrepreneur = true;
  add(in, "gbd_fl", "status", R"({"value":"alive"})");
  const auto p15_2 = [&](const Input& input) {
    return requirement(evaluate(rules(), input), "p15.2");
  };

  // KGD not asked or silent: unknown, never a pass on ГБД ФЛ alone.
  EXPECT_EQ(p15_2(in).outcome, eligibility::Outcome::unknown);
  add(in, "kgd", "entrepreneur_registration",
      R"({"status":"registered","code":"1","registered_on":"2012-03-15","deregistered_on":null})");
  EXPECT_EQ(p15_2(in).outcome, eligibility::Outcome::pass);
  // Suspended is not terminated.
  add(in, "kgd", "entrepreneur_registration",
      R"({"status":"suspended","code":"3","suspended_from":"2026-10-01"})");
  EXPECT_EQ(p15_2(in).outcome, eligibility::Outcome::pass);
  // Deregistered: a fail resting on KGD's reply alone.
  add(in, "kgd", "entrepreneur_registration",
      R"({"status":"deregistered","code":"2","deregistered_on":"2026-11-02"})");
  auto r = p15_2(in);
  EXPECT_EQ(r.outcome, eligibility::Outcome::fail);
  EXPECT_NE(r.reason.ru.find("2026-11-02"), std::string::npos) << r.reason.ru;
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_EQ(r.evidence[0].provenance.system, "kgd");
  // A deregistration dated after today is no evidence of it today.
  add(in, "kgd", "entrepreneur_registration",
      R"({"status":"deregistered","code":"2","deregistered_on":"2026-12-31"})");
  r = p15_2(in);
  EXPECT_EQ(r.outcome, eligibility::Outcome::unknown);
  EXPECT_NE(r.reason.ru.find("2026-12-31"), std::string::npos) << r.reason.ru;
  // A code the table does not know: unknown.
  add(in, "kgd", "entrepreneur_registration", R"({"status":null,"code":"9"})");
  r = p15_2(in);
  EXPECT_EQ(r.outcome, eligibility::Outcome::unknown);
  EXPECT_NE(r.reason.ru.find("code 9"), std::string::npos) << r.reason.ru;
  // Dead is dead, whatever KGD says.
  add(in, "gbd_fl", "status", R"({"value":"deceased","death_date":"2025-06-14"})");
  EXPECT_EQ(p15_2(in).outcome, eligibility::Outcome::fail);

  // Not an entrepreneur (a personal assistant only): KGD's registration is not read.
  auto assistant = individual("personal_assistant", "1991-11-03");
  add(assistant, "gbd_fl", "status", R"({"value":"alive"})");
  add(assistant, "kgd", "entrepreneur_registration",
      R"({"status":"deregistered","code":"2","deregistered_on":"2020-01-01"})");
  EXPECT_EQ(p15_2(assistant).outcome, eligibility::Outcome::pass);
}

// A status that is no evidence (a date after the reply's, a reply that contradicts itself, a code
// the table does not know) leaves both the existence and the liquidation requirements unknown,
// with the mapping's reason — never a pass, never a fail.
TEST_F(EligibilityTest, AnUnknownStatusIsNeitherAPassNorAFail) {
  auto entity = clean_entity("technical_aids");
  add(entity, "gbd_ul", "status",
      R"({"value":"unknown","since":null,"liquidation_date":"2099-01-01",
          "unknown_reason":"LiquidationDate 2099-01-01 is after the reply's date 2026-11-23"})");
  const auto v = evaluate(rules(), entity);
  for (const auto* id : {"p15.2", "p3.5"}) {
    const auto& r = requirement(v, id);
    EXPECT_EQ(r.outcome, eligibility::Outcome::unknown) << id;
    EXPECT_NE(r.reason.ru.find("2099-01-01"), std::string::npos) << id << ": " << r.reason.ru;
  }
  auto person = individual("invataxi");
  add(person, "gbd_fl", "status",
      R"({"value":"unknown","death_date":"2025-06-14","conflict":true,
          "unknown_reason":"deathDate 2025-06-14 beside lifeStatus 1 (alive): the reply contradicts itself"})");
  const auto person_verdict = evaluate(rules(), person);
  const auto& r = requirement(person_verdict, "p15.2");
  EXPECT_EQ(r.outcome, eligibility::Outcome::unknown);
  EXPECT_NE(r.reason.ru.find("contradicts"), std::string::npos) << r.reason.ru;
  // A status with no value at all is no pass either.
  auto empty = clean_entity("technical_aids");
  add(empty, "gbd_ul", "status", R"({"since":null})");
  EXPECT_EQ(requirement(evaluate(rules(), empty), "p15.2").outcome, eligibility::Outcome::unknown);
}

TEST_F(EligibilityTest, UnknownCategoryIsRefused) {
  EXPECT_THROW(evaluate(rules(), legal_entity("spaceships")), RuleSetError);
}

TEST(RuleSets, TheNextAmendmentIsANewSetBesideTheOld) {
  const auto base = R"({"id":"ID","effective_from":"DATE","legal_basis":"order",
    "requirements":{"p3.6":{"reference":"r","title_ru":"т","title_kk":"т","check":"not_in_goszakup_rnu"}},
    "categories":{"invataxi":{"requirements":["p3.6"]}}})";
  auto make = [&](std::string id, std::string date) {
    std::string text = base;
    text.replace(text.find("ID"), 2, id);
    text.replace(text.find("DATE"), 4, date);
    return parse_rule_set(text, id + ".json");
  };
  const std::vector<RuleSet> sets{make("old", "2023-07-01"), make("new", "2025-08-29")};
  EXPECT_EQ(rule_set_for(sets, "2024-01-01")->id, "old");
  EXPECT_EQ(rule_set_for(sets, "2025-08-29")->id, "new");
  EXPECT_EQ(rule_set_for(sets, "2023-06-30"), nullptr);
}

TEST(RuleSets, ErrorsNameTheFileAndTheField) {
  auto error_of = [](std::string_view text) {
    try {
      parse_rule_set(text, "bad.json");
    } catch (const RuleSetError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(error_of(R"({"id":"x","effective_from":"2025-13-01","legal_basis":"b"})")
                .find("bad.json: effective_from: must be a date"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"id":"x","effective_from":"2025-01-01","legal_basis":"b","requirements":
      {"p1":{"reference":"r","title_ru":"a","title_kk":"b","check":"astrology"}},"categories":{}})")
                .find("requirements.p1.check: unknown check 'astrology'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"id":"x","effective_from":"2025-01-01","legal_basis":"b","requirements":{},
      "categories":{"invataxi":{"requirements":["p9"]}}})")
                .find("categories.invataxi.requirements[0]: no requirement 'p9'"),
            std::string::npos);
}

}  // namespace
}  // namespace tekser::eligibility
