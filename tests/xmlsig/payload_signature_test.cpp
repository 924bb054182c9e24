// The enveloped payload signature ГБД ЮЛ wants (common/xmlsig sign_request_data /
// verify_request_data) on requests the gateway's own code builds, together with the WS-Security
// Body signature, and both cross-checked with Debian's xmlsec1 command line.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "adapters/gbd_ul/request.hpp"
#include "common/shep/envelope.hpp"
#include "common/xmlsig/xmlsig.hpp"
#include "tests/xmlsig/pki.hpp"

namespace tekser::xmlsig::test {
namespace {

using Status = Verification::Status;

constexpr const char* kBin = "150340012340";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not in the text");
  return text.replace(at, from.size(), to);
}

// A ГБД ЮЛ SendMessage request exactly as the gateway builds it (adapters/gbd_ul, adapters/shep).
std::string gbd_ul_request() {
  shep::RequestInfo info;
  info.message_id = "3f6c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01";
  info.service_id = "GbdulInfoByBin_v2";
  info.message_date = "2026-01-15T10:00:00.000+05:00";
  info.sender_id = "tekser";
  return shep::build_request(info, adapters::gbd_ul::build_request("020340000003", kBin));
}

class PayloadSignatureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(make_temp_dir("payload-sig"));
    signer_ = new Pem(self_signed(*dir_, "signer", "tekser gateway"));
    stranger_ = new Pem(self_signed(*dir_, "stranger", "somebody else"));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete stranger_;
    delete signer_;
    delete dir_;
  }

  static SigningKey key(const Pem& pem) { return SigningKey::load_pem(pem.key, pem.certificate); }
  static TrustStore trust(const Pem& pem) { return TrustStore::load({pem.certificate}); }

  static inline fs::path* dir_ = nullptr;
  static inline Pem* signer_ = nullptr;
  static inline Pem* stranger_ = nullptr;
};

TEST_F(PayloadSignatureTest, SignedRequestDataVerifiesWithTheSignersIdentity) {
  const auto signed_envelope = sign_request_data(gbd_ul_request(), key(*signer_));
  const auto check = verify_request_data(signed_envelope, trust(*signer_));
  EXPECT_EQ(check.status, Status::valid) << check.reason;
  EXPECT_EQ(check.signer_subject, "CN=tekser gateway");
  EXPECT_EQ(check.signer_sha256_fingerprint, key(*signer_).certificate().sha256_fingerprint);
  // Only the payload is signed: no WS-Security header yet.
  EXPECT_EQ(verify_soap_body(signed_envelope, trust(*signer_)).status, Status::absent);
}

TEST_F(PayloadSignatureTest, SignatureIsTheLastChildOfDataWithTheEnvelopedShape) {
  const auto signed_envelope = sign_request_data(gbd_ul_request(), key(*signer_));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(signed_envelope.c_str()));
  const auto data = doc.select_node("//requestData/data").node();
  ASSERT_TRUE(data);
  EXPECT_STREQ(data.first_child().name(), "RequestorBIN");
  EXPECT_STREQ(data.child("BIN").text().get(), kBin);
  const auto signature = data.last_child();
  EXPECT_STREQ(signature.name(), "ds:Signature");
  EXPECT_STREQ(signature.attribute("xmlns:ds").value(), "http://www.w3.org/2000/09/xmldsig#");
  const auto info = signature.child("ds:SignedInfo");
  EXPECT_STREQ(info.child("ds:CanonicalizationMethod").attribute("Algorithm").value(),
               "http://www.w3.org/2001/10/xml-exc-c14n#");
  EXPECT_STREQ(info.child("ds:SignatureMethod").attribute("Algorithm").value(),
               "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  const auto reference = info.child("ds:Reference");
  ASSERT_TRUE(reference.attribute("URI"));
  EXPECT_STREQ(reference.attribute("URI").value(), "");
  const auto transforms = reference.child("ds:Transforms");
  EXPECT_STREQ(transforms.first_child().attribute("Algorithm").value(),
               "http://www.w3.org/2000/09/xmldsig#enveloped-signature");
  EXPECT_STREQ(transforms.last_child().attribute("Algorithm").value(),
               "http://www.w3.org/2001/10/xml-exc-c14n#");
  EXPECT_STREQ(reference.child("ds:DigestMethod").attribute("Algorithm").value(),
               "http://www.w3.org/2001/04/xmlenc#sha256");
  EXPECT_FALSE(
      std::string(
          signature.child("ds:KeyInfo").child("ds:X509Data").child_value("ds:X509Certificate"))
          .empty());
}

