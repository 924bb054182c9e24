// Issue 14 item 1: a reply never speaks about another subject, nor with another's correlation id,
// nor about the future, nor with two voices. Two clean suppliers — an LLP (ГБД ЮЛ) and an
// individual entrepreneur (ГБД ФЛ) — are refreshed once cleanly; then the mocks tell one lie each
// (signed as usual, and the gateway requires signed replies, so a signature check cannot be what
// refuses them) and a second weekly refresh must end with no trigger at all: no block, no
// deregistration. A lie about the subject or the correlation is refused as malformed; a date in
// the future or a contradiction is read, and the status is unknown with the reason.
#include <set>
#include <string>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

// mocks/fixtures/suppliers.json: ul-active, a clean LLP; fl-ip-alive, a living entrepreneur.
constexpr const char* kEntity = "150340012340";
constexpr const char* kEntrepreneur = "840512401230";
// What the lies are about instead: ul-liquidated (since 2024-11-29), fl-ip-deceased (2025-06-14).
constexpr const char* kLiquidated = "080940003154";
constexpr const char* kDeceased = "580220307895";

class LyingRepliesTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    schema_ = std::make_unique<store::test::FreshSchema>();
    start_mocks("127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
    reply_signature_policy_ = "require";
    resilience_yaml_ = kOneAttemptNoBreaker;
    start_refreshing_gateway();
    ASSERT_EQ(put(kEntity, R"({"categories":["technical_aids"]})").status, 201u);
    ASSERT_EQ(put(kEntrepreneur, R"({"categories":["technical_aids"],)"
                                 R"("consent":{"kdp_token":"kdp-test","public_key":"MIIB"}})")
                  .status,
              201u);
    // The clean run: whatever it sends (a licence warning, say) is the baseline.
    const auto id = start_run();
    wait_run_done(id);
    wait_delivered();
    for (const auto& t : gateway_triggers("")) baseline_.insert(text(t.at("id")));
    for (const auto* who : {kEntity, kEntrepreneur})
      ASSERT_EQ(status_value(who), std::string(who) == kEntity ? "active" : "alive")
          << who << " is clean before the lie";
  }

  // The status fact's value of `who`'s register (gbd_ul or gbd_fl).
  std::string status_value(const std::string& who) {
    const auto view = get(port_, "/v1/suppliers/" + who);
    const auto status = fact(view, who == kEntity ? "gbd_ul" : "gbd_fl", "status");
    if (status.is_null()) return "(none)";
    return text(status.at("value").at("value"));
  }

  std::string add_fault(const std::string& rule) {
    return text(mocks_post("/admin/faults", rule).at("id"));
  }

  long long injected(const std::string& rule_id) {
    const auto faults = get(mocks_port_, "/admin/faults");
    for (const auto& rule : faults.at("faults").as_array())
      if (text(rule.at("id")) == rule_id) return rule.at("injected").as_int64();
    return -1;
  }

  // A second refresh, after the lie was set: it sends nothing new, least of all a block or a
  // deregistration of either supplier; what the source said of `who` is `outcome`.
  void expect_no_trigger_from_a_refresh(const std::string& who, const std::string& outcome,
                                        const std::string& cause_mentions) {
    const auto id = start_run();
    wait_run_done(id);
    wait_delivered();
    for (const auto& t : gateway_triggers("")) {
      EXPECT_TRUE(baseline_.contains(text(t.at("id"))))
          << "a trigger after the lie: " << json::serialize(t);
    }
    for (const auto& t : portal_triggers())
      EXPECT_TRUE(t.kind != "block" && t.kind != "deregister")
          << t.kind << " of " << t.supplier << " " << t.grounds;
    // The last exchange with the lying system (the list is oldest first), as the gateway
    // recorded it.
    const auto system = who == kEntity ? "gbd_ul" : "gbd_fl";
    const auto exchanges =
        get(port_, "/v1/exchanges?subject=" + who + "&system=" + system + "&limit=100");
    const auto& rows = exchanges.at("exchanges").as_array();
    ASSERT_GE(rows.size(), 2u) << "the clean run's exchange and the lie's: "
                               << json::serialize(exchanges);
    const auto& last = rows.back();
    EXPECT_EQ(text(last.at("outcome")), outcome) << json::serialize(last);
    if (!cause_mentions.empty()) {
      EXPECT_NE(text(last.at("cause")).find(cause_mentions), std::string::npos)
          << json::serialize(last);
    }
  }

  std::set<std::string> baseline_;
};

