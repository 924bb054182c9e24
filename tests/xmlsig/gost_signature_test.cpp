// GOST R 34.10-2012 / 34.11-2012 signatures (the pkigovkz URIs of SHEP's bip-sync-wss-gost) behind
// the same API as RSA: keys made at run time with the openssl command line and Debian's gost
// engine, and every signature cross-checked independently — the signed parts canonicalised by
// python3-lxml (a second canonicaliser), the digest and the signature value checked by the
// openssl command line.
#include <gtest/gtest.h>

#include "common/xmlsig/xmlsig.hpp"
#include "mocks/signing/reply_signing.hpp"
#include "mocks/signing/request_verification.hpp"
#include "tests/xmlsig/pki.hpp"

namespace tekser::xmlsig::test {
namespace {

using Status = Verification::Status;

constexpr std::string_view kGost512 =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512";
constexpr std::string_view kStreebog512 =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512";
constexpr std::string_view kGost256 =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256";
constexpr std::string_view kStreebog256 =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256";

// A SHEP reply (no Header) with text that is not ASCII.
const std::string kReply = R"(<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><typ:SendMessageResponse xmlns:typ="http://bip.bee.kz/SyncChannel/v10/Types"><response><responseInfo><messageId>5d1c0f0e-1111-4a2b-9c3d-000000000001</messageId><status><code>SCSS001</code><message>Сведения найдены</message></status></responseInfo><responseData><data><Organization><BIN>150340012340</BIN><FullNameRu>ТОО «Мейірім Медтехника»</FullNameRu></Organization></data></responseData></response></typ:SendMessageResponse></soap:Body></soap:Envelope>)";

// A SendMessage request with requestData/data, whose payload uses a prefix declared above it.
const std::string kRequest = R"(<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:gbd="http://gbdul.example/v2"><soap:Body><typ:SendMessage xmlns:typ="http://bip.bee.kz/SyncChannel/v10/Types"><request><requestInfo><messageId>3f6c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01</messageId></requestInfo><requestData><data xsi:type="gbd:Request"><BIN>150340012340</BIN><Name>Мейірім</Name></data></requestData></request></typ:SendMessage></soap:Body></soap:Envelope>)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not in the text");
  return text.replace(at, from.size(), to);
}

// The second canonicaliser: lxml (libxml2 underneath, but its own node-set selection and its
// own c14n call), run by /usr/bin/python3, which has python3-lxml. Writes the canonical signed
// part, the canonical SignedInfo, the DigestValue and the SignatureValue (as written, and
// byte-reversed: the gost engine's s_BE ‖ r_BE layout).
constexpr const char* kIndependentC14n = R"PY(
import base64, copy, sys
from lxml import etree
DS = 'http://www.w3.org/2000/09/xmldsig#'
WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd'
WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd'
source, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
doc = etree.parse(source)
def c14n(element):
    return etree.tostring(element, method='c14n', exclusive=True, with_comments=False)
if mode == 'body':
    signature = doc.find('.//{%s}Security/{%s}Signature' % (WSSE, DS))
    uri = signature.find('{%s}SignedInfo/{%s}Reference' % (DS, DS)).get('URI')
    signed = [e for e in doc.iter() if e.get('{%s}Id' % WSU) == uri[1:]]
    assert len(signed) == 1
    signed_part = c14n(signed[0])
    signed_info = c14n(signature.find('{%s}SignedInfo' % DS))
else:
    data = [e for e in doc.iter() if e.tag == 'data'][0]
    signature = data.find('{%s}Signature' % DS)
    signed_info = c14n(signature.find('{%s}SignedInfo' % DS))
    bare = copy.deepcopy(data)  # the enveloped-signature transform: data less its Signature
    bare.remove(bare.find('{%s}Signature' % DS))
    signed_part = c14n(bare)
value = base64.b64decode(signature.find('{%s}SignatureValue' % DS).text)
files = {'signed.c14n': signed_part, 'signedinfo.c14n': signed_info,
         'digest.bin': base64.b64decode(signature.find('.//{%s}DigestValue' % DS).text),
         'sig-as-written.bin': value, 'sig-reversed.bin': value[::-1]}
for name, data in files.items():
    with open(out + '/' + name, 'wb') as f:
        f.write(data)
)PY";

class GostSignatureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(make_temp_dir("gost"));
    signer_ = new Pem(gost_self_signed(*dir_, "signer", "tekser GOST signer"));
    stranger_ = new Pem(gost_self_signed(*dir_, "stranger", "somebody else"));
    signer256_ = new Pem(gost_self_signed(*dir_, "signer256", "tekser GOST-256 signer", 256));
    write(*dir_ / "c14n.py", kIndependentC14n);
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete signer256_;
    delete stranger_;
    delete signer_;
    delete dir_;
  }

  static SigningKey key(const Pem& pem) { return SigningKey::load_pem(pem.key, pem.certificate); }
  static TrustStore trust(const Pem& pem) { return TrustStore::load({pem.certificate}); }

  // Checks `signed_envelope` with lxml + openssl alone: the DigestValue is Streebog-512 of lxml's
  // exclusive c14n of the signed part, and the SignatureValue, byte-reversed, verifies over
  // lxml's c14n of SignedInfo with `openssl dgst -verify` — and does not as written.
  static void check_independently(const std::string& signed_envelope, const Pem& signer,
                                  const std::string& mode, const std::string& tag) {
    const auto dir = *dir_ / tag;
    fs::create_directories(dir);
    write(dir / "signed.xml", signed_envelope);
    const auto log = dir / "log.txt";
    ASSERT_EQ(shell("/usr/bin/python3 '" + (*dir_ / "c14n.py").string() + "' '" +
                        (dir / "signed.xml").string() + "' '" + dir.string() + "' " + mode,
                    log),
              0)
        << slurp(log);
    const auto d = [&dir](const char* name) { return "'" + (dir / name).string() + "'"; };
    ASSERT_EQ(shell("openssl dgst -engine gost -md_gost12_512 -binary -out " + d("computed.bin") +
                        " " + d("signed.c14n"),
                    log),
              0)
        << slurp(log);
    EXPECT_EQ(slurp(dir / "computed.bin"), slurp(dir / "digest.bin"))
        << "lxml's c14n of the signed part, hashed by openssl, is not the DigestValue";
    EXPECT_EQ(slurp(dir / "digest.bin").size(), 64u);
    ASSERT_EQ(shell("openssl x509 -engine gost -noout -pubkey -in '" + signer.certificate.string() +
                        "' -out " + d("public.pem"),
                    log),
              0)
        << slurp(log);
    EXPECT_EQ(slurp(dir / "sig-reversed.bin").size(), 128u);
    const auto verify =
        "openssl dgst -engine gost -md_gost12_512 -verify " + d("public.pem") + " -signature ";
    EXPECT_EQ(shell(verify + d("sig-reversed.bin") + " " + d("signedinfo.c14n"), log), 0)
        << slurp(log);
    EXPECT_NE(slurp(log).find("Verified OK"), std::string::npos) << slurp(log);
    EXPECT_NE(shell(verify + d("sig-as-written.bin") + " " + d("signedinfo.c14n"), log), 0)
        << "the SignatureValue is in the Kazakh r_LE || s_LE layout, not the engine's";
  }

  static inline fs::path* dir_ = nullptr;
  static inline Pem* signer_ = nullptr;
  static inline Pem* stranger_ = nullptr;
  static inline Pem* signer256_ = nullptr;
};

TEST_F(GostSignatureTest, GostSignedEnvelopeVerifiesAndSaysWhichAlgorithm) {
  const auto signing = key(*signer_);
  const auto signed_reply = sign_soap_body(kReply, signing);
  EXPECT_NE(signed_reply.find("SignatureMethod Algorithm=\"" + std::string(kGost512) + "\""),
            std::string::npos)
      << signed_reply;
  EXPECT_NE(signed_reply.find("DigestMethod Algorithm=\"" + std::string(kStreebog512) + "\""),
            std::string::npos)
      << signed_reply;
  EXPECT_NE(signed_reply.find("http://www.w3.org/2001/10/xml-exc-c14n#"), std::string::npos);

  const auto result = verify_soap_body(signed_reply, trust(*signer_));
  EXPECT_EQ(result.status, Status::valid) << result.reason;
  EXPECT_EQ(result.algorithm, kGost512);
  EXPECT_EQ(algorithm_name(result.algorithm), "GOST R 34.10-2012 512");
  EXPECT_EQ(result.signer_subject, "CN=tekser GOST signer");
  EXPECT_EQ(result.signer_sha256_fingerprint, signing.certificate().sha256_fingerprint);
}

