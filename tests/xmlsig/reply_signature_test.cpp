// The gateway's side of reply signatures, without sockets: what the SHEP client makes of a
// reply's signature under each policy (check_reply_signature), and what the source's answer
// becomes (to_query_result): the signature in the facts' provenance, an untrusted reply unknown.
#include <gtest/gtest.h>

#include "adapters/shep/client.hpp"
#include "adapters/source.hpp"
#include "tests/xmlsig/pki.hpp"

namespace tekser::adapters {
namespace {

namespace fs = std::filesystem;
using Kind = shep::Exchange::Kind;
using Policy = shep::ReplySignaturePolicy;
using Status = shep::SignatureCheck::Status;

class ReplySignatureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(xmlsig::test::make_temp_dir("reply-signature"));
    const auto bus = xmlsig::test::self_signed(*dir_, "bus", "SHEP bus");
    const auto other = xmlsig::test::self_signed(*dir_, "other", "not the bus");
    bus_key_ = new xmlsig::SigningKey(xmlsig::SigningKey::load_pem(bus.key, bus.certificate));
    other_key_ = new xmlsig::SigningKey(xmlsig::SigningKey::load_pem(other.key, other.certificate));
    trusted_ = new xmlsig::TrustStore(xmlsig::TrustStore::load({bus.certificate}));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete trusted_;
    delete other_key_;
    delete bus_key_;
    delete dir_;
  }

  // A SCSS001 reply with data, as the bus would send it.
  static std::string reply() {
    shep::ResponseInfo info;
    info.message_id = "5d1c0f0e-1111-4a2b-9c3d-000000000001";
    info.correlation_id = "3f6c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01";
    info.response_date = "2026-01-15T10:00:01.000+05:00";
    info.status_code = std::string(shep::kSuccessCode);
    info.status_message = "OK";
    return shep::build_response(info,
                                shep::Payload{"urn:t", "Response", "<Status>active</Status>"});
  }

  // The exchange the client would have made of `body` (HTTP 200).
  static shep::Exchange exchange_of(const std::string& body, Kind kind = Kind::data) {
    shep::Exchange ex;
    ex.kind = kind;
    ex.http_status = 200;
    ex.response_body = body;
    ex.reply = shep::parse_reply(body);
    ex.reply_sha256 = std::string(64, 'a');
    return ex;
  }

  static shep::SignatureCheck check(const std::string& body, Policy policy,
                                    Kind kind = Kind::data) {
    return shep::check_reply_signature(exchange_of(body, kind), policy, *trusted_);
  }

  // A mapping that turns any payload into one fact, and counts its calls.
  PayloadMapping counting_mapping() {
    return [this](const pugi::xml_node&, const facts::Provenance& provenance) {
      ++mapped_;
      mappings::MappedReply out;
      out.outcome = facts::Outcome::data;
      out.facts.push_back(facts::Fact{"status", boost::json::value("active"), provenance});
      return out;
    };
  }

  QueryResult answer(shep::Exchange exchange, Policy policy) {
    exchange.signature = shep::check_reply_signature(exchange, policy, *trusted_);
    // The message id we "sent" is the one the golden reply correlates to.
    auto asked = exchange.reply.info.correlation_id.value_or("msg-1");
    return to_query_result(std::move(exchange), std::move(asked), "gbd_ul", "GbdulInfoByBin_v2",
                           counting_mapping(), std::chrono::hours(1));
  }

  int mapped_ = 0;
  static inline fs::path* dir_ = nullptr;
  static inline xmlsig::SigningKey* bus_key_ = nullptr;
  static inline xmlsig::SigningKey* other_key_ = nullptr;
  static inline xmlsig::TrustStore* trusted_ = nullptr;
};

TEST_F(ReplySignatureTest, IgnoreChecksNothing) {
  const auto result = check(xmlsig::sign_soap_body(reply(), *other_key_), Policy::ignore);
  EXPECT_EQ(result.status, Status::not_checked);
  EXPECT_FALSE(result.rejected);
}

TEST_F(ReplySignatureTest, ValidSignatureIsAcceptedUnderEveryCheckingPolicy) {
  const auto signed_reply = xmlsig::sign_soap_body(reply(), *bus_key_);
  for (const auto policy : {Policy::verify_if_present, Policy::require}) {
    const auto result = check(signed_reply, policy);
    EXPECT_EQ(result.status, Status::valid) << result.reason;
    EXPECT_FALSE(result.rejected);
    EXPECT_EQ(result.signer_sha256, bus_key_->certificate().sha256_fingerprint);
    EXPECT_EQ(xmlsig::algorithm_name(result.signature_algorithm), "RSA-SHA256");
  }
}

