// Internal to common/xmlsig: the signature algorithm families behind sign_soap_body,
// verify_soap_body, sign_request_data and verify_request_data. The envelope-level rules (which
// element is signed, where the signature and the certificate go, the wrapping guard, trust) are
// the callers'; an Algorithm only builds a ds:Signature skeleton, fills in its DigestValue and
// SignatureValue, and checks them. Two implementations:
//  - RSA-SHA256 (and, when verifying, RSA-SHA384/512), by xmlsec1 (rsa.cpp);
//  - GOST R 34.10-2012 with GOST R 34.11-2012 (Streebog), 512- and 256-bit, under the Kazakh
//    pkigovkz URIs: canonicalisation by libxml2, digest and signature by OpenSSL with Debian's
//    gost engine (gost.cpp). Debian's xmlsec1 is built with XMLSEC_NO_GOST.
// The key decides the algorithm when signing, the SignatureMethod's Algorithm when verifying.
#pragma once

#include <string>
#include <string_view>

#include <libxml/tree.h>
#include <openssl/x509.h>

#include "common/xmlsig/xmlsig.hpp"

namespace tekser::xmlsig::detail {

// What the signature's one Reference covers.
enum class Coverage {
  element_by_id,   // URI="#<wsu:Id>": an element of the same document (the SOAP Body), exc-c14n
  whole_document,  // URI="": the document minus the signature (enveloped-signature), exc-c14n
};

// What checking a signature found.
struct Check {
  enum class Outcome {
    valid,            // digest and signature value verify with the certificate's key
    digest_mismatch,  // the referenced content was changed after signing
    bad_value,        // the signature value does not verify with the certificate's key
    unprocessable,    // outside the profile or malformed: see problem
  };
  Outcome outcome = Outcome::unprocessable;
  std::string problem;
};

class Algorithm {
 public:
  virtual ~Algorithm() = default;
  // The SignatureMethod URI this algorithm signs with, e.g. "…xmldsig-more#rsa-sha256".
  virtual std::string_view signature_uri() const = 0;
  // A new ds:Signature (prefix ds) in `doc`, not yet attached: SignedInfo with exclusive c14n,
  // this algorithm's SignatureMethod, one Reference to `uri` with the coverage's transforms and
  // this algorithm's DigestMethod, an empty DigestValue and SignatureValue. The caller attaches
  // it where it stays, then calls sign().
  virtual xmlNode* make_template(xmlDoc* doc, Coverage coverage, const std::string& uri) const = 0;
  // Fills in DigestValue and SignatureValue. For element_by_id, the referenced element's Id must
  // be registered as an ID of the document (xmlAddID).
  virtual void sign(xmlNode* signature, const SigningKey::Impl& key, Coverage coverage) const = 0;
  // Checks the signature (in its document, the referenced Id registered) with the certificate's
  // key. The caller has already checked that the one Reference names what it must.
  virtual Check verify(xmlNode* signature, X509* certificate, Coverage coverage) const = 0;
};

// The algorithm a signing key signs with: RSA keys RSA-SHA256, GOST R 34.10-2012 keys GOST with
// the Streebog of their size. Throws Error for another kind of key.
const Algorithm& algorithm_for(const SigningKey::Impl& key);
// The algorithm that checks a signature whose SignatureMethod has this Algorithm URI; null,
// with `problem`, for one no implementation here can check (the old Kazakh GOST 34.310 pair).
// URIs neither family knows go to xmlsec, whose allow-list refuses them.
const Algorithm* algorithm_named(std::string_view signature_uri, std::string& problem);

// The implementations (rsa.cpp, gost.cpp).
const Algorithm& rsa_algorithm();
// GOST R 34.10-2012 with 512- or 256-bit keys; null when the gost engine is not available.
const Algorithm* gost_algorithm(int key_bits);
// Whether `key` is a GOST R 34.10-2012 key, and its size (256 or 512), else 0.
int gost_key_bits(EVP_PKEY* key);
// Loads Debian's OpenSSL gost engine once (called by ensure_initialised); "" when it is
// available, else why not.
const std::string& gost_engine_problem();

// The SignatureMethod Algorithm of a ds:Signature; "" when there is none.
std::string signature_method_of(xmlNode* signature);

// Pkigovkz (Kazakh national PKI) URIs, and the older pair GOST 34.310-2004 / 34.311-95.
inline constexpr std::string_view kGost512SignatureUri =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512";
inline constexpr std::string_view kGost512DigestUri =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512";
inline constexpr std::string_view kGost256SignatureUri =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256";
inline constexpr std::string_view kGost256DigestUri =
    "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256";
inline constexpr std::string_view kGost34310SignatureUri =
    "http://www.w3.org/2001/04/xmldsig-more#gost34310-gost34311";
inline constexpr std::string_view kGost34311DigestUri =
    "http://www.w3.org/2001/04/xmldsig-more#gost34311";

}  // namespace tekser::xmlsig::detail