TEST_F(GostSignatureTest, IndependentCanonicaliserAndOpensslAgreeWithTheBodySignature) {
  check_independently(sign_soap_body(kReply, key(*signer_)), *signer_, "body", "body");
}

TEST_F(GostSignatureTest, TamperedBodyFailsOnItsDigest) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  const auto result =
      verify_soap_body(replace(signed_reply, "150340012340", "150340012341"), trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("changed after signing"), std::string::npos) << result.reason;
}

TEST_F(GostSignatureTest, TamperedSignedInfoFailsOnTheSignatureValue) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  // Whitespace inside SignedInfo survives c14n: the signed bytes change, the structure does not.
  const auto result = verify_soap_body(replace(signed_reply, "<ds:SignedInfo>", "<ds:SignedInfo> "),
                                       trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("signature value does not verify"), std::string::npos)
      << result.reason;
}

TEST_F(GostSignatureTest, TamperedSignatureValueFails) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  const auto open =
      signed_reply.find("<ds:SignatureValue>") + std::string("<ds:SignatureValue>").size();
  auto tampered = signed_reply;
  tampered[open + 10] = tampered[open + 10] == 'A' ? 'B' : 'A';
  const auto result = verify_soap_body(tampered, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("signature value does not verify"), std::string::npos)
      << result.reason;
}

TEST_F(GostSignatureTest, UntrustedGostSignerIsNamedAndRefused) {
  const auto signed_reply = sign_soap_body(kReply, key(*stranger_));
  const auto result = verify_soap_body(signed_reply, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("not trusted"), std::string::npos) << result.reason;
  EXPECT_EQ(result.signer_subject, "CN=somebody else");
}

TEST_F(GostSignatureTest, WrappedGostSignatureIsRefusedLikeRsa) {
  // The signature names an Id that is not the envelope's Body.
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  const auto uri_at = signed_reply.find("URI=\"#") + 6;
  const auto id = signed_reply.substr(uri_at, signed_reply.find('"', uri_at) - uri_at);
  const auto moved = replace(signed_reply, "wsu:Id=\"" + id + "\"", "wsu:Id=\"other\"");
  const auto result = verify_soap_body(moved, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("not the envelope's Body"), std::string::npos) << result.reason;
}

TEST_F(GostSignatureTest, GostKeysSignWith256BitUrisToo) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer256_));
  EXPECT_NE(signed_reply.find(std::string(kGost256)), std::string::npos);
  EXPECT_NE(signed_reply.find(std::string(kStreebog256)), std::string::npos);
  const auto result = verify_soap_body(signed_reply, trust(*signer256_));
  EXPECT_EQ(result.status, Status::valid) << result.reason;
  EXPECT_EQ(result.algorithm, kGost256);
  // A 512 URI over a 256-bit key is refused, not guessed.
  const auto relabelled =
      replace(replace(signed_reply, std::string(kGost256), std::string(kGost512)),
              std::string(kStreebog256), std::string(kStreebog512));
  EXPECT_EQ(verify_soap_body(relabelled, trust(*signer256_)).status, Status::invalid);
}

TEST_F(GostSignatureTest, OlderKazakhGostPairIsRefusedAsUnsupported) {
  const auto signed_reply = sign_soap_body(kReply, key(*signer_));
  const auto old_pair =
      replace(replace(signed_reply, std::string(kGost512),
                      "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311"),
              std::string(kStreebog512), "http://www.w3.org/2001/04/xmldsig-more#gost34311");
  const auto result = verify_soap_body(old_pair, trust(*signer_));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("unsupported"), std::string::npos) << result.reason;
  EXPECT_EQ(result.algorithm, "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311");
}

