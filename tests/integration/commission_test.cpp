// Issue 15 items 3 and 9, end to end: a verify that brings positive evidence of a p.15 ground
// decides and queues the block at once (no waiting for the weekly run); a supplier the commission
// deregistered (p.19) is not reopened when the ground goes — only the commission's positive
// decision, recorded through POST …/commission-decisions, lets the unblock through (p.20).
#include <algorithm>
#include <string>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

class CommissionTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    start_population_mocks("rnu=0.05");
    start_refreshing_gateway();
    // A legal entity in the goszakup РНУ and nothing else.
    std::tie(listed_, services_) = first_subject({"legal_entity"}, {"rnu"});
    ASSERT_FALSE(listed_.empty()) << "the population (seed 7) has no entity in the РНУ";
    ASSERT_EQ(put(listed_, supplier_body(false, services_)).status, 201u);
  }

  JsonReply decide(const std::string& body) {
    return call(port_, http::verb::post, "/v1/suppliers/" + listed_ + "/commission-decisions",
                body);
  }

  std::vector<Accepted> accepted_of(const std::string& kind) {
    auto all = portal_triggers();
    std::vector<Accepted> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                 [&](const Accepted& a) { return a.supplier == listed_ && a.kind == kind; });
    return out;
  }

  std::string listed_;
  json::value services_;
};

TEST_F(CommissionTest, AVerifyBlocksAtOnceAndOnlyTheCommissionReopensADeregisteredSupplier) {
  const auto today = text(get(mocks_port_, "/admin/clock").at("now")).substr(0, 10);

  // The portal's own verify finds the РНУ entry: the block is queued in the same transaction
  // and reaches the portal without any refresh run.
  const auto verified = verify(listed_);
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  EXPECT_EQ(verified.body.at("verification").at("triggers_queued"), 1)
      << json::serialize(verified.body.at("verification"));
  wait_delivered();
  const auto blocks = accepted_of("block");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].grounds, "p15.3");
  const auto outbox = gateway_triggers("&supplier=" + listed_);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_TRUE(outbox[0].at("run_id").is_null()) << "found by a verify, not by a run";
  // p.16 blocks when the data arrive and names no deadline: the block carries none.
  EXPECT_FALSE(blocks[0].document.contains("deadline"));
  EXPECT_FALSE(blocks[0].document.contains("deadlines"));
  EXPECT_TRUE(outbox[0].at("deadline").is_null());
  EXPECT_EQ(outbox[0].at("overdue"), false);
  // A second verify finds the same: nothing new.
  EXPECT_EQ(verify(listed_).body.at("verification").at("triggers_queued"), 0);

  // The commission deregisters it (p.19).
  auto recorded = decide(R"({"kind":"deregistration","ground":"p15.3","decided_on":")" + today +
                         R"(","protocol_number":"14/2026"})");
  ASSERT_EQ(recorded.status, 201u) << json::serialize(recorded.body);
  EXPECT_EQ(recorded.body.at("trigger_state").at("deregistered"), true);
  EXPECT_EQ(recorded.body.at("trigger_state").at("deregistered_by"), "commission");
  EXPECT_EQ(recorded.body.at("decision").at("recorded_by"), kTestClientId);
  EXPECT_EQ(recorded.body.at("triggers_queued"), 0);

  // It leaves the РНУ: a verify sees it, but a deregistered supplier is not reopened.
  mocks_post("/admin/state",
             R"({"subject":")" + listed_ + R"(","system":"goszakup","set":{"rnu_listed":false}})");
  const auto left = verify(listed_);
  ASSERT_EQ(left.status, 200u) << json::serialize(left.body);
  EXPECT_EQ(left.body.at("verification").at("triggers_queued"), 0)
      << "no automatic reopening after a deregistration (p.20)";
  EXPECT_TRUE(accepted_of("unblock").empty());

  // The commission's positive decision: the unblock goes out at once, naming the block it lifts.
  recorded = decide(R"({"kind":"reregistration","decided_on":")" + today +
                    R"(","protocol_number":"15/2026"})");
  ASSERT_EQ(recorded.status, 201u) << json::serialize(recorded.body);
  EXPECT_EQ(recorded.body.at("triggers_queued"), 1);
  EXPECT_EQ(recorded.body.at("trigger_state").at("blocked"), false);
  EXPECT_EQ(recorded.body.at("trigger_state").at("deregistered"), false);
  wait_delivered();
  const auto unblocks = accepted_of("unblock");
  ASSERT_EQ(unblocks.size(), 1u);
  EXPECT_EQ(unblocks[0].supersedes, blocks[0].trigger_id);

  // Both decisions on record, oldest first.
  const auto listed =
      call(port_, http::verb::get, "/v1/suppliers/" + listed_ + "/commission-decisions");
  ASSERT_EQ(listed.status, 200u);
  const auto& decisions = listed.body.at("decisions").as_array();
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[0].at("kind"), "deregistration");
  EXPECT_EQ(decisions[0].at("protocol_number"), "14/2026");
  EXPECT_EQ(decisions[1].at("kind"), "reregistration");
  EXPECT_TRUE(decisions[1].at("ground").is_null());
}

