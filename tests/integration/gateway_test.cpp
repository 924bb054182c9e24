// The real gateway, the real mocks and a real PostgreSQL over loopback. Each test gets a fresh
// schema and its own processes; waits are the processes' "listening" lines and HTTP deadlines,
// never sleeps.
#include <set>
#include <thread>

#include "common/digest/sha256.hpp"
#include "tests/integration/gateway_fixture.hpp"
#include "tests/support/tcp_proxy.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kActiveBin = "150340012340";  // ТОО «Мейірім Медтехника»
constexpr const char* kInLiquidationBin = "120740023454";  // ТОО «Сурдо Әлемі»
constexpr const char* kLiquidatedBin = "080940003154";  // ТОО «Жолдас Инватакси»
constexpr const char* kAbsentBin = "210440099998";      // valid, in no register
constexpr const char* kDeceasedIin = "580220307895";    // IE, died 2025-06-14
constexpr const char* kAliveIin = "840512401230";       // IE, alive

TEST_F(GatewayTest, VerifiesALegalEntityEndToEndAndKeepsProvenance) {
  auto created = put(kActiveBin, R"({"categories":["technical_aids"]})");
  ASSERT_EQ(created.status, 201u) << json::serialize(created.body);

  auto verified = verify(kActiveBin);
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  const auto& asked = verified.body.at("verification").at("asked").as_array();
  std::set<std::string> systems;
  for (const auto& a : asked) {
    systems.insert(std::string(a.at("system").as_string()));
    EXPECT_EQ(a.at("outcome"), "data") << json::serialize(a);
  }
  // A BIN asks every register but ГБД ФЛ (individuals) and the personal-assistant checks.
  EXPECT_EQ(systems, (std::set<std::string>{"gbd_ul", "kgd", "elicense", "goszakup", "samruk"}));

  const auto status = fact(verified.body, "gbd_ul", "status");
  ASSERT_FALSE(status.is_null());
  EXPECT_EQ(status.at("value").at("value"), "active");
  EXPECT_EQ(fact(verified.body, "gbd_ul", "names").at("value").at("short_ru"),
            "ТОО «Мейірім Медтехника»");
  EXPECT_EQ(fact(verified.body, "gbd_ul", "legal_address").at("value").at("kato"), "751110000");

  // Provenance: the message id is the one the bus journaled, the digest is of the logged reply.
  const auto& provenance = status.at("provenance");
  const std::string message_id(provenance.at("message_id").as_string());
  const auto journal =
      mocks_admin(http::verb::get, std::string("/admin/journal?subject=") + kActiveBin +
                                       "&service_id=GbdulInfoByBin_v2");
  ASSERT_EQ(journal.body.as_array().size(), 1u);
  EXPECT_EQ(journal.body.as_array()[0].at("message_id"), json::value(message_id));
  EXPECT_EQ(journal.body.as_array()[0].at("validation"), "valid");

  auto connection = db();
  pqxx::work txn(*connection);
  const auto row = txn.exec_params1(
      "SELECT response_body, reply_sha256, outcome FROM message_log WHERE message_id = $1",
      message_id);
  EXPECT_EQ(row[1].as<std::string>(), digest::sha256_hex(row[0].as<std::string>()));
  EXPECT_EQ(row[1].as<std::string>(), std::string(provenance.at("reply_sha256").as_string()));
  EXPECT_EQ(row[2].as<std::string>(), "data");
  EXPECT_TRUE(status.at("fresh").as_bool());

  // Persisted: a plain read returns the same facts without asking anyone.
  auto read = call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin);
  ASSERT_EQ(read.status, 200u);
  EXPECT_EQ(fact(read.body, "gbd_ul", "status").at("value"), status.at("value"));
  EXPECT_EQ(mocks_admin(http::verb::get, "/admin/journal/count?service_id=GbdulInfoByBin_v2")
                .body.at("count"),
            1);
}

