// The GOST family: GOST R 34.10-2012 signatures with GOST R 34.11-2012 (Streebog) digests, 512-
// and 256-bit, under the URIs of the Kazakh national PKI (pkigovkz), the ones SHEP's
// bip-sync-wss-gost endpoint and the public Kalkan-based clients use. Debian's xmlsec1 is built
// with XMLSEC_NO_GOST, so this path does not go through xmlsec: libxml2 canonicalises (exclusive
// c14n 1.0, or inclusive when a signer chose it), we build SignedInfo, and OpenSSL computes the
// digest and the signature with Debian's gost engine (libengine-gost-openssl; its provider,
// gostprov 3.0.1, has no GOST key management, so keys would not load through it).
//
// Signature byte order. GOST R 34.10 yields two integers r and s. The gost engine writes them as
// the Russian profile does for X.509 and CMS (RFC 4491 §2.2.2, RFC 9215): s then r, each
// big-endian, 64 bytes apiece for a 512-bit key (gost engine's pack_sign_cp). The Kazakh national
// CA (НУЦ РК, KalkanCrypt) writes r then s, each little-endian — byte for byte the reversal of
// the engine's output — in its certificates and in XMLDSig SignatureValue: the public
// Kalkan-compatible clients read and write that layout and report that the NCA's own GOST 2022
// certificates and Kalkan-made XML verify only with it. So we sign with reverse(engine output)
// = r_LE ‖ s_LE. When verifying, that layout is tried first and the RFC 4491 layout second: an
// encoding choice cannot turn a wrong signature into a right one, and xmlsec-style signers that
// pass the engine's bytes through unchanged are understood too. Digests are the engine's Streebog
// output as is (the engine and the Kazakh clients both read it as a little-endian integer).
#define OPENSSL_SUPPRESS_DEPRECATED  // the ENGINE API: gost's only key-capable form on OpenSSL 3

#include <algorithm>
#include <cstring>
#include <mutex>

#include <libxml/c14n.h>
#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "common/xmlsig/algorithm.hpp"
#include "common/xmlsig/detail.hpp"