TEST_F(CommissionTest, DecisionsTheStateCannotTakeAreRefusedNamingTheFieldAndRecordNothing) {
  const auto today = text(get(mocks_port_, "/admin/clock").at("now")).substr(0, 10);
  const auto expect_refused = [&](const std::string& body, unsigned status,
                                  const std::string& field) {
    const auto reply = decide(body);
    EXPECT_EQ(reply.status, status) << body << " -> " << json::serialize(reply.body);
    if (reply.body.is_object() && reply.body.as_object().contains("error"))
      EXPECT_EQ(text(reply.body.at("error").at("field")), field) << json::serialize(reply.body);
    else
      ADD_FAILURE() << body << " -> " << json::serialize(reply.body);
  };
  // Not deregistered: nothing to re-register.
  expect_refused(
      R"({"kind":"reregistration","decided_on":")" + today + R"(","protocol_number":"1"})", 409,
      "kind");
  expect_refused(
      R"({"kind":"deregistration","decided_on":")" + today + R"(","protocol_number":"1"})", 400,
      "ground");
  expect_refused(R"({"kind":"deregistration","ground":"p15.9","decided_on":")" + today +
                     R"(","protocol_number":"1"})",
                 422, "ground");
  expect_refused(R"({"kind":"deregistration","ground":"p15.3","decided_on":"2999-01-01",)"
                 R"("protocol_number":"1"})",
                 422, "decided_on");
  expect_refused(R"({"kind":"deregistration","ground":"p15.3","decided_on":"2026-13-01",)"
                 R"("protocol_number":"1"})",
                 400, "decided_on");
  expect_refused(R"({"kind":"suspension","decided_on":")" + today + R"(","protocol_number":"1"})",
                 400, "kind");
  expect_refused(R"({"kind":"deregistration","ground":"p15.3","decided_on":")" + today +
                     R"(","protocol_number":"1","by":"me"})",
                 400, "by");
  expect_refused(R"({"kind":"deregistration","ground":"p15.3","decided_on":")" + today +
                     R"(","protocol_number":""})",
                 400, "protocol_number");
  const auto listed =
      call(port_, http::verb::get, "/v1/suppliers/" + listed_ + "/commission-decisions");
  ASSERT_EQ(listed.status, 200u);
  EXPECT_TRUE(listed.body.at("decisions").as_array().empty()) << "nothing recorded";
  EXPECT_EQ(call(port_, http::verb::post, "/v1/suppliers/020340000003/commission-decisions",
                 R"({"kind":"deregistration","ground":"p15.3","decided_on":")" + today +
                     R"(","protocol_number":"1"})")
                .status,
            404u);
}

}  // namespace
}  // namespace tekser::integration