TEST_F(GatewayTest, ShowsLiquidatedEntitiesAndDeceasedEntrepreneurs) {
  ASSERT_EQ(put(kLiquidatedBin, R"({"categories":["invataxi"]})").status, 201u);
  auto liquidated = verify(kLiquidatedBin);
  ASSERT_EQ(liquidated.status, 200u);
  const auto status = fact(liquidated.body, "gbd_ul", "status").at("value");
  EXPECT_EQ(status.at("value"), "liquidated");
  EXPECT_EQ(status.at("since"), "2024-11-29");

  ASSERT_EQ(
      put(kDeceasedIin,
          R"({"categories":["invataxi"],"consent":{"kdp_token":"kdp-1","public_key":"MIIB"}})")
          .status,
      201u);
  auto deceased = verify(kDeceasedIin);
  ASSERT_EQ(deceased.status, 200u) << json::serialize(deceased.body);
  const auto person = fact(deceased.body, "gbd_fl", "status").at("value");
  EXPECT_EQ(person.at("value"), "deceased");
  EXPECT_EQ(person.at("death_date"), "2025-06-14");
  EXPECT_EQ(fact(deceased.body, "gbd_fl", "names").at("value").at("surname"), "Сәрсенбаев");
}

TEST_F(GatewayTest, WithoutConsentGbdFlIsNotAskedAndNothingIsConcluded) {
  ASSERT_EQ(put(kAliveIin, R"({"categories":["sign_language"]})").status, 201u);
  auto verified = verify(kAliveIin);
  ASSERT_EQ(verified.status, 200u);
  const auto gbd_fl = source(verified.body, "gbd_fl");
  EXPECT_EQ(gbd_fl.at("outcome"), "refused");
  EXPECT_EQ(gbd_fl.at("error_code"), "NO_CONSENT_TOKEN");
  EXPECT_TRUE(fact(verified.body, "gbd_fl", "status").is_null());
  EXPECT_EQ(
      mocks_admin(http::verb::get, "/admin/journal/count?service_id=GBDFL_UniversalServiceSync")
          .body.at("count"),
      0);
}

TEST_F(GatewayTest, AnEntityUnknownToTheRegisterIsNoDataNotAFailure) {
  ASSERT_EQ(put(kAbsentBin, R"({"categories":["technical_aids"]})").status, 201u);
  auto verified = verify(kAbsentBin);
  ASSERT_EQ(verified.status, 200u);
  EXPECT_EQ(source(verified.body, "gbd_ul").at("outcome"), "no_data");
  EXPECT_TRUE(fact(verified.body, "gbd_ul", "status").is_null());
  EXPECT_TRUE(fact(verified.body, "gbd_ul", "names").is_null());
}

TEST_F(GatewayTest, AChangedReplyShowsUpInHistory) {
  ASSERT_EQ(put(kInLiquidationBin, R"({"categories":["technical_aids"]})").status, 201u);
  auto first = verify(kInLiquidationBin);
  ASSERT_EQ(fact(first.body, "gbd_ul", "status").at("value").at("value"), "in_liquidation");

  // The register completes the liquidation: the mocks restart on the same port with that change.
  auto fixtures = json::parse(read_file(TEKSER_MOCKS_FIXTURES));
  for (auto& entity : fixtures.at("legal_entities").as_array()) {
    if (!is_text(entity.at("bin"), kInLiquidationBin)) continue;
    entity.as_object()["reg_status"] = "3";
    entity.as_object()["liquidation_date"] = "2026-02-02";
  }
  const auto changed = gateway_->dir() / "fixtures-v2.json";
  std::ofstream(changed) << json::serialize(fixtures);
  ASSERT_EQ(mocks_->stop(SIGTERM, 10s), 0);
  start_mocks("127.0.0.1:" + std::to_string(mocks_port_), changed.string());

  auto second = verify(kInLiquidationBin);
  ASSERT_EQ(second.status, 200u) << json::serialize(second.body);
  EXPECT_EQ(source(second.body, "gbd_ul").at("outcome"), "data");
  EXPECT_EQ(fact(second.body, "gbd_ul", "status").at("value").at("value"), "liquidated");
  EXPECT_GE(second.body.at("verification").at("facts_changed").as_int64(), 1);

  auto history =
      call(port_, http::verb::get, std::string("/v1/suppliers/") + kInLiquidationBin + "/history");
  ASSERT_EQ(history.status, 200u);
  bool found = false;
  for (const auto& h : history.body.at("history").as_array()) {
    if (!is_text(h.at("name"), "status") || h.at("old_value").is_null()) continue;
    EXPECT_EQ(h.at("old_value").at("value"), "in_liquidation");
    EXPECT_EQ(h.at("new_value").at("value"), "liquidated");
    EXPECT_EQ(h.at("new_value").at("since"), "2026-02-02");
    found = true;
  }
  EXPECT_TRUE(found) << json::serialize(history.body);
}

