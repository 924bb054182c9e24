// shep.reply_signature: the policy and the trusted certificates, refused with the key's path
// when they cannot work.
#include <gtest/gtest.h>

#include "gateway/config/config.hpp"

namespace tekser::config {
namespace {

constexpr const char* kBase = R"(
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

TEST(ReplySignatureConfig, WithoutTheSectionNothingIsChecked) {
  const auto c = parse(kBase, "test.yaml");
  EXPECT_EQ(c.shep.reply_signature.policy, ReplySignature::Policy::ignore);
  EXPECT_TRUE(c.shep.reply_signature.trusted_certificates.empty());
}

TEST(ReplySignatureConfig, ReadsThePolicyAndTheCertificates) {
  const auto c = parse(std::string(kBase) + R"(
shep:
  reply_signature:
    policy: require
    trusted_certificates: [/etc/tekser/shep.pem, relative/ca.pem]
)",
                       "test.yaml");
  EXPECT_EQ(c.shep.reply_signature.policy, ReplySignature::Policy::require);
  ASSERT_EQ(c.shep.reply_signature.trusted_certificates.size(), 2u);
  EXPECT_EQ(c.shep.reply_signature.trusted_certificates[0], "/etc/tekser/shep.pem");
  EXPECT_EQ(c.shep.reply_signature.trusted_certificates[1], "relative/ca.pem");

  const auto lenient = parse(std::string(kBase) + R"(
shep: {reply_signature: {policy: verify_if_present, trusted_certificates: [a.pem]}}
)",
                             "test.yaml");
  EXPECT_EQ(lenient.shep.reply_signature.policy, ReplySignature::Policy::verify_if_present);
  EXPECT_EQ(to_string(lenient.shep.reply_signature.policy), "verify_if_present");
}

TEST(ReplySignatureConfig, MistakesNameTheKey) {
  EXPECT_NE(error_of(std::string(kBase) + "shep: {reply_signature: {policy: strict}}")
                .find("test.yaml: shep.reply_signature.policy: expected require, "
                      "verify_if_present or ignore, got 'strict'"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kBase) + "shep: {reply_signature: {policy: require}}")
                .find("shep.reply_signature.trusted_certificates: required when the policy is "
                      "require"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kBase) +
                     "shep: {reply_signature: {policy: ignore, trusted_certificates: a.pem}}")
                .find("shep.reply_signature.trusted_certificates: expected a list"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kBase) +
                     "shep: {reply_signature: {policy: ignore, trusted_certificates: ['']}}")
                .find("shep.reply_signature.trusted_certificates[0]: must not be empty"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kBase) + "shep: {reply_signature: {polcy: require}}")
                .find("shep.reply_signature.polcy: unknown key"),
            std::string::npos);
}

TEST(RequestSigningConfig, PemPairOrPkcs12) {
  const auto pem = parse(std::string(kBase) + R"(
shep: {request_signing: {key: /k.pem, certificate: /c.pem}}
)",
                         "test.yaml");
  ASSERT_TRUE(pem.shep.request_signing);
  EXPECT_EQ(pem.shep.request_signing->key, "/k.pem");
  EXPECT_EQ(pem.shep.request_signing->certificate, "/c.pem");
  EXPECT_FALSE(parse(kBase, "test.yaml").shep.request_signing) << "unsigned without the section";

  const auto p12 = parse(std::string(kBase) + R"(
shep: {request_signing: {pkcs12: /s.p12, password: from-file}}
)",
                         "test.yaml");
  EXPECT_EQ(p12.shep.request_signing->pkcs12, "/s.p12");
  EXPECT_EQ(p12.shep.request_signing->password, "from-file");
}

TEST(RequestSigningConfig, IncompleteOrContradictorySectionsAreRefused) {
  EXPECT_NE(error_of(std::string(kBase) + "shep: {request_signing: {key: /k.pem}}")
                .find("shep.request_signing: key and certificate go together"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kBase) +
                     "shep: {request_signing: {key: /k, certificate: /c, pkcs12: /p}}")
                .find("shep.request_signing: give either key and certificate, or pkcs12"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kBase) + "shep: {request_signing: {}}")
                .find("shep.request_signing: required"),
            std::string::npos);
}

}  // namespace
}  // namespace tekser::config
