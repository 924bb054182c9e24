// verify_soap_body: finds the WS-Security signature, makes sure it is about this envelope's own
// Body (no signature wrapping), lets the Algorithm its SignatureMethod names (xmlsec for RSA,
// OpenSSL for GOST) check the digest and the signature value with the key of the certificate the
// signature names, and checks that certificate against the trust store.
#include <openssl/x509_vfy.h>
#include <xmlsec/crypto.h>
#include <xmlsec/list.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include "common/xmlsig/algorithm.hpp"
#include "common/xmlsig/detail.hpp"

namespace tekser::xmlsig {
namespace {

using detail::is_element;
using detail::x;
using detail::X509Ptr;
using Status = Verification::Status;

std::vector<xmlNode*> element_children(xmlNode* parent, std::string_view ns,
                                       std::string_view local) {
  std::vector<xmlNode*> out;
  if (!parent) return out;
  for (xmlNode* child = parent->children; child; child = child->next)
    if (is_element(child, ns, local)) out.push_back(child);
  return out;
}

xmlNode* first_child(xmlNode* parent, std::string_view ns, std::string_view local) {
  auto all = element_children(parent, ns, local);
  return all.empty() ? nullptr : all.front();
}

// The DER of a wsse:BinarySecurityToken holding an X.509v3 certificate; empty when it is not one.
std::string token_der(xmlNode* token) {
  const auto value_type = detail::attribute(token, "", "ValueType");
  const auto encoding = detail::attribute(token, "", "EncodingType");
  if (value_type != kX509v3) return {};
  if (!encoding.empty() && encoding != kBase64Binary) return {};
  std::string der;
  if (!detail::unbase64(detail::text_of(token), der)) return {};
  return der;
}

// The signer's certificate, as the signature's KeyInfo names it: a wsse:SecurityTokenReference
// holding a wsse:Reference to a BinarySecurityToken of the same Security header, a KeyIdentifier
// with the whole certificate (X509v3), or a KeyIdentifier with the SHA-1 thumbprint of a token.
X509Ptr signer_certificate(xmlNode* signature, xmlNode* security, std::string& problem) {
  xmlNode* key_info = first_child(signature, kDsigNs, "KeyInfo");
  if (!key_info) {
    problem = "the signature has no KeyInfo naming its certificate";
    return nullptr;
  }
  xmlNode* str = first_child(key_info, kWsseNs, "SecurityTokenReference");
  if (!str) {
    problem = "the signature's KeyInfo has no wsse:SecurityTokenReference";
    return nullptr;
  }
  const auto tokens = element_children(security, kWsseNs, "BinarySecurityToken");
  std::string der;
  if (xmlNode* reference = first_child(str, kWsseNs, "Reference")) {
    const auto uri = detail::attribute(reference, "", "URI");
    if (uri.size() < 2 || uri[0] != '#') {
      problem = "the SecurityTokenReference points outside the message ('" + uri + "')";
      return nullptr;
    }
    for (xmlNode* token : tokens)
      if (detail::attribute(token, kWsuNs, "Id") == uri.substr(1)) der = token_der(token);
    if (der.empty()) {
      problem = "no X.509v3 BinarySecurityToken with wsu:Id '" + uri.substr(1) +
                "' in the Security header";
      return nullptr;
    }
  } else if (xmlNode* identifier = first_child(str, kWsseNs, "KeyIdentifier")) {
    const auto value_type = detail::attribute(identifier, "", "ValueType");
    std::string value;
    if (!detail::unbase64(detail::text_of(identifier), value)) {
      problem = "the KeyIdentifier is not base64";
      return nullptr;
    }
    if (value_type == kX509v3) {
      der = std::move(value);
    } else if (value_type == kThumbprintSha1) {
      for (xmlNode* token : tokens) {
        auto candidate = token_der(token);
        if (!candidate.empty() && detail::sha1_of(candidate) == value) der = std::move(candidate);
      }
      if (der.empty()) {
        problem = "no BinarySecurityToken in the Security header matches the thumbprint";
        return nullptr;
      }
    } else {
      problem = "unsupported KeyIdentifier ValueType '" + value_type + "'";
      return nullptr;
    }
  } else {
    problem = "the SecurityTokenReference holds neither a Reference nor a KeyIdentifier";
    return nullptr;
  }
  auto certificate = detail::certificate_from_der(der);
  if (!certificate) problem = "the signer's certificate is not a DER X.509 certificate";
  return certificate;
}

}  // namespace

// Shared with payload.cpp (declared in detail.hpp).
namespace detail {

X509Ptr certificate_from_der(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr certificate(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  return certificate;
}

// An xmlsec key holding the certificate's public key.
XmlSecKeyPtr public_key_of(X509* certificate) {
  EVP_PKEY* pkey = X509_get_pubkey(certificate);  // a reference of our own
  if (!pkey) return nullptr;
  xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(pkey);
  if (!data) {
    EVP_PKEY_free(pkey);
    return nullptr;
  }
  XmlSecKeyPtr key(xmlSecKeyCreate());
  if (!key || xmlSecKeySetValue(key.get(), data) < 0) {
    xmlSecKeyDataDestroy(data);
    return nullptr;
  }
  return key;
}

// Whether the trust store vouches for the certificate; `problem` says why not.
bool trusted(X509* certificate, const TrustStore& trust, std::string& problem) {
  if (trust.size() == 0) {
    problem = "no trusted certificates are configured";
    return false;
  }
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                          &X509_STORE_CTX_free);
  if (!context ||
      X509_STORE_CTX_init(context.get(), trust.impl().store.get(), certificate, nullptr) != 1)
    throw std::bad_alloc();
  // A trusted certificate is an anchor by itself (pinning a self-signed or a leaf certificate).
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(context.get()), X509_V_FLAG_PARTIAL_CHAIN);
  const bool ok = X509_verify_cert(context.get()) == 1;
  if (!ok) problem = X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()));
  ERR_clear_error();
  return ok;
}

}  // namespace detail