TEST_F(GatewayTest, AStateSystemThatFailsYieldsUnknownAndKeepsTheLastFacts) {
  // One exchange per mode: no retries, no breaker (resilience_test.cpp has them).
  gateway_.reset();
  resilience_yaml_ = kOneAttemptNoBreaker;
  start_gateway();
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  ASSERT_EQ(verify(kActiveBin).status, 200u);

  struct Case {
    std::string mode;
    std::string outcome;
    int count = 1;
  };
  // A reset on a kept-alive connection is retried once on a fresh one (the query is read-only):
  // two resets in a row are what makes ГБД ЮЛ unavailable.
  for (const auto& c : {Case{"http_503", "unavailable"}, Case{"timeout", "unavailable"},
                        Case{"reset", "unavailable", 2}, Case{"soap_fault", "refused"},
                        Case{"status_error", "refused"}, Case{"malformed", "malformed"}}) {
    SCOPED_TRACE(c.mode);
    ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/faults").status / 100, 2u);
    ASSERT_EQ(mocks_admin(http::verb::post, "/admin/faults",
                          R"({"service_id":"GbdulInfoByBin_v2","mode":")" + c.mode +
                              R"(","count":)" + std::to_string(c.count) + "}")
                      .status /
                  100,
              2u);
    auto verified = verify(kActiveBin);
    ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
    const auto gbd_ul = source(verified.body, "gbd_ul");
    EXPECT_EQ(gbd_ul.at("outcome"), json::value(c.outcome));
    EXPECT_FALSE(gbd_ul.at("cause").as_string().empty());
    EXPECT_FALSE(gbd_ul.at("last_data_at").is_null());
    // The facts from the last good answer stay, unchanged.
    EXPECT_EQ(fact(verified.body, "gbd_ul", "status").at("value").at("value"), "active");
    EXPECT_EQ(verified.body.at("verification").at("facts_changed"), 0);
  }

  // The whole bus down: still an answer, with the cause.
  ASSERT_EQ(mocks_->stop(SIGTERM, 10s), 0);
  auto verified = verify(kActiveBin);
  ASSERT_EQ(verified.status, 200u);
  EXPECT_EQ(source(verified.body, "gbd_ul").at("outcome"), "unavailable");
  EXPECT_EQ(fact(verified.body, "gbd_ul", "status").at("value").at("value"), "active");
}

