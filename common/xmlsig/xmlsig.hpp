// WS-Security signatures of SOAP 1.1 envelopes, as the SHEP bus uses them: an XMLDSig signature
// (exclusive c14n) over the SOAP Body, referenced by its wsu:Id, in a wsse:Security header with
// the signer's certificate (wsse:BinarySecurityToken, and the whole certificate in a
// wsse:KeyIdentifier of ValueType X509v3 — the SHEP convention).
//
// The key decides the algorithm: an RSA key signs RSA-SHA256 with SHA-256 digests; a GOST R
// 34.10-2012 key signs with GOST R 34.11-2012 (Streebog) of its size, under the Kazakh national
// PKI's URIs (urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512
// or -256) — what SHEP's bip-sync-wss-gost endpoint speaks. A verifier goes by the signature's
// SignatureMethod. RSA is xmlsec1's (OpenSSL back end) and libxml2's; GOST, which Debian's
// xmlsec1 cannot do, is canonicalised by libxml2 and signed by OpenSSL's gost engine
// (libengine-gost-openssl). DTDs and external entities are never loaded; a document with a
// DOCTYPE is refused. Every call works on a document of its own, so all functions are safe to
// call from several threads at once; xmlsec and the engine are initialised once per process, on
// first use.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::xmlsig {

// A key or certificate that cannot be loaded, or an envelope that cannot be signed.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a certificate is, for logs and provenance.
struct CertificateInfo {
  std::string subject;             // RFC 2253, e.g. "CN=tekser-mocks SHEP"
  std::string sha256_fingerprint;  // SHA-256 of the DER, lower-case hex without separators
};

// A private key and its X.509 certificate. Immutable and cheap to copy (shared).
class SigningKey {
 public:
  // PEM files; `password` decrypts an encrypted private key. Throws Error naming the file.
  static SigningKey load_pem(const std::filesystem::path& key_file,
                             const std::filesystem::path& certificate_file,
                             std::string_view password = {});
  // A PKCS#12 (.p12 / .pfx) file holding the key and its certificate.
  static SigningKey load_pkcs12(const std::filesystem::path& file, std::string_view password);
  // PEM text (e.g. a key generated in memory). `source` names it in messages.
  static SigningKey from_pem(std::string_view key_pem, std::string_view certificate_pem,
                             std::string_view password = {}, std::string_view source = "PEM text");

  const CertificateInfo& certificate() const;
  std::string certificate_pem() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit SigningKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// The certificates a verifier trusts: a signer is trusted when its certificate is one of them,
// or is issued (directly or through a chain carried here) by one of them; validity periods are
// checked. Immutable and cheap to copy (shared).
class TrustStore {
 public:
  TrustStore();  // trusts nobody
  // PEM files, each with one or more certificates. Throws Error naming a file that holds none.
  static TrustStore load(const std::vector<std::filesystem::path>& pem_files);
  static TrustStore from_pem(std::string_view pem, std::string_view source = "PEM text");

