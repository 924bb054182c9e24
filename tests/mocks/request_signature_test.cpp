// The mock bus checks request signatures (--request-signature, --trusted-request-cert): the
// SyncChannel's policy over the verifier of mocks/signing, with keys made at run time by the
// openssl command line. What is refused and with which fault, and what the journal records.
#include <gtest/gtest.h>

#include "common/xmlsig/xmlsig.hpp"
#include "mocks/shep_server/sync_channel.hpp"
#include "mocks/signing/request_verification.hpp"
#include "test_support.hpp"
#include "tests/xmlsig/pki.hpp"

namespace tekser::mocks {
namespace {

using namespace testing;
namespace pki = xmlsig::test;

constexpr const char* kBin = "150340012340";
constexpr const char* kIin = "850101300512";

class RequestSignatureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(pki::make_temp_dir("request-sig"));
    gateway_ = new pki::Pem(pki::self_signed(*dir_, "gateway", "tekser gateway"));
    stranger_ = new pki::Pem(pki::self_signed(*dir_, "stranger", "somebody else"));
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(shipped_fixtures()));
    emulators.push_back(std::make_unique<gbd_fl::GbdFlEmulator>(shipped_fixtures()));
    faults_ = std::make_unique<FaultSwitch>();
    journal_ = std::make_unique<Journal>();
    channel_ =
        std::make_unique<SyncChannel>(contracts_dir(), std::move(emulators), *faults_, *journal_);
  }
  static void TearDownTestSuite() {
    channel_.reset();
    journal_.reset();
    faults_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(*dir_, ignored);
    delete stranger_;
    delete gateway_;
    delete dir_;
  }
  void SetUp() override {
    journal_->clear();
    use("require");
  }

  // The bus trusts the gateway's certificate under `policy`.
  static void use(const std::string& policy) {
    const auto verification = signing::request_verification(
        {.policy = policy,
         .trusted_certificates = policy == "ignore"
                                     ? std::vector<std::filesystem::path>{}
                                     : std::vector<std::filesystem::path>{gateway_->certificate}});
    channel_->set_request_verification(verification.policy, verification.verifier);
  }

  static xmlsig::SigningKey key(const pki::Pem& pem) {
    return xmlsig::SigningKey::load_pem(pem.key, pem.certificate);
  }
  // As the gateway's SHEP client signs: the payload's enveloped signature, then the Body's.
  static std::string signed_fully(const std::string& envelope, const pki::Pem& pem) {
    return xmlsig::sign_soap_body(xmlsig::sign_request_data(envelope, key(pem)), key(pem));
  }

  static JournalEntry last_entry() {
    const auto entries = journal_->find({});
    if (entries.empty()) throw std::runtime_error("the journal is empty");
    return entries.back();
  }

  static void expect_refused(const SoapReply& reply, std::string_view code,
                             std::string_view names) {
    EXPECT_EQ(reply.http_status, 500u) << reply.body;
    const auto parsed = shep::parse_reply(reply.body);
    ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::fault) << reply.body;
    EXPECT_EQ(parsed.fault_code, "soap:Client");
    ASSERT_TRUE(parsed.error);
    EXPECT_EQ(parsed.error->code, code);
    EXPECT_NE(parsed.error->message.find(names), std::string::npos) << parsed.error->message;
    EXPECT_EQ(reply.outcome, code);
  }

  static inline std::filesystem::path* dir_ = nullptr;
  static inline pki::Pem* gateway_ = nullptr;
  static inline pki::Pem* stranger_ = nullptr;
  static inline std::unique_ptr<FaultSwitch> faults_;
  static inline std::unique_ptr<Journal> journal_;
  static inline std::unique_ptr<SyncChannel> channel_;
};

TEST_F(RequestSignatureTest, FullySignedRequestIsServedAndJournaledValid) {
  const auto reply = channel_->handle(signed_fully(gbd_ul_request(kBin), *gateway_));
  EXPECT_EQ(reply.http_status, 200u) << reply.body;
  EXPECT_EQ(reply.outcome, "found");
  const auto entry = last_entry();
  EXPECT_EQ(entry.signature, "valid");
  EXPECT_EQ(entry.signer_sha256, key(*gateway_).certificate().sha256_fingerprint);
  EXPECT_EQ(entry.payload_signature, "valid");
  EXPECT_EQ(entry.payload_signer_sha256, key(*gateway_).certificate().sha256_fingerprint);
  EXPECT_EQ(entry.signature_problem, "");
  EXPECT_EQ(entry.validation, "valid") << "the payload signature is left out of validation";
  const auto json = to_json(entry);
  EXPECT_EQ(json.at("signature"), "valid");
  EXPECT_TRUE(json.at("signature_problem").is_null());
}

TEST_F(RequestSignatureTest, UnsignedRequestIsRefusedUnderRequire) {
  expect_refused(channel_->handle(gbd_ul_request(kBin)), kErrorSignatureMissing,
                 "no WS-Security signature");
  const auto entry = last_entry();
  EXPECT_EQ(entry.signature, "absent");
  EXPECT_EQ(entry.payload_signature, "absent");
  EXPECT_EQ(entry.validation, "not_checked");
  EXPECT_EQ(entry.subject, kBin) << "a refused request is still journaled by subject";
  EXPECT_NE(entry.signature_problem.find("requires one"), std::string::npos);
}