namespace tekser::xmlsig::detail {
namespace {

constexpr std::string_view kExclC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr std::string_view kExclC14nComments =
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
constexpr std::string_view kInclC14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
constexpr std::string_view kInclC14nComments =
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
constexpr std::string_view kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

ENGINE* engine = nullptr;  // a functional reference, held for the life of the process

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// ---- canonicalisation (libxml2) ----

struct C14n {
  int mode = XML_C14N_EXCLUSIVE_1_0;
  bool comments = false;
  std::vector<std::string> prefixes;  // exclusive c14n's InclusiveNamespaces PrefixList
};

// The c14n a CanonicalizationMethod or Transform names; false for another algorithm.
bool c14n_named(xmlNode* method, C14n& out) {
  const auto uri = attribute(method, "", "Algorithm");
  out = C14n{};
  if (uri == kExclC14n || uri == kExclC14nComments) {
    out.mode = XML_C14N_EXCLUSIVE_1_0;
    out.comments = uri == kExclC14nComments;
    for (xmlNode* c = method->children; c; c = c->next) {
      if (!is_element(c, kExclC14n, "InclusiveNamespaces")) continue;
      const auto list = attribute(c, "", "PrefixList");
      std::size_t at = 0;
      while (at < list.size()) {
        const auto end = list.find_first_of(" \t\r\n", at);
        const auto token = list.substr(at, end == std::string::npos ? end : end - at);
        if (!token.empty()) out.prefixes.push_back(token);
        if (end == std::string::npos) break;
        at = end + 1;
      }
    }
    return true;
  }
  if (uri == kInclC14n || uri == kInclC14nComments) {
    out.mode = XML_C14N_1_0;
    out.comments = uri == kInclC14nComments;
    return true;
  }
  return false;
}

// The node set to canonicalise: `root` and what lies under it, less `excluded` and what lies
// under that (the enveloped signature). `root` may be the document node.
struct Subset {
  const xmlNode* root = nullptr;
  const xmlNode* excluded = nullptr;
};

int in_subset(void* data, xmlNodePtr node, xmlNodePtr parent) {
  const auto* subset = static_cast<const Subset*>(data);
  // A namespace node has no parent link of its own: libxml2 passes the element it is in scope at.
  const xmlNode* at = (node && node->type == XML_NAMESPACE_DECL) ? parent : node;
  bool inside = false;
  for (; at; at = at->parent) {
    if (at == subset->excluded) return 0;
    if (at == subset->root) inside = true;
    if (at->type == XML_DOCUMENT_NODE) break;
  }
  return inside ? 1 : 0;
}

int append_output(void* context, const char* buffer, int length) {
  static_cast<std::string*>(context)->append(buffer, static_cast<std::size_t>(length));
  return length;
}

std::string canonicalise(xmlDoc* doc, const Subset& subset, const C14n& method) {
  std::string out;
  xmlOutputBufferPtr buffer = xmlOutputBufferCreateIO(&append_output, nullptr, &out, nullptr);
  if (!buffer) throw std::bad_alloc();
  std::vector<xmlChar*> prefixes;
  for (const auto& p : method.prefixes)
    prefixes.push_back(const_cast<xmlChar*>(reinterpret_cast<const xmlChar*>(p.c_str())));
  prefixes.push_back(nullptr);
  const int rc = xmlC14NExecute(doc, &in_subset, const_cast<Subset*>(&subset), method.mode,
                                method.prefixes.empty() ? nullptr : prefixes.data(),
                                method.comments ? 1 : 0, buffer);
  if (xmlOutputBufferClose(buffer) < 0 || rc < 0)
    throw Error("libxml2 cannot canonicalise the signed content");
  return out;
}

// ---- the ds:Signature elements ----

xmlNode* dsig_child(xmlNode* parent, std::string_view local) {
  for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
    if (is_element(c, kDsigNs, local)) return c;
  return nullptr;
}

std::vector<xmlNode*> element_children_of(xmlNode* parent) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = parent ? parent->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  return out;
}

xmlNode* add(xmlNode* parent, xmlNs* ns, const char* name, std::string_view algorithm = {}) {
  xmlNode* node = xmlNewChild(parent, ns, x(name), nullptr);
  if (!node) throw std::bad_alloc();
  if (!algorithm.empty() && !xmlSetProp(node, x("Algorithm"), x(std::string(algorithm))))
    throw std::bad_alloc();
  return node;
}

void set_text(xmlNode* node, const std::string& text) {
  xmlNodeSetContent(node, nullptr);
  xmlNodeAddContent(node, x(text));
}

// What the Reference covers, in its document: `problem` when it cannot be found.
bool referenced_subset(xmlNode* signature, xmlNode* reference, Coverage coverage, Subset& out,
                       std::string& problem) {
  const auto uri = attribute(reference, "", "URI");
  if (coverage == Coverage::whole_document) {
    out = Subset{reinterpret_cast<const xmlNode*>(signature->doc), signature};
    return true;
  }
  xmlAttr* id = uri.size() > 1 ? xmlGetID(signature->doc, x(uri.substr(1))) : nullptr;
  if (!id || !id->parent) {
    problem = "the reference '" + uri + "' names no element of the document";
    return false;
  }
  out = Subset{id->parent, nullptr};
  return true;
}

// ---- OpenSSL ----

const EVP_MD* streebog(int bits) {
  const int nid = bits == 512 ? NID_id_GostR3411_2012_512 : NID_id_GostR3411_2012_256;
  if (const EVP_MD* md = EVP_get_digestbynid(nid)) return md;
  return engine ? ENGINE_get_digest(engine, nid) : nullptr;
}

std::string digest_of(std::string_view bytes, int bits) {
  const EVP_MD* md = streebog(bits);
  if (!md) throw Error("OpenSSL has no GOST R 34.11-2012 digest: " + openssl_error());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &size, md, nullptr) != 1)
    throw Error("GOST R 34.11-2012 digest failed: " + openssl_error());
  return std::string(reinterpret_cast<const char*>(out), size);
}

class Gost final : public Algorithm {
 public:
  explicit Gost(int bits) : bits_(bits) {}

  std::string_view signature_uri() const override {
    return bits_ == 512 ? kGost512SignatureUri : kGost256SignatureUri;
  }
  std::string_view digest_uri() const {
    return bits_ == 512 ? kGost512DigestUri : kGost256DigestUri;
  }

  xmlNode* make_template(xmlDoc* doc, Coverage coverage, const std::string& uri) const override {
    xmlNode* signature = xmlNewDocNode(doc, nullptr, x("Signature"), nullptr);
    if (!signature) throw std::bad_alloc();
    try {
      xmlNs* ds = xmlNewNs(signature, x(std::string(kDsigNs)), x("ds"));
      if (!ds) throw std::bad_alloc();
      xmlSetNs(signature, ds);
      xmlNode* signed_info = add(signature, ds, "SignedInfo");
      add(signed_info, ds, "CanonicalizationMethod", kExclC14n);
      add(signed_info, ds, "SignatureMethod", signature_uri());
      xmlNode* reference = add(signed_info, ds, "Reference");
      if (!xmlSetProp(reference, x("URI"), x(uri))) throw std::bad_alloc();
      xmlNode* transforms = add(reference, ds, "Transforms");
      if (coverage == Coverage::whole_document) add(transforms, ds, "Transform", kEnveloped);
      add(transforms, ds, "Transform", kExclC14n);
      add(reference, ds, "DigestMethod", digest_uri());
      add(reference, ds, "DigestValue");
      add(signature, ds, "SignatureValue");
    } catch (...) {
      xmlFreeNode(signature);
      throw;
    }
    return signature;
  }

