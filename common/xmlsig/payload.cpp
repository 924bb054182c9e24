// The enveloped payload signature (ГБД ЮЛ): an XMLDSig ds:Signature inside requestData/data over
// that data element as a document of its own. The element is copied out of the envelope with the
// namespaces in scope where it stood, signed or verified there by the key's or the signature's
// Algorithm (xmlsec for RSA, OpenSSL for GOST: algorithm.hpp), and — when signing —
// the finished ds:Signature is copied back in as data's last child. Exclusive c14n makes the
// digest the same whether data stands alone or inside the envelope.
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include "common/xmlsig/algorithm.hpp"
#include "common/xmlsig/detail.hpp"

namespace tekser::xmlsig {
namespace {

using detail::is_element;
using detail::x;
using Status = Verification::Status;

std::string_view name_of(const xmlNode* node) {
  return reinterpret_cast<const char*>(node->name);
}

xmlNode* first_element(xmlNode* parent) {
  for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) return c;
  return nullptr;
}

// The first child element named `local` in any namespace: the SendMessage fields are
// unqualified, and a sender that qualifies them is still understood (as shep::parse_request).
xmlNode* child_named(xmlNode* parent, std::string_view local) {
  for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && name_of(c) == local) return c;
  return nullptr;
}

std::vector<xmlNode*> dsig_children(xmlNode* parent, std::string_view local) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
    if (is_element(c, kDsigNs, local)) out.push_back(c);
  return out;
}

// Envelope/Body/SendMessage/request/requestData/data; null, with `problem`, when there is none.
xmlNode* request_data(xmlDoc* doc, std::string& problem) {
  detail::EnvelopeParts parts;
  if (!detail::envelope_parts(doc, parts, problem)) return nullptr;
  xmlNode* data = child_named(
      child_named(child_named(first_element(parts.body), "request"), "requestData"), "data");
  if (!data) problem = "the envelope has no SendMessage request/requestData/data";
  return data;
}

// `data` as the root of a document of its own. Every namespace in scope at `data` is declared on
// the copy: an xsi:type value may use a prefix declared further up, which c14n cannot see.
detail::XmlDocPtr standalone_copy(xmlNode* data) {
  detail::XmlDocPtr doc(xmlNewDoc(x("1.0")));
  if (!doc) throw std::bad_alloc();
  xmlNode* copy = xmlDocCopyNode(data, doc.get(), 1);
  if (!copy) throw std::bad_alloc();
  xmlDocSetRootElement(doc.get(), copy);
  if (xmlNs** in_scope = xmlGetNsList(data->doc, data)) {
    for (xmlNs** ns = in_scope; *ns; ++ns)
      if (!xmlSearchNs(doc.get(), copy, (*ns)->prefix)) xmlNewNs(copy, (*ns)->href, (*ns)->prefix);
    xmlFree(in_scope);
  }
  return doc;
}

// The one certificate of KeyInfo/X509Data/X509Certificate; null, with `problem`, otherwise.
detail::X509Ptr signer_certificate(xmlNode* signature, std::string& problem) {
  const auto key_infos = dsig_children(signature, "KeyInfo");
  std::vector<xmlNode*> certificates;
  for (xmlNode* key_info : key_infos)
    for (xmlNode* x509 : dsig_children(key_info, "X509Data"))
      for (xmlNode* c : dsig_children(x509, "X509Certificate")) certificates.push_back(c);
  if (certificates.size() != 1) {
    problem = "the payload signature's KeyInfo holds " + std::to_string(certificates.size()) +
              " X509Certificate elements; expected one, the signer's";
    return nullptr;
  }
  std::string der;
  if (!detail::unbase64(detail::text_of(certificates.front()), der)) {
    problem = "the payload signature's X509Certificate is not base64";
    return nullptr;
  }
  auto certificate = detail::certificate_from_der(der);
  if (!certificate) problem = "the payload signature's X509Certificate is not a DER certificate";
  return certificate;
}

}  // namespace

std::string request_data_document(std::string_view envelope) {
  detail::ensure_initialised();
  std::string problem;
  auto doc = detail::parse_document(envelope, problem);
  xmlNode* data = doc ? request_data(doc.get(), problem) : nullptr;
  if (!data) throw Error("no request data: " + problem);
  return detail::serialise(standalone_copy(data).get());
}