TEST_F(RequestSignatureTest, GbdUlRequestWithoutThePayloadSignatureIsRefusedUnderRequire) {
  const auto body_only = xmlsig::sign_soap_body(gbd_ul_request(kBin), key(*gateway_));
  expect_refused(channel_->handle(body_only), kErrorSignatureMissing,
                 "request data of GbdulInfoByBin_v2 carries no enveloped ds:Signature");
  EXPECT_EQ(last_entry().signature, "valid");
  EXPECT_EQ(last_entry().payload_signature, "absent");
}

TEST_F(RequestSignatureTest, GbdFlWantsOnlyTheBodySignature) {
  const auto reply = channel_->handle(xmlsig::sign_soap_body(gbd_fl_request(kIin), key(*gateway_)));
  EXPECT_EQ(reply.http_status, 200u) << reply.body;
  EXPECT_EQ(last_entry().signature, "valid");
  EXPECT_EQ(last_entry().payload_signature, "") << "ГБД ФЛ has no payload signature";
  EXPECT_TRUE(to_json(last_entry()).at("payload_signature").is_null());
}

TEST_F(RequestSignatureTest, SignerTheBusDoesNotTrustIsRefused) {
  expect_refused(channel_->handle(signed_fully(gbd_ul_request(kBin), *stranger_)),
                 kErrorSignatureInvalid, "not trusted");
  const auto entry = last_entry();
  EXPECT_EQ(entry.signature, "invalid");
  EXPECT_EQ(entry.signer_sha256, key(*stranger_).certificate().sha256_fingerprint);
  EXPECT_NE(entry.signature_problem.find("CN=somebody else"), std::string::npos)
      << entry.signature_problem;
}

TEST_F(RequestSignatureTest, RequestChangedAfterSigningIsRefused) {
  auto envelope = signed_fully(gbd_ul_request(kBin), *gateway_);
  envelope.replace(envelope.find(std::string("<BIN>") + kBin), 17, "<BIN>150340012341");
  expect_refused(channel_->handle(envelope), kErrorSignatureInvalid, "changed after signing");
  EXPECT_EQ(last_entry().signature, "invalid");
  EXPECT_EQ(last_entry().payload_signature, "invalid");
}

TEST_F(RequestSignatureTest, VerifyIfPresentServesUnsignedAndRefusesInvalid) {
  use("verify_if_present");
  const auto unsigned_reply = channel_->handle(gbd_ul_request(kBin));
  EXPECT_EQ(unsigned_reply.http_status, 200u) << unsigned_reply.body;
  EXPECT_EQ(last_entry().signature, "absent");
  EXPECT_EQ(last_entry().signature_problem, "");
  expect_refused(channel_->handle(signed_fully(gbd_ul_request(kBin), *stranger_)),
                 kErrorSignatureInvalid, "not trusted");
}

TEST_F(RequestSignatureTest, IgnoreChecksNothing) {
  use("ignore");
  const auto reply = channel_->handle(signed_fully(gbd_ul_request(kBin), *stranger_));
  EXPECT_EQ(reply.http_status, 200u) << reply.body;
  EXPECT_EQ(last_entry().signature, "not_checked");
  EXPECT_EQ(last_entry().payload_signature, "");
}

TEST_F(RequestSignatureTest, RefusedRequestLeavesTheFaultRulesAlone) {
  faults_->add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::http_503, 1));
  expect_refused(channel_->handle(gbd_ul_request(kBin)), kErrorSignatureMissing, "WS-Security");
  const auto reply = channel_->handle(signed_fully(gbd_ul_request(kBin), *gateway_));
  EXPECT_EQ(reply.http_status, 503u) << "the rule was not spent on the refused request";
  faults_->clear();
}

TEST_F(RequestSignatureTest, OptionsAreCheckedWithTheFlagNamed) {
  const auto error_of = [](const signing::RequestVerificationOptions& options) -> std::string {
    try {
      signing::request_verification(options);
    } catch (const std::exception& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_NE(error_of({.policy = "strict", .trusted_certificates = {}})
                .find("--request-signature: expected require, verify_if_present or ignore"),
            std::string::npos);
  EXPECT_NE(error_of({.policy = "require", .trusted_certificates = {}})
                .find("--trusted-request-cert: required with --request-signature require"),
            std::string::npos);
  EXPECT_NE(error_of({.policy = "ignore", .trusted_certificates = {gateway_->certificate}})
                .find("--trusted-request-cert: has no effect"),
            std::string::npos);
  EXPECT_NE(error_of({.policy = "require", .trusted_certificates = {*dir_ / "missing.pem"}})
                .find("missing.pem"),
            std::string::npos);
  EXPECT_EQ(
      error_of({.policy = "verify_if_present", .trusted_certificates = {gateway_->certificate}}),
      "accepted");
}

}  // namespace
}  // namespace tekser::mocks
