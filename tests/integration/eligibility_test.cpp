// Eligibility end to end: the real gateway asks every mock state system, stores the facts, and
// GET /v1/suppliers/{id}/eligibility judges p.3 items 4-7, 9, 11 (and p.6 for personal
// assistants) from them. Each automated requirement is driven to pass, fail and unknown; a source
// that fails yields unknown, never fail.
#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kClean = "150340012340";  // every register vouches for it
constexpr const char* kConsent = R"(,"consent":{"kdp_token":"kdp-1","public_key":"MIIB"})";

class EligibilityTest : public GatewayTest {
 protected:
  // Registers the supplier, verifies it with every system, returns the eligibility verdict.
  // `services`: what it supplies (p.3 item 9 asks a licence only where one of them needs it);
  // by default prosthetics, which need the medical licence (MED).
  json::value judge(const std::string& id, const std::string& category,
                    const std::string& consent = "",
                    const std::string& services = R"(["tsr.prosthetic_orthopaedic"])") {
    const auto put_reply = put(id, R"({"categories":[")" + category + "\"]" + consent +
                                       R"(,"services":)" + services + "}");
    EXPECT_LT(put_reply.status, 300u) << json::serialize(put_reply.body);
    const auto verified = verify(id);
    EXPECT_EQ(verified.status, 200u) << json::serialize(verified.body);
    auto reply =
        call(port_, http::verb::get, "/v1/suppliers/" + id + "/eligibility?category=" + category);
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    return reply.body.at("verdicts").as_array().at(0);
  }

  static json::value requirement(const json::value& verdict, std::string_view id) {
    for (const auto& r : verdict.at("requirements").as_array())
      if (is_text(r.at("id"), id)) return r;
    ADD_FAILURE() << "no requirement " << id << " in " << json::serialize(verdict);
    return json::object{{"outcome", "missing"}};
  }

  static std::string outcome(const json::value& verdict, std::string_view id) {
    return std::string(requirement(verdict, id).at("outcome").as_string());
  }

  void fault(const std::string& service_id) {
    ASSERT_EQ(mocks_admin(http::verb::post, "/admin/faults",
                          R"({"service_id":")" + service_id + R"(","mode":"http_503"})")
                      .status /
                  100,
              2u);
  }
};

TEST_F(EligibilityTest, ASupplierEveryRegisterVouchesForIsEligibleWithEvidence) {
  const auto verdict = judge(kClean, "technical_aids");
  EXPECT_EQ(verdict.at("overall"), "eligible") << json::serialize(verdict);
  for (const auto* id : {"p15.2", "p3.4", "p3.5", "p3.6", "p3.7", "p3.9"}) {
    const auto r = requirement(verdict, id);
    EXPECT_EQ(r.at("outcome"), "pass") << id << ": " << json::serialize(r);
    ASSERT_FALSE(r.at("evidence").as_array().empty()) << id;
    EXPECT_EQ(r.at("evidence").as_array()[0].at("provenance").at("reply_sha256").as_string().size(),
              64u);
    EXPECT_FALSE(r.at("reason").at("ru").as_string().empty());
    EXPECT_FALSE(r.at("reason").at("kk").as_string().empty());
  }
  EXPECT_NE(std::string(requirement(verdict, "p3.6").at("reference").as_string())
                .find("p.3 item 6, order No. 285 as amended 29.08.2025"),
            std::string::npos);
}

struct FailCase {
  std::string id;
  std::string category;
  std::string requirement;
  std::string story;
  std::string services = R"(["tsr.prosthetic_orthopaedic"])";
};

class EachRequirementFails : public EligibilityTest,
                             public ::testing::WithParamInterface<FailCase> {};

TEST_P(EachRequirementFails, OnPositiveEvidenceFromItsRegister) {
  const auto& c = GetParam();
  const auto verdict = judge(c.id, c.category, "", c.services);
  EXPECT_EQ(outcome(verdict, c.requirement), "fail") << c.story << ": " << json::serialize(verdict);
  EXPECT_EQ(verdict.at("overall"), "not_eligible");
}

