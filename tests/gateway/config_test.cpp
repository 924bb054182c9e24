// The gateway's YAML configuration: every mistake stops start-up with the key's path and why.
#include <gtest/gtest.h>

#include <cstdlib>

#include "gateway/config/config.hpp"

namespace tekser::config {
namespace {

constexpr const char* kMinimal = R"(
database: {url: "postgresql://tekser@127.0.0.1:5432/tekser"}
sources: {requestor_bin: "020340000003", gbd_fl_sender_code: TEKSER}
)";

std::string error_of(const std::string& yaml) {
  try {
    parse(yaml, "test.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(GatewayConfig, MinimalFileTakesDefaultsForTheRest) {
  const auto c = parse(kMinimal, "test.yaml");
  EXPECT_EQ(c.listen.host, "127.0.0.1");
  EXPECT_EQ(c.listen.port, 8080);
  EXPECT_EQ(c.database.pool_size, 4u);
  EXPECT_EQ(c.shep.connect_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(c.sources.facts_valid_for, std::chrono::hours(24 * 7));
  EXPECT_EQ(c.sources.requestor_bin, "020340000003");
}

TEST(GatewayConfig, ReadsEveryKey) {
  const auto c = parse(std::string(kMinimal) + R"(
listen: {host: 0.0.0.0, port: 0}
io_threads: 4
shep:
  url: http://10.0.0.1:9000/bip-sync-wss-gost/
  sender_id: portal
  password: s3cret
  connect_timeout_ms: 500
  read_timeout_ms: 700
  total_timeout_ms: 900
  max_concurrent: 3
)",
                       "test.yaml");
  EXPECT_EQ(c.listen.port, 0);
  EXPECT_EQ(c.io_threads, 4u);
  EXPECT_EQ(c.shep.sender_id, "portal");
  EXPECT_EQ(c.shep.password, "s3cret");
  EXPECT_EQ(c.shep.total_timeout, std::chrono::milliseconds(900));
  EXPECT_EQ(c.shep.max_concurrent, 3u);
}

// Issue 14 item 4: every database wait has a bound, by default and as configured.
TEST(GatewayConfig, DatabaseWaitsAreBounded) {
  const auto defaults = parse(kMinimal, "test.yaml");
  EXPECT_EQ(defaults.database.statement_timeout, std::chrono::seconds(30));
  EXPECT_EQ(defaults.database.wait_timeout, std::chrono::seconds(10));
  EXPECT_EQ(defaults.database.readiness_timeout, std::chrono::seconds(2));
  EXPECT_EQ(defaults.refresh.default_limit.max_wait, std::chrono::seconds(60));

  const auto c = parse(R"(
database: {url: "postgresql://x/y", statement_timeout_ms: 5000, wait_timeout_ms: 800,
           readiness_timeout_ms: 300}
sources: {requestor_bin: "020340000003", gbd_fl_sender_code: TEKSER}
refresh: {limits: {kgd: {max_concurrent: 2, rate_per_second: 5, max_wait_ms: 1500}}}
)",
                       "test.yaml");
  EXPECT_EQ(c.database.statement_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c.database.wait_timeout, std::chrono::milliseconds(800));
  EXPECT_EQ(c.database.readiness_timeout, std::chrono::milliseconds(300));
  EXPECT_EQ(c.refresh.limits.at("kgd").max_wait, std::chrono::milliseconds(1500));
  EXPECT_NE(error_of(std::string(R"(
database: {url: "postgresql://x/y", wait_timeout_ms: 0}
sources: {requestor_bin: "020340000003", gbd_fl_sender_code: TEKSER}
)"))
                .find("database.wait_timeout_ms"),
            std::string::npos);
}

// Migration 0090: when a row still pending is called interrupted, and how often it is looked for.
TEST(GatewayConfig, AuditSweepHasDefaultsAndNamedBounds) {
  const auto defaults = parse(kMinimal, "test.yaml");
  EXPECT_EQ(defaults.audit.interrupted_after, std::chrono::hours(1));
  EXPECT_EQ(defaults.audit.sweep_every, std::chrono::minutes(5));
  const auto c = parse(R"(
database: {url: "postgresql://x/y"}
sources: {requestor_bin: "020340000003", gbd_fl_sender_code: TEKSER}
audit: {interrupted_after_ms: 90000, sweep_every_ms: 1000}
)",
                       "test.yaml");
  EXPECT_EQ(c.audit.interrupted_after, std::chrono::seconds(90));
  EXPECT_EQ(c.audit.sweep_every, std::chrono::seconds(1));
  const auto error = error_of(std::string(R"(
database: {url: "postgresql://x/y"}
sources: {requestor_bin: "020340000003", gbd_fl_sender_code: TEKSER}
audit: {interrupted_after_ms: 10}
)"));
  EXPECT_NE(error.find("audit.interrupted_after_ms"), std::string::npos) << error;
  EXPECT_NE(error_of(std::string(R"(
database: {url: "postgresql://x/y"}
sources: {requestor_bin: "020340000003", gbd_fl_sender_code: TEKSER}
audit: {sweep_after_ms: 1000}
)"))
                .find("audit.sweep_after_ms"),
            std::string::npos);
}

TEST(GatewayConfig, TheViewCacheHasADefaultAndCanBeSwitchedOff) {
  EXPECT_EQ(parse(kMinimal, "test.yaml").api.view_cache_entries, 10'000u);
  EXPECT_EQ(parse(std::string(kMinimal) + "api: {auth: {mode: open}, view_cache_entries: 0}\n",
                  "test.yaml")
                .api.view_cache_entries,
            0u);
  const auto error =
      error_of(std::string(kMinimal) + "api: {auth: {mode: open}, view_cache_entries: -1}\n");
  EXPECT_NE(error.find("api.view_cache_entries"), std::string::npos) << error;
}

TEST(GatewayConfig, UnknownKeyIsRefusedWithItsPath) {
  const auto error = error_of(std::string(kMinimal) + "shep: {conect_timeout_ms: 5}\n");
  EXPECT_NE(error.find("test.yaml: shep.conect_timeout_ms: unknown key"), std::string::npos)
      << error;
  EXPECT_NE(error.find("connect_timeout_ms"), std::string::npos) << "lists the known keys";
  EXPECT_NE(error_of(std::string(kMinimal) + "colour: red\n").find("colour: unknown key"),
            std::string::npos);
}

TEST(GatewayConfig, BadValuesNameTheKeyAndTheReason) {
  EXPECT_NE(error_of(std::string(kMinimal) + "listen: {port: 70000}\n")
                .find("listen.port: must be between 0 and 65535"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "shep: {read_timeout_ms: soon}\n")
                .find("shep.read_timeout_ms: expected an integer, got 'soon'"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "io_threads: [1, 2]\n")
                .find("io_threads: expected a scalar"),
            std::string::npos);
  EXPECT_NE(
      error_of(std::string(kMinimal) + "shep: {connect_timeout_ms: 5000, total_timeout_ms: 1000}\n")
          .find("shep.total_timeout_ms: must not be shorter"),
      std::string::npos);
}

TEST(GatewayConfig, RequestorBinMustBeAValidBin) {
  const auto error = error_of(R"(
sources: {requestor_bin: "020340000004", gbd_fl_sender_code: TEKSER}
)");
  EXPECT_NE(error.find("sources.requestor_bin: check digit"), std::string::npos) << error;
  EXPECT_NE(error_of("sources: {gbd_fl_sender_code: X}\n").find("sources.requestor_bin: required"),
            std::string::npos);
}

TEST(GatewayConfig, RefreshAndPortalSections) {
  const auto defaults = parse(kMinimal, "test.yaml");
  EXPECT_EQ(defaults.refresh.schedule, "MON 02:00");
  EXPECT_FALSE(defaults.portal) << "no webhook: triggers wait for the pull API";
  const auto c = parse(std::string(kMinimal) + R"(
refresh:
  schedule: "SUN 23:30"
  workers: 4
  lease_seconds: 30
  deregister_policy: rules_2022
  limits:
    default: {max_concurrent: 4, rate_per_second: 20}
    kgd: {max_concurrent: 2, rate_per_second: 5}
portal:
  webhook_url: http://127.0.0.1:9/portal/api/v1/supplier-triggers
  secret_file: /run/secrets/portal
  max_attempts: 50
)",
                       "test.yaml");
  EXPECT_EQ(c.refresh.schedule, "SUN 23:30");
  EXPECT_EQ(c.refresh.workers, 4);
  EXPECT_EQ(c.refresh.lease, std::chrono::seconds(30));
  EXPECT_EQ(c.refresh.deregister_policy, "rules_2022");
  EXPECT_EQ(c.refresh.default_limit.max_concurrent, 4);
  EXPECT_EQ(c.refresh.limits.at("kgd").rate_per_second, 5);
  ASSERT_TRUE(c.portal);
  EXPECT_EQ(c.portal->max_attempts, 50);
  EXPECT_EQ(*c.portal->secret_file, "/run/secrets/portal");
}

TEST(GatewayConfig, RefreshAndPortalMistakesAreNamed) {
  EXPECT_NE(error_of(std::string(kMinimal) + "refresh: {schedule: \"monday 2am\"}\n")
                .find("refresh.schedule: schedule 'monday 2am': day 'MONDAY' is not one of"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "refresh: {limits: {kgd: {rps: 5}}}\n")
                .find("refresh.limits.kgd.rps: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "portal: {secret: a}\n")
                .find("portal.webhook_url: required"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) +
                     "portal: {webhook_url: 'http://x:1/', secret: a, secret_file: /b}\n")
                .find("portal.secret: give either secret or secret_file"),
            std::string::npos);
}

TEST(GatewayConfig, ApiAuthIsRequiredAndChecked) {
  const auto c = parse(std::string(kMinimal) + "api: {auth: {clients_file: /etc/tekser/c.yaml}}\n",
                       "test.yaml");
  ASSERT_TRUE(c.api.auth);
  EXPECT_EQ(c.api.auth->mode, ApiAuth::Mode::clients);
  EXPECT_EQ(c.api.auth->clients_file, "/etc/tekser/c.yaml");
  EXPECT_NO_THROW(require_api_auth(c, "test.yaml"));
  EXPECT_EQ(parse(std::string(kMinimal) + "api: {auth: {mode: open}}\n", "t").api.auth->mode,
            ApiAuth::Mode::open);

  // Without the section the gateway would answer anyone: it does not start, and says what to do.
  try {
    require_api_auth(parse(kMinimal, "test.yaml"), "test.yaml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("test.yaml: api.auth: required", 0), 0u) << message;
    EXPECT_NE(message.find("api.auth.clients_file"), std::string::npos);
    EXPECT_NE(message.find("api.auth: {mode: open}"), std::string::npos);
  }
  EXPECT_NE(error_of(std::string(kMinimal) + "api: {auth: {}}\n")
                .find("api.auth.clients_file: required (or mode: open"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "api: {auth: {mode: clients}}\n")
                .find("api.auth.clients_file: required in mode clients"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "api: {auth: {mode: none}}\n")
                .find("api.auth.mode: expected clients or open, got 'none'"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "api: {auth: {mode: open, clients_file: /c}}\n")
                .find("api.auth.clients_file: not used in mode open"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "api: {auth: {token: x}}\n")
                .find("api.auth.token: unknown key"),
            std::string::npos);
}

TEST(GatewayConfig, NotYamlIsRefused) {
  EXPECT_NE(error_of("listen: [unclosed").find("test.yaml: not valid YAML"), std::string::npos);
}

TEST(GatewayConfig, EnvironmentOverridesSecrets) {
  auto c = parse(kMinimal, "test.yaml");
  setenv("TEKSER_DATABASE_URL", "postgresql://other/db", 1);
  setenv("TEKSER_SHEP_PASSWORD", "from-env", 1);
  apply_environment(c);
  unsetenv("TEKSER_DATABASE_URL");
  unsetenv("TEKSER_SHEP_PASSWORD");
  EXPECT_EQ(c.database.url, "postgresql://other/db");
  EXPECT_EQ(c.shep.password, "from-env");
}

}  // namespace
}  // namespace tekser::config
