// Resilience per state system with the real gateway and mocks: a source that fails a couple of
// times is retried and answers within the query's deadline; a source that is down opens its
// circuit, is then not asked at all (the mocks' journal stands still), its stored facts are served
// marked stale, /readyz and /metrics show the circuit open, and the circuit closes once the source
// is back and the cool-down has passed; a definite answer ("no data", a business fault) is never
// retried. Short breaker timings; every wait polls with a deadline.
#include <chrono>
#include <set>
#include <thread>

#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSupplier = "150340012340";  // ТОО «Мейірім Медтехника»: every register
// The fixture's SHEP total timeout, hence each query's deadline (resilience.default.deadline_ms
// unset).
constexpr auto kDeadline = std::chrono::milliseconds(3000);
constexpr auto kOpenFor = std::chrono::seconds(3);

class ResilienceTest : public GatewayTest {
 protected:
  ResilienceTest() {
    resilience_yaml_ =
        "resilience:\n"
        "  default: {failure_threshold: 3, window: 0, open_seconds: 3, max_attempts: 3,\n"
        "            backoff_base_ms: 50, backoff_cap_ms: 200}\n";
  }

  std::string add_fault(const std::string& body) {
    const auto reply = mocks_admin(http::verb::post, "/admin/faults", body);
    EXPECT_EQ(reply.status, 200u) << body << " -> " << json::serialize(reply.body);
    return reply.status == 200 ? std::string(reply.body.at("id").as_string()) : std::string();
  }

  std::int64_t journal_count(const std::string& query) {
    return mocks_admin(http::verb::get, "/admin/journal/count?" + query)
        .body.at("count")
        .as_int64();
  }

  json::value get(const std::string& target) {
    const auto reply = call(port_, http::verb::get, target);
    EXPECT_EQ(reply.status, 200u) << target << ": " << json::serialize(reply.body);
    return reply.body;
  }

  // What `system` answered in a verify reply; {"outcome": null} when it is not there (an error
  // reply, or the system not asked).
  static json::value asked(const json::value& verified, std::string_view system) {
    const auto* verification =
        verified.is_object() ? verified.as_object().if_contains("verification") : nullptr;
    if (verification)
      for (const auto& a : verification->at("asked").as_array())
        if (is_text(a.at("system"), system)) return a;
    ADD_FAILURE() << system << " not in " << json::serialize(verified);
    return json::object{{"outcome", nullptr}, {"cause", ""}, {"message_id", ""}};
  }

  static std::string text(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  }

  json::value readyz_source(std::string_view system) {
    const auto ready = call(port_, http::verb::get, "/readyz");
    EXPECT_EQ(ready.status, 200u) << "a source down is no reason to be unready: "
                                  << json::serialize(ready.body);
    for (const auto& s : ready.body.at("sources").as_array())
      if (is_text(s.at("system"), system)) return s;
    return nullptr;
  }