std::string sign_request_data(std::string_view envelope, const SigningKey& signing_key) {
  detail::ensure_initialised();
  detail::ErrorCapture errors;
  std::string problem;
  auto doc = detail::parse_document(envelope, problem);
  if (!doc) throw Error("cannot sign the request data: " + problem);
  xmlNode* data = request_data(doc.get(), problem);
  if (!data) throw Error("cannot sign the request data: " + problem);
  if (!dsig_children(data, "Signature").empty())
    throw Error("cannot sign the request data: it carries a ds:Signature already");
  const auto& key = signing_key.impl();

  auto payload = standalone_copy(data);
  xmlNode* root = xmlDocGetRootElement(payload.get());
  const auto& algorithm = detail::algorithm_for(key);
  const auto coverage = detail::Coverage::whole_document;
  xmlNode* signature = algorithm.make_template(payload.get(), coverage, "");
  if (!xmlAddChild(root, signature)) {
    xmlFreeNode(signature);
    throw std::bad_alloc();
  }
  algorithm.sign(signature, key, coverage);

  // KeyInfo lies outside SignedInfo, so it is added after signing, written by us: the whole
  // certificate, as the verifier (ours, xmlsec1, the public clients) reads it.
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
  xmlNode* x509_data = key_info ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
  xmlNode* certificate = x509_data ? xmlSecTmplX509DataAddCertificate(x509_data) : nullptr;
  if (!certificate) throw Error("xmlsec: cannot add the certificate: " + errors.first());
  const auto certificate_text = detail::base64(key.certificate_der);
  xmlNodeAddContent(certificate, x(certificate_text));

  xmlNode* copy = xmlDocCopyNode(signature, doc.get(), 1);
  if (!copy) throw std::bad_alloc();
  if (!xmlAddChild(data, copy)) {
    xmlFreeNode(copy);
    throw std::bad_alloc();
  }
  return detail::serialise(doc.get());
}

Verification verify_request_data(std::string_view envelope, const TrustStore& trust) {
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
  xmlNode* data = request_data(doc.get(), problem);
  if (!data) return invalid(problem);
  const auto in_envelope = dsig_children(data, "Signature");
  if (in_envelope.empty()) {
    out.status = Status::absent;
    out.reason = "the request data carries no ds:Signature";
    return out;
  }
  if (in_envelope.size() > 1)
    return invalid(std::to_string(in_envelope.size()) +
                   " ds:Signature elements in the request data; expected one");

  auto payload = standalone_copy(data);
  xmlNode* signature = dsig_children(xmlDocGetRootElement(payload.get()), "Signature").front();
  const auto signed_info = dsig_children(signature, "SignedInfo");
  const auto references =
      dsig_children(signed_info.empty() ? nullptr : signed_info.front(), "Reference");
  if (references.size() != 1)
    return invalid("the payload signature has " + std::to_string(references.size()) +
                   " references; expected exactly one, to the whole data (URI=\"\")");
  if (!xmlHasProp(references.front(), x("URI")) ||
      !detail::attribute(references.front(), "", "URI").empty())
    return invalid("the payload signature references '" +
                   detail::attribute(references.front(), "", "URI") +
                   "', not the whole data (URI=\"\")");

  auto certificate = signer_certificate(signature, problem);
  if (!certificate) return invalid(problem);
  const auto info = detail::describe(certificate.get());
  out.signer_subject = info.subject;
  out.signer_sha256_fingerprint = info.sha256_fingerprint;

  out.algorithm = detail::signature_method_of(signature);
  const auto* algorithm = detail::algorithm_named(out.algorithm, problem);
  if (!algorithm) return invalid(problem);
  const auto check =
      algorithm->verify(signature, certificate.get(), detail::Coverage::whole_document);
  switch (check.outcome) {
    case detail::Check::Outcome::valid:
      break;
    case detail::Check::Outcome::digest_mismatch:
      return invalid("the request data's digest does not match: it was changed after signing");
    case detail::Check::Outcome::bad_value:
      return invalid("the payload signature value does not verify with the key of " + info.subject);
    case detail::Check::Outcome::unprocessable:
      return invalid("the payload signature cannot be processed: " + check.problem);
  }
  if (!detail::trusted(certificate.get(), trust, problem))
    return invalid("the payload signer " + info.subject + " (sha256 " + info.sha256_fingerprint +
                   ") is not trusted: " + problem);
  out.status = Status::valid;
  out.reason.clear();
  return out;
}

}  // namespace tekser::xmlsig