INSTANTIATE_TEST_SUITE_P(
    AutomatedItems, EachRequirementFails,
    ::testing::Values(FailCase{"170540022190", "technical_aids", "p3.4", "tax_debt"},
                      FailCase{"191040033683", "technical_aids", "p3.4", "social_debt"},
                      FailCase{"161140118765", "technical_aids", "p3.5", "bankrupt"},
                      FailCase{"120740023454", "technical_aids", "p3.5", "in_liquidation"},
                      FailCase{"170440012348", "technical_aids", "p3.6", "goszakup_rnu"},
                      FailCase{"850325400129", "technical_aids", "p3.6", "goszakup_rnu_ie"},
                      FailCase{"140840078914", "technical_aids", "p3.7", "samruk_list"},
                      FailCase{"200540013576", "technical_aids", "p3.7", "quasi_public_rnu"},
                      FailCase{"190240005877", "technical_aids", "p3.9", "licence_expired"},
                      FailCase{"161140118765", "technical_aids", "p3.9", "licence_revoked",
                               R"(["tsr.medical_devices"])"},
                      FailCase{"080940003154", "invataxi", "p3.11", "taxi_terminated"},
                      FailCase{"080940003154", "invataxi", "p15.2", "liquidated"}),
    [](const auto& info) { return info.param.story; });

TEST_F(EligibilityTest, ATaxSourceThatIsDownGivesUnknownForItem4EvenForADebtor) {
  fault("KGD_TaxpayerStatus");
  const auto verdict = judge("170540022190", "technical_aids", "",
                             R"(["tsr.medicines"])");  // really has a tax debt
  const auto item4 = requirement(verdict, "p3.4");
  EXPECT_EQ(item4.at("outcome"), "unknown") << json::serialize(item4);
  EXPECT_NE(std::string(item4.at("reason").at("ru").as_string()).find("HTTP 503"),
            std::string::npos);
  // Its suspended pharmaceutical licence still fails p3.9 on KGD-independent evidence.
  EXPECT_EQ(outcome(verdict, "p3.9"), "fail");
}

TEST_F(EligibilityTest, EachRequirementIsUnknownWhenItsSourceFails) {
  fault("KGD_TaxpayerStatus");
  fault("ELICENSE_LicensesByBiin");
  const auto verdict = judge(kClean, "technical_aids");
  EXPECT_EQ(outcome(verdict, "p3.4"), "unknown");
  EXPECT_EQ(outcome(verdict, "p3.5"), "unknown");  // ГБД ЮЛ says active, KGD's lists unknown
  EXPECT_EQ(outcome(verdict, "p3.9"), "unknown");
  EXPECT_EQ(outcome(verdict, "p3.6"), "pass");
  EXPECT_EQ(verdict.at("overall"), "undetermined");

  const auto taxi = judge("220340015529", "invataxi");
  EXPECT_EQ(outcome(taxi, "p3.11"), "unknown");
}

TEST_F(EligibilityTest, TheProcurementRegistersDownGiveUnknownForItems6And7) {
  ASSERT_EQ(gateway_->stop(SIGTERM, 10s), 0);
  start_gateway(
      "goszakup: {url: 'http://127.0.0.1:9/', token: test}\n"
      "samruk: {url: 'http://127.0.0.1:9/', token: test}\n");
  const auto verdict = judge("170440012348", "technical_aids");  // really in the РНУ
  EXPECT_EQ(outcome(verdict, "p3.6"), "unknown") << json::serialize(verdict);
  EXPECT_EQ(outcome(verdict, "p3.7"), "unknown");
}

TEST_F(EligibilityTest, InvataxiIsExemptFromTheLicenceAndNeedsTheTaxiNotification) {
  const auto verdict = judge("220340015529", "invataxi");
  const auto licence = requirement(verdict, "p3.9");
  EXPECT_EQ(licence.at("outcome"), "not_applicable");
  EXPECT_NE(std::string(licence.at("reason").at("ru").as_string()).find("инватакси"),
            std::string::npos);
  EXPECT_EQ(outcome(verdict, "p3.11"), "pass");
  EXPECT_EQ(outcome(verdict, "p3.4"), "pass");
}

