// A gateway that refreshes and delivers to the mocks' portal, for the tests of whole refresh runs:
// starting a run and waiting for it, the gateway's outbox, what the mock portal accepted. Waits
// poll with deadlines, never sleep-and-hope.
#pragma once

#include <algorithm>
#include <chrono>
#include <csignal>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {

using Clock = std::chrono::steady_clock;

// The mock portal's published development secret (mocks/README.md, "Mock portal").
constexpr const char* kPortalSecret = "tekser-mock-portal-development-secret";
// Short leases, so that the work a killed gateway held comes back within seconds: the refresh's
// (refresh.lease_seconds) and the delivery's (twice portal.total_timeout_ms).
constexpr int kRefreshLeaseSeconds = 5;
constexpr int kPortalTimeoutMs = 5000;

inline std::string text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

// A trigger as the mock portal accepted it.
struct Accepted {
  std::string trigger_id;
  std::string supplier;
  std::string kind;
  long long sequence = 0;
  std::string grounds;  // the codes, comma-separated
  std::string supersedes;
  bool order_violation = false;
  boost::json::object document;  // the trigger as the portal received it
};

class RefreshingGatewayTest : public GatewayTest {
 protected:
  // The fixture's gateway with the refresh off its schedule, short leases, and the webhook to
  // the mocks' portal. Called again after a kill: the same database, a new replica.
  void start_refreshing_gateway() {
    const auto mocks = "http://127.0.0.1:" + std::to_string(mocks_port_);
    refresh_yaml_ = "refresh: {schedule: 'off', workers: " + std::to_string(refresh_workers_) +
                    ", batch: " + std::to_string(refresh_batch_) +
                    ", lease_seconds: " + std::to_string(kRefreshLeaseSeconds) +
                    (replica_.empty() ? "" : ", replica: " + replica_) + "}\n" + audit_yaml_;
    // The registers' sections as the fixture writes them, and the portal's.
    start_gateway("goszakup: {url: '" + mocks + "/', token: test}\n" + "samruk: {url: '" + mocks +
                  "/', token: test}\n" + "portal: {webhook_url: '" + mocks +
                  "/portal/api/v1/supplier-triggers', " + "secret: " + kPortalSecret +
                  ", workers: 2, total_timeout_ms: " + std::to_string(kPortalTimeoutMs) + "}\n");
  }

