// mocks/signing: the key the mock bus signs with (ephemeral or from files), the certificate it
// publishes, and that what it signs verifies against that certificate.
#include <gtest/gtest.h>

#include <cstdlib>

#include "mocks/signing/reply_signing.hpp"
#include "tests/xmlsig/pki.hpp"

namespace tekser::mocks::signing {
namespace {

namespace http = boost::beast::http;
namespace fs = std::filesystem;
using xmlsig::Verification;

const std::string kEnvelope =
    R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>)"
    R"(<r>Мәліметтер табылды</r></soap:Body></soap:Envelope>)";

class MocksSigningTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = xmlsig::test::make_temp_dir("mocks-signing"); }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
};

TEST_F(MocksSigningTest, EphemeralKeyIsSelfSignedRsaWithTheMocksName) {
  const auto key = signing_key(Options{});
  ASSERT_TRUE(key);
  EXPECT_EQ(key->certificate().subject, "CN=tekser-mocks SHEP");

  const auto signer = reply_signer(*key);
  const auto trust = xmlsig::TrustStore::from_pem(key->certificate_pem());
  const auto result = xmlsig::verify_soap_body(signer(kEnvelope), trust);
  EXPECT_EQ(result.status, Verification::Status::valid) << result.reason;
  EXPECT_EQ(result.signer_sha256_fingerprint, key->certificate().sha256_fingerprint);

  // The openssl command line reads it as an RSA-2048, X.509v3 certificate.
  const auto pem = dir_ / "ephemeral.pem";
  write_certificate(*key, pem);
  ASSERT_EQ(xmlsig::test::shell("openssl x509 -noout -text -in '" + pem.string() + "'",
                                dir_ / "x509.txt"),
            0);
  const auto text = xmlsig::test::slurp(dir_ / "x509.txt");
  EXPECT_NE(text.find("Public-Key: (2048 bit)"), std::string::npos) << text;
  EXPECT_NE(text.find("Version: 3"), std::string::npos) << text;
  EXPECT_NE(text.find("sha256WithRSAEncryption"), std::string::npos) << text;
}

TEST_F(MocksSigningTest, EachStartGetsAFreshKey) {
  EXPECT_NE(signing_key(Options{})->certificate().sha256_fingerprint,
            signing_key(Options{})->certificate().sha256_fingerprint);
}

TEST_F(MocksSigningTest, WrittenCertificateIsWhatAVerifierTrusts) {
  const auto key = signing_key(Options{});
  const auto file = dir_ / "mocks-signing.pem";
  write_certificate(*key, file);
  EXPECT_FALSE(fs::exists(dir_ / "mocks-signing.pem.tmp"));
  const auto trust = xmlsig::TrustStore::load({file});
  EXPECT_EQ(xmlsig::verify_soap_body(reply_signer(*key)(kEnvelope), trust).status,
            Verification::Status::valid);
}

TEST_F(MocksSigningTest, KeyFromPemFilesOrPkcs12) {
  const auto pem = xmlsig::test::self_signed(dir_, "operator", "operator key");
  Options from_pem;
  from_pem.key_file = pem.key;
  from_pem.certificate_file = pem.certificate;
  EXPECT_EQ(signing_key(from_pem)->certificate().subject, "CN=operator key");

  Options from_p12;
  from_p12.pkcs12_file = xmlsig::test::pkcs12(pem, dir_, "operator", "p12-pass");
  ::setenv(kPkcs12PasswordEnv, "p12-pass", 1);
  EXPECT_EQ(signing_key(from_p12)->certificate().subject, "CN=operator key");
  ::setenv(kPkcs12PasswordEnv, "wrong", 1);
  EXPECT_THROW(signing_key(from_p12), xmlsig::Error);
  ::unsetenv(kPkcs12PasswordEnv);
}

TEST_F(MocksSigningTest, ContradictoryOptionsAreRefused) {
  Options key_only;
  key_only.key_file = dir_ / "k.pem";
  EXPECT_THROW(signing_key(key_only), std::invalid_argument);

  Options both;
  both.key_file = dir_ / "k.pem";
  both.certificate_file = dir_ / "c.pem";
  both.pkcs12_file = dir_ / "k.p12";
  EXPECT_THROW(signing_key(both), std::invalid_argument);

  Options off;
  off.disabled = true;
  EXPECT_FALSE(signing_key(off));
  off.certificate_out = dir_ / "c.pem";
  EXPECT_THROW(signing_key(off), std::invalid_argument);
}

TEST_F(MocksSigningTest, CertificateEndpointServesPemOr404) {
  net::HttpRequest get{http::verb::get, std::string(kCertificatePath), 11};
  const auto key = signing_key(Options{});
  auto response = certificate_response(key, get);
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response[http::field::content_type], "application/x-pem-file");
  EXPECT_EQ(response.body(), key->certificate_pem());
  EXPECT_EQ(response.body().rfind("-----BEGIN CERTIFICATE-----", 0), 0u);

  EXPECT_EQ(certificate_response(std::nullopt, get).result(), http::status::not_found);
  net::HttpRequest post{http::verb::post, std::string(kCertificatePath), 11};
  EXPECT_EQ(certificate_response(key, post).result(), http::status::method_not_allowed);
}

}  // namespace
}  // namespace tekser::mocks::signing