  std::size_t size() const;
  const std::vector<CertificateInfo>& certificates() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit TrustStore(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// How the signature's KeyInfo points at the signer's certificate. The envelope always carries
// the certificate in a wsse:BinarySecurityToken as well.
enum class KeyReference {
  x509v3_key_identifier,  // wsse:KeyIdentifier ValueType …#X509v3: the whole certificate (SHEP)
  token_reference,        // wsse:Reference URI="#<token's wsu:Id>"
  thumbprint_sha1,        // wsse:KeyIdentifier ValueType …#ThumbprintSHA1 of the token
};

struct SignOptions {
  KeyReference key_reference = KeyReference::x509v3_key_identifier;
};

// Signs the envelope's SOAP 1.1 Body: gives the Body a wsu:Id (keeps one it has), adds a
// wsse:Security header (creating soap:Header when missing) with the certificate token and the
// ds:Signature, and returns the whole envelope serialised (UTF-8, with an XML declaration).
// Throws Error for input that is not a SOAP 1.1 envelope with one Body.
std::string sign_soap_body(std::string_view envelope, const SigningKey& key,
                           const SignOptions& options = {});

struct Verification {
  enum class Status {
    absent,   // no ds:Signature in a wsse:Security header of the envelope
    valid,    // the signature covers this envelope's Body, verifies, and its signer is trusted
    invalid,  // anything else: see reason
  };
  Status status = Status::absent;
  std::string reason;  // invalid: what is wrong, e.g. "the Body was changed after signing …"
  // The signer's certificate when one was found (always when valid).
  std::string signer_subject;
  std::string signer_sha256_fingerprint;
  // The SignatureMethod Algorithm URI when the signature names one (always when valid): what
  // verified it, e.g. "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" or
  // "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512".
  std::string algorithm;
};

// A short name for a SignatureMethod URI, for logs and provenance: "RSA-SHA256",
// "GOST R 34.10-2012 512", …; the URI itself when it is none of the known ones.
std::string algorithm_name(std::string_view signature_method);

std::string_view to_string(Verification::Status status);

// Checks the WS-Security signature over the envelope's Body. Invalid when: the envelope is not
// a SOAP 1.1 envelope with exactly one Body, carries a DTD, or has several signatures; the
// signature does not reference exactly the envelope's own Body by its wsu:Id (a Body moved under
// the Header by a wrapping attack does not count); the Body's digest or the signature value does
// not verify; the algorithms are not exclusive/inclusive c14n with RSA-SHA256/384/512 and
// SHA-256/384/512, or with the pkigovkz GOST 2015 (34.10-2012) 512/256 pair with its own Streebog
// digest; no certificate can be found; or the certificate is not trusted by `trust`. The older
// Kazakh pair (…xmldsig-more#gost34310-gost34311) is refused as unsupported.
Verification verify_soap_body(std::string_view envelope, const TrustStore& trust);

// The enveloped payload signature some services want besides WS-Security (ГБД ЮЛ: the contracts'
// README and the brief; the Request type itself has no element for it). It is an XMLDSig
// ds:Signature appended as the last child of the SendMessage request's requestData/data, over
// that data element taken as a document of its own — how the public SHEP clients do it, signing
// the payload before it goes into the envelope: Reference URI="", enveloped-signature and
// exclusive c14n transforms, SHA-256 digest and RSA-SHA256 (or, with a GOST key, the pkigovkz
// GOST pair), the certificate in ds:KeyInfo/ds:X509Data. Sign it before sign_soap_body, so that the
// Body signature covers it. Throws Error for an envelope without requestData/data or whose data is
// signed already.
std::string sign_request_data(std::string_view envelope, const SigningKey& key);

// Checks that payload signature. Absent when data has no ds:Signature child; invalid when it has
// several, when its one Reference is not URI="" (the whole data element), when the digest or the
// signature value does not verify, when the algorithms are outside the profile (exclusive or
// inclusive c14n, enveloped-signature, RSA-SHA256/384/512 with SHA-256/384/512, or the pkigovkz
// GOST pairs), when KeyInfo holds
// no single X.509 certificate, or when that certificate is not trusted. Invalid too for an
// envelope with no requestData/data.
Verification verify_request_data(std::string_view envelope, const TrustStore& trust);

// The request's data element as a document of its own, with the namespaces in scope where it
// stood: what the payload signature covers, for independent tools (`xmlsec1 --verify`). Throws
// Error when the envelope has no requestData/data.
std::string request_data_document(std::string_view envelope);

// WS-Security namespaces and URIs (OASIS WSS 1.0 / 1.1).
inline constexpr std::string_view kWsseNs =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
inline constexpr std::string_view kWsuNs =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
inline constexpr std::string_view kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr std::string_view kBase64Binary =
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-soap-message-security-1.0#Base64Binary";
inline constexpr std::string_view kX509v3 =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
inline constexpr std::string_view kThumbprintSha1 =
    "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1";

}  // namespace tekser::xmlsig
