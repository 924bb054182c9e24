// common/xmlsig: WS-Security signing and verification of SOAP envelopes, against keys made at
// run time, and cross-checked with Debian's xmlsec1 command line (an independent implementation).
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include <pugixml.hpp>

#include "common/xmlsig/xmlsig.hpp"
#include "tests/xmlsig/pki.hpp"

namespace tekser::xmlsig::test {
namespace {

using Status = Verification::Status;

constexpr const char* kSoapNs = "http://schemas.xmlsoap.org/soap/envelope/";

// A SHEP reply as the mock bus sends it (no Header), with text that is not ASCII.
const std::string kReply = R"(<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><typ:SendMessageResponse xmlns:typ="http://bip.bee.kz/SyncChannel/v10/Types"><response><responseInfo><messageId>5d1c0f0e-1111-4a2b-9c3d-000000000001</messageId><correlationId>3f6c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01</correlationId><responseDate>2026-01-15T10:00:01.000+05:00</responseDate><status><code>SCSS001</code><message>Сведения найдены</message></status><sessionId>{8A6E0804-2BD0-4672-B79D-D97027F9071A}</sessionId></responseInfo><responseData><data><Organization><BIN>150340012340</BIN><FullNameRu>ТОО «Мейірім Медтехника»</FullNameRu></Organization></data></responseData></response></typ:SendMessageResponse></soap:Body></soap:Envelope>)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not in the text");
  return text.replace(at, from.size(), to);
}

class XmlSigTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(make_temp_dir("xmlsig"));
    signer_ = new Pem(self_signed(*dir_, "signer", "tekser test signer"));
    stranger_ = new Pem(self_signed(*dir_, "stranger", "somebody else"));
    ca_ = new Pem(self_signed(*dir_, "ca", "tekser test CA"));
    leaf_ = new Pem(issued_by(*ca_, *dir_, "leaf", "SHEP node issued by the CA"));
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete leaf_;
    delete ca_;
    delete stranger_;
    delete signer_;
    delete dir_;
  }

  static SigningKey key(const Pem& pem) { return SigningKey::load_pem(pem.key, pem.certificate); }
  static TrustStore trust(const Pem& pem) { return TrustStore::load({pem.certificate}); }

  static inline fs::path* dir_ = nullptr;
  static inline Pem* signer_ = nullptr;
  static inline Pem* stranger_ = nullptr;
  static inline Pem* ca_ = nullptr;
  static inline Pem* leaf_ = nullptr;
};

TEST_F(XmlSigTest, SignedBodyVerifiesAsValidWithTheSignersIdentity) {
  const auto signing = key(*signer_);
  const auto signed_reply = sign_soap_body(kReply, signing);

  const auto result = verify_soap_body(signed_reply, trust(*signer_));
  EXPECT_EQ(result.status, Status::valid) << result.reason;
  EXPECT_EQ(result.signer_subject, "CN=tekser test signer");
  EXPECT_EQ(result.signer_sha256_fingerprint, signing.certificate().sha256_fingerprint);
  EXPECT_EQ(result.signer_sha256_fingerprint.size(), 64u);
}

