// The integration fixture: each test gets a fresh schema in the throw-away PostgreSQL, the real
// mocks binary and the real gateway binary, both on port 0; waits are the processes' "listening"
// lines and HTTP deadlines, never sleeps.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include "common/digest/sha256.hpp"
#include "tests/store/test_db.hpp"
#include "tests/support/api_record.hpp"
#include "tests/support/process.hpp"

namespace tekser::integration {

using namespace tekser::testing;
namespace json = boost::json;

// The key the mocks sign their replies with in these tests: made once per test process with the
// openssl command line (never committed), so that mocks restarted mid-test keep the key the
// gateway trusts. `sha256` is the certificate's fingerprint as the gateway reports it.
struct TestSigningKey {
  fs::path dir = make_temp_dir();
  fs::path key = dir / "mocks-signing.key";
  fs::path certificate = dir / "mocks-signing.pem";
  std::string sha256;

  TestSigningKey() {
    const auto run = [this](const std::string& command) {
      const auto log = dir / "openssl.log";
      if (std::system((command + " >'" + log.string() + "' 2>&1").c_str()) != 0)
        throw std::runtime_error(command + ": " + read_file(log));
      return read_file(log);
    };
    run("openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj '/CN=integration "
        "mocks SHEP' -keyout '" +
        key.string() + "' -out '" + certificate.string() + "'");
    // "sha256 Fingerprint=AB:CD:..." -> "abcd..."
    const auto line =
        run("openssl x509 -noout -fingerprint -sha256 -in '" + certificate.string() + "'");
    for (const char c : line.substr(line.find('=') + 1))
      if (std::isxdigit(static_cast<unsigned char>(c)))
        sha256 += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  ~TestSigningKey() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

inline const TestSigningKey& test_signing_key() {
  static const TestSigningKey key;
  return key;
}

inline std::vector<std::string> mocks_args(const fs::path& dir, const std::string& listen,
                                           const std::string& fixtures) {
  return {TEKSER_MOCKS_BINARY,
          "--listen",
          listen,
          "--port-file",
          (dir / "port").string(),
          "--contracts",
          TEKSER_CONTRACTS_DIR,
          "--fixtures",
          fixtures,
          "--signing-key",
          test_signing_key().key.string(),
          "--signing-cert",
          test_signing_key().certificate.string(),
          "--signing-cert-out",
          (dir / "signing.pem").string()};
}

// The API token of the client "integration-tests", which holds every scope: the fixture's
// gateway trusts it (clients file written by start_gateway) and call() sends it.
inline constexpr const char* kTestToken = "integration-test-token-7f3a9c";
inline constexpr const char* kTestClientId = "integration-tests";
inline const char* const kAllScopes =
    "[suppliers:read, suppliers:write, suppliers:verify, commission:write, refresh:read, "
    "refresh:run, "
    "triggers:read, triggers:replay, audit:read, exchanges:read, metrics:read]";

inline std::string bearer(const std::string& token) {
  return "Bearer " + token;
}

struct JsonReply {
  unsigned status = 0;
  json::value body;
  http::fields headers;
};

// A call with exactly these headers (none: no credentials at all).
inline JsonReply call_with(unsigned short port, http::verb method, const std::string& target,
                           const std::string& body, const HttpHeaders& headers) {
  auto result = http_call(port, method, target, body, 20s, "application/json", headers);
  if (result.error) throw std::runtime_error(target + ": " + result.error.message());
  // Only the gateway's answers are checked against its contract (the same helper calls the mocks).
  if (Listeners::name(port) == "gateway") record_api_call(method, target, result.response);
  JsonReply reply;
  reply.status = result.response.result_int();
  json::error_code ec;
  reply.body = json::parse(result.response.body(), ec);
  if (ec) reply.body = json::string(result.response.body());
  reply.headers = result.response.base();
  return reply;
}

// A call as the all-scopes test client (the mocks ignore its Authorization header).
inline JsonReply call(unsigned short port, http::verb method, const std::string& target,
                      const std::string& body = {}) {
  return call_with(port, method, target, body, {{"Authorization", bearer(kTestToken)}});
}

// A call without credentials.
inline JsonReply call_anonymous(unsigned short port, http::verb method, const std::string& target,
                                const std::string& body = {}) {
  return call_with(port, method, target, body, {});
}

inline bool is_text(const json::value& v, std::string_view text) {
  return v.is_string() && v.get_string() == text;
}

// The fact `name` of `system` among a supplier view's facts; null when absent.
inline json::value fact(const json::value& view, std::string_view system, std::string_view name) {
  for (const auto& f : view.at("facts").as_array())
    if (is_text(f.at("system"), system) && is_text(f.at("name"), name)) return f;
  return nullptr;
}

inline json::value source(const json::value& view, std::string_view system) {
  for (const auto& s : view.at("sources").as_array())
    if (is_text(s.at("system"), system)) return s;
  return nullptr;
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    schema_ = std::make_unique<store::test::FreshSchema>();
    start_mocks("127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
    start_gateway();
  }

  void start_mocks(const std::string& listen, const std::string& fixtures) {
    mocks_ = std::make_unique<ChildProcess>(
        [&](const fs::path& dir) { return mocks_args(dir, listen, fixtures); }, "mocks");
    mocks_port_ = mocks_->wait_listening();
  }

  // `registers_yaml` replaces the goszakup/samruk sections (e.g. to point one at a closed port).
  void start_gateway(std::optional<std::string> registers_yaml = std::nullopt) {
    const auto mocks_url = "http://127.0.0.1:" + std::to_string(mocks_port_) + "/";
    const auto registers = registers_yaml.value_or("goszakup: {url: '" + mocks_url +
                                                   "', token: test}\nsamruk: {url: '" + mocks_url +
                                                   "', token: test}\n");
    auto base = store::test::conninfo();
    if (database_port_) base = with_port(base, *database_port_);
    const auto url = base + (base.find('?') == std::string::npos ? "?" : "&") +
                     "options=-csearch_path%3D" + schema_->name();
    gateway_ = std::make_unique<ChildProcess>(
        [&](const fs::path& dir) {
          // Who may call: the all-scopes test client, and the clients a test adds.
          std::ofstream(dir / "clients.yaml")
              << "clients:\n"
              << "  - id: " << kTestClientId << "\n"
              << "    token_sha256: " << digest::sha256_hex(kTestToken) << "\n"
              << "    scopes: " << kAllScopes << "\n"
              << extra_clients_yaml_;
          std::ofstream(dir / "gateway.yaml")
              << "listen: {host: 127.0.0.1, port: 0" << listen_extra_yaml_ << "}\n"
              << api_auth_yaml_.value_or("api: {auth: {clients_file: '" +
                                         (dir / "clients.yaml").string() + "'}}\n")
              << "port_file: " << (dir / "port").string() << "\n"
              << "database: {url: '" << url << "', pool_size: 2" << database_extra_yaml_ << "}\n"
              << "shep:\n  url: http://127.0.0.1:" << mocks_port_ << "/bip-sync-wss-gost/\n"
              << "  connect_timeout_ms: 1000\n  read_timeout_ms: 1500\n"
              << "  total_timeout_ms: 3000\n"
              << "  reply_signature: {policy: " << reply_signature_policy_
              << ", trusted_certificates: ['"
              << trusted_certificate_.value_or(test_signing_key().certificate).string() << "']}\n"
              << extra_shep_yaml_
              << "sources: {requestor_bin: '020340000003', gbd_fl_sender_code: TEKSER"
              << sources_extra_yaml_ << "}\n"
              << registers << refresh_yaml_ << resilience_yaml_;
          return std::vector<std::string>{TEKSER_GATEWAY_BINARY, "--config",
                                          (dir / "gateway.yaml").string()};
        },
        "gateway");
    port_ = gateway_->wait_listening();
  }

  JsonReply put(const std::string& id, const std::string& body) {
    return call(port_, http::verb::put, "/v1/suppliers/" + id, body);
  }
  JsonReply verify(const std::string& id) {
    return call(port_, http::verb::post, "/v1/suppliers/" + id + "/verify");
  }
  JsonReply mocks_admin(http::verb method, const std::string& target,
                        const std::string& body = {}) {
    return call(mocks_port_, method, target, body);
  }

  std::unique_ptr<pqxx::connection> db() { return schema_->connect(); }

  // `uri` (postgresql://user@host:port/db…) with the port replaced.
  static std::string with_port(const std::string& uri, std::uint16_t port) {
    const auto at = uri.find('@');
    const auto colon = uri.find(':', at == std::string::npos ? uri.find("//") : at);
    const auto slash = uri.find('/', colon == std::string::npos ? 0 : colon);
    if (uri.rfind("postgresql://", 0) != 0 || colon == std::string::npos ||
        slash == std::string::npos)
      throw std::runtime_error(
          "TEKSER_TEST_PG_FILE: expected postgresql://user@host:port/db, got " + uri);
    return uri.substr(0, colon + 1) + std::to_string(port) + uri.substr(slash);
  }
  // The upstream port of the shared test database (to relay it through a proxy).
  static std::uint16_t database_port() {
    const auto uri = store::test::conninfo();
    const auto at = uri.find('@');
    const auto colon = uri.find(':', at == std::string::npos ? uri.find("//") : at);
    return static_cast<std::uint16_t>(std::stoi(uri.substr(colon + 1)));
  }

  // Polls `condition` until it holds; throws (the test fails) past `wait_deadline_`, saying what
  // was awaited and how it stood, with the end of the gateway's log.
  template <typename Condition>
  void wait_until(const std::string& what, Condition condition,
                  std::function<std::string()> state = {}) {
    const auto until = std::chrono::steady_clock::now() + wait_deadline_;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > until) {
        const auto log = gateway_ ? gateway_->stderr_text() : std::string();
        throw std::runtime_error(
            "timed out waiting for " + what + (state ? " (" + state() + ")" : std::string()) +
            "; gateway log ends: " + log.substr(log.size() > 3000 ? log.size() - 3000 : 0));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::unique_ptr<store::test::FreshSchema> schema_;
  // The gateway reaches the database on this port of the same host (a test's proxy) when set.
  std::optional<std::uint16_t> database_port_;
  // How long wait_until() polls. Generous: ASan on a loaded 2-core machine; on a quiet one each
  // wait ends within seconds.
  std::chrono::seconds wait_deadline_{120};
  std::unique_ptr<ChildProcess> mocks_;
  std::unique_ptr<ChildProcess> gateway_;
  // What start_gateway() demands of the mocks' reply signatures (tests may change it first).
  std::string reply_signature_policy_ = "verify_if_present";
  std::optional<fs::path> trusted_certificate_;  // default: the mocks' test key
  // The refresh section: off by default, so that a gateway started on a Monday morning does not
  // begin the week's run (the schedule's catch-up window) under a test that is about something
  // else.
  std::string refresh_yaml_ = "refresh: {schedule: 'off'}\n";
  std::string extra_shep_yaml_;  // more keys of the shep section, indented by 2
  // The resilience section (retries, breakers): empty for the gateway's defaults.
  std::string resilience_yaml_;
  // One attempt per query and a breaker that never opens, for tests about a single exchange.
  static constexpr const char* kOneAttemptNoBreaker =
      "resilience: {default: {max_attempts: 1, failure_threshold: 10000, window: 0}}\n";
  // More clients of the API (items of the clients list, indented by 2: "  - id: ...").
  std::string extra_clients_yaml_;
  // Replaces the api section (default: api.auth.clients_file naming the fixture's clients file).
  std::optional<std::string> api_auth_yaml_;
  // More keys of the database section, e.g. ", wait_timeout_ms: 500".
  std::string database_extra_yaml_;
  // More keys of the listen section, e.g. ", read_timeout_ms: 1500".
  std::string listen_extra_yaml_;
  // More keys of the sources section, e.g. ", gbd_ul: {payload_style: declared}".
  std::string sources_extra_yaml_;
  unsigned short mocks_port_ = 0;
  unsigned short port_ = 0;
};

}  // namespace tekser::integration
