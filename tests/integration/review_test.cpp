// Issue 15 items 8 and 10, end to end: a supplier whose legal address changes in ГБД ЮЛ (a legal
// entity) or ГБД ФЛ (an individual) gets a `review` trigger (p.13) carrying the two deadlines the
// order gives — 5 working days for the commission, then 1 to inform the territorial unit —
// while a block carries none (p.16 names none). The first address seen sends nothing.
#include <map>
#include <string>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

class ReviewTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    start_population_mocks();
    start_refreshing_gateway();
  }

  // A supplier of the population with no trait (nothing to block or warn about) of that kind.
  std::pair<std::string, json::value> clean(bool individual) {
    if (individual) return first_subject({"individual", "individual_entrepreneur"});
    return first_subject({"legal_entity"});
  }

  std::vector<Accepted> reviews_of(const std::string& supplier) {
    std::vector<Accepted> out;
    for (auto& a : portal_triggers())
      if (a.supplier == supplier && a.kind == "review") out.push_back(std::move(a));
    return out;
  }

  long long queued(const std::string& supplier) {
    const auto verified = verify(supplier);
    EXPECT_EQ(verified.status, 200u) << json::serialize(verified.body);
    return verified.body.at("verification").at("triggers_queued").as_int64();
  }
};

TEST_F(ReviewTest, AMovedLegalEntityIsReviewedWithTheTwoDeadlinesOfP13) {
  const auto [id, services] = clean(false);
  ASSERT_FALSE(id.empty()) << "the population (seed 7) has no clean legal entity";
  ASSERT_EQ(put(id, supplier_body(false, services)).status, 201u);

  // The first address seen is remembered, not reported; seeing it again changes nothing.
  EXPECT_EQ(queued(id), 0);
  EXPECT_EQ(queued(id), 0);

  mocks_post("/admin/state", R"({"subject":")" + id +
                                 R"(","system":"gbd_ul","set":{"address":{"street_ru":"улица )"
                                 R"(Сарыарка","building":"6","office":"12"}}})");
  EXPECT_EQ(queued(id), 1);
  wait_delivered();
  const auto reviews = reviews_of(id);
  ASSERT_EQ(reviews.size(), 1u);
  const auto& doc = reviews[0].document;
  EXPECT_EQ(reviews[0].grounds, "p13.legal_address");
  const auto& reason = text(doc.at("grounds").at(0).at("reason_ru"));
  EXPECT_NE(reason.find("Сарыарка"), std::string::npos) << reason;
  EXPECT_EQ(doc.at("evidence").at(0).at("system"), "gbd_ul");
  EXPECT_EQ(doc.at("evidence").at(0).at("fact").at("name"), "legal_address");

  // The deadlines, as the working-day calendar counts them from the data's arrival.
  const auto& steps = doc.at("deadlines").as_array();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].at("step"), "commission_review");
  EXPECT_EQ(steps[0].at("working_days"), 5);
  EXPECT_EQ(steps[1].at("step"), "inform_territorial_unit");
  EXPECT_EQ(steps[1].at("working_days"), 1);
  EXPECT_EQ(doc.at("deadline"), steps[0].at("due"));
  EXPECT_GT(text(steps[0].at("due")), text(doc.at("data_received_at")));
  EXPECT_GT(text(steps[1].at("due")), text(steps[0].at("due")));
  // The outbox shows the first step's deadline (what an operator watches for overdue).
  const auto outbox = gateway_triggers("&supplier=" + id + "&kind=review");
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].at("deadline").is_string(), true) << json::serialize(outbox[0]);
  EXPECT_EQ(outbox[0].at("overdue"), false);

  // Seen now: the next verify and a refresh run send nothing more.
  EXPECT_EQ(queued(id), 0);
  wait_run_done(start_run());
  wait_delivered();
  EXPECT_EQ(reviews_of(id).size(), 1u);
}

TEST_F(ReviewTest, AnIndividualsMoveInGbdFlIsReviewedToo) {
  const auto [id, services] = clean(true);
  ASSERT_FALSE(id.empty()) << "the population (seed 7) has no clean individual";
  ASSERT_EQ(put(id, supplier_body(true, services)).status, 201u);
  EXPECT_EQ(queued(id), 0);
  mocks_post("/admin/state", R"({"subject":")" + id +
                                 R"(","system":"gbd_fl","set":{"address":{"city":"Шымкент",)"
                                 R"("street":"Тауке хана","building":"21","flat":"4"}}})");
  EXPECT_EQ(queued(id), 1);
  wait_delivered();
  const auto reviews = reviews_of(id);
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].document.at("evidence").at(0).at("system"), "gbd_fl");
  EXPECT_EQ(reviews[0].document.at("deadlines").as_array().size(), 2u);
}

// The portal reads the deadlines from the rule set in force: per trigger kind, and the
// commission's own steps (p.10, p.13, p.18, p.19, p.23, p.24).
TEST_F(ReviewTest, TheRuleSetsShowTheDeadlinesTheLawGives) {
  const auto reply = call(port_, http::verb::get, "/v1/rule-sets");
  ASSERT_EQ(reply.status, 200u) << json::serialize(reply.body);
  const json::object* in_force = nullptr;
  for (const auto& set : reply.body.at("rule_sets").as_array())
    if (set.at("in_force") == true) in_force = &set.as_object();
  ASSERT_NE(in_force, nullptr) << json::serialize(reply.body);
  EXPECT_EQ(in_force->at("id"), "order-285-as-amended-2025-08-29");
  const auto& triggers = in_force->at("triggers");
  EXPECT_EQ(triggers.at("default_deregister_policy"), "never");
  const auto& deadlines = triggers.at("deadlines").as_object();
  EXPECT_FALSE(deadlines.contains("block")) << "p.16 names no deadline";
  EXPECT_EQ(deadlines.at("review").at("steps").as_array().size(), 2u);
  EXPECT_EQ(deadlines.at("deregister").at("policies"), json::array{"rules_2022"});
  std::map<std::string, long long> commission;
  for (const auto& d : triggers.at("commission_deadlines").as_array())
    commission[text(d.at("point"))] = d.at("working_days").as_int64();
  const std::map<std::string, long long> expected{{"p.10", 5}, {"p.13", 5}, {"p.18", 2},
                                                  {"p.19", 1}, {"p.23", 5}, {"p.24", 1}};
  EXPECT_EQ(commission, expected);
  EXPECT_EQ(call(port_, http::verb::post, "/v1/rule-sets", "{}").status, 405u);
}

}  // namespace
}  // namespace tekser::integration