TEST_F(EligibilityTest, PersonalAssistantIsExemptFromPoint3AndCheckedUnderPoint6) {
  const auto verdict = judge("911103304560", "personal_assistant", kConsent);
  EXPECT_EQ(verdict.at("overall"), "eligible") << json::serialize(verdict);
  for (const auto* id : {"p3.4", "p3.5", "p3.6", "p3.7", "p3.9", "p3.11"})
    EXPECT_EQ(outcome(verdict, id), "not_applicable") << id;
  for (const auto* id : {"p15.2", "p6.age", "p6.psychiatric", "p6.criminal", "p6.incapacity"})
    EXPECT_EQ(outcome(verdict, id), "pass") << id;

  const auto record = judge("690517300101", "personal_assistant", kConsent);
  EXPECT_EQ(outcome(record, "p6.criminal"), "fail");
  EXPECT_EQ(record.at("overall"), "not_eligible");
  const auto psychiatric = judge("951108300601", "personal_assistant", kConsent);
  EXPECT_EQ(outcome(psychiatric, "p6.psychiatric"), "fail");
  const auto incapable = judge("821220400204", "personal_assistant", kConsent);
  EXPECT_EQ(outcome(incapable, "p6.incapacity"), "fail");
  const auto limited = judge("870914301007", "personal_assistant", kConsent);
  EXPECT_EQ(outcome(limited, "p6.incapacity"), "fail") << "limited capacity is a ground too";
  const auto down = judge("990412300708", "personal_assistant", kConsent);
  EXPECT_NE(down.at("overall"), "not_eligible") << "a register that fails proves nothing";
}

// p.3 item 9, end to end: a supplier that sells only goods no licence is asked for passes without
// one — the licence it lacks is not needed; what the portal has not said is unknown, never fail.
TEST_F(EligibilityTest, ALicenceIsAskedOnlyForWhatTheSupplierSupplies) {
  const auto revoked = judge("161140118765", "technical_aids", "",
                             R"(["tsr.wheelchair","tsr.hygiene"])");  // its licence is revoked
  EXPECT_EQ(outcome(revoked, "p3.9"), "not_applicable") << json::serialize(revoked);
  const auto unsaid = judge(kClean, "technical_aids", "", "null");
  EXPECT_EQ(outcome(unsaid, "p3.9"), "unknown");
  EXPECT_NE(
      std::string(requirement(unsaid, "p3.9").at("reason").at("ru").as_string()).find("services"),
      std::string::npos);
  const auto supplier = call(port_, http::verb::get, std::string("/v1/suppliers/") + kClean);
  EXPECT_TRUE(supplier.body.at("supplier").at("services").is_null());
  const auto unknown_code = judge(kClean, "technical_aids", "", R"(["tsr.jetpack"])");
  EXPECT_EQ(outcome(unknown_code, "p3.9"), "unknown");
  EXPECT_EQ(unknown_code.at("overall"), "undetermined");
  // A bad code is refused at the door, naming it.
  const auto bad =
      put(kClean, R"({"categories":["technical_aids"],"services":["ok","no spaces"]})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.body.at("error").at("field"), "services[1]") << json::serialize(bad.body);
}

TEST_F(EligibilityTest, NoDataInARegisterAsksForDocumentsInsteadOfFailing) {
  const auto verdict = judge("210440099998", "technical_aids");  // in no register
  const auto item4 = requirement(verdict, "p3.4");
  EXPECT_EQ(item4.at("outcome"), "unknown");
  EXPECT_EQ(item4.at("documents_required"), true);
  EXPECT_EQ(verdict.at("overall"), "undetermined");
}

TEST_F(EligibilityTest, RefusesAnUnknownCategoryNamingIt) {
  ASSERT_EQ(put(kClean, R"({"categories":["technical_aids"]})").status, 201u);
  const auto reply = call(port_, http::verb::get,
                          std::string("/v1/suppliers/") + kClean + "/eligibility?category=x");
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.body.at("error").at("field"), "category");
}