TEST_F(XmlSigTest, SignatureHasTheShepShapeInANewHeader) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(signed_reply.c_str()));
  const auto envelope = doc.document_element();
  const auto header = envelope.first_child();
  ASSERT_STREQ(header.name(), "soap:Header") << "the Header comes before the Body";
  const auto security = header.child("wsse:Security");
  ASSERT_TRUE(security);
  EXPECT_STREQ(security.attribute("soap:mustUnderstand").value(), "1");
  const auto token = security.child("wsse:BinarySecurityToken");
  ASSERT_TRUE(token);
  EXPECT_STREQ(token.attribute("ValueType").value(), std::string(kX509v3).c_str());
  EXPECT_FALSE(std::string(token.attribute("wsu:Id").value()).empty());

  const auto signature = security.child("ds:Signature");
  ASSERT_TRUE(signature);
  const auto signed_info = signature.child("ds:SignedInfo");
  EXPECT_STREQ(signed_info.child("ds:CanonicalizationMethod").attribute("Algorithm").value(),
               "http://www.w3.org/2001/10/xml-exc-c14n#");
  EXPECT_STREQ(signed_info.child("ds:SignatureMethod").attribute("Algorithm").value(),
               "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  const auto reference = signed_info.child("ds:Reference");
  EXPECT_STREQ(reference.child("ds:DigestMethod").attribute("Algorithm").value(),
               "http://www.w3.org/2001/04/xmlenc#sha256");
  EXPECT_STREQ(
      reference.child("ds:Transforms").child("ds:Transform").attribute("Algorithm").value(),
      "http://www.w3.org/2001/10/xml-exc-c14n#");
  const auto body = envelope.child("soap:Body");
  EXPECT_EQ(std::string(reference.attribute("URI").value()),
            std::string("#") + body.attribute("wsu:Id").value());
  EXPECT_FALSE(
      std::string(signed_info.child("ds:Reference").child_value("ds:DigestValue")).empty());
  EXPECT_FALSE(std::string(signature.child_value("ds:SignatureValue")).empty());

  const auto identifier = signature.child("ds:KeyInfo")
                              .child("wsse:SecurityTokenReference")
                              .child("wsse:KeyIdentifier");
  EXPECT_STREQ(identifier.attribute("ValueType").value(), std::string(kX509v3).c_str());
  EXPECT_EQ(std::string(identifier.child_value()), std::string(token.child_value()))
      << "the KeyIdentifier carries the whole certificate, as SHEP does";
}

TEST_F(XmlSigTest, ExistingHeaderAndBodyIdAreKept) {
  const auto with_header =
      replace(kReply, "<soap:Body>",
              "<soap:Header><x:Trace xmlns:x=\"urn:x\">1</x:Trace></soap:Header><soap:Body "
              "xmlns:wsu=\"" +
                  std::string(kWsuNs) + "\" wsu:Id=\"body-1\">");
  const auto signed_reply = sign_soap_body(with_header, key(*signer_));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(signed_reply.c_str()));
  const auto envelope = doc.document_element();
  EXPECT_EQ(std::distance(envelope.children("soap:Header").begin(),
                          envelope.children("soap:Header").end()),
            1);
  EXPECT_TRUE(envelope.child("soap:Header").child("x:Trace"));
  EXPECT_STREQ(envelope.child("soap:Body").attribute("wsu:Id").value(), "body-1");
  EXPECT_STREQ(envelope.child("soap:Header")
                   .child("wsse:Security")
                   .child("ds:Signature")
                   .child("ds:SignedInfo")
                   .child("ds:Reference")
                   .attribute("URI")
                   .value(),
               "#body-1");
  EXPECT_EQ(verify_soap_body(signed_reply, trust(*signer_)).status, Status::valid);
}

TEST_F(XmlSigTest, EveryKeyReferenceFormVerifies) {
  for (const auto form : {KeyReference::x509v3_key_identifier, KeyReference::token_reference,
                          KeyReference::thumbprint_sha1}) {
    const auto signed_reply = sign_soap_body(kReply, key(*signer_), SignOptions{form});
    const auto result = verify_soap_body(signed_reply, trust(*signer_));
    EXPECT_EQ(result.status, Status::valid) << static_cast<int>(form) << ": " << result.reason;
  }
}

TEST_F(XmlSigTest, TamperedBodyIsInvalid) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  // A liquidated company made to look registered: one changed character in the Body.
  const auto tampered = replace(signed_reply, "150340012340", "150340012341");
  const auto result = verify_soap_body(tampered, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("digest"), std::string::npos) << result.reason;
}

