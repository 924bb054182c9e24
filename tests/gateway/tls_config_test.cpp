// The tls sections: shep.tls, goszakup.tls, samruk.tls (TLS to the state systems), portal.tls
// (to the portal's webhook) and api.tls (the API's listener). Read as written, refused with the
// key's path when they cannot work. The files themselves are loaded (and checked) by the gateway
// at start-up, not here.
#include <gtest/gtest.h>

#include <cstdlib>

#include "gateway/config/config.hpp"

namespace tekser::config {
namespace {

constexpr const char* kBase = R"(
database: {url: "postgresql://tekser@127.0.0.1:5432/tekser"}
sources: {requestor_bin: "020340000003", gbd_fl_sender_code: TEKSER}
)";

std::string error_of(const std::string& yaml) {
  try {
    parse(std::string(kBase) + yaml, "test.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TlsConfig, WithoutTheSectionsNothingIsSetAndHttpsStillVerifies) {
  const auto c =
      parse(std::string(kBase) + "shep: {url: 'https://bus.example.kz/bip/'}\n", "test.yaml");
  EXPECT_FALSE(c.shep.tls);
  EXPECT_FALSE(c.api.tls);
}

TEST(TlsConfig, ReadsTheClientSectionOfEverySystem) {
  const auto c = parse(std::string(kBase) + R"(
shep:
  url: https://bus.example.kz/bip-sync-wss-gost/
  tls:
    ca_file: /etc/tekser/shep-ca.pem
    ca_dir: /etc/ssl/certs
    pkcs12: /etc/tekser/tekser.p12
    password: secret
    ciphers: ECDHE+AESGCM
    min_version: "1.3"
    verify_host: false
goszakup:
  url: https://ows.goszakup.gov.kz/
  tls: {certificate: client.pem, key: client.key}
samruk: {url: 'https://zakup.sk.kz/', tls: {}}
)",
                       "test.yaml");
  ASSERT_TRUE(c.shep.tls);
  EXPECT_EQ(c.shep.tls->ca_file, "/etc/tekser/shep-ca.pem");
  EXPECT_EQ(c.shep.tls->ca_dir, "/etc/ssl/certs");
  EXPECT_EQ(c.shep.tls->pkcs12, "/etc/tekser/tekser.p12");
  EXPECT_EQ(c.shep.tls->password, "secret");
  EXPECT_EQ(c.shep.tls->ciphers, "ECDHE+AESGCM");
  EXPECT_EQ(c.shep.tls->min_version, "1.3");
  EXPECT_FALSE(c.shep.tls->verify_host);
  ASSERT_TRUE(c.goszakup && c.goszakup->tls);
  EXPECT_EQ(c.goszakup->tls->certificate, "client.pem");
  EXPECT_EQ(c.goszakup->tls->key, "client.key");
  EXPECT_TRUE(c.goszakup->tls->verify_host);
  EXPECT_EQ(c.goszakup->tls->min_version, "1.2");
  ASSERT_TRUE(c.samruk && c.samruk->tls);
  EXPECT_TRUE(c.samruk->tls->certificate.empty());
}

TEST(TlsConfig, RefusesWhatCannotWork) {
  EXPECT_NE(error_of("shep: {url: 'http://127.0.0.1:8089/', tls: {ca_file: a.pem}}\n")
                .find("shep.tls: given, but shep.url is not https"),
            std::string::npos);
  EXPECT_NE(error_of("goszakup: {url: 'http://127.0.0.1/', tls: {}}\n").find("goszakup.tls"),
            std::string::npos);
  EXPECT_NE(error_of("shep: {url: 'https://b/', tls: {ca_fil: a.pem}}\n")
                .find("shep.tls.ca_fil: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of("shep: {url: 'https://b/', tls: {certificate: c.pem}}\n")
                .find("shep.tls.key: certificate and key go together"),
            std::string::npos);
  EXPECT_NE(error_of("shep: {url: 'https://b/', tls: {certificate: c, key: k, pkcs12: p}}\n")
                .find("shep.tls: give either certificate and key, or pkcs12"),
            std::string::npos);
  EXPECT_NE(error_of("shep: {url: 'https://b/', tls: {verify_host: no}}\n")
                .find("shep.tls.verify_host: expected true or false"),
            std::string::npos);
  EXPECT_NE(error_of("shep: {url: 'https://b/', tls: {min_version: '1.1'}}\n")
                .find("shep.tls.min_version: expected 1.2 or 1.3"),
            std::string::npos);
}

TEST(TlsConfig, ReadsAndChecksTheApiListenerSection) {
  const auto c = parse(std::string(kBase) + R"(
api:
  tls:
    certificate: /etc/tekser/api.pem
    key: /etc/tekser/api.key
    client_ca: /etc/tekser/portal-ca.pem
    client_certificate: require
)",
                       "test.yaml");
  ASSERT_TRUE(c.api.tls);
  EXPECT_EQ(c.api.tls->certificate, "/etc/tekser/api.pem");
  EXPECT_EQ(c.api.tls->client_ca, "/etc/tekser/portal-ca.pem");
  EXPECT_EQ(c.api.tls->client_certificate, ApiTls::ClientCertificate::require);

  EXPECT_NE(error_of("api: {tls: {key: k}}\n").find("api.tls.certificate: required"),
            std::string::npos);
  EXPECT_NE(error_of("api: {tls: {certificate: c, key: k, client_certificate: optional}}\n")
                .find("api.tls.client_ca: required"),
            std::string::npos);
  EXPECT_NE(error_of("api: {tls: {certificate: c, key: k, client_certificate: maybe}}\n")
                .find("api.tls.client_certificate: expected none, optional or require"),
            std::string::npos);
}

TEST(TlsConfig, ThePortalWebhookTakesAClientSectionOnHttpsOnly) {
  auto c = parse(std::string(kBase) + R"(
portal:
  webhook_url: https://portal.example/portal/api/v1/supplier-triggers
  secret: s
  tls: {ca_file: /etc/tekser/portal-ca.pem, certificate: tekser.pem, key: tekser.key}
)",
                 "test.yaml");
  ASSERT_TRUE(c.portal && c.portal->tls);
  EXPECT_EQ(c.portal->tls->ca_file, "/etc/tekser/portal-ca.pem");
  EXPECT_EQ(c.portal->tls->certificate, "tekser.pem");
  EXPECT_EQ(c.portal->tls->key, "tekser.key");
  setenv("TEKSER_PORTAL_TLS_PASSWORD", "from-env", 1);
  apply_environment(c);
  unsetenv("TEKSER_PORTAL_TLS_PASSWORD");
  EXPECT_EQ(c.portal->tls->password, "from-env");

  EXPECT_NE(error_of("portal: {webhook_url: 'http://127.0.0.1/hook', secret: s, tls: {}}\n")
                .find("portal.tls: given, but portal.webhook_url is not https"),
            std::string::npos);
  EXPECT_NE(error_of("portal: {webhook_url: 'https://p/hook', secret: s, tls: {key: k}}\n")
                .find("portal.tls.certificate: certificate and key go together"),
            std::string::npos);
}

TEST(TlsConfig, ThePasswordsMayComeFromTheEnvironment) {
  auto c = parse(
      std::string(kBase) + "shep: {url: 'https://b/', tls: {pkcs12: t.p12, password: in-file}}\n",
      "test.yaml");
  setenv("TEKSER_SHEP_TLS_PASSWORD", "from-env", 1);
  apply_environment(c);
  unsetenv("TEKSER_SHEP_TLS_PASSWORD");
  EXPECT_EQ(c.shep.tls->password, "from-env");
}

}  // namespace
}  // namespace tekser::config