TEST_F(EligibilityTest, VerifyAsksOnlyTheSystemsNamedAndReusesFreshData) {
  ASSERT_EQ(put(kClean, R"({"categories":["technical_aids"]})").status, 201u);
  const auto only = call(port_, http::verb::post,
                         std::string("/v1/suppliers/") + kClean + "/verify?systems=kgd,goszakup");
  ASSERT_EQ(only.status, 200u) << json::serialize(only.body);
  const auto& asked = only.body.at("verification").at("asked").as_array();
  ASSERT_EQ(asked.size(), 2u);
  // The mocks journal SOAP and REST requests alike (the refresh's register mirror too, which
  // names no subject): one call about this supplier to each system named, no other.
  const std::string about = std::string("/admin/journal/count?subject=") + kClean;
  EXPECT_EQ(mocks_admin(http::verb::get, about + "&system=kgd").body.at("count"), 1);
  EXPECT_EQ(mocks_admin(http::verb::get, about + "&system=goszakup").body.at("count"), 1);
  EXPECT_EQ(mocks_admin(http::verb::get, about).body.at("count"), 2);

  const auto reuse = call(port_, http::verb::post,
                          std::string("/v1/suppliers/") + kClean + "/verify?max_age_seconds=3600");
  ASSERT_EQ(reuse.status, 200u);
  const auto& skipped = reuse.body.at("verification").at("skipped").as_array();
  EXPECT_EQ(skipped.size(), 2u) << json::serialize(reuse.body);  // kgd and goszakup are fresh

  const auto bad = call(port_, http::verb::post,
                        std::string("/v1/suppliers/") + kClean + "/verify?systems=astrology");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.body.at("error").at("field"), "systems");
}

// Rule sets by date: ?as_of=DATE judges by the rule set in force that day, with the facts known
// at its end (Asia/Almaty).
class EligibilityAsOfTest : public EligibilityTest {
 protected:
  JsonReply eligibility(const std::string& id, const std::string& query) {
    return call(port_, http::verb::get, "/v1/suppliers/" + id + "/eligibility" + query);
  }

  // Moves what the gateway recorded about `id` so far `by` into the past, as if it had been
  // verified then: the history, the confirmations and the sources' answers.
  void backdate(const std::string& id, std::chrono::hours by) {
    auto c = db();
    pqxx::work txn(*c);
    const auto shift = std::to_string(by.count()) + " hours";
    txn.exec_params(
        "UPDATE fact_history SET changed_at = changed_at - $2::interval,"
        " retrieved_at = retrieved_at - $2::interval, valid_until = valid_until - $2::interval"
        " WHERE supplier_id = $1",
        id, shift);
    txn.exec_params(
        "UPDATE reply_confirmations SET confirmed_at = confirmed_at - $2::interval,"
        " retrieved_at = retrieved_at - $2::interval, valid_until = valid_until - $2::interval"
        " WHERE supplier_id = $1",
        id, shift);
    txn.exec_params(
        "UPDATE source_answers SET checked_at = checked_at - $2::interval WHERE supplier_id = $1",
        id, shift);
    txn.commit();
  }

  static std::string almaty_date(xsd_time::TimePoint t) {
    return xsd_time::format_datetime(t).substr(0, 10);
  }
  static std::string text_of(const json::value& v) { return std::string(v.as_string()); }
};

