// Issue 15 item 5, end to end: p.15 sub-item 2 for an individual entrepreneur is death *or
// stopping trading*. KGD deregisters the entrepreneur (mocks: /admin/state kgd ie_registration);
// the portal's next verify blocks it at once on KGD's reply, and eligibility fails p15.2 — while
// a KGD that is down leaves p15.2 unknown and blocks nothing.
#include <string>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

class StoppedTradingTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    start_population_mocks();
    start_refreshing_gateway();
    std::tie(entrepreneur_, services_) = first_subject({"individual_entrepreneur"});
    ASSERT_FALSE(entrepreneur_.empty()) << "the population (seed 7) has no clean entrepreneur";
    ASSERT_EQ(put(entrepreneur_, supplier_body(true, services_)).status, 201u);
  }

  std::string p15_2() {
    const auto reply =
        call(port_, http::verb::get,
             "/v1/suppliers/" + entrepreneur_ + "/eligibility?category=technical_aids");
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    for (const auto& r : reply.body.at("verdicts").at(0).at("requirements").as_array())
      if (r.at("id") == "p15.2") return text(r.at("outcome"));
    return "absent";
  }

  std::string entrepreneur_;
  json::value services_;
};

TEST_F(StoppedTradingTest, KgdsDeregistrationBlocksAtOnceAndFailsP15Sub2) {
  auto verified = verify(entrepreneur_);
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  EXPECT_EQ(verified.body.at("verification").at("triggers_queued"), 0);
  EXPECT_EQ(p15_2(), "pass") << "alive in ГБД ФЛ and registered with KGD";

  // KGD is down: p15.2 keeps the last known answer until it goes stale — and nothing is blocked.
  const auto fault = text(mocks_post("/admin/faults", R"({"system":"kgd","subject":")" +
                                                          entrepreneur_ + R"(","mode":"http_503"})")
                              .at("id"));
  EXPECT_EQ(verify(entrepreneur_).body.at("verification").at("triggers_queued"), 0);
  ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/faults/" + fault).status, 200u);

  // The entrepreneur stops trading: KGD deregisters it.
  mocks_post("/admin/state", R"({"subject":")" + entrepreneur_ +
                                 R"(","system":"kgd","set":{"ie_registration":"deregistered"}})");
  verified = verify(entrepreneur_);
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  EXPECT_EQ(verified.body.at("verification").at("triggers_queued"), 1);
  wait_delivered();
  std::vector<Accepted> blocks;
  for (auto& a : portal_triggers())
    if (a.supplier == entrepreneur_ && a.kind == "block") blocks.push_back(std::move(a));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].grounds, "p15.2");
  const auto& evidence = blocks[0].document.at("evidence").as_array();
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0].at("system"), "kgd");
  EXPECT_EQ(evidence[0].at("fact").at("name"), "entrepreneur_registration");
  EXPECT_EQ(evidence[0].at("fact").at("value").at("status"), "deregistered");
  EXPECT_EQ(p15_2(), "fail");
}

}  // namespace
}  // namespace tekser::integration
