// Transport security against the real binaries: the mocks serve HTTPS and demand a client
// certificate from the test CA (mutual TLS), the gateway reaches SHEP and the REST registers over
// https. With its client certificate every source answers; without it, or when the server's
// certificate comes from an untrusted CA or names another host, each source is unavailable with a
// "tls: ..." cause and nothing is blocked on it. The gateway's own API over TLS refuses a client
// without a certificate (client_certificate: require), identifies one with a certificate by its
// SHA-256, and a client cannot claim that identity with a header of its own. Triggers reach a
// portal on mutual TLS with the client certificate and wait in the outbox without it; tekser-ctl
// speaks to the API on mutual TLS, and says which flag is wrong when a file cannot be used.
// The PKI is made at run time (tests/support/tls_pki.hpp); waits are polls with a deadline.
#include <algorithm>
#include <set>

#include "common/digest/sha256.hpp"
#include "tests/integration/run_ctl.hpp"
#include "tests/support/https_call.hpp"
#include "tests/support/tls_pki.hpp"

namespace tekser::integration {
namespace {

using testing::call_over;
using testing::CallResult;
using testing::CallTls;
using testing::tls::Pem;
using testing::tls::test_pki;

// ТОО «Көмек Тифлотехника»: every system has something to say about it.
constexpr const char* kSupplier = "161140118765";
constexpr const char* kToken = "tls-test-token-with-every-scope";
// The mocks' portal's secret when none is given.
constexpr const char* kPortalSecret = "tekser-mock-portal-development-secret";
// What the gateway's TLS listener sets for a verified client certificate (and drops when a client
// sends it).
constexpr const char* kSha256Header = "X-Tekser-Client-Certificate-Sha256";
constexpr const char* kSubjectHeader = "X-Tekser-Client-Certificate-Subject";
const std::vector<std::string> kSystems = {"gbd_ul", "kgd", "elicense", "goszakup", "samruk"};

std::string quoted(const fs::path& path) {
  return "'" + path.string() + "'";
}

json::value parsed(const CallResult& result) {
  json::error_code ec;
  auto value = json::parse(result.body, ec);
  return ec ? json::value(json::string(result.body)) : value;
}

class TlsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    schema_ = std::make_unique<store::test::FreshSchema>();
  }

  // The mocks on HTTPS with `certificate`, demanding a client certificate from the test CA.
  void start_mocks(const Pem& certificate) {
    mocks_ = std::make_unique<ChildProcess>(
        [&](const fs::path& dir) {
          auto args = mocks_args(dir, "127.0.0.1:0", TEKSER_MOCKS_FIXTURES);
          for (const auto& arg :
               {std::string("--tls-cert"), certificate.certificate.string(),
                std::string("--tls-key"), certificate.key.string(), std::string("--tls-client-ca"),
                test_pki().ca.certificate.string()})
            args.push_back(arg);
          return args;
        },
        "mocks");
    mocks_port_ = mocks_->wait_listening();
  }