TEST_F(XmlSigTest, TamperedSignatureValueIsInvalid) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(signed_reply.c_str()));
  auto value = doc.document_element()
                   .child("soap:Header")
                   .child("wsse:Security")
                   .child("ds:Signature")
                   .child("ds:SignatureValue");
  std::string text = value.child_value();
  text[10] = text[10] == 'A' ? 'B' : 'A';
  value.text().set(text.c_str());
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  const auto result = verify_soap_body(out.str(), trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("signature value"), std::string::npos) << result.reason;
}

TEST_F(XmlSigTest, SignerOutsideTheTrustStoreIsInvalid) {
  const auto signed_reply = sign_soap_body(kReply, key(*stranger_));
  const auto result = verify_soap_body(signed_reply, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("not trusted"), std::string::npos) << result.reason;
  EXPECT_EQ(result.signer_subject, "CN=somebody else") << "named, to tell the operator who signed";
}

TEST_F(XmlSigTest, EmptyTrustStoreTrustsNobody) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  const auto result = verify_soap_body(signed_reply, TrustStore());
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("no trusted certificates"), std::string::npos) << result.reason;
}

TEST_F(XmlSigTest, CertificateIssuedByATrustedCaIsValid) {
  const auto signed_reply = sign_soap_body(kReply, key(*leaf_));
  const auto result = verify_soap_body(signed_reply, trust(*ca_));
  EXPECT_EQ(result.status, Status::valid) << result.reason;
  EXPECT_EQ(result.signer_subject, "CN=SHEP node issued by the CA");
}

TEST_F(XmlSigTest, EnvelopeWithoutSecurityHeaderIsAbsent) {
  EXPECT_EQ(verify_soap_body(kReply, trust(*signer_)).status, Status::absent);
  const auto empty_security = replace(kReply, "<soap:Body>",
                                      "<soap:Header><wsse:Security xmlns:wsse=\"" +
                                          std::string(kWsseNs) + "\"/></soap:Header><soap:Body>");
  EXPECT_EQ(verify_soap_body(empty_security, trust(*signer_)).status, Status::absent);
}

// The classic wrapping attack: the signed Body is moved under the Header, where the signature
// still finds it by Id, and a forged Body takes its place.
TEST_F(XmlSigTest, SignedBodyMovedUnderTheHeaderIsInvalid) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(signed_reply.c_str()));
  auto envelope = doc.document_element();
  auto original = envelope.child("soap:Body");
  const std::string id = original.attribute("wsu:Id").value();
  auto wrapper = envelope.child("soap:Header").append_child("x:Wrapper");
  wrapper.append_attribute("xmlns:x") = "urn:attacker";
  wrapper.append_copy(original);
  envelope.remove_child(original);
  auto forged = envelope.append_child("soap:Body");
  forged.append_child("Forged").text().set("registered, no debts");

  std::ostringstream without_id;
  doc.save(without_id, "", pugi::format_raw);
  auto result = verify_soap_body(without_id.str(), trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("no wsu:Id"), std::string::npos) << result.reason;

  // The forged Body borrowing the signed Body's Id fares no better: the digest is the real one's.
  forged.append_attribute("xmlns:wsu") = std::string(kWsuNs).c_str();
  forged.append_attribute("wsu:Id") = id.c_str();
  std::ostringstream same_id;
  doc.save(same_id, "", pugi::format_raw);
  result = verify_soap_body(same_id.str(), trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("digest"), std::string::npos) << result.reason;

  // With another Id, the reference no longer names the envelope's Body.
  forged.attribute("wsu:Id").set_value("id-forged");
  std::ostringstream other_id;
  doc.save(other_id, "", pugi::format_raw);
  result = verify_soap_body(other_id.str(), trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("not the envelope's Body"), std::string::npos) << result.reason;
}

TEST_F(XmlSigTest, BodyIdClaimedByAnotherElementIsInvalid) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(signed_reply.c_str()));
  auto envelope = doc.document_element();
  const std::string id = envelope.child("soap:Body").attribute("wsu:Id").value();
  // xml:id is an ID for any parser without a DTD: the decoy would win a naive lookup.
  auto decoy = envelope.child("soap:Header").append_child("Decoy");
  decoy.append_attribute("xml:id") = id.c_str();
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  const auto result = verify_soap_body(out.str(), trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("elsewhere"), std::string::npos) << result.reason;
}

