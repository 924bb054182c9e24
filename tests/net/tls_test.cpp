// TLS in the generic HTTP client and server over real loopback sockets, with a throw-away PKI
// made at run time (tests/support/tls_pki.hpp): what verifies (CA file or directory, host name or
// IP, mutual TLS with PEM, encrypted PEM and PKCS#12 client certificates), what is refused and
// with which cause (untrusted, expired, wrong host, no client certificate, a plain-HTTP peer),
// settings that cannot be used, and the client-certificate headers that only the server sets.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/log/json_log.hpp"
#include "common/net/http_client.hpp"
#include "common/net/http_server.hpp"
#include "common/net/tls.hpp"
#include "tests/net/test_server.hpp"
#include "tests/support/tls_pki.hpp"

namespace tekser::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using testing::tls::Pem;
using testing::tls::test_pki;
using namespace std::chrono_literals;

// Answers every request with the client-certificate headers it saw (null when absent), and how
// many of each there were.
HttpAction echo_identity(const HttpRequest& request) {
  json::object seen;
  for (const auto name : {kClientCertificateSha256Header, kClientCertificateSubjectHeader}) {
    const auto [first, last] = request.equal_range(name);
    seen[std::string(name) + "-count"] = std::distance(first, last);
    if (first != last)
      seen[std::string(name)] = std::string(first->value());
    else
      seen[std::string(name)] = nullptr;
  }
  HttpResponse response{http::status::ok, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = json::serialize(seen);
  return {HttpAction::Kind::respond, std::move(response)};
}

// An HttpServer on 127.0.0.1 (TLS when given) answering with the identity headers it saw.
class Server : public testing::net::TestServer {
 public:
  explicit Server(std::optional<TlsServerConfig> tls)
      : TestServer(HttpHandler(echo_identity), HttpLimits{}, std::move(tls)) {}
};

TlsServerConfig server_tls(const Pem& certificate,
                           ClientCertificateMode mode = ClientCertificateMode::none) {
  TlsServerConfig config;
  config.certificate = certificate.certificate;
  config.key = certificate.key;
  if (mode != ClientCertificateMode::none) config.client_ca = test_pki().ca.certificate;
  config.client_certificate = mode;
  return config;
}

TlsClientConfig trusting_test_ca() {
  TlsClientConfig config;
  config.ca_file = test_pki().ca.certificate;
  return config;
}

TlsClientConfig with_client_certificate() {
  auto config = trusting_test_ca();
  config.certificate = test_pki().client.certificate;
  config.key = test_pki().client.key;
  return config;
}

class TlsTest : public ::testing::Test {
 protected:
  HttpReply get(unsigned short port, TlsClientConfig tls, std::string host = "127.0.0.1",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpClient client(io_.get_executor(), HttpEndpoint{host, std::to_string(port), "/", true},
                      options(std::move(tls)));
    return fetch(client, std::move(headers));
  }

  static HttpClientOptions options(TlsClientConfig tls) {
    HttpClientOptions options;
    options.connect_timeout = 3s;
    options.read_timeout = 5s;
    options.total_timeout = 8s;
    options.tls = std::move(tls);
    return options;
  }

  HttpReply fetch(HttpClient& client,
                  std::vector<std::pair<std::string, std::string>> headers = {}) {
    OutgoingRequest request;
    request.headers = std::move(headers);
    auto future = asio::co_spawn(io_, client.request(std::move(request)), asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }

  static json::object body(const HttpReply& reply) {
    auto parsed = json::parse(reply.body);
    return parsed.as_object();
  }

  static void expect_tls_failure(const HttpReply& reply, std::string_view words) {
    EXPECT_EQ(reply.kind, HttpReply::Kind::transport_error) << reply.status_text();
    EXPECT_TRUE(reply.cause.starts_with("tls: ")) << reply.cause;
    EXPECT_NE(reply.cause.find(words), std::string::npos) << reply.cause;
  }

  asio::io_context io_;
};

TEST(HttpEndpointTls, ParsesHttpsWithItsDefaultPort) {
  std::string error;
  const auto endpoint = HttpEndpoint::parse("https://ows.goszakup.gov.kz/v3/rnu?x=1", error);
  ASSERT_TRUE(endpoint) << error;
  EXPECT_TRUE(endpoint->tls);
  EXPECT_EQ(endpoint->port, "443");
  EXPECT_EQ(endpoint->host_header(), "ows.goszakup.gov.kz");
  EXPECT_EQ(endpoint->url(), "https://ows.goszakup.gov.kz:443/v3/rnu?x=1");
  const auto plain = HttpEndpoint::parse("http://127.0.0.1:8443/", error);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->host_header(), "127.0.0.1:8443");
}

TEST_F(TlsTest, VerifiesTheServerAgainstACaFileAndReusesTheConnection) {
  Server server(server_tls(test_pki().server));
  HttpClient client(io_.get_executor(),
                    HttpEndpoint{"127.0.0.1", std::to_string(server.port()), "/", true},
                    options(trusting_test_ca()));
  const auto first = fetch(client);
  ASSERT_TRUE(first.is_response()) << first.cause;
  EXPECT_EQ(first.status, 200u);
  EXPECT_FALSE(first.reused_connection);
  const auto second = fetch(client);
  ASSERT_TRUE(second.is_response()) << second.cause;
  EXPECT_TRUE(second.reused_connection);
  // No client certificate: no identity, and nothing a client could have sent.
  EXPECT_TRUE(body(second).at(kClientCertificateSha256Header).is_null());
}

TEST_F(TlsTest, VerifiesAgainstACaDirectoryAndByHostName) {
  Server server(server_tls(test_pki().server));
  TlsClientConfig tls;
  tls.ca_dir = test_pki().ca_dir;
  const auto reply = get(server.port(), tls, "localhost");
  ASSERT_TRUE(reply.is_response()) << reply.cause;
  EXPECT_EQ(reply.status, 200u);
}

TEST_F(TlsTest, RefusesAServerFromAnUntrustedCa) {
  Server server(server_tls(test_pki().untrusted_server));
  expect_tls_failure(get(server.port(), trusting_test_ca()),
                     "certificate verify failed: unable to get local issuer certificate");
}

TEST_F(TlsTest, TheSystemStoreDoesNotTrustTheTestCa) {
  Server server(server_tls(test_pki().server));
  expect_tls_failure(get(server.port(), TlsClientConfig{}), "certificate verify failed");
}

TEST_F(TlsTest, RefusesAnExpiredServerCertificate) {
  Server server(server_tls(test_pki().expired_server));
  expect_tls_failure(get(server.port(), trusting_test_ca()),
                     "certificate verify failed: certificate has expired");
}

TEST_F(TlsTest, RefusesACertificateForAnotherHostUnlessHostCheckIsTurnedOff) {
  Server server(server_tls(test_pki().wrong_host_server));
  expect_tls_failure(get(server.port(), trusting_test_ca()),
                     "certificate verify failed: IP address mismatch");
  expect_tls_failure(get(server.port(), trusting_test_ca(), "localhost"),
                     "certificate verify failed: hostname mismatch");
  auto lax = trusting_test_ca();
  lax.verify_host = false;
  const auto reply = get(server.port(), lax);
  ASSERT_TRUE(reply.is_response()) << reply.cause;
  EXPECT_EQ(reply.status, 200u);
}

TEST_F(TlsTest, AnHttpsClientMeetingAPlainServerFailsTheHandshake) {
  Server server(std::nullopt);
  expect_tls_failure(get(server.port(), trusting_test_ca()), "handshake failed");
}

TEST_F(TlsTest, RequiredClientCertificateIsRefusedWithoutOne) {
  Server server(server_tls(test_pki().server, ClientCertificateMode::require));
  const auto reply = get(server.port(), trusting_test_ca());
  expect_tls_failure(reply, "certificate required");
  EXPECT_TRUE(server.logs("tls_handshake_failed"));
}

TEST_F(TlsTest, RequiredClientCertificateFromAnotherCaIsRefused) {
  Server server(server_tls(test_pki().server, ClientCertificateMode::require));
  auto tls = trusting_test_ca();
  tls.certificate = test_pki().untrusted_client.certificate;
  tls.key = test_pki().untrusted_client.key;
  const auto reply = get(server.port(), tls);
  EXPECT_EQ(reply.kind, HttpReply::Kind::transport_error);
  EXPECT_TRUE(reply.cause.starts_with("tls: ")) << reply.cause;
}

TEST_F(TlsTest, MutualTlsSetsTheIdentityHeadersAndNoClientCanForgeThem) {
  Server server(server_tls(test_pki().server, ClientCertificateMode::require));
  const auto reply = get(server.port(), with_client_certificate(), "127.0.0.1",
                         {{std::string(kClientCertificateSha256Header), "forged"},
                          {std::string(kClientCertificateSubjectHeader), "CN=admin"}});
  ASSERT_TRUE(reply.is_response()) << reply.cause;
  const auto seen = body(reply);
  EXPECT_EQ(seen.at(kClientCertificateSha256Header), json::value(test_pki().client_sha256));
  EXPECT_EQ(seen.at(kClientCertificateSubjectHeader), json::value(test_pki().client_subject));
  EXPECT_EQ(seen.at(std::string(kClientCertificateSha256Header) + "-count"), 1);
  EXPECT_EQ(seen.at(std::string(kClientCertificateSubjectHeader) + "-count"), 1);
  EXPECT_TRUE(server.logs(test_pki().client_sha256));
}

TEST_F(TlsTest, ClientCertificateFromPkcs12AndFromAnEncryptedKey) {
  Server server(server_tls(test_pki().server, ClientCertificateMode::require));
  auto p12 = trusting_test_ca();
  p12.pkcs12 = test_pki().client_p12;
  p12.password = testing::tls::TestPki::kPassword;
  const auto by_p12 = get(server.port(), p12);
  ASSERT_TRUE(by_p12.is_response()) << by_p12.cause;
  EXPECT_EQ(body(by_p12).at(kClientCertificateSha256Header), json::value(test_pki().client_sha256));

  auto encrypted = with_client_certificate();
  encrypted.key = test_pki().client_encrypted_key;
  encrypted.password = testing::tls::TestPki::kPassword;
  const auto by_pem = get(server.port(), encrypted);
  ASSERT_TRUE(by_pem.is_response()) << by_pem.cause;
  EXPECT_EQ(body(by_pem).at(kClientCertificateSha256Header), json::value(test_pki().client_sha256));
}

TEST_F(TlsTest, OptionalClientCertificateLetsAnonymousClientsInWithoutIdentity) {
  Server server(server_tls(test_pki().server, ClientCertificateMode::optional));
  const auto anonymous = get(server.port(), trusting_test_ca(), "127.0.0.1",
                             {{std::string(kClientCertificateSha256Header), std::string(64, 'a')}});
  ASSERT_TRUE(anonymous.is_response()) << anonymous.cause;
  EXPECT_TRUE(body(anonymous).at(kClientCertificateSha256Header).is_null());
  const auto identified = get(server.port(), with_client_certificate());
  ASSERT_TRUE(identified.is_response()) << identified.cause;
  EXPECT_EQ(body(identified).at(kClientCertificateSha256Header),
            json::value(test_pki().client_sha256));
}

TEST_F(TlsTest, APlainServerStripsForgedIdentityHeadersToo) {
  Server server(std::nullopt);
  HttpClient client(io_.get_executor(), HttpEndpoint{"127.0.0.1", std::to_string(server.port())},
                    options({}));
  const auto reply = fetch(client, {{std::string(kClientCertificateSha256Header), "forged"},
                                    {std::string(kClientCertificateSubjectHeader), "CN=admin"}});
  ASSERT_TRUE(reply.is_response()) << reply.cause;
  EXPECT_TRUE(body(reply).at(kClientCertificateSha256Header).is_null());
  EXPECT_TRUE(body(reply).at(kClientCertificateSubjectHeader).is_null());
}

TEST(TlsSettings, UnusableSettingsNameTheirField) {
  const auto field_of = [](auto make) -> std::string {
    try {
      make();
    } catch (const TlsError& e) {
      EXPECT_NE(std::string(e.what()).find(e.reason()), std::string::npos);
      return e.field();
    }
    return "(no error)";
  };
  EXPECT_EQ(field_of([] {
              TlsClientConfig c;
              c.ca_file = "/nonexistent/ca.pem";
              make_client_context(c);
            }),
            "ca_file");
  EXPECT_EQ(field_of([] {
              auto c = trusting_test_ca();
              c.ciphers = "NO-SUCH-CIPHER";
              make_client_context(c);
            }),
            "ciphers");
  EXPECT_EQ(field_of([] {
              auto c = with_client_certificate();
              c.key = test_pki().client_encrypted_key;
              c.password = "wrong";
              make_client_context(c);
            }),
            "key");
  EXPECT_EQ(field_of([] {
              auto c = with_client_certificate();
              c.key = test_pki().server.key;  // not the certificate's key
              make_client_context(c);
            }),
            "key");
  EXPECT_EQ(field_of([] {
              auto c = trusting_test_ca();
              c.pkcs12 = test_pki().client_p12;
              c.password = "wrong";
              make_client_context(c);
            }),
            "pkcs12");
  EXPECT_EQ(field_of([] {
              auto c = server_tls(test_pki().server);
              c.client_certificate = ClientCertificateMode::require;
              make_server_context(c);
            }),
            "client_ca");
  EXPECT_EQ(field_of([] {
              TlsServerConfig c;
              make_server_context(c);
            }),
            "certificate");
}

TEST(TlsSettings, ATls13OnlyServerServesTheDefaultClient) {
  auto config = server_tls(test_pki().server);
  config.min_version = TlsVersion::tls1_3;
  Server server(config);
  asio::io_context io;
  HttpClientOptions options;
  options.tls = trusting_test_ca();
  HttpClient client(io.get_executor(),
                    HttpEndpoint{"127.0.0.1", std::to_string(server.port()), "/", true}, options);
  auto future = asio::co_spawn(io, client.request(OutgoingRequest{}), asio::use_future);
  io.run();
  const auto reply = future.get();
  ASSERT_TRUE(reply.is_response()) << reply.cause;
  EXPECT_EQ(reply.status, 200u);
}

}  // namespace
}  // namespace tekser::net