  void sign(xmlNode* signature, const SigningKey::Impl& key, Coverage coverage) const override {
    xmlNode* signed_info = dsig_child(signature, "SignedInfo");
    xmlNode* reference = dsig_child(signed_info, "Reference");
    xmlNode* digest_value = dsig_child(reference, "DigestValue");
    xmlNode* signature_value = dsig_child(signature, "SignatureValue");
    if (!digest_value || !signature_value) throw Error("not a GOST signature template");
    Subset subset;
    std::string problem;
    if (!referenced_subset(signature, reference, coverage, subset, problem))
      throw Error("cannot sign: " + problem);
    const C14n exclusive;
    set_text(digest_value,
             base64(digest_of(canonicalise(signature->doc, subset, exclusive), bits_)));

    const auto canonical_signed_info =
        canonicalise(signature->doc, Subset{signed_info, nullptr}, exclusive);
    MdCtxPtr context(EVP_MD_CTX_new());
    if (!context) throw std::bad_alloc();
    std::size_t size = 0;
    if (EVP_DigestSignInit(context.get(), nullptr, streebog(bits_), nullptr, key.key.get()) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &size,
                       reinterpret_cast<const unsigned char*>(canonical_signed_info.data()),
                       canonical_signed_info.size()) != 1)
      throw Error("GOST R 34.10-2012 signing failed: " + openssl_error());
    std::string value(size, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(value.data()), &size,
                       reinterpret_cast<const unsigned char*>(canonical_signed_info.data()),
                       canonical_signed_info.size()) != 1)
      throw Error("GOST R 34.10-2012 signing failed: " + openssl_error());
    value.resize(size);
    std::reverse(value.begin(), value.end());  // s_BE ‖ r_BE (engine) → r_LE ‖ s_LE (Kazakh NCA)
    set_text(signature_value, base64(value));
  }

  Check verify(xmlNode* signature, X509* certificate, Coverage coverage) const override {
    Check out;
    const auto refuse = [&out](std::string problem) {
      out.outcome = Check::Outcome::unprocessable;
      out.problem = std::move(problem);
      return out;
    };
    // SignedInfo: CanonicalizationMethod, SignatureMethod, one Reference, in that order.
    xmlNode* signed_info = dsig_child(signature, "SignedInfo");
    const auto parts = element_children_of(signed_info);
    if (parts.size() != 3 || !is_element(parts[0], kDsigNs, "CanonicalizationMethod") ||
        !is_element(parts[1], kDsigNs, "SignatureMethod") ||
        !is_element(parts[2], kDsigNs, "Reference"))
      return refuse(
          "SignedInfo must hold CanonicalizationMethod, SignatureMethod and one Reference");
    C14n signed_info_c14n;
    if (!c14n_named(parts[0], signed_info_c14n))
      return refuse("CanonicalizationMethod '" + attribute(parts[0], "", "Algorithm") +
                    "' is outside the profile (exclusive or inclusive c14n)");
    if (attribute(parts[1], "", "Algorithm") != signature_uri())
      return refuse("SignatureMethod is not " + std::string(signature_uri()));

    // The Reference: its transforms, digest method and value.
    xmlNode* reference = parts[2];
    xmlNode* transforms = nullptr;
    xmlNode* digest_method = nullptr;
    xmlNode* digest_value = nullptr;
    for (xmlNode* c : element_children_of(reference)) {
      if (is_element(c, kDsigNs, "Transforms") && !transforms && !digest_method)
        transforms = c;
      else if (is_element(c, kDsigNs, "DigestMethod") && !digest_method)
        digest_method = c;
      else if (is_element(c, kDsigNs, "DigestValue") && digest_method && !digest_value)
        digest_value = c;
      else
        return refuse("the Reference holds an unexpected element");
    }
    if (!digest_method || !digest_value) return refuse("the Reference has no digest");
    if (attribute(digest_method, "", "Algorithm") != digest_uri())
      return refuse("DigestMethod '" + attribute(digest_method, "", "Algorithm") + "' is not " +
                    std::string(digest_uri()) + ", the digest of " + std::string(signature_uri()));
    // Enveloped-signature first when the whole document is covered, then at most one c14n; no
    // other transform. Without a c14n transform the node set becomes octets by inclusive c14n.
    C14n reference_c14n;
    reference_c14n.mode = XML_C14N_1_0;
    bool enveloped = false;
    bool canonicalised = false;
    for (xmlNode* t : element_children_of(transforms)) {
      if (!is_element(t, kDsigNs, "Transform")) return refuse("Transforms holds a non-Transform");
      const auto uri = attribute(t, "", "Algorithm");
      if (uri == kEnveloped && coverage == Coverage::whole_document && !enveloped &&
          !canonicalised) {
        enveloped = true;
      } else if (!canonicalised && c14n_named(t, reference_c14n)) {
        canonicalised = true;
      } else {
        return refuse("the Reference's transform '" + uri + "' is outside the profile");
      }
    }
    if (coverage == Coverage::whole_document && !enveloped)
      return refuse("the Reference lacks the enveloped-signature transform");
    // A same-document reference's node set has no comments (XMLDSig 4.3.3.3).
    reference_c14n.comments = false;

    std::string expected_digest;
    if (!unbase64(text_of(digest_value), expected_digest))
      return refuse("DigestValue is not base64");
    Subset subset;
    std::string problem;
    if (!referenced_subset(signature, reference, coverage, subset, problem)) return refuse(problem);
    const auto digest = digest_of(canonicalise(signature->doc, subset, reference_c14n), bits_);
    if (digest.size() != expected_digest.size() ||
        CRYPTO_memcmp(digest.data(), expected_digest.data(), digest.size()) != 0) {
      out.outcome = Check::Outcome::digest_mismatch;
      return out;
    }

    // The signature value over the canonical SignedInfo.
    EVP_PKEY* public_key = X509_get0_pubkey(certificate);
    ERR_clear_error();
    if (!public_key || gost_key_bits(public_key) != bits_)
      return refuse("the signer's certificate holds no GOST R 34.10-2012 " + std::to_string(bits_) +
                    "-bit key, as " + std::string(signature_uri()) + " needs");
    std::string value;
    if (!unbase64(text_of(dsig_child(signature, "SignatureValue")), value))
      return refuse("SignatureValue is not base64");
    if (value.size() != static_cast<std::size_t>(bits_ / 4)) {
      out.outcome = Check::Outcome::bad_value;
      return out;
    }
    const auto canonical_signed_info =
        canonicalise(signature->doc, Subset{signed_info, nullptr}, signed_info_c14n);
    std::string engine_layout(value.rbegin(), value.rend());  // Kazakh r_LE ‖ s_LE → s_BE ‖ r_BE
    if (verifies(public_key, canonical_signed_info, engine_layout) ||
        verifies(public_key, canonical_signed_info, value)) {
      out.outcome = Check::Outcome::valid;
      return out;
    }
    out.outcome = Check::Outcome::bad_value;
    return out;
  }

 private:
  bool verifies(EVP_PKEY* key, const std::string& data, const std::string& value) const {
    MdCtxPtr context(EVP_MD_CTX_new());
    if (!context) throw std::bad_alloc();
    const bool ok =
        EVP_DigestVerifyInit(context.get(), nullptr, streebog(bits_), nullptr, key) == 1 &&
        EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(value.data()),
                         value.size(), reinterpret_cast<const unsigned char*>(data.data()),
                         data.size()) == 1;
    ERR_clear_error();
    return ok;
  }

  int bits_;
};