TEST_F(XmlSigTest, TwoBodiesOrADoctypeAreRefused) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  const auto two_bodies = replace(signed_reply, "</soap:Envelope>", "<soap:Body/></soap:Envelope>");
  EXPECT_EQ(verify_soap_body(two_bodies, trust(*signer_)).status, Status::invalid);

  const auto doctype =
      replace(signed_reply, "<soap:Envelope",
              "<!DOCTYPE soap:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
              "<soap:Envelope");
  const auto result = verify_soap_body(doctype, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("DOCTYPE"), std::string::npos) << result.reason;
  EXPECT_THROW(sign_soap_body(replace(kReply, "<soap:Envelope", "<!DOCTYPE x><soap:Envelope"),
                              key(*signer_)),
               Error);
}

TEST_F(XmlSigTest, NotAnEnvelopeCannotBeSigned) {
  EXPECT_THROW(sign_soap_body("<a/>", key(*signer_)), Error);
  EXPECT_THROW(sign_soap_body("not xml", key(*signer_)), Error);
  EXPECT_EQ(verify_soap_body("not xml", trust(*signer_)).status, Status::invalid);
}

TEST_F(XmlSigTest, Pkcs12KeySignsLikeItsPem) {
  const auto p12 = pkcs12(*signer_, *dir_, "signer", "s3cret");
  const auto from_p12 = SigningKey::load_pkcs12(p12, "s3cret");
  EXPECT_EQ(from_p12.certificate().sha256_fingerprint,
            key(*signer_).certificate().sha256_fingerprint);
  const auto result = verify_soap_body(sign_soap_body(kReply, from_p12), trust(*signer_));
  EXPECT_EQ(result.status, Status::valid) << result.reason;
  EXPECT_THROW(SigningKey::load_pkcs12(p12, "wrong"), Error);
}

TEST_F(XmlSigTest, KeyThatIsNotTheCertificatesIsRefused) {
  try {
    SigningKey::load_pem(stranger_->key, signer_->certificate);
    FAIL() << "a mismatched key was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does not belong"), std::string::npos) << e.what();
  }
  EXPECT_THROW(SigningKey::load_pem(*dir_ / "missing.key", signer_->certificate), Error);
  EXPECT_THROW(TrustStore::load({signer_->key}), Error) << "a key file holds no certificate";
}

TEST_F(XmlSigTest, CertificatePemRoundTrips) {
  const auto signing = key(*signer_);
  const auto store = TrustStore::from_pem(signing.certificate_pem());
  ASSERT_EQ(store.size(), 1u);
  EXPECT_EQ(store.certificates()[0].sha256_fingerprint, signing.certificate().sha256_fingerprint);
}

