// The RSA family, by xmlsec1: templates, digests, signature values and their checks are xmlsec's.
// Signs with RSA-SHA256 / SHA-256; verifies RSA-SHA256/384/512 with SHA-256/384/512 and exclusive
// or inclusive c14n, and nothing else (xmlsec's allow-list refuses any other URI).
#include <xmlsec/crypto.h>
#include <xmlsec/list.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>

#include "common/xmlsig/algorithm.hpp"
#include "common/xmlsig/detail.hpp"

namespace tekser::xmlsig::detail {
namespace {

std::string xmlsec_errors() {
  const ErrorCapture* errors = ErrorCapture::current();
  return errors ? errors->first() : std::string();
}

// Only the algorithms of the profile: no XPath, XSLT or other transform that could make the
// Reference select something else than it appears to.
bool restrict_algorithms(xmlSecDSigCtx* context, Coverage coverage) {
  const xmlSecTransformId signed_info[] = {
      xmlSecTransformExclC14NId,  xmlSecTransformInclC14NId,  xmlSecTransformRsaSha256Id,
      xmlSecTransformRsaSha384Id, xmlSecTransformRsaSha512Id,
  };
  const xmlSecTransformId reference[] = {
      xmlSecTransformExclC14NId, xmlSecTransformInclC14NId, xmlSecTransformSha256Id,
      xmlSecTransformSha384Id,   xmlSecTransformSha512Id,
  };
  for (auto id : signed_info)
    if (xmlSecDSigCtxEnableSignatureTransform(context, id) < 0) return false;
  for (auto id : reference)
    if (xmlSecDSigCtxEnableReferenceTransform(context, id) < 0) return false;
  if (coverage == Coverage::whole_document) {
    if (xmlSecDSigCtxEnableReferenceTransform(context, xmlSecTransformEnvelopedId) < 0)
      return false;
    context->enabledReferenceUris = xmlSecTransformUriTypeEmpty;  // URI="" only
  } else {
    // "#id" references only: no external documents, no empty URI (the whole envelope).
    context->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  }
  // A ds:Manifest in a ds:Object signs nothing we rely on; never resolve its references.
  context->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
  return true;
}

class Rsa final : public Algorithm {
 public:
  std::string_view signature_uri() const override {
    return "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
  }

  xmlNode* make_template(xmlDoc* doc, Coverage coverage, const std::string& uri) const override {
    xmlNode* signature = xmlSecTmplSignatureCreateNsPref(
        doc, xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id, nullptr, x("ds"));
    if (!signature) throw Error("xmlsec: cannot create the signature template: " + xmlsec_errors());
    xmlNode* reference = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id,
                                                         nullptr, x(uri), nullptr);
    bool ok = reference != nullptr;
    if (ok && coverage == Coverage::whole_document)
      ok = xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId) != nullptr;
    if (ok) ok = xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId) != nullptr;
    if (!ok) {
      xmlFreeNode(signature);
      throw Error("xmlsec: cannot add the reference: " + xmlsec_errors());
    }
    return signature;
  }

  void sign(xmlNode* signature, const SigningKey::Impl& key, Coverage /*coverage*/) const override {
    DsigCtxPtr context(xmlSecDSigCtxCreate(nullptr));
    if (!context) throw std::bad_alloc();
    context->signKey = private_key_of(key).release();  // the context destroys it
    if (xmlSecDSigCtxSign(context.get(), signature) < 0)
      throw Error("xmlsec: signing failed: " + xmlsec_errors());
  }

  Check verify(xmlNode* signature, X509* certificate, Coverage coverage) const override {
    Check out;
    DsigCtxPtr context(xmlSecDSigCtxCreate(nullptr));
    if (!context) throw std::bad_alloc();
    if (!restrict_algorithms(context.get(), coverage)) {
      out.problem = "xmlsec: cannot restrict the algorithms: " + xmlsec_errors();
      return out;
    }
    auto key = public_key_of(certificate);
    if (!key) {
      out.problem = "the signer's certificate holds no usable public key";
      return out;
    }
    context->signKey = key.release();  // the context destroys it
    if (xmlSecDSigCtxVerify(context.get(), signature) < 0) {
      out.problem = xmlsec_errors();
      return out;
    }
    if (context->status == xmlSecDSigStatusSucceeded) {
      out.outcome = Check::Outcome::valid;
      return out;
    }
    const auto size = xmlSecPtrListGetSize(&context->signedInfoReferences);
    for (xmlSecSize i = 0; i < size; ++i) {
      auto* ref = static_cast<xmlSecDSigReferenceCtx*>(
          xmlSecPtrListGetItem(&context->signedInfoReferences, i));
      if (ref && ref->status != xmlSecDSigStatusSucceeded) {
        out.outcome = Check::Outcome::digest_mismatch;
        return out;
      }
    }
    out.outcome = Check::Outcome::bad_value;
    return out;
  }
};

}  // namespace

const Algorithm& rsa_algorithm() {
  static const Rsa rsa;
  return rsa;
}

}  // namespace tekser::xmlsig::detail