  // `client_tls` is the flow-style tls section of every state system; `api_tls` the api.tls one
  // (empty: plain HTTP); `portal_tls` that of a portal webhook to the mocks' portal on https
  // (empty: no webhook).
  void start_gateway(const std::string& client_tls, const std::string& api_tls = "",
                     const std::string& portal_tls = "") {
    const auto base_url = "https://127.0.0.1:" + std::to_string(mocks_port_) + "/";
    auto conninfo = store::test::conninfo();
    const auto db_url = conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") +
                        "options=-csearch_path%3D" + schema_->name();
    gateway_ = std::make_unique<ChildProcess>(
        [&](const fs::path& dir) {
          // A client by token with every scope, and one known by its certificate alone.
          std::ofstream(dir / "clients.yaml")
              << "clients:\n"
              << "  - id: tls-tests\n    token_sha256: " << digest::sha256_hex(kToken)
              << "\n    scopes: [suppliers:read, suppliers:write, suppliers:verify, refresh:read, "
                 "refresh:run, triggers:read]\n"
              << "  - id: by-certificate\n    certificate_sha256: " << test_pki().client_sha256
              << "\n    scopes: [suppliers:read, suppliers:write]\n";
          std::ofstream(dir / "gateway.yaml")
              << "listen: {host: 127.0.0.1, port: 0}\n"
              << "api:\n  auth: {clients_file: " << quoted(dir / "clients.yaml") << "}\n"
              << (api_tls.empty() ? "" : "  tls: " + api_tls + "\n")
              << "port_file: " << quoted(dir / "port") << "\n"
              << "database: {url: '" << db_url << "', pool_size: 2}\n"
              << "shep:\n  url: " << base_url << "bip-sync-wss-gost/\n"
              << "  connect_timeout_ms: 1000\n  read_timeout_ms: 1500\n"
              << "  total_timeout_ms: 3000\n"
              << "  reply_signature: {policy: verify_if_present, trusted_certificates: ["
              << quoted(test_signing_key().certificate) << "]}\n"
              << "  tls: " << client_tls << "\n"
              << "sources: {requestor_bin: '020340000003', gbd_fl_sender_code: TEKSER}\n"
              << "goszakup: {url: '" << base_url << "', token: test, tls: " << client_tls << "}\n"
              << "samruk: {url: '" << base_url << "', token: test, tls: " << client_tls << "}\n"
              << "refresh: {schedule: 'off'}\n"
              << (portal_tls.empty()
                      ? ""
                      : "portal: {webhook_url: '" + base_url +
                            "portal/api/v1/supplier-triggers', secret: " + kPortalSecret +
                            ", backoff_initial_ms: 100, backoff_max_ms: 200, tls: " + portal_tls +
                            "}\n");
          return std::vector<std::string>{TEKSER_GATEWAY_BINARY, "--config",
                                          (dir / "gateway.yaml").string()};
        },
        "gateway");
    port_ = gateway_->wait_listening();
  }

  static std::string trusting_ca_with_client_certificate() {
    return "{ca_file: " + quoted(test_pki().ca.certificate) +
           ", certificate: " + quoted(test_pki().client.certificate) +
           ", key: " + quoted(test_pki().client.key) + "}";
  }
  // The api.tls section: the test server certificate, client certificates from the test CA
  // (`client_certificate`: require or optional).
  static std::string api_listener_tls(const std::string& client_certificate) {
    return "{certificate: " + quoted(test_pki().server.certificate) +
           ", key: " + quoted(test_pki().server.key) +
           ", client_ca: " + quoted(test_pki().ca.certificate) +
           ", client_certificate: " + client_certificate + "}";
  }
  static std::string trusting_ca_only() {
    return "{ca_file: " + quoted(test_pki().ca.certificate) + "}";
  }

  // The gateway's API over plain HTTP as the token client.
  CallResult api(http::verb method, const std::string& target, const std::string& body = {}) {
    return call_over(port_, method, target, std::nullopt,
                     {{"Authorization", "Bearer " + std::string(kToken)}}, body);
  }

  // The mocks' admin API, over their mutual TLS.
  CallResult mocks_admin(http::verb method, const std::string& target) {
    return call_over(mocks_port_, method, target, client_certificate());
  }

  static CallTls client_certificate() {
    return CallTls{test_pki().ca.certificate, test_pki().client.certificate, test_pki().client.key};
  }
  static CallTls no_client_certificate() { return CallTls{test_pki().ca.certificate, {}, {}}; }

  // Registers the supplier and starts a refresh run, whose first verdict on it (bankrupt, a tax
  // debt, a revoked licence) is a warning trigger per ground for the portal.
  void register_and_refresh() {
    const auto put = api(http::verb::put, std::string("/v1/suppliers/") + kSupplier,
                         R"({"categories":["technical_aids"]})");
    ASSERT_EQ(put.status, 201u) << put.error << put.body;
    const auto run = api(http::verb::post, "/v1/refresh-runs");
    ASSERT_EQ(run.status, 202u) << run.error << run.body;
  }