TEST_F(PayloadSignatureTest, BodySignatureOverThePayloadSignatureBothVerify) {
  const auto both =
      sign_soap_body(sign_request_data(gbd_ul_request(), key(*signer_)), key(*signer_));
  EXPECT_EQ(verify_soap_body(both, trust(*signer_)).status, Status::valid);
  EXPECT_EQ(verify_request_data(both, trust(*signer_)).status, Status::valid);
  // The other order breaks the Body signature: the payload signature must come first.
  const auto wrong_order =
      sign_request_data(sign_soap_body(gbd_ul_request(), key(*signer_)), key(*signer_));
  EXPECT_EQ(verify_soap_body(wrong_order, trust(*signer_)).status, Status::invalid);
  EXPECT_EQ(verify_request_data(wrong_order, trust(*signer_)).status, Status::valid);
}

TEST_F(PayloadSignatureTest, ChangedRequestDataIsInvalid) {
  const auto signed_envelope = sign_request_data(gbd_ul_request(), key(*signer_));
  const auto check = verify_request_data(
      replace(signed_envelope, std::string("<BIN>") + kBin, "<BIN>150340012341"), trust(*signer_));
  EXPECT_EQ(check.status, Status::invalid);
  EXPECT_NE(check.reason.find("changed after signing"), std::string::npos) << check.reason;
}

TEST_F(PayloadSignatureTest, ChangedSignatureValueIsInvalid) {
  auto signed_envelope = sign_request_data(gbd_ul_request(), key(*signer_));
  const auto at = signed_envelope.find("<ds:SignatureValue>") + 19;
  signed_envelope[at] = signed_envelope[at] == 'A' ? 'B' : 'A';
  const auto check = verify_request_data(signed_envelope, trust(*signer_));
  EXPECT_EQ(check.status, Status::invalid);
  EXPECT_NE(check.reason.find("does not verify"), std::string::npos) << check.reason;
}

TEST_F(PayloadSignatureTest, SignerOutsideTheTrustStoreIsInvalid) {
  const auto check =
      verify_request_data(sign_request_data(gbd_ul_request(), key(*stranger_)), trust(*signer_));
  EXPECT_EQ(check.status, Status::invalid);
  EXPECT_NE(check.reason.find("not trusted"), std::string::npos) << check.reason;
  EXPECT_EQ(check.signer_subject, "CN=somebody else");
}

TEST_F(PayloadSignatureTest, UnsignedDataIsAbsentAndNoDataIsInvalid) {
  EXPECT_EQ(verify_request_data(gbd_ul_request(), trust(*signer_)).status, Status::absent);
  const auto no_data = replace(gbd_ul_request(), "<requestData>", "<other>");
  EXPECT_EQ(verify_request_data(no_data, trust(*signer_)).status, Status::invalid);
  EXPECT_THROW(sign_request_data(no_data, key(*signer_)), Error);
}

TEST_F(PayloadSignatureTest, SecondSignatureIsRefused) {
  const auto once = sign_request_data(gbd_ul_request(), key(*signer_));
  EXPECT_THROW(sign_request_data(once, key(*signer_)), Error);
  // Two signatures smuggled in: which one counts would be ambiguous.
  const auto signature_at = once.find("<ds:Signature");
  const auto end = once.find("</ds:Signature>") + 15;
  auto twice = once;
  twice.insert(end, once.substr(signature_at, end - signature_at));
  const auto check = verify_request_data(twice, trust(*signer_));
  EXPECT_EQ(check.status, Status::invalid);
  EXPECT_NE(check.reason.find("expected one"), std::string::npos) << check.reason;
}

