// Internal to common/xmlsig: the process-wide xmlsec (and gost engine) set-up, error capture,
// OpenSSL and libxml2 ownership helpers, and the key and trust-store representations shared by
// sign.cpp and verify.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <xmlsec/keys.h>
#include <xmlsec/xmldsig.h>

#include "common/xmlsig/xmlsig.hpp"

namespace tekser::xmlsig::detail {

// Initialises libxml2, xmlsec and its OpenSSL back end once per process (thread-safe) and shuts
// them down at exit. Every entry point calls it first.
void ensure_initialised();

// Collects the xmlsec errors raised on this thread while it lives (xmlsec's default handler
// would print them on stderr). Nested captures are not supported.
class ErrorCapture {
 public:
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;
  // The first (innermost: the root cause) error's text, or "" when there was none.
  std::string first() const;
  // The last error's text, or "" when there was none.
  std::string last() const;
  void add(std::string message) { messages_.push_back(std::move(message)); }
  // The capture alive on this thread, or null.
  static const ErrorCapture* current();

 private:
  std::vector<std::string> messages_;
};

// The text of OpenSSL's most recent error on this thread (and clears the queue).
std::string openssl_error();

struct EvpKeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct X509StoreFree {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using EvpKeyPtr = std::unique_ptr<EVP_PKEY, EvpKeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509StorePtr = std::unique_ptr<X509_STORE, X509StoreFree>;
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;
struct XmlSecKeyFree {
  void operator()(xmlSecKey* key) const { xmlSecKeyDestroy(key); }
};
struct DsigCtxFree {
  void operator()(xmlSecDSigCtx* ctx) const { xmlSecDSigCtxDestroy(ctx); }
};
using XmlSecKeyPtr = std::unique_ptr<xmlSecKey, XmlSecKeyFree>;
using DsigCtxPtr = std::unique_ptr<xmlSecDSigCtx, DsigCtxFree>;

CertificateInfo describe(X509* certificate);
// A DER certificate; null when it is not one.
X509Ptr certificate_from_der(std::string_view der);
// An xmlsec key holding the certificate's public key; null when it has no usable one.
XmlSecKeyPtr public_key_of(X509* certificate);
// Whether the trust store vouches for the certificate (itself or its issuer trusted, validity
// dates checked); `problem` says why not.
bool trusted(X509* certificate, const TrustStore& trust, std::string& problem);
// An xmlsec key over the signing key's private key (shared, one reference more).
XmlSecKeyPtr private_key_of(const SigningKey::Impl& key);
// The document as UTF-8 text with an XML declaration.
std::string serialise(xmlDoc* doc);
std::string der_of(X509* certificate);
std::string base64(std::string_view bytes);
// Decodes base64 ignoring whitespace; nullopt-like empty result with ok=false for bad input.
bool unbase64(std::string_view text, std::string& out);
std::string sha1_of(std::string_view bytes);

// Parses an envelope with libxml2: no network, no DTD loading, no entity substitution, errors
// kept quiet; a document with a DOCTYPE is refused. Returns null and sets `problem` on failure.
XmlDocPtr parse_document(std::string_view text, std::string& problem);

// libxml2 string helpers.
inline const xmlChar* x(std::string_view text) {
  return reinterpret_cast<const xmlChar*>(text.data());
}
bool is_element(const xmlNode* node, std::string_view ns, std::string_view local);
std::string attribute(const xmlNode* node, std::string_view ns, std::string_view local);
std::string text_of(const xmlNode* node);

// The parts of a SOAP 1.1 envelope a signature is about.
struct EnvelopeParts {
  xmlNode* envelope = nullptr;
  xmlNode* header = nullptr;  // may be null
  xmlNode* body = nullptr;
};
// Requires a soap:Envelope root with exactly one soap:Body child and at most one soap:Header.
bool envelope_parts(xmlDoc* doc, EnvelopeParts& parts, std::string& problem);

}  // namespace tekser::xmlsig::detail

namespace tekser::xmlsig {

struct SigningKey::Impl {
  detail::EvpKeyPtr key;
  detail::X509Ptr certificate;
  std::string certificate_der;
  CertificateInfo info;
};

struct TrustStore::Impl {
  detail::X509StorePtr store;  // X509_STORE is safe for concurrent lookups
  std::vector<detail::X509Ptr> certificates;
  std::vector<CertificateInfo> infos;
};

}  // namespace tekser::xmlsig