TEST_F(GatewayTest, RefusesBadInputNamingTheFieldAndTheReason) {
  auto short_id = put("12345", R"({"categories":["technical_aids"]})");
  EXPECT_EQ(short_id.status, 400u);
  EXPECT_EQ(short_id.body.at("error").at("field"), "id");

  auto check_digit = put("150340012341", R"({"categories":["technical_aids"]})");
  EXPECT_EQ(check_digit.status, 400u);
  EXPECT_NE(std::string(check_digit.body.at("error").at("reason").as_string()).find("check digit"),
            std::string::npos);

  auto category = put(kActiveBin, R"({"categories":["spaceships"]})");
  EXPECT_EQ(category.status, 400u);
  EXPECT_EQ(category.body.at("error").at("field"), "categories[0]");

  auto unknown_field = put(kActiveBin, R"({"categories":["invataxi"],"colour":"red"})");
  EXPECT_EQ(unknown_field.status, 400u);
  EXPECT_EQ(unknown_field.body.at("error").at("field"), "colour");

  auto not_json = put(kActiveBin, "{categories");
  EXPECT_EQ(not_json.status, 400u);
  EXPECT_EQ(not_json.body.at("error").at("field"), "body");

  auto consent_on_bin = put(
      kActiveBin, R"({"categories":["invataxi"],"consent":{"kdp_token":"t","public_key":"k"}})");
  EXPECT_EQ(consent_on_bin.status, 400u);
  EXPECT_EQ(consent_on_bin.body.at("error").at("field"), "consent");

  // Nothing of the above was stored.
  EXPECT_EQ(call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin).status, 404u);
  EXPECT_EQ(verify(kActiveBin).status, 404u);
  EXPECT_EQ(call(port_, http::verb::delete_, std::string("/v1/suppliers/") + kActiveBin).status,
            405u);
  EXPECT_EQ(call(port_, http::verb::get, "/v2/nothing").status, 404u);
}

TEST_F(GatewayTest, ReportsHealthAndReadiness) {
  EXPECT_EQ(call(port_, http::verb::get, "/healthz").status, 200u);
  auto ready = call(port_, http::verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200u);
  EXPECT_EQ(ready.body.at("database"), "ok");
  // Anyone may ask, and learns ready or not — nothing about the database or the sources.
  const auto anonymous = call_anonymous(port_, http::verb::get, "/readyz");
  EXPECT_EQ(anonymous.status, 200u);
  EXPECT_EQ(anonymous.body, json::parse(R"({"status":"ready"})"))
      << json::serialize(anonymous.body);
}

// Issue 14 item 4: /readyz asks on a connection of its own, so it answers while every pooled
// connection is stuck; work that waits for the stuck pool gets a 503 after the wait bound, never
// a hang.
class StuckPoolTest : public GatewayTest {
 protected:
  void SetUp() override {
    database_extra_yaml_ = ", wait_timeout_ms: 700";
    GatewayTest::SetUp();
  }
};

TEST_F(StuckPoolTest, ReadyzAnswersWhileEveryPooledConnectionIsStuckAndOtherWorkGets503) {
  // Both pooled connections (pool_size 2) stuck behind a lock held by the test.
  auto locker = db();
  pqxx::work lock(*locker);
  lock.exec("LOCK TABLE suppliers IN ACCESS EXCLUSIVE MODE");
  JsonReply first, second;
  std::jthread a([&] { first = put(kActiveBin, R"({"categories":["technical_aids"]})"); });
  std::jthread b([&] { second = put(kInLiquidationBin, R"({"categories":["technical_aids"]})"); });
  // Wait (bounded) until both are blocked on the lock in the database.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  auto watcher = db();
  for (;;) {
    pqxx::nontransaction txn(*watcher);
    const auto waiting = txn.exec1(
                                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                                "'Lock' AND query LIKE "
                                "'%INSERT INTO suppliers%'")[0]
                             .as<int>();
    if (waiting == 2) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the two PUTs never blocked";
  }

  const auto began = std::chrono::steady_clock::now();
  const auto ready = call_anonymous(port_, http::verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200u) << json::serialize(ready.body);
  EXPECT_EQ(ready.body, json::parse(R"({"status":"ready"})"));
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2s) << "queued behind the pool";

  // Work for the stuck pool: a 503 naming the database once the wait bound (700 ms) passes.
  const auto busy = call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin);
  EXPECT_EQ(busy.status, 503u) << json::serialize(busy.body);
  EXPECT_EQ(busy.body.at("error").at("field"), "database") << json::serialize(busy.body);

  lock.commit();
  a.join();
  b.join();
  EXPECT_EQ(first.status, 201u) << json::serialize(first.body);
  EXPECT_EQ(second.status, 201u) << json::serialize(second.body);
}

