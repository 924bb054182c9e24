// `tekser-gateway --check-config` fails exactly when start-up would (issue 17, item 3): for each
// thing start-up refuses, the real binary run with --check-config and run to start both stop with
// exit code 2 and the same message, naming the key. A configuration start-up accepts passes the
// check without a database: the check reads files and parses URLs, it connects nowhere.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include <boost/json.hpp>

#include "tests/integration/run_ctl.hpp"

namespace tekser::integration {
namespace {

// The "error" of the gateway's startup_failed line; "" when there is none.
std::string startup_error(const std::string& log) {
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    json::error_code ec;
    const auto value = json::parse(line, ec);
    if (ec || !value.is_object()) continue;
    const auto& object = value.as_object();
    const auto* event = object.if_contains("event");
    if (event && is_text(*event, "startup_failed"))
      return std::string(object.at("error").as_string());
  }
  return {};
}

class CheckConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_ / "clients.yaml")
        << "clients:\n  - id: portal\n    token_sha256: " << digest::sha256_hex(kTestToken)
        << "\n    scopes: [suppliers:read]\n";
    fs::create_directories(dir_ / "empty");
    // Nothing listens on port 1: the check must not need anyone to answer.
    sections_ = {
        {"listen", "listen: {host: 127.0.0.1, port: 0}"},
        {"api", "api: {auth: {clients_file: '" + path("clients.yaml") + "'}}"},
        {"database", "database: {url: 'postgresql://tekser@127.0.0.1:1/tekser'}"},
        {"shep", "shep: {url: 'http://127.0.0.1:1/bip-sync-wss-gost/'}"},
        {"sources", "sources: {requestor_bin: '020340000003', gbd_fl_sender_code: TEKSER}"},
        {"goszakup", "goszakup: {url: 'http://127.0.0.1:1/'}"},
        {"refresh", "refresh: {schedule: 'MON 02:00'}"},
        {"portal", "portal: {webhook_url: 'http://127.0.0.1:1/hook', secret: test-secret}"},
    };
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // The configuration file with `section` replaced by `yaml`.
  std::string write_config(const std::string& section = {}, const std::string& yaml = {}) {
    auto sections = sections_;
    if (!section.empty()) sections[section] = yaml;
    const auto file = dir_ / "gateway.yaml";
    std::ofstream out(file);
    for (const auto& [_, text] : sections) out << text << "\n";
    return file.string();
  }

  // Runs the gateway on `file`; TEKSER_PORTAL_SECRET and the database URL are never taken from
  // the test's own environment.
  BinaryRun gateway(const std::string& file, bool check_only) {
    std::vector<std::string> args{"--config", file};
    if (check_only) args.push_back("--check-config");
    return run_to_end(TEKSER_GATEWAY_BINARY, args, 30s,
                      {"TEKSER_PORTAL_SECRET", "TEKSER_DATABASE_URL"});
  }

  // Both runs refuse `yaml` in `section` with the same message, which names `key`.
  void expect_refused(const std::string& section, const std::string& yaml, const std::string& key,
                      const std::string& reason = {}) {
    SCOPED_TRACE(section + ": " + yaml);
    const auto file = write_config(section, yaml);
    const auto checked = gateway(file, true);
    const auto started = gateway(file, false);
    EXPECT_EQ(checked.exit_code, 2) << checked.out << checked.err;
    EXPECT_EQ(started.exit_code, 2) << started.err;
    const auto check_error = startup_error(checked.err);
    EXPECT_NE(check_error.find(file + ": " + key + ": "), std::string::npos) << check_error;
    if (!reason.empty()) {
      EXPECT_NE(check_error.find(reason), std::string::npos) << check_error;
    }
    EXPECT_EQ(check_error, startup_error(started.err));
    EXPECT_EQ(checked.out.find(": ok"), std::string::npos) << checked.out;
  }

  fs::path dir_ = make_temp_dir();
  std::map<std::string, std::string> sections_;
};

