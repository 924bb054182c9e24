// sign_soap_body: a WS-Security header with the certificate token and an XMLDSig signature over
// the Body, made by the key's Algorithm (algorithm.hpp): RSA by xmlsec, GOST by OpenSSL.
#include <openssl/rand.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include "common/xmlsig/algorithm.hpp"
#include "common/xmlsig/detail.hpp"

namespace tekser::xmlsig {
namespace {

using detail::x;

std::string random_id(std::string_view prefix) {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw Error("no randomness for an Id");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(prefix);
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

// The namespace `href` in scope at `node`, declared there with `prefix` when it is not.
xmlNs* namespace_at(xmlNode* node, std::string_view href, const char* prefix) {
  const std::string h(href);
  if (xmlNs* ns = xmlSearchNsByHref(node->doc, node, x(h))) return ns;
  xmlNs* ns = xmlNewNs(node, x(h), reinterpret_cast<const xmlChar*>(prefix));
  if (!ns) throw Error(std::string("cannot declare the namespace ") + prefix);
  return ns;
}

xmlNode* new_child(xmlNode* parent, xmlNs* ns, const char* name, const std::string& text = {}) {
  xmlNode* node = xmlNewChild(parent, ns, reinterpret_cast<const xmlChar*>(name), nullptr);
  if (!node) throw std::bad_alloc();
  if (!text.empty()) xmlNodeAddContent(node, x(text));  // escapes as needed
  return node;
}

void set_attribute(xmlNode* node, xmlNs* ns, const char* name, std::string_view value) {
  const std::string v(value);
  if (!xmlSetNsProp(node, ns, reinterpret_cast<const xmlChar*>(name), x(v))) throw std::bad_alloc();
}

// The Body's wsu:Id, given one when it has none, registered as an ID so that xmlsec resolves
// "#id" to it (no DTD declares it).
std::string identify_body(xmlNode* body) {
  xmlNs* wsu = namespace_at(body, kWsuNs, "wsu");
  std::string id = detail::attribute(body, kWsuNs, "Id");
  if (id.empty()) {
    id = random_id("id-");
    set_attribute(body, wsu, "Id", id);
  }
  xmlAttr* attr =
      xmlHasNsProp(body, reinterpret_cast<const xmlChar*>("Id"), x(std::string(kWsuNs)));
  if (xmlGetID(body->doc, x(id)) != nullptr)
    throw Error("the Body's wsu:Id '" + id + "' is already an ID elsewhere in the envelope");
  if (!xmlAddID(nullptr, body->doc, x(id), attr)) throw Error("cannot register the Body's wsu:Id");
  return id;
}

xmlNode* security_header(const detail::EnvelopeParts& parts) {
  xmlNode* header = parts.header;
  if (!header) {
    header = xmlNewDocNode(parts.envelope->doc, parts.body->ns,
                           reinterpret_cast<const xmlChar*>("Header"), nullptr);
    if (!header || !xmlAddPrevSibling(parts.body, header)) throw std::bad_alloc();
  }
  for (xmlNode* child = header->children; child; child = child->next)
    if (detail::is_element(child, kWsseNs, "Security")) return child;
  xmlNode* security =
      xmlNewChild(header, nullptr, reinterpret_cast<const xmlChar*>("Security"), nullptr);
  if (!security) throw std::bad_alloc();
  xmlSetNs(security, namespace_at(security, kWsseNs, "wsse"));
  // The receiver must process WS-Security or refuse the message.
  set_attribute(security, parts.body->ns, "mustUnderstand", "1");
  return security;
}

void add_key_info(xmlNode* signature, xmlNode* security, const std::string& token_id,
                  const SigningKey::Impl& key, KeyReference reference) {
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
  if (!key_info) throw Error("xmlsec: cannot add KeyInfo");
  xmlNs* wsse = namespace_at(security, kWsseNs, "wsse");
  xmlNode* str = new_child(key_info, wsse, "SecurityTokenReference");
  switch (reference) {
    case KeyReference::x509v3_key_identifier: {
      xmlNode* id = new_child(str, wsse, "KeyIdentifier", detail::base64(key.certificate_der));
      set_attribute(id, nullptr, "EncodingType", kBase64Binary);
      set_attribute(id, nullptr, "ValueType", kX509v3);
      break;
    }
    case KeyReference::token_reference: {
      xmlNode* ref = new_child(str, wsse, "Reference");
      set_attribute(ref, nullptr, "URI", "#" + token_id);
      set_attribute(ref, nullptr, "ValueType", kX509v3);
      break;
    }
    case KeyReference::thumbprint_sha1: {
      xmlNode* id = new_child(str, wsse, "KeyIdentifier",
                              detail::base64(detail::sha1_of(key.certificate_der)));
      set_attribute(id, nullptr, "EncodingType", kBase64Binary);
      set_attribute(id, nullptr, "ValueType", kThumbprintSha1);
      break;
    }
  }
}

}  // namespace

namespace detail {

XmlSecKeyPtr private_key_of(const SigningKey::Impl& key) {
  // An xmlsec key of our own over the shared EVP_PKEY (one reference more; xmlsec frees it).
  EVP_PKEY* pkey = key.key.get();
  if (EVP_PKEY_up_ref(pkey) != 1) throw Error("cannot reference the signing key");
  xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(pkey);
  if (!data) {
    EVP_PKEY_free(pkey);
    throw Error("xmlsec: cannot adopt the signing key");
  }
  XmlSecKeyPtr out(xmlSecKeyCreate());
  if (!out || xmlSecKeySetValue(out.get(), data) < 0) {
    xmlSecKeyDataDestroy(data);
    throw Error("xmlsec: cannot make a key");
  }
  return out;
}

std::string serialise(xmlDoc* doc) {
  xmlChar* text = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &text, &size, "UTF-8");
  if (!text) throw std::bad_alloc();
  std::string out(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
  xmlFree(text);
  return out;
}

}  // namespace detail

std::string sign_soap_body(std::string_view envelope, const SigningKey& signing_key,
                           const SignOptions& options) {
  detail::ensure_initialised();
  detail::ErrorCapture errors;
  std::string problem;
  auto doc = detail::parse_document(envelope, problem);
  if (!doc) throw Error("cannot sign: " + problem);
  detail::EnvelopeParts parts;
  if (!detail::envelope_parts(doc.get(), parts, problem)) throw Error("cannot sign: " + problem);
  const auto& key = signing_key.impl();

  const std::string body_id = identify_body(parts.body);
  xmlNode* security = security_header(parts);
  xmlNs* wsse = namespace_at(security, kWsseNs, "wsse");
  xmlNs* wsu = namespace_at(security, kWsuNs, "wsu");

  const std::string token_id = random_id("X509-");
  xmlNode* token =
      new_child(security, wsse, "BinarySecurityToken", detail::base64(key.certificate_der));
  set_attribute(token, nullptr, "EncodingType", kBase64Binary);
  set_attribute(token, nullptr, "ValueType", kX509v3);
  set_attribute(token, wsu, "Id", token_id);

  const auto& algorithm = detail::algorithm_for(key);
  const auto coverage = detail::Coverage::element_by_id;
  xmlNode* signature = algorithm.make_template(doc.get(), coverage, "#" + body_id);
  if (!xmlAddChild(security, signature)) {
    xmlFreeNode(signature);
    throw std::bad_alloc();
  }
  add_key_info(signature, security, token_id, key, options.key_reference);
  algorithm.sign(signature, key, coverage);

  return detail::serialise(doc.get());
}

}  // namespace tekser::xmlsig