TEST_F(ReplySignatureTest, InvalidOrUntrustedSignatureIsRejectedUnderEveryCheckingPolicy) {
  std::string tampered = xmlsig::sign_soap_body(reply(), *bus_key_);
  tampered.replace(tampered.find("active"), 6, "absent");
  const auto stranger = xmlsig::sign_soap_body(reply(), *other_key_);
  for (const auto policy : {Policy::verify_if_present, Policy::require}) {
    for (const auto& body : {tampered, stranger}) {
      const auto result = check(body, policy);
      EXPECT_EQ(result.status, Status::invalid);
      EXPECT_TRUE(result.rejected);
      EXPECT_EQ(result.reason.rfind("reply signature invalid: ", 0), 0u) << result.reason;
    }
  }
}

TEST_F(ReplySignatureTest, MissingSignatureIsRejectedOnlyUnderRequire) {
  auto result = check(reply(), Policy::verify_if_present);
  EXPECT_EQ(result.status, Status::absent);
  EXPECT_FALSE(result.rejected);
  result = check(reply(), Policy::require);
  EXPECT_EQ(result.status, Status::absent);
  EXPECT_TRUE(result.rejected);
  EXPECT_NE(result.reason.find("signature missing"), std::string::npos) << result.reason;
  // Every SendMessageResponse kind needs one; a SOAP fault (unsigned by SHEP) stays a refusal.
  EXPECT_TRUE(check(reply(), Policy::require, Kind::no_data).rejected);
  EXPECT_TRUE(check(reply(), Policy::require, Kind::bus_status).rejected);
  EXPECT_FALSE(check(reply(), Policy::require, Kind::soap_fault).rejected);
}

TEST_F(ReplySignatureTest, RepliesThatAreNoSoapAnswerAreNotChecked) {
  for (const auto kind : {Kind::transport_error, Kind::http_error, Kind::malformed}) {
    const auto result = check("<html>503</html>", Policy::require, kind);
    EXPECT_EQ(result.status, Status::not_checked);
    EXPECT_FALSE(result.rejected);
  }
}

TEST_F(ReplySignatureTest, FactsCarryTheSignatureAndTheSigner) {
  const auto result =
      answer(exchange_of(xmlsig::sign_soap_body(reply(), *bus_key_)), Policy::require);
  ASSERT_EQ(result.result.outcome, facts::Outcome::data) << result.result.cause;
  EXPECT_EQ(result.result.provenance.signature, facts::SignatureStatus::valid);
  ASSERT_EQ(result.result.facts.size(), 1u);
  const auto& provenance = result.result.facts[0].provenance;
  EXPECT_EQ(provenance.signature, facts::SignatureStatus::valid);
  EXPECT_EQ(provenance.signer_sha256, bus_key_->certificate().sha256_fingerprint);

  const auto unsigned_answer = answer(exchange_of(reply()), Policy::verify_if_present);
  ASSERT_EQ(unsigned_answer.result.outcome, facts::Outcome::data);
  EXPECT_EQ(unsigned_answer.result.facts[0].provenance.signature, facts::SignatureStatus::absent);
  EXPECT_TRUE(unsigned_answer.result.facts[0].provenance.signer_sha256.empty());
}

TEST_F(ReplySignatureTest, AnUntrustedReplyIsUnavailableAndNeverMapped) {
  std::string tampered = xmlsig::sign_soap_body(reply(), *bus_key_);
  tampered.replace(tampered.find("active"), 6, "absent");
  const auto result = answer(exchange_of(tampered), Policy::verify_if_present);
  EXPECT_EQ(result.result.outcome, facts::Outcome::unavailable);
  EXPECT_TRUE(result.result.facts.empty());
  EXPECT_EQ(mapped_, 0) << "nothing of an untrusted reply is read";
  EXPECT_NE(result.result.cause.find("signature invalid"), std::string::npos);
  EXPECT_EQ(result.result.provenance.signature, facts::SignatureStatus::invalid);
  ASSERT_TRUE(result.exchange);
  EXPECT_EQ(result.exchange->signature.status, Status::invalid);

  const auto missing = answer(exchange_of(reply()), Policy::require);
  EXPECT_EQ(missing.result.outcome, facts::Outcome::unavailable);
  EXPECT_NE(missing.result.cause.find("signature missing"), std::string::npos);
  EXPECT_EQ(mapped_, 0);
}

}  // namespace
}  // namespace tekser::adapters