// Issue 16 item 4: a supplier read is served from memory while PostgreSQL's change notices are
// heard (migration 0150), and follows every change — this replica's own at once, anyone else's
// (another replica, an operator in psql) as soon as its notice arrives.
TEST_F(GatewayTest, ASupplierReadFromMemoryFollowsEveryChange) {
  const auto metric = [&](const std::string& series) -> long long {
    const auto reply = call(port_, http::verb::get, "/metrics");
    const auto body = reply.body.is_string() ? std::string(reply.body.as_string()) : std::string();
    const auto at = body.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stoll(body.substr(at + series.size() + 2));
  };
  const auto read = [&] {
    return call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin);
  };
  const auto categories = [](const JsonReply& r) {
    return json::serialize(r.body.at("supplier").at("categories"));
  };
  wait_until("the view cache to serve", [&] { return metric("tekser_view_cache_serving") == 1; });

  const auto memory_reads = [&] {
    return metric(R"(tekser_view_cache_reads_total{found="memory"})");
  };
  // A read kept, then read again from memory. (The notice of a write may arrive after a read
  // kept its view, and forget it once more: hence polled.)
  const auto served_from_memory = [&](json::value& body) {
    const auto before = memory_reads();
    body = read().body;
    return memory_reads() > before;
  };
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  const auto first = read();
  ASSERT_EQ(first.status, 200u) << json::serialize(first.body);
  json::value kept;
  wait_until("a read answered from memory", [&] { return served_from_memory(kept); });
  EXPECT_EQ(kept.at("supplier"), first.body.at("supplier"));

  // This replica's own writes are read back at once.
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids","invataxi"]})").status, 200u);
  EXPECT_EQ(categories(read()), R"(["technical_aids","invataxi"])");
  EXPECT_TRUE(read().body.at("facts").as_array().empty());
  ASSERT_EQ(verify(kActiveBin).status, 200u);
  const auto verified = read();
  EXPECT_FALSE(verified.body.at("facts").as_array().empty()) << json::serialize(verified.body);
  EXPECT_FALSE(fact(verified.body, "gbd_ul", "status").is_null());

  // Another writer's change is read once its notice is in, never kept stale.
  {
    auto db = this->db();
    pqxx::work txn(*db);
    txn.exec("UPDATE suppliers SET categories = '{sanatorium}' WHERE id = '" +
             std::string(kActiveBin) + "'");
    txn.exec("DELETE FROM facts_current WHERE system = 'gbd_ul'");
    txn.commit();
  }
  wait_until("the read to show another writer's change", [&] {
    const auto r = read();
    return categories(r) == R"(["sanatorium"])" && fact(r.body, "gbd_ul", "status").is_null();
  });
  // And it is kept again, as changed.
  wait_until("the changed view answered from memory", [&] { return served_from_memory(kept); });
  EXPECT_EQ(json::serialize(kept.at("supplier").at("categories")), R"(["sanatorium"])");
}

// Issue 14 item 4: with the database gone /readyz says not_ready (503) at once — to an anonymous
// caller only that, never the database's host or error text — work that needs the database gets
// a 503 naming it, and both recover by themselves once the database is back.
class DatabaseAwayTest : public GatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    proxy_ = std::make_unique<testing::TcpProxy>("127.0.0.1", database_port());
    database_port_ = proxy_->port();
    GatewayTest::SetUp();
  }
  std::unique_ptr<testing::TcpProxy> proxy_;
};

