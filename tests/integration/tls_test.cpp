// Transport security against the real binaries: the mocks serve HTTPS and demand a client
// certificate from the test CA (mutual TLS), the gateway reaches SHEP and the REST registers over
// https. With its client certificate every source answers; without it, or when the server's
// certificate comes from an untrusted CA or names another host, each source is unavailable with a
// "tls: ..." cause and nothing is blocked on it. The gateway's own API over TLS refuses a client
// without a certificate (client_certificate: require), identifies one with a certificate by its
// SHA-256, and a client cannot claim that identity with a header of its own.
// The PKI is made at run time (tests/support/tls_pki.hpp); waits are HTTP deadlines.
#include "common/digest/sha256.hpp"
#include "tests/integration/gateway_fixture.hpp"
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
  // (empty: plain HTTP).
  void start_gateway(const std::string& client_tls, const std::string& api_tls = "") {
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
              << "\n    scopes: [suppliers:read, suppliers:write, suppliers:verify]\n"
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
              << "refresh: {schedule: 'off'}\n";
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
  start_gateway(trusting_ca_with_client_certificate(),
                "{certificate: " + quoted(test_pki().server.certificate) +
                    ", key: " + quoted(test_pki().server.key) + ", client_ca: " +
                    quoted(test_pki().ca.certificate) + ", client_certificate: require}");
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
  start_gateway(trusting_ca_with_client_certificate(),
                "{certificate: " + quoted(test_pki().server.certificate) +
                    ", key: " + quoted(test_pki().server.key) + ", client_ca: " +
                    quoted(test_pki().ca.certificate) + ", client_certificate: optional}");
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

}  // namespace
}  // namespace tekser::integration