  // The message log's rows of a supplier at a system, oldest first: message id and outcome.
  std::vector<std::pair<std::string, std::string>> message_log(const std::string& supplier,
                                                               const std::string& system) {
    auto connection = db();
    pqxx::work txn(*connection);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& row : txn.exec_params(
             "SELECT message_id, outcome FROM message_log WHERE supplier_id = $1 AND system = $2 "
             "ORDER BY started_at, id",
             supplier, system))
      out.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
    return out;
  }

  template <typename Condition>
  void poll_until(const std::string& what, std::chrono::milliseconds limit, Condition condition) {
    const auto until = Clock::now() + limit;
    while (!condition()) {
      if (Clock::now() > until) FAIL() << "timed out waiting for " << what;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
};

TEST_F(ResilienceTest, ASourceFailingTwiceIsRetriedAndAnswersWithinTheDeadline) {
  ASSERT_EQ(put(kSupplier, R"({"categories":["technical_aids"]})").status, 201u);
  add_fault(std::string(R"({"system":"kgd","subject":")") + kSupplier +
            R"(","mode":"http_503","count":2})");

  const auto started = Clock::now();
  const auto verified = verify(kSupplier);
  const auto took = Clock::now() - started;
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  EXPECT_LT(took, kDeadline) << "one deadline for the query, retries included";
  EXPECT_EQ(asked(verified.body, "kgd").at("outcome"), "data") << json::serialize(verified.body);
  EXPECT_EQ(source(verified.body, "kgd").at("outcome"), "data");

  // Three attempts reached KGD, each under its own message id, each in the message log.
  EXPECT_EQ(journal_count(std::string("subject=") + kSupplier + "&system=kgd"), 3);
  const auto logged = message_log(kSupplier, "kgd");
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_EQ(logged[0].second, "unavailable");
  EXPECT_EQ(logged[1].second, "unavailable");
  EXPECT_EQ(logged[2].second, "data");
  std::set<std::string> ids;
  for (const auto& [id, _] : logged) ids.insert(id);
  EXPECT_EQ(ids.size(), 3u);
  const auto journal = mocks_admin(http::verb::get, std::string("/admin/journal?subject=") +
                                                        kSupplier + "&system=kgd")
                           .body.as_array();
  ASSERT_EQ(journal.size(), 3u);
  for (const auto& entry : journal) EXPECT_EQ(ids.count(text(entry.at("message_id"))), 1u);
  // The facts carry the message id of the attempt that answered.
  EXPECT_EQ(text(asked(verified.body, "kgd").at("message_id")), logged[2].first);

  // The other sources were asked once each.
  EXPECT_EQ(journal_count(std::string("subject=") + kSupplier + "&system=gbd_ul"), 1);
  const auto kgd = readyz_source("kgd");
  ASSERT_FALSE(kgd.is_null());
  EXPECT_EQ(kgd.at("state"), "closed");
  EXPECT_EQ(kgd.at("consecutive_failures"), 0);
  EXPECT_EQ(kgd.at("retries"), 2);
}

TEST_F(ResilienceTest, ASourceDownOpensItsCircuitServesStaleFactsAndClosesWhenBack) {
  ASSERT_EQ(put(kSupplier, R"({"categories":["technical_aids"]})").status, 201u);
  ASSERT_EQ(asked(verify(kSupplier).body, "kgd").at("outcome"), "data");  // facts on file

  // KGD down: three attempts of one query fail, and three failures in a row open the circuit.
  const auto down = add_fault(R"({"system":"kgd","mode":"http_503"})");
  const auto failed = verify(kSupplier);
  ASSERT_EQ(failed.status, 200u);
  EXPECT_EQ(asked(failed.body, "kgd").at("outcome"), "unavailable");
  auto kgd = readyz_source("kgd");
  ASSERT_FALSE(kgd.is_null());
  EXPECT_EQ(kgd.at("state"), "open") << json::serialize(kgd);
  EXPECT_GE(kgd.at("consecutive_failures").as_int64(), 3);
  EXPECT_NE(text(kgd.at("last_failure_cause")).find("503"), std::string::npos);
  EXPECT_FALSE(kgd.at("last_failure_at").is_null());
  EXPECT_FALSE(kgd.at("last_success_at").is_null());
  EXPECT_FALSE(kgd.at("probe_after").is_null());
  EXPECT_EQ(readyz_source("gbd_ul").at("state"), "closed");

  // Open: answered at once with "circuit open", and KGD is not asked at all.
  const auto asked_before = journal_count("system=kgd");
  const auto started = Clock::now();
  const auto short_circuited = verify(kSupplier);
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(1000));
  ASSERT_EQ(short_circuited.status, 200u);
  const auto answer = asked(short_circuited.body, "kgd");
  EXPECT_EQ(answer.at("outcome"), "unavailable");
  EXPECT_EQ(text(answer.at("cause")).rfind("circuit open", 0), 0u) << json::serialize(answer);
  EXPECT_EQ(journal_count("system=kgd"), asked_before);
  EXPECT_EQ(asked(short_circuited.body, "gbd_ul").at("outcome"), "data") << "the others as ever";

  // The stored facts come back as they were, with their age, marked stale with the reason.
  const auto view = get(std::string("/v1/suppliers/") + kSupplier);
  SCOPED_TRACE(json::serialize(view));
  int kgd_facts = 0;
  for (const auto& f : view.at("facts").as_array()) {
    if (is_text(f.at("system"), "kgd")) {
      ++kgd_facts;
      EXPECT_EQ(f.at("stale"), true) << json::serialize(f);
      EXPECT_NE(text(f.at("stale_reason")).find("circuit open"), std::string::npos);
      EXPECT_TRUE(f.at("age_seconds").is_int64());
    } else {
      EXPECT_EQ(f.at("stale"), false) << json::serialize(f);
      EXPECT_TRUE(f.at("stale_reason").is_null());
    }
  }
  EXPECT_GT(kgd_facts, 0);
  // The eligibility view says which evidence is stale; KGD's requirement still has its evidence.
  const auto eligibility =
      get(std::string("/v1/suppliers/") + kSupplier + "/eligibility?category=technical_aids");
  SCOPED_TRACE(json::serialize(eligibility));
  bool stale_listed = false;
  for (const auto& s : eligibility.at("stale_sources").as_array())
    stale_listed = stale_listed || is_text(s.at("system"), "kgd");
  EXPECT_TRUE(stale_listed) << json::serialize(eligibility);
  int stale_evidence = 0;
  for (const auto& r : eligibility.at("verdicts").as_array()[0].at("requirements").as_array())
    for (const auto& e : r.at("evidence").as_array()) {
      EXPECT_EQ(e.at("stale"), is_text(e.at("system"), "kgd")) << json::serialize(e);
      if (e.at("stale") == true) ++stale_evidence;
    }
  EXPECT_GT(stale_evidence, 0);
  // /metrics shows the circuit open (2).
  const auto metrics = call(port_, http::verb::get, "/metrics");  // text: kept as a string
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(text(metrics.body).find("tekser_source_circuit_state{system=\"kgd\"} 2"),
            std::string::npos)
      << text(metrics.body);

  // KGD back: after the cool-down one probe goes through, answers, and the circuit closes.
  ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/faults/" + down).status, 200u);
  json::value last;
  poll_until("KGD's circuit to close", kOpenFor + std::chrono::seconds(5), [&] {
    last = verify(kSupplier).body;
    return asked(last, "kgd").at("outcome") == "data";
  });
  EXPECT_EQ(asked(last, "kgd").at("outcome"), "data") << json::serialize(last);
  kgd = readyz_source("kgd");
  EXPECT_EQ(kgd.at("state"), "closed") << json::serialize(kgd);
  EXPECT_EQ(kgd.at("consecutive_failures"), 0);
  EXPECT_EQ(kgd.at("times_opened"), 1);
  const auto recovered = get(std::string("/v1/suppliers/") + kSupplier);  // bound: see g++ 12
  for (const auto& f : recovered.at("facts").as_array())
    EXPECT_EQ(f.at("stale"), false) << json::serialize(f);
}