TEST_F(EligibilityAsOfTest, ADayGoneByIsJudgedByTheFactsKnownAtItsEnd) {
  EXPECT_EQ(outcome(judge(kClean, "technical_aids"), "p3.6"), "pass");
  // That verification moves two days back: the day before yesterday knew the supplier clean.
  backdate(kClean, std::chrono::hours(48));
  const auto now = xsd_time::now_ms();
  const auto then = almaty_date(now - std::chrono::hours(48));
  const auto today = almaty_date(now);
  // Since then it has entered the goszakup РНУ, and a verification today sees it.
  ASSERT_EQ(mocks_admin(http::verb::post, "/admin/state",
                        std::string(R"({"subject":")") + kClean +
                            R"(","system":"goszakup","set":{"rnu_listed":true}})")
                    .status /
                100,
            2u);
  ASSERT_EQ(verify(kClean).status, 200u);

  const auto before = eligibility(kClean, "?category=technical_aids&as_of=" + then);
  ASSERT_EQ(before.status, 200u) << json::serialize(before.body);
  const auto after = eligibility(kClean, "?category=technical_aids&as_of=" + today);
  ASSERT_EQ(after.status, 200u) << json::serialize(after.body);
  EXPECT_EQ(text_of(before.body.at("as_of")), then);
  EXPECT_EQ(text_of(after.body.at("as_of")), today);
  // The same rule set, its dates and the flag on the publication they count from.
  EXPECT_EQ(before.body.at("rule_set"), "order-285-as-amended-2025-08-29");
  EXPECT_EQ(after.body.at("rule_set"), before.body.at("rule_set"));
  const auto& dates = before.body.at("rule_set_dates");
  EXPECT_EQ(dates.at("effective_from"), "2025-09-09");
  EXPECT_EQ(dates.at("confirmed"), false);
  EXPECT_EQ(dates.at("publication").at("confirmed"), false);
  EXPECT_EQ(dates.at("entry_into_force").at("days"), 10);

  // Different facts: the register's word on each day, with the provenance of its own reply.
  const auto& was = before.body.at("verdicts").at(0);
  const auto& is = after.body.at("verdicts").at(0);
  EXPECT_EQ(outcome(was, "p3.6"), "pass") << json::serialize(was);
  EXPECT_EQ(was.at("overall"), "eligible");
  EXPECT_EQ(outcome(is, "p3.6"), "fail") << json::serialize(is);
  EXPECT_EQ(is.at("overall"), "not_eligible");
  const auto evidence_was = requirement(was, "p3.6").at("evidence").at(0);
  const auto evidence_is = requirement(is, "p3.6").at("evidence").at(0);
  EXPECT_EQ(evidence_was.at("value").at("listed"), false);
  EXPECT_EQ(evidence_is.at("value").at("listed"), true);
  EXPECT_NE(evidence_was.at("provenance").at("message_id"),
            evidence_is.at("provenance").at("message_id"));
  // Known by the end of that day (UTC text compares as time).
  const auto known_at = text_of(before.body.at("facts_known_at"));
  EXPECT_LE(text_of(evidence_was.at("provenance").at("retrieved_at")), known_at);
  EXPECT_GT(text_of(evidence_was.at("provenance").at("valid_until")), known_at)
      << "valid at the end of the day it judges";
  EXPECT_EQ(before.body.at("stale_sources").as_array().size(), 0u);

  // Without as_of: today, from the current facts, as before.
  const auto plain = eligibility(kClean, "?category=technical_aids");
  ASSERT_EQ(plain.status, 200u);
  EXPECT_EQ(text_of(plain.body.at("as_of")), today);
  EXPECT_EQ(outcome(plain.body.at("verdicts").at(0), "p3.6"), "fail");

  // Two days before that verification nothing was known: unknown, never a verdict.
  const auto earlier = eligibility(
      kClean, "?category=technical_aids&as_of=" + almaty_date(now - std::chrono::hours(96)));
  ASSERT_EQ(earlier.status, 200u);
  const auto& unknown = earlier.body.at("verdicts").at(0);
  EXPECT_EQ(unknown.at("overall"), "undetermined");
  for (const auto& r : unknown.at("requirements").as_array()) {
    EXPECT_EQ(r.at("outcome"), "unknown") << json::serialize(r);
    EXPECT_TRUE(r.at("evidence").as_array().empty());
  }
}