TEST_F(CheckConfigTest, AConfigurationStartUpAcceptsPassesWithoutADatabase) {
  const auto file = write_config();
  const auto checked = gateway(file, true);
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_NE(checked.out.find(file + ": ok"), std::string::npos) << checked.out;
  // It told what it loaded, as a start does.
  EXPECT_NE(checked.err.find(R"("event":"api_access")"), std::string::npos) << checked.err;
}

TEST_F(CheckConfigTest, TheClientsFile) {
  expect_refused("api", "api: {auth: {clients_file: '" + path("missing.yaml") + "'}}",
                 "api.auth.clients_file");
}

TEST_F(CheckConfigTest, TheListenAddress) {
  expect_refused("listen", "listen: {host: localhost, port: 0}", "listen.host",
                 "is not an IP address");
}

TEST_F(CheckConfigTest, TheApiListenersTlsFiles) {
  expect_refused("api",
                 "api: {auth: {clients_file: '" + path("clients.yaml") +
                     "'}, tls: {certificate: '" + path("none.pem") + "', key: '" +
                     path("none.key") + "'}}",
                 "api.tls.certificate");
}

TEST_F(CheckConfigTest, TheDatabaseUrl) {
  expect_refused("database", "database: {url: 'host=127.0.0.1 no_such_option=1'}", "database.url",
                 "no_such_option");
}

TEST_F(CheckConfigTest, TheShepUrl) {
  expect_refused("shep", "shep: {url: 'ftp://127.0.0.1/bus/'}", "shep.url");
}

TEST_F(CheckConfigTest, TheTrustStoreOfReplySignatures) {
  expect_refused("shep",
                 "shep: {url: 'http://127.0.0.1:1/bip-sync-wss-gost/', reply_signature: {policy: "
                 "require, trusted_certificates: ['" +
                     path("none.pem") + "']}}",
                 "shep.reply_signature.trusted_certificates");
}

TEST_F(CheckConfigTest, TheRequestSigningKey) {
  expect_refused("shep",
                 "shep: {url: 'http://127.0.0.1:1/bip-sync-wss-gost/', request_signing: {key: '" +
                     path("none.key") + "', certificate: '" + path("none.pem") + "'}}",
                 "shep.request_signing");
}

TEST_F(CheckConfigTest, TheTlsFilesOfAnHttpsDestination) {
  expect_refused("shep",
                 "shep: {url: 'https://127.0.0.1:1/bip-sync-wss-gost/', tls: {ca_file: '" +
                     path("none.pem") + "'}}",
                 "shep.tls.ca_file");
}

TEST_F(CheckConfigTest, ARegistersUrl) {
  expect_refused("goszakup", "goszakup: {url: 'not a url'}", "goszakup.url");
}

TEST_F(CheckConfigTest, TheCalendarFolder) {
  expect_refused("refresh", "refresh: {calendar_dir: '" + path("nowhere") + "'}",
                 "refresh.calendar_dir");
  expect_refused("refresh", "refresh: {calendar_dir: '" + path("empty") + "'}",
                 "refresh.calendar_dir", "no kz-YYYY.json");
}

TEST_F(CheckConfigTest, TheDeregistrationPolicy) {
  expect_refused("refresh", "refresh: {deregister_policy: no-such-policy}",
                 "refresh.deregister_policy", "no deregistration policy 'no-such-policy'");
}

TEST_F(CheckConfigTest, ThePortalsWebhookAndSecret) {
  expect_refused("portal", "portal: {webhook_url: 'nope', secret: s}", "portal.webhook_url");
  expect_refused("portal", "portal: {webhook_url: 'http://127.0.0.1:1/hook'}", "portal.secret",
                 "required");
  expect_refused(
      "portal",
      "portal: {webhook_url: 'http://127.0.0.1:1/hook', secret_file: '" + path("none") + "'}",
      "portal.secret_file", "cannot read");
}

}  // namespace
}  // namespace tekser::integration