TEST_F(GostSignatureTest, RsaTrustDoesNotVouchForAGostSigner) {
  const auto rsa = self_signed(*dir_, "rsa", "an RSA signer");
  const auto result = verify_soap_body(sign_soap_body(kReply, key(*signer_)), trust(rsa));
  EXPECT_EQ(result.status, Status::invalid);
  EXPECT_NE(result.reason.find("not trusted"), std::string::npos) << result.reason;
  // And an RSA key still signs RSA-SHA256 beside GOST in the same process.
  const auto rsa_signed = sign_soap_body(kReply, key(rsa));
  const auto rsa_result = verify_soap_body(rsa_signed, trust(rsa));
  EXPECT_EQ(rsa_result.status, Status::valid) << rsa_result.reason;
  EXPECT_EQ(rsa_result.algorithm, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  EXPECT_EQ(algorithm_name(rsa_result.algorithm), "RSA-SHA256");
}

TEST_F(GostSignatureTest, GostKeyLoadedFromPemAndFromPkcs12Signs) {
  const auto from_pem = SigningKey::load_pem(signer_->key, signer_->certificate);
  const auto p12 = pkcs12(*signer_, *dir_, "signer", "s3cret", /*gost=*/true);
  const auto from_p12 = SigningKey::load_pkcs12(p12, "s3cret");
  const auto from_text =
      SigningKey::from_pem(slurp(signer_->key), slurp(signer_->certificate), {}, "GOST PEM text");
  for (const auto* signing : {&from_pem, &from_p12, &from_text}) {
    EXPECT_EQ(signing->certificate().sha256_fingerprint, from_pem.certificate().sha256_fingerprint);
    const auto result = verify_soap_body(sign_soap_body(kReply, *signing), trust(*signer_));
    EXPECT_EQ(result.status, Status::valid) << result.reason;
    EXPECT_EQ(result.algorithm, kGost512);
  }
  EXPECT_THROW(SigningKey::load_pem(signer_->key, stranger_->certificate), Error);
}

TEST_F(GostSignatureTest, PayloadSignatureWorksWithGostAndUnderTheBodySignature) {
  const auto signing = key(*signer_);
  const auto payload_signed = sign_request_data(kRequest, signing);
  const auto payload = verify_request_data(payload_signed, trust(*signer_));
  EXPECT_EQ(payload.status, Status::valid) << payload.reason;
  EXPECT_EQ(payload.algorithm, kGost512);
  check_independently(payload_signed, *signer_, "payload", "payload");

  const auto both = sign_soap_body(payload_signed, signing);
  EXPECT_EQ(verify_request_data(both, trust(*signer_)).status, Status::valid);
  EXPECT_EQ(verify_soap_body(both, trust(*signer_)).status, Status::valid);
  check_independently(both, *signer_, "body", "both");

  const auto tampered =
      verify_request_data(replace(payload_signed, "Мейірім<", "Мейрім<"), trust(*signer_));
  EXPECT_EQ(tampered.status, Status::invalid);
  EXPECT_NE(tampered.reason.find("changed after signing"), std::string::npos) << tampered.reason;
  const auto untrusted = verify_request_data(payload_signed, trust(*stranger_));
  EXPECT_EQ(untrusted.status, Status::invalid);
  EXPECT_NE(untrusted.reason.find("not trusted"), std::string::npos) << untrusted.reason;
}

TEST_F(GostSignatureTest, MocksSignRepliesAndCheckRequestsWithAGostKeyUnchanged) {
  // tekser-mocks --signing-key/--signing-cert with a GOST key, and a gateway that trusts it.
  mocks::signing::Options options;
  options.key_file = signer_->key;
  options.certificate_file = signer_->certificate;
  const auto mock_key = mocks::signing::signing_key(options);
  ASSERT_TRUE(mock_key);
  const auto signer = mocks::signing::reply_signer(*mock_key);
  const auto reply = verify_soap_body(signer(kReply), trust(*signer_));
  EXPECT_EQ(reply.status, Status::valid) << reply.reason;
  EXPECT_EQ(reply.algorithm, kGost512);

  // The gateway signs its request with a GOST key (shep.request_signing); the mock bus, told to
  // trust that certificate (--trusted-request-cert), finds both signatures valid.
  const auto request = sign_soap_body(sign_request_data(kRequest, key(*signer_)), key(*signer_));
  const auto verifier = mocks::signing::request_verifier(trust(*signer_));
  EXPECT_EQ(verifier(request, mocks::SignedPart::body).status, "valid");
  EXPECT_EQ(verifier(request, mocks::SignedPart::request_data).status, "valid");
}

}  // namespace
}  // namespace tekser::xmlsig::test