std::string_view to_string(Verification::Status status) {
  switch (status) {
    case Status::absent:
      return "absent";
    case Status::valid:
      return "valid";
    case Status::invalid:
      return "invalid";
  }
  return "invalid";
}

Verification verify_soap_body(std::string_view envelope, const TrustStore& trust) {
  detail::ensure_initialised();
  detail::ErrorCapture errors;
  Verification out;
  const auto invalid = [&out](std::string reason) {
    out.status = Status::invalid;
    out.reason = std::move(reason);
    return out;
  };

  std::string problem;
  auto doc = detail::parse_document(envelope, problem);
  if (!doc) return invalid(problem);
  detail::EnvelopeParts parts;
  if (!detail::envelope_parts(doc.get(), parts, problem)) return invalid(problem);

  xmlNode* signature = nullptr;
  xmlNode* security = nullptr;
  int signatures = 0;
  for (xmlNode* header : element_children(parts.header, kWsseNs, "Security")) {
    for (xmlNode* s : element_children(header, kDsigNs, "Signature")) {
      ++signatures;
      signature = s;
      security = header;
    }
  }
  if (signatures == 0) {
    out.status = Status::absent;
    out.reason = "no ds:Signature in a wsse:Security header";
    return out;
  }
  if (signatures > 1)
    return invalid(std::to_string(signatures) +
                   " signatures in the WS-Security header; expected one");

  // Wrapping guard: the one Reference must name the wsu:Id of the envelope's own Body, and that
  // Id must lead to that Body and nowhere else.
  xmlNode* signed_info = first_child(signature, kDsigNs, "SignedInfo");
  const auto references = element_children(signed_info, kDsigNs, "Reference");
  if (references.size() != 1)
    return invalid("the signature has " + std::to_string(references.size()) +
                   " references; expected exactly one, to the Body");
  const auto uri = detail::attribute(references.front(), "", "URI");
  const auto body_id = detail::attribute(parts.body, kWsuNs, "Id");
  if (body_id.empty()) return invalid("the envelope's Body has no wsu:Id, so nothing signs it");
  if (uri != "#" + body_id)
    return invalid("the signature references '" + uri + "', not the envelope's Body (#" + body_id +
                   ")");
  if (xmlGetID(doc.get(), x(body_id)) != nullptr)
    return invalid("the Body's wsu:Id '" + body_id + "' is also an ID elsewhere in the envelope");
  xmlAttr* id_attribute =
      xmlHasNsProp(parts.body, reinterpret_cast<const xmlChar*>("Id"), x(std::string(kWsuNs)));
  if (!xmlAddID(nullptr, doc.get(), x(body_id), id_attribute))
    return invalid("the Body's wsu:Id cannot be registered");

  auto certificate = signer_certificate(signature, security, problem);
  if (!certificate) return invalid(problem);
  const auto info = detail::describe(certificate.get());
  out.signer_subject = info.subject;
  out.signer_sha256_fingerprint = info.sha256_fingerprint;

  // The SignatureMethod picks the algorithm that checks digest and value (algorithm.hpp).
  out.algorithm = detail::signature_method_of(signature);
  const auto* algorithm = detail::algorithm_named(out.algorithm, problem);
  if (!algorithm) return invalid(problem);
  const auto check =
      algorithm->verify(signature, certificate.get(), detail::Coverage::element_by_id);
  switch (check.outcome) {
    case detail::Check::Outcome::valid:
      break;
    case detail::Check::Outcome::digest_mismatch:
      return invalid("the Body's digest does not match: it was changed after signing");
    case detail::Check::Outcome::bad_value:
      return invalid("the signature value does not verify with the key of " + info.subject);
    case detail::Check::Outcome::unprocessable:
      return invalid("the signature cannot be processed: " + check.problem);
  }

  if (!detail::trusted(certificate.get(), trust, problem))
    return invalid("the signer " + info.subject + " (sha256 " + info.sha256_fingerprint +
                   ") is not trusted: " + problem);
  out.status = Status::valid;
  out.reason.clear();
  return out;
}

}  // namespace tekser::xmlsig