TEST_F(LyingRepliesTest, AReplyAboutALiquidatedCompanyIsNotTheAskedCompanys) {
  const auto rule =
      add_fault(std::string(R"({"system":"gbd_ul","subject":")") + kEntity +
                R"(","mode":"other_subject","answer_subject":")" + kLiquidated + R"("})");
  expect_no_trigger_from_a_refresh(kEntity, "malformed", "about another subject");
  EXPECT_GT(injected(rule), 0) << "the lie was never told";
  EXPECT_EQ(status_value(kEntity), "active") << "the liquidated company's status is not stored";
}

TEST_F(LyingRepliesTest, AReplyAboutADeceasedPersonIsNotTheAskedEntrepreneurs) {
  const auto rule =
      add_fault(std::string(R"({"system":"gbd_fl","subject":")") + kEntrepreneur +
                R"(","mode":"other_subject","answer_subject":")" + kDeceased + R"("})");
  expect_no_trigger_from_a_refresh(kEntrepreneur, "malformed", "about another subject");
  EXPECT_GT(injected(rule), 0) << "the lie was never told";
  EXPECT_EQ(status_value(kEntrepreneur), "alive");
}

// The company really is liquidated now, but the reply that says so answers another request: it
// is no evidence, and the block waits for a reply that is.
TEST_F(LyingRepliesTest, AReplyToAnotherRequestIsNoEvidenceEvenWhenItIsTrue) {
  mocks_post("/admin/state", std::string(R"({"subject":")") + kEntity +
                                 R"(","system":"gbd_ul","set":{"status":"liquidated"}})");
  const auto rule = add_fault(std::string(R"({"system":"gbd_ul","subject":")") + kEntity +
                              R"(","mode":"wrong_correlation"})");
  expect_no_trigger_from_a_refresh(kEntity, "malformed", "correlationId");
  EXPECT_GT(injected(rule), 0) << "the lie was never told";
  EXPECT_EQ(status_value(kEntity), "active");
}

TEST_F(LyingRepliesTest, ALiquidationDatedInTheFutureIsAnnouncedNotEvidence) {
  mocks_post("/admin/state",
             std::string(R"({"subject":")") + kEntity +
                 R"(","system":"gbd_ul","set":{"status":"liquidated","date":"2099-01-01"}})");
  expect_no_trigger_from_a_refresh(kEntity, "data", "");
  const auto view = get(port_, std::string("/v1/suppliers/") + kEntity);
  const auto status = fact(view, "gbd_ul", "status").at("value");
  EXPECT_EQ(text(status.at("value")), "unknown") << json::serialize(status);
  EXPECT_EQ(text(status.at("liquidation_date")), "2099-01-01") << "the date kept as announced";
  EXPECT_NE(text(status.at("unknown_reason")).find("after the reply's date"), std::string::npos)
      << json::serialize(status);
}

TEST_F(LyingRepliesTest, ADeathDatedInTheFutureIsNotEvidenceOfDeath) {
  mocks_post("/admin/state", std::string(R"({"subject":")") + kEntrepreneur +
                                 R"(","system":"gbd_fl","set":{"deceased_on":"2099-01-01"}})");
  expect_no_trigger_from_a_refresh(kEntrepreneur, "data", "");
  const auto status =
      fact(get(port_, std::string("/v1/suppliers/") + kEntrepreneur), "gbd_fl", "status")
          .at("value");
  EXPECT_EQ(text(status.at("value")), "unknown") << json::serialize(status);
  EXPECT_NE(text(status.at("unknown_reason")).find("not evidence of death"), std::string::npos)
      << json::serialize(status);
}

// The register gives a death date and says in the same reply that the person is alive.
TEST_F(LyingRepliesTest, ADeathDateBesideLifeStatusAliveIsAConflictNotABlock) {
  mocks_post(
      "/admin/state",
      std::string(R"({"subject":")") + kEntrepreneur +
          R"(","system":"gbd_fl","set":{"deceased_on":"2026-01-10","life_status":"alive"}})");
  expect_no_trigger_from_a_refresh(kEntrepreneur, "data", "");
  const auto status =
      fact(get(port_, std::string("/v1/suppliers/") + kEntrepreneur), "gbd_fl", "status")
          .at("value");
  EXPECT_EQ(text(status.at("value")), "unknown") << json::serialize(status);
  EXPECT_EQ(status.at("conflict"), json::value(true)) << json::serialize(status);
  EXPECT_NE(text(status.at("unknown_reason")).find("contradicts itself"), std::string::npos);
}

}  // namespace
}  // namespace tekser::integration