TEST_F(EligibilityAsOfTest, ADayOf2022IsJudgedByThe2022RulesWithWhatWasKnownThen) {
  ASSERT_EQ(put(kClean, R"({"categories":["technical_aids","invataxi"]})").status, 201u);
  ASSERT_EQ(verify(kClean).status, 200u);  // today: nothing of it was known in 2022
  const auto reply = eligibility(kClean, "?as_of=2022-06-01");
  ASSERT_EQ(reply.status, 200u) << json::serialize(reply.body);
  EXPECT_EQ(reply.body.at("as_of"), "2022-06-01");
  EXPECT_EQ(reply.body.at("facts_known_at"), "2022-06-01T17:59:59.999Z") << "24:00 at UTC+6";
  EXPECT_EQ(reply.body.at("rule_set"), "order-60-2022-02-16");
  EXPECT_NE(text_of(reply.body.at("legal_basis")).find("No. 60"), std::string::npos);
  const auto& dates = reply.body.at("rule_set_dates");
  EXPECT_EQ(dates.at("effective_from"), "2022-02-28");
  EXPECT_EQ(dates.at("confirmed"), false);
  EXPECT_EQ(dates.at("publication").at("date"), "2022-02-17");
  EXPECT_EQ(dates.at("repealed").at("from"), "2023-07-01");

  const auto& verdicts = reply.body.at("verdicts").as_array();
  ASSERT_EQ(verdicts.size(), 2u);
  const auto& goods = verdicts[0];
  EXPECT_EQ(goods.at("category"), "technical_aids");
  EXPECT_EQ(goods.at("overall"), "undetermined");
  std::vector<std::string> ids;
  for (const auto& r : goods.at("requirements").as_array()) {
    ids.push_back(text_of(r.at("id")));
    EXPECT_EQ(r.at("outcome"), "unknown") << json::serialize(r);
    EXPECT_TRUE(r.at("evidence").as_array().empty());
    EXPECT_NE(text_of(r.at("reference")).find("order No. 60 of 16.02.2022"), std::string::npos);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"p19.2", "p19.3", "p19.4", "p4"}));
  EXPECT_NE(text_of(requirement(goods, "p19.3").at("reason").at("ru")).find("не запрашивались"),
            std::string::npos);
  EXPECT_NE(text_of(requirement(goods, "p4").at("reason").at("ru")).find("32-2"),
            std::string::npos);
  const auto& taxi = verdicts[1];
  EXPECT_EQ(taxi.at("overall"), "not_covered");
  EXPECT_TRUE(taxi.at("requirements").as_array().empty());
  EXPECT_NE(text_of(taxi.at("reason").at("ru")).find("инватакси"), std::string::npos);

  // The portal reads both rule sets' dates; the one in force today is order No. 285's.
  const auto sets = call(port_, http::verb::get, "/v1/rule-sets");
  ASSERT_EQ(sets.status, 200u);
  std::map<std::string, json::value> by_id;
  for (const auto& set : sets.body.at("rule_sets").as_array()) by_id[text_of(set.at("id"))] = set;
  ASSERT_EQ(by_id.size(), 2u) << json::serialize(sets.body);
  EXPECT_EQ(by_id.at("order-60-2022-02-16").at("in_force"), false);
  EXPECT_EQ(by_id.at("order-60-2022-02-16").at("dates").at("repealed").at("from"), "2023-07-01");
  EXPECT_EQ(by_id.at("order-285-as-amended-2025-08-29").at("in_force"), true);
  EXPECT_EQ(
      by_id.at("order-285-as-amended-2025-08-29").at("dates").at("publication").at("confirmed"),
      false);
}

TEST_F(EligibilityAsOfTest, ADayItCannotJudgeIsRefusedNamingAsOf) {
  ASSERT_EQ(put(kClean, R"({"categories":["technical_aids"]})").status, 201u);
  for (const auto* bad : {"2026-13-01", "yesterday", "2026-12-7", "20261207", "2026-12-07Z", ""}) {
    const auto reply = eligibility(kClean, std::string("?as_of=") + bad);
    EXPECT_EQ(reply.status, 400u) << bad;
    EXPECT_EQ(reply.body.at("error").at("field"), "as_of") << bad;
  }
  const auto refused = [&](const std::string& date, std::string_view because) {
    const auto reply = eligibility(kClean, "?as_of=" + date);
    EXPECT_EQ(reply.status, 422u) << date << ": " << json::serialize(reply.body);
    EXPECT_EQ(reply.body.at("error").at("field"), "as_of");
    EXPECT_NE(text_of(reply.body.at("error").at("reason")).find(because), std::string::npos)
        << json::serialize(reply.body);
  };
  refused(almaty_date(xsd_time::now_ms() + std::chrono::hours(48)), "in the future");
  refused("2021-12-31", "before the earliest");
  // Order No. 285 as in force before amendment No. 261 is not shipped: no verdict by other rules.
  refused("2024-01-01", "order-60-2022-02-16 ceased to apply on 2023-07-01");
  refused("2025-09-08", "the rules in force between them are not shipped");
}

}  // namespace
}  // namespace tekser::integration