  // The gateway's outbox entries for the supplier, once there are some and `ready` holds for
  // them; fails the test past the deadline with what there was.
  template <typename Ready>
  json::array wait_for_triggers(Ready ready) {
    const auto until = std::chrono::steady_clock::now() + 60s;
    std::string seen;
    while (std::chrono::steady_clock::now() < until) {
      const auto reply = api(http::verb::get, std::string("/v1/triggers?supplier=") + kSupplier);
      seen = reply.error + reply.body;
      if (reply.status == 200) {
        const auto body = parsed(reply);
        const auto& triggers = body.at("triggers").as_array();
        if (!triggers.empty() && ready(triggers)) return triggers;
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "no trigger as awaited within 60 s; the outbox said: " << seen;
    return {};
  }

  json::value verify_supplier() {
    const auto put = api(http::verb::put, std::string("/v1/suppliers/") + kSupplier,
                         R"({"categories":["technical_aids"]})");
    EXPECT_EQ(put.status, 201u) << put.error << put.body;
    const auto verified =
        api(http::verb::post, std::string("/v1/suppliers/") + kSupplier + "/verify");
    EXPECT_EQ(verified.status, 200u) << verified.error << verified.body;
    return parsed(verified);
  }

  // Each source unavailable with a TLS cause naming `words`, and no requirement failed on its
  // evidence (requirements unknown, never a block).
  void expect_unavailable_over_tls(const json::value& verified, std::string_view words) {
    for (const auto& system : kSystems) {
      const auto answer = source(verified, system);
      ASSERT_FALSE(answer.is_null()) << system << ": " << json::serialize(verified);
      EXPECT_EQ(answer.at("outcome"), "unavailable") << json::serialize(answer);
      const std::string cause(answer.at("cause").as_string());
      EXPECT_TRUE(cause.find("tls: ") != std::string::npos) << system << ": " << cause;
      EXPECT_NE(cause.find(words), std::string::npos) << system << ": " << cause;
    }
    const auto judged = parsed(api(http::verb::get, std::string("/v1/suppliers/") + kSupplier +
                                                        "/eligibility?category=technical_aids"));
    const auto& verdict = judged.at("verdicts").as_array().at(0);
    EXPECT_NE(verdict.at("overall"), "eligible") << json::serialize(verdict);
    for (const auto& r : verdict.at("requirements").as_array())
      EXPECT_NE(r.at("outcome"), "fail") << json::serialize(r);
  }

  std::unique_ptr<store::test::FreshSchema> schema_;
  std::unique_ptr<ChildProcess> mocks_;
  std::unique_ptr<ChildProcess> gateway_;
  unsigned short mocks_port_ = 0;
  unsigned short port_ = 0;
};

TEST_F(TlsIntegrationTest, EverySourceAnswersOverMutualTls) {
  start_mocks(test_pki().server);
  start_gateway(trusting_ca_with_client_certificate());
  const auto verified = verify_supplier();
  for (const auto& system : kSystems)
    EXPECT_EQ(source(verified, system).at("outcome"), "data")
        << system << ": " << json::serialize(source(verified, system));
  // The mocks saw the requests (over TLS, as their only port speaks nothing else).
  const auto journal = mocks_admin(
      http::verb::get, std::string("/admin/journal/count?subject=") + kSupplier + "&system=kgd");
  ASSERT_EQ(journal.status, 200u) << journal.error;
  EXPECT_GE(parsed(journal).at("count").as_int64(), 1);
}

TEST_F(TlsIntegrationTest, WithoutAClientCertificateTheMocksRefuseAndNothingIsBlocked) {
  start_mocks(test_pki().server);
  start_gateway(trusting_ca_only());
  expect_unavailable_over_tls(verify_supplier(), "certificate required");
  // The mocks refused in the handshake: no request reached them.
  const auto journal = mocks_admin(
      http::verb::get, std::string("/admin/journal/count?subject=") + kSupplier + "&system=kgd");
  ASSERT_EQ(journal.status, 200u) << journal.error;
  EXPECT_EQ(parsed(journal).at("count").as_int64(), 0);
  // A client without a certificate is refused by the mocks directly too.
  EXPECT_FALSE(call_over(mocks_port_, http::verb::get, "/admin/state", no_client_certificate())
                   .error.empty());
}

TEST_F(TlsIntegrationTest, AServerCertificateFromAnUntrustedCaIsUnavailable) {
  start_mocks(test_pki().untrusted_server);
  start_gateway(trusting_ca_with_client_certificate());
  expect_unavailable_over_tls(verify_supplier(),
                              "certificate verify failed: unable to get local issuer certificate");
}

TEST_F(TlsIntegrationTest, AServerCertificateForAnotherHostIsUnavailable) {
  start_mocks(test_pki().wrong_host_server);
  start_gateway(trusting_ca_with_client_certificate());
  expect_unavailable_over_tls(verify_supplier(), "certificate verify failed: IP address mismatch");
}

TEST_F(TlsIntegrationTest, TheApiRequiresAClientCertificateAndKnowsItsHolder) {
  start_mocks(test_pki().server);
  start_gateway(trusting_ca_with_client_certificate(), api_listener_tls("require"));
  const auto target = std::string("/v1/suppliers/") + kSupplier;
  const std::string body = R"({"categories":["technical_aids"]})";
  // No certificate: refused in the handshake, even with a valid token and health.
  EXPECT_FALSE(
      call_over(port_, http::verb::get, "/healthz", no_client_certificate()).error.empty());
  EXPECT_FALSE(call_over(port_, http::verb::put, target, no_client_certificate(),
                         {{"Authorization", "Bearer " + std::string(kToken)}}, body)
                   .error.empty());
  // Plain HTTP to a TLS port gets no answer either.
  EXPECT_FALSE(
      call_over(port_, http::verb::get, "/healthz", std::nullopt, {}, {}, 3s).error.empty());
  // With the certificate: the client "by-certificate", no token needed.
  const auto health = call_over(port_, http::verb::get, "/healthz", client_certificate());
  EXPECT_EQ(health.status, 200u) << health.error;
  const auto put = call_over(port_, http::verb::put, target, client_certificate(), {}, body);
  EXPECT_EQ(put.status, 201u) << put.error << put.body;
  // ... whose scopes do not include verify: its identity is the certificate's, whatever headers
  // it sends about another certificate.
  const auto forged = call_over(port_, http::verb::post, target + "/verify", client_certificate(),
                                {{std::string(kSha256Header), std::string(64, 'f')}});
  EXPECT_EQ(forged.status, 403u) << forged.error << forged.body;
  EXPECT_NE(gateway_->stderr_text().find(test_pki().client_sha256), std::string::npos);
}

TEST_F(TlsIntegrationTest, WithOptionalClientCertificatesAHeaderCannotClaimOne) {
  start_mocks(test_pki().server);
  start_gateway(trusting_ca_with_client_certificate(), api_listener_tls("optional"));
  const auto target = std::string("/v1/suppliers/") + kSupplier;
  const std::string body = R"({"categories":["technical_aids"]})";
  // No certificate, but the headers the server sets for one: not an identity.
  const auto forged = call_over(port_, http::verb::put, target, no_client_certificate(),
                                {{std::string(kSha256Header), test_pki().client_sha256},
                                 {std::string(kSubjectHeader), test_pki().client_subject}},
                                body);
  EXPECT_EQ(forged.status, 401u) << forged.error << forged.body;
  // The same request with the certificate itself, and one with the token, are let in.
  const auto by_certificate =
      call_over(port_, http::verb::put, target, client_certificate(), {}, body);
  EXPECT_EQ(by_certificate.status, 201u) << by_certificate.error << by_certificate.body;
  const auto by_token = call_over(port_, http::verb::get, target, no_client_certificate(),
                                  {{"Authorization", "Bearer " + std::string(kToken)}});
  EXPECT_EQ(by_token.status, 200u) << by_token.error << by_token.body;
}

TEST_F(TlsIntegrationTest, TriggersReachAPortalOnMutualTlsWithTheClientCertificate) {
  start_mocks(test_pki().server);
  start_gateway(trusting_ca_with_client_certificate(), "", trusting_ca_with_client_certificate());
  ASSERT_NO_FATAL_FAILURE(register_and_refresh());
  const auto outbox = wait_for_triggers([](const json::array& triggers) {
    return std::all_of(triggers.begin(), triggers.end(),
                       [](const auto& t) { return t.at("status") != "pending"; });
  });
  std::set<std::string> sent;
  for (const auto& t : outbox) {
    EXPECT_EQ(t.at("status"), "delivered") << json::serialize(t);
    sent.insert(std::string(t.at("id").as_string()));
  }
  // The portal has each of them, once.
  const auto received =
      mocks_admin(http::verb::get, std::string("/admin/portal/triggers?supplier=") + kSupplier);
  ASSERT_EQ(received.status, 200u) << received.error << received.body;
  const auto portal = parsed(received);
  std::multiset<std::string> arrived;
  for (const auto& t : portal.as_array())
    arrived.insert(std::string(t.at("trigger_id").as_string()));
  EXPECT_EQ(arrived, std::multiset<std::string>(sent.begin(), sent.end())) << received.body;
}

TEST_F(TlsIntegrationTest, WithoutTheClientCertificateTheTriggerWaitsInTheOutbox) {
  start_mocks(test_pki().server);
  start_gateway(trusting_ca_with_client_certificate(), "", trusting_ca_only());
  ASSERT_NO_FATAL_FAILURE(register_and_refresh());
  // Refused in the handshake, retried, never lost and never counted as delivered; the
  // supplier's later triggers wait behind its first (the portal gets them in order).
  const auto outbox = wait_for_triggers([](const json::array& triggers) {
    const auto& first = triggers.at(0);
    return first.at("attempts").to_number<long long>() >= 2 && !first.at("last_error").is_null();
  });
  EXPECT_NE(std::string(outbox.at(0).at("last_error").as_string()).find("tls: "), std::string::npos)
      << json::serialize(outbox.at(0));
  for (const auto& t : outbox) EXPECT_EQ(t.at("status"), "pending") << json::serialize(t);
  const auto received = mocks_admin(http::verb::get, "/admin/portal/triggers/count");
  EXPECT_EQ(parsed(received).at("count"), 0) << received.body;
}

TEST_F(TlsIntegrationTest, TekserCtlSpeaksToAnApiOnMutualTls) {
  start_mocks(test_pki().server);
  start_gateway(trusting_ca_with_client_certificate(), api_listener_tls("require"));
  const auto url = "https://127.0.0.1:" + std::to_string(port_);
  const std::vector<std::string> with_certificate{
      "--url",     url,
      "--ca-file", test_pki().ca.certificate.string(),
      "--cert",    test_pki().client.certificate.string(),
      "--key",     test_pki().client.key.string()};
  auto args = with_certificate;
  args.insert(args.end(), {"refresh", "list"});
  const auto listed = run_ctl(args, 30s, std::string(kToken));
  EXPECT_EQ(listed.exit_code, 0) << listed.out << listed.err;

  // Without the certificate the listener refuses the handshake: the gateway is unreachable.
  const auto refused =
      run_ctl({"--url", url, "--ca-file", test_pki().ca.certificate.string(), "refresh", "list"},
              30s, std::string(kToken));
  EXPECT_EQ(refused.exit_code, 4) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("tls"), std::string::npos) << refused.err;

  // A key of another certificate, a certificate without its key, TLS flags on plain HTTP:
  // usage errors naming the flag, before anything is sent.
  args = with_certificate;
  args.back() = test_pki().untrusted_client.key.string();
  args.insert(args.end(), {"refresh", "list"});
  const auto wrong_key = run_ctl(args, 30s, std::string(kToken));
  EXPECT_EQ(wrong_key.exit_code, 2) << wrong_key.err;
  EXPECT_NE(wrong_key.err.find("--key: "), std::string::npos) << wrong_key.err;
  const auto no_key =
      run_ctl({"--url", url, "--cert", test_pki().client.certificate.string(), "refresh", "list"},
              30s, std::string(kToken));
  EXPECT_EQ(no_key.exit_code, 2) << no_key.err;
  EXPECT_NE(no_key.err.find("--key: required with --cert"), std::string::npos) << no_key.err;
  const auto plain = run_ctl({"--url", "http://127.0.0.1:" + std::to_string(port_), "--ca-file",
                              test_pki().ca.certificate.string(), "refresh", "list"},
                             30s, std::string(kToken));
  EXPECT_EQ(plain.exit_code, 2) << plain.err;
  EXPECT_NE(plain.err.find("need an https --url"), std::string::npos) << plain.err;
}

}  // namespace
}  // namespace tekser::integration