TEST_F(ResilienceTest, ADefiniteAnswerIsNeverRetried) {
  ASSERT_EQ(put(kSupplier, R"({"categories":["technical_aids"]})").status, 201u);
  // ГБД ЮЛ says "no data" on the first call, then has the data: a retry would find them.
  ASSERT_EQ(mocks_admin(http::verb::post, "/admin/scenarios",
                        std::string(R"({"subject":")") + kSupplier +
                            R"(","service_id":"GbdulInfoByBin_v2","steps":[{"answer":"no_data",)"
                            R"("calls":1},{"answer":"data"}]})")
                    .status /
                100,
            2u);
  // KGD refuses with a business fault (not an unavailability code) once.
  add_fault(std::string(R"({"system":"kgd","subject":")") + kSupplier +
            R"(","mode":"soap_fault","error_code":"SE_REQUEST_INVALID","count":1})");

  const auto verified = verify(kSupplier);
  ASSERT_EQ(verified.status, 200u);
  EXPECT_EQ(asked(verified.body, "gbd_ul").at("outcome"), "no_data")
      << json::serialize(verified.body);
  EXPECT_EQ(asked(verified.body, "kgd").at("outcome"), "refused");
  EXPECT_EQ(journal_count(std::string("subject=") + kSupplier + "&system=gbd_ul"), 1);
  EXPECT_EQ(journal_count(std::string("subject=") + kSupplier + "&system=kgd"), 1);
  EXPECT_EQ(message_log(kSupplier, "gbd_ul").size(), 1u);
  // Definite answers: the systems are up, the circuits stay closed with no failure counted.
  EXPECT_EQ(readyz_source("gbd_ul").at("consecutive_failures"), 0);
  EXPECT_EQ(readyz_source("kgd").at("consecutive_failures"), 0);
  EXPECT_EQ(readyz_source("kgd").at("retries"), 0);

  // The next verify asks again and gets the data.
  EXPECT_EQ(asked(verify(kSupplier).body, "gbd_ul").at("outcome"), "data");
}

}  // namespace
}  // namespace tekser::integration