  // A schema of its own and the mocks with a generated population of 200 subjects (seed 7; `shares`
  // e.g. "rnu=0.05" for --population-shares). The gateway is started afterwards (a test may set
  // its clients first). The caller skips without PostgreSQL first.
  void start_population_mocks(const std::string& shares = {}) {
    schema_ = std::make_unique<store::test::FreshSchema>();
    mocks_ = std::make_unique<ChildProcess>(
        [shares](const fs::path& dir) {
          auto args = mocks_args(dir, "127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
          for (const char* arg : {"--population", "200", "--population-seed", "7"})
            args.emplace_back(arg);
          if (!shares.empty()) {
            args.emplace_back("--population-shares");
            args.push_back(shares);
          }
          return args;
        },
        "mocks");
    mocks_port_ = mocks_->wait_listening();
  }

  // The first subject of the mocks' population of one of `kinds` whose traits are exactly
  // `traits` (none: nothing to block or warn about): its id (empty when there is none) and what
  // it supplies.
  std::pair<std::string, json::value> first_subject(std::vector<std::string> kinds,
                                                    std::vector<std::string> traits = {}) {
    const auto population = get(mocks_port_, "/admin/population/subjects?limit=200");
    for (const auto& s : population.at("subjects").as_array()) {
      if (std::find(kinds.begin(), kinds.end(), text(s.at("kind"))) == kinds.end()) continue;
      std::vector<std::string> has;
      for (const auto& t : s.at("traits").as_array()) has.push_back(text(t));
      if (has == traits) return {text(s.at("id")), s.at("services")};
    }
    return {};
  }

  // The PUT body of a population subject: technical aids, what it supplies (the population's
  // `services`, so that p.3 item 9 asks the licence its line of business needs), and for an
  // individual a consent token (ГБД ФЛ is asked only with one).
  static std::string supplier_body(bool individual, const json::value& services) {
    std::string body =
        R"({"categories":["technical_aids"],"services":)" + json::serialize(services);
    if (individual) body += R"(,"consent":{"kdp_token":"kdp-test","public_key":"MIIB"})";
    return body + "}";
  }

  // The gateway's audit section (when a pending row is called interrupted); empty: defaults.
  std::string audit_yaml_;
  // refresh.workers and refresh.batch (items a worker leases, and commits together).
  int refresh_workers_ = 2;
  int refresh_batch_ = 1;
  // refresh.replica, the name on this gateway's leases; empty: the gateway's default (host-pid).
  std::string replica_;

  void kill_gateway() {
    const auto exit = gateway_->stop(SIGKILL, std::chrono::seconds(10));
    ASSERT_EQ(exit, 128 + SIGKILL);
  }

  json::value get(unsigned short port, const std::string& target) {
    const auto reply = call(port, http::verb::get, target);
    if (reply.status != 200)
      throw std::runtime_error("GET " + target + ": " + std::to_string(reply.status) + " " +
                               json::serialize(reply.body));
    return reply.body;
  }
  json::value mocks_post(const std::string& target, const std::string& body) {
    const auto reply = mocks_admin(http::verb::post, target, body);
    if (reply.status != 200)
      throw std::runtime_error("POST " + target + " " + body + ": " + std::to_string(reply.status) +
                               " " + json::serialize(reply.body));
    return reply.body;
  }

  // ---- runs and deliveries ----

  long long start_run() {
    const auto reply = call(port_, http::verb::post, "/v1/refresh-runs");
    if (reply.status != 202)
      throw std::runtime_error("POST /v1/refresh-runs: " + std::to_string(reply.status) + " " +
                               json::serialize(reply.body));
    return reply.body.at("id").as_int64();
  }

  json::value run(long long id) { return get(port_, "/v1/refresh-runs/" + std::to_string(id)); }

  void wait_run_done(long long id) {
    json::value last;
    wait_until(
        "refresh run " + std::to_string(id) + " to finish",
        [&] {
          last = run(id);
          return last.at("status") == "done";
        },
        [&] { return json::serialize(last.at("progress")); });
    EXPECT_EQ(last.at("progress").at("failed"), 0) << json::serialize(last);
    EXPECT_EQ(last.at("progress").at("done"), last.at("total")) << json::serialize(last);
  }

  json::array gateway_triggers(const std::string& query) {
    return get(port_, "/v1/triggers?limit=1000" + query).at("triggers").as_array();
  }

  // The outbox empties: every trigger delivered (or dead, which fails the test).
  void wait_delivered() {
    json::array pending;
    wait_until(
        "the outbox to be delivered",
        [&] {
          pending = gateway_triggers("&status=pending");
          return pending.empty();
        },
        [&] { return json::serialize(pending); });
    EXPECT_TRUE(gateway_triggers("&status=dead").empty())
        << json::serialize(gateway_triggers("&status=dead"));
  }

  std::vector<Accepted> portal_triggers() {
    std::vector<Accepted> out;
    const auto triggers = get(mocks_port_, "/admin/portal/triggers");
    for (const auto& t : triggers.as_array()) {
      Accepted a;
      a.trigger_id = text(t.at("trigger_id"));
      a.supplier = text(t.at("supplier").at("id"));
      a.kind = text(t.at("kind"));
      a.sequence = t.at("sequence").as_int64();
      for (const auto& g : t.at("trigger").at("grounds").as_array())
        a.grounds += (a.grounds.empty() ? "" : ",") + text(g.at("code"));
      if (const auto* s = t.at("trigger").as_object().if_contains("supersedes"))
        a.supersedes = text(*s);
      a.order_violation = t.at("order_violation").as_bool();
      a.document = t.at("trigger").as_object();
      out.push_back(std::move(a));
    }
    return out;
  }

  json::array portal_deliveries() {
    return get(mocks_port_, "/admin/portal/deliveries").as_array();
  }
};

}  // namespace tekser::integration