TEST_F(XmlSigTest, SignsAndVerifiesFromManyThreadsAtOnce) {
  const auto signing = key(*signer_);
  const auto trusted = trust(*signer_);
  std::vector<std::thread> threads;
  std::vector<int> valid(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const auto body = replace(kReply, "150340012340", std::to_string(150340012340 + i));
        if (verify_soap_body(sign_soap_body(body, signing), trusted).status == Status::valid)
          ++valid[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(valid[t], 25) << "thread " << t;
}

// --- An independent implementation: Debian's xmlsec1 command line --------------------------

constexpr const char* kIdAttr = "--id-attr:Id http://schemas.xmlsoap.org/soap/envelope/:Body";

TEST_F(XmlSigTest, Xmlsec1CommandLineVerifiesOurSignature) {
  const auto file = *dir_ / "signed-by-tekser.xml";
  write(file, sign_soap_body(kReply, key(*signer_)));
  const auto command = std::string("xmlsec1 --verify ") + kIdAttr + " --pubkey-cert-pem '" +
                       signer_->certificate.string() + "' --trusted-pem '" +
                       signer_->certificate.string() + "' '" + file.string() + "'";
  const auto log = *dir_ / "xmlsec1.log";
  EXPECT_EQ(shell(command, log), 0) << command << "\n" << slurp(log);

  const auto tampered = *dir_ / "tampered.xml";
  write(tampered, replace(slurp(file), "150340012340", "150340012341"));
  const auto tampered_command = std::string("xmlsec1 --verify ") + kIdAttr +
                                " --pubkey-cert-pem '" + signer_->certificate.string() + "' '" +
                                tampered.string() + "'";
  EXPECT_NE(shell(tampered_command, log), 0) << "xmlsec1 accepted a tampered Body";
}

// The other way round: xmlsec1 signs a template with the SHEP KeyInfo (the certificate in a
// KeyIdentifier) and the given algorithms; returns the signed envelope.
std::string signed_by_xmlsec1(const Pem& signer, const fs::path& dir,
                              const std::string& signature_method,
                              const std::string& digest_method) {
  std::string der_b64;
  {
    pugi::xml_document doc;
    const auto ours = sign_soap_body(kReply, SigningKey::load_pem(signer.key, signer.certificate));
    if (!doc.load_string(ours.c_str())) throw std::runtime_error("our envelope does not parse");
    der_b64 = doc.document_element()
                  .child("soap:Header")
                  .child("wsse:Security")
                  .child("wsse:BinarySecurityToken")
                  .child_value();
  }
  const std::string wsse(kWsseNs), wsu(kWsuNs);
  const auto header =
      "<soap:Header><wsse:Security xmlns:wsse=\"" + wsse + "\" xmlns:wsu=\"" + wsu +
      "\"><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
      "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
      "<ds:SignatureMethod Algorithm=\"" +
      signature_method +
      "\"/>"
      "<ds:Reference URI=\"#body-x\"><ds:Transforms><ds:Transform "
      "Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>"
      "<ds:DigestMethod Algorithm=\"" +
      digest_method +
      "\"/>"
      "<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo>"
      "<wsse:SecurityTokenReference><wsse:KeyIdentifier ValueType=\"" +
      std::string(kX509v3) + "\" EncodingType=\"" + std::string(kBase64Binary) + "\">" + der_b64 +
      "</wsse:KeyIdentifier></wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature>"
      "</wsse:Security></soap:Header><soap:Body xmlns:wsu=\"" +
      wsu + "\" wsu:Id=\"body-x\">";
  const auto template_file = dir / "template.xml";
  const auto signed_file = dir / "signed-by-xmlsec1.xml";
  write(template_file, replace(kReply, "<soap:Body>", header));
  const auto command = std::string("xmlsec1 --sign ") + kIdAttr + " --privkey-pem '" +
                       signer.key.string() + "' --output '" + signed_file.string() + "' '" +
                       template_file.string() + "'";
  const auto log = dir / "xmlsec1-sign.log";
  if (shell(command, log) != 0) throw std::runtime_error(command + "\n" + slurp(log));
  return slurp(signed_file);
}

TEST_F(XmlSigTest, OurVerifierAcceptsASignatureMadeByXmlsec1) {
  const auto signed_envelope =
      signed_by_xmlsec1(*signer_, *dir_, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                        "http://www.w3.org/2001/04/xmlenc#sha256");
  const auto result = verify_soap_body(signed_envelope, trust(*signer_));
  EXPECT_EQ(result.status, Status::valid) << result.reason;
}

TEST_F(XmlSigTest, AlgorithmsOutsideTheProfileAreRefused) {
  // A correct RSA-SHA1 / SHA-1 signature: xmlsec1 makes it, our profile does not take it.
  const auto signed_envelope =
      signed_by_xmlsec1(*signer_, *dir_, "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                        "http://www.w3.org/2000/09/xmldsig#sha1");
  const auto result = verify_soap_body(signed_envelope, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("cannot be processed"), std::string::npos) << result.reason;
}

}  // namespace
}  // namespace tekser::xmlsig::test