std::string load_engine() {
  ERR_clear_error();
  OPENSSL_init_crypto(OPENSSL_INIT_ENGINE_DYNAMIC, nullptr);
  ENGINE* e = ENGINE_by_id("gost");  // the dynamic loader finds engines-3/gost.so
  if (!e)
    return "OpenSSL's gost engine is not installed (Debian package libengine-gost-openssl): " +
           openssl_error();
  if (ENGINE_init(e) != 1) {
    ENGINE_free(e);
    return "OpenSSL's gost engine does not start: " + openssl_error();
  }
  ENGINE_free(e);  // the structural reference; ENGINE_init's functional one stays
  // Register its key formats, key methods and digests, so that PEM and PKCS#12 GOST keys load and
  // EVP finds Streebog. It implements GOST algorithms only; RSA stays OpenSSL's own.
  if (ENGINE_set_default(e, ENGINE_METHOD_ALL) != 1) {
    ENGINE_finish(e);
    return "OpenSSL's gost engine cannot be registered: " + openssl_error();
  }
  engine = e;
  ERR_clear_error();
  return {};
}

}  // namespace

const std::string& gost_engine_problem() {
  static const std::string problem = load_engine();
  return problem;
}

int gost_key_bits(EVP_PKEY* key) {
  if (!key) return 0;
  switch (EVP_PKEY_get_base_id(key)) {
    case NID_id_GostR3410_2012_512:
      return 512;
    case NID_id_GostR3410_2012_256:
      return 256;
    default:
      return 0;
  }
}

const Algorithm* gost_algorithm(int key_bits) {
  if (!gost_engine_problem().empty()) return nullptr;
  static const Gost gost512(512);
  static const Gost gost256(256);
  if (key_bits == 512) return &gost512;
  if (key_bits == 256) return &gost256;
  return nullptr;
}

}  // namespace tekser::xmlsig::detail