TEST_F(PayloadSignatureTest, ReferenceToSomethingElseThanTheWholeDataIsInvalid) {
  const auto signed_envelope = sign_request_data(gbd_ul_request(), key(*signer_));
  const auto check =
      verify_request_data(replace(signed_envelope, "URI=\"\"", "URI=\"#x\""), trust(*signer_));
  EXPECT_EQ(check.status, Status::invalid);
  EXPECT_NE(check.reason.find("not the whole data"), std::string::npos) << check.reason;
}

TEST_F(PayloadSignatureTest, TypePrefixDeclaredAboveDataStaysInTheSignedDocument) {
  // A sender that declares the payload prefix on the Envelope: the standalone data keeps it.
  auto envelope =
      replace(gbd_ul_request(), " xmlns:pl=\"http://gbdulinfobybin_v2.egp.gbdul.tamur.kz\"", "");
  envelope = replace(envelope, "<soap:Envelope ",
                     "<soap:Envelope xmlns:pl=\"http://gbdulinfobybin_v2.egp.gbdul.tamur.kz\" ");
  const auto signed_envelope = sign_request_data(envelope, key(*signer_));
  EXPECT_EQ(verify_request_data(signed_envelope, trust(*signer_)).status, Status::valid);
  const auto standalone = request_data_document(signed_envelope);
  EXPECT_NE(standalone.find("xmlns:pl=\"http://gbdulinfobybin_v2.egp.gbdul.tamur.kz\""),
            std::string::npos)
      << standalone;
}

// --- An independent implementation: Debian's xmlsec1 command line --------------------------

// xmlsec1 finds the certificate in the signature's ds:X509Data and checks it against the trusted
// one; the payload signature's Reference URI="" is the whole document, so xmlsec1 is given the
// data element as a document of its own — as the receiving service takes it out of requestData.
TEST_F(PayloadSignatureTest, Xmlsec1CommandLineVerifiesThePayloadSignature) {
  const auto both =
      sign_soap_body(sign_request_data(gbd_ul_request(), key(*signer_)), key(*signer_));
  const auto payload = *dir_ / "payload-signed-by-tekser.xml";
  write(payload, request_data_document(both));
  const auto log = *dir_ / "xmlsec1-payload.log";
  const auto command = "xmlsec1 --verify --trusted-pem '" + signer_->certificate.string() + "' '" +
                       payload.string() + "'";
  EXPECT_EQ(shell(command, log), 0) << command << "\n" << slurp(log);

  // The Body signature of the same request, over the payload signature.
  const auto envelope = *dir_ / "request-signed-by-tekser.xml";
  write(envelope, both);
  const auto body_command =
      "xmlsec1 --verify --id-attr:Id http://schemas.xmlsoap.org/soap/envelope/:Body "
      "--pubkey-cert-pem '" +
      signer_->certificate.string() + "' --trusted-pem '" + signer_->certificate.string() + "' '" +
      envelope.string() + "'";
  EXPECT_EQ(shell(body_command, log), 0) << body_command << "\n" << slurp(log);

  // A changed BIN fails, and a signer xmlsec1 is not told to trust fails.
  const auto tampered = *dir_ / "payload-tampered.xml";
  write(tampered, replace(slurp(payload), std::string("<BIN>") + kBin, "<BIN>150340012341"));
  EXPECT_NE(shell("xmlsec1 --verify --trusted-pem '" + signer_->certificate.string() + "' '" +
                      tampered.string() + "'",
                  log),
            0)
      << "xmlsec1 accepted changed request data";
  EXPECT_NE(shell("xmlsec1 --verify --trusted-pem '" + stranger_->certificate.string() + "' '" +
                      payload.string() + "'",
                  log),
            0)
      << "xmlsec1 accepted a signer outside its trusted certificates";
}

}  // namespace
}  // namespace tekser::xmlsig::test