TEST_F(DatabaseAwayTest, ReadyzSaysNotReadyWithoutDetailsAndRecoversWhenTheDatabaseIsBack) {
  ASSERT_GT(proxy_->relayed(), 0) << "the gateway does not reach the database through the proxy";
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  EXPECT_EQ(call_anonymous(port_, http::verb::get, "/readyz").status, 200u);

  proxy_->cut();
  JsonReply anonymous;
  wait_until("/readyz to say not ready", [&] {
    anonymous = call_anonymous(port_, http::verb::get, "/readyz");
    return anonymous.status == 503u;
  });
  EXPECT_EQ(anonymous.body, json::parse(R"({"status":"not_ready"})"))
      << "an anonymous caller learns nothing else: " << json::serialize(anonymous.body);
  const auto detailed = call(port_, http::verb::get, "/readyz");
  EXPECT_EQ(detailed.status, 503u);
  ASSERT_TRUE(detailed.body.is_object()) << json::serialize(detailed.body);
  EXPECT_EQ(detailed.body.as_object().if_contains("database") ? detailed.body.at("database")
                                                              : json::value(nullptr),
            "unavailable")
      << json::serialize(detailed.body);
  const auto text = json::serialize(detailed.body);
  EXPECT_EQ(text.find("127.0.0.1"), std::string::npos) << "the host stays in the log: " << text;
  EXPECT_NE(gateway_->stderr_text().find("readiness_database"), std::string::npos)
      << "why it is not ready goes to the log";

  // Work that needs the database: a 503 naming it, never a 500 or a hang.
  const auto read = call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin);
  ASSERT_EQ(read.status, 503u) << json::serialize(read.body);
  EXPECT_EQ(read.body.at("error").at("field"), "database") << json::serialize(read.body);

  proxy_->restore();
  wait_until("/readyz to say ready again",
             [&] { return call_anonymous(port_, http::verb::get, "/readyz").status == 200u; });
  JsonReply again;
  wait_until("the supplier to be readable again", [&] {
    again = call(port_, http::verb::get, std::string("/v1/suppliers/") + kActiveBin);
    return again.status == 200u;
  });
  EXPECT_EQ(again.body.at("supplier").at("id"), kActiveBin) << json::serialize(again.body);
}

TEST_F(GatewayTest, StopsGracefullyOnSigterm) {
  EXPECT_EQ(gateway_->stop(SIGTERM, 10s), 0);
}

}  // namespace
}  // namespace tekser::integration

namespace tekser::integration {
namespace {

TEST_F(GatewayTest, ChecksARepresentativesPowerOfAttorneyInEnis) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  auto poa = [&](const std::string& principal, const std::string& body) {
    return call(port_, http::verb::post, "/v1/suppliers/" + principal + "/power-of-attorney", body);
  };

  const auto valid =
      poa(kActiveBin, R"({"representative_iin":"800304403774","number":"ДВ-2025-000417"})");
  ASSERT_EQ(valid.status, 200u) << json::serialize(valid.body);
  EXPECT_EQ(valid.body.at("source").at("outcome"), "data");
  EXPECT_EQ(valid.body.at("power_of_attorney").at("value").at("representative_iin"),
            "800304403774");
  EXPECT_EQ(valid.body.at("assessment").at("valid"), true) << json::serialize(valid.body);

  const auto other_scope =
      poa(kActiveBin, R"({"representative_iin":"770315300200","number":"ДВ-2025-001102"})");
  ASSERT_EQ(other_scope.status, 200u);
  EXPECT_EQ(other_scope.body.at("assessment").at("valid"), false)
      << "courts and bank accounts only: not the portal";

  ASSERT_EQ(put(kAliveIin, R"({"categories":["sign_language"]})").status, 201u);
  const auto revoked =
      poa(kAliveIin, R"({"representative_iin":"880722400403","number":"ДВ-2025-000733"})");
  ASSERT_EQ(revoked.status, 200u);
  EXPECT_EQ(revoked.body.at("power_of_attorney").at("value").at("revoked"), true);
  EXPECT_EQ(revoked.body.at("assessment").at("valid"), false);

  const auto absent =
      poa(kActiveBin, R"({"representative_iin":"800304403774","number":"ДВ-2025-999999"})");
  ASSERT_EQ(absent.status, 200u);
  EXPECT_EQ(absent.body.at("source").at("outcome"), "no_data");
  EXPECT_TRUE(absent.body.at("assessment").is_null()) << "no document, no verdict on it";

  const auto bad = poa(kActiveBin, R"({"representative_iin":"800304403775","number":"X"})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.body.at("error").at("field"), "representative_iin");
  EXPECT_EQ(poa(kActiveBin, R"({"number":"X"})").body.at("error").at("field"),
            "representative_iin");
}

}  // namespace
}  // namespace tekser::integration
