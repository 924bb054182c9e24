// Which Algorithm signs with a key, and which checks a signature.
#include "common/xmlsig/algorithm.hpp"

#include "common/xmlsig/detail.hpp"

namespace tekser::xmlsig::detail {

const Algorithm& algorithm_for(const SigningKey::Impl& key) {
  if (const int bits = gost_key_bits(key.key.get())) {
    if (const Algorithm* gost = gost_algorithm(bits)) return *gost;
    throw Error("a GOST key cannot sign: " + gost_engine_problem());
  }
  if (EVP_PKEY_get_base_id(key.key.get()) == EVP_PKEY_RSA) return rsa_algorithm();
  throw Error("the signing key is neither an RSA nor a GOST R 34.10-2012 key");
}

const Algorithm* algorithm_named(std::string_view signature_uri, std::string& problem) {
  if (signature_uri == kGost512SignatureUri || signature_uri == kGost256SignatureUri) {
    const Algorithm* gost = gost_algorithm(signature_uri == kGost512SignatureUri ? 512 : 256);
    if (!gost) problem = "GOST signatures cannot be checked: " + gost_engine_problem();
    return gost;
  }
  if (signature_uri == kGost34310SignatureUri) {
    // GOST 34.310-2004 / GOST 34.311-95 are the Kazakh forms of GOST R 34.10-2001 / 34.11-94,
    // with the national CA's own curve and hash parameters and object identifiers, which
    // OpenSSL's gost engine does not know: such a signature needs the CA's own provider (Kalkan).
    problem = "the signature uses the older Kazakh pair GOST 34.310-2004 / GOST 34.311-95 (" +
              std::string(signature_uri) + "), which this build cannot check: unsupported";
    return nullptr;
  }
  return &rsa_algorithm();  // xmlsec's allow-list refuses what is outside the RSA profile
}

std::string signature_method_of(xmlNode* signature) {
  for (xmlNode* s = signature ? signature->children : nullptr; s; s = s->next) {
    if (!is_element(s, kDsigNs, "SignedInfo")) continue;
    for (xmlNode* m = s->children; m; m = m->next)
      if (is_element(m, kDsigNs, "SignatureMethod")) return attribute(m, "", "Algorithm");
  }
  return {};
}

}  // namespace tekser::xmlsig::detail

namespace tekser::xmlsig {

std::string algorithm_name(std::string_view signature_method) {
  constexpr std::string_view kMore = "http://www.w3.org/2001/04/xmldsig-more#";
  if (signature_method == detail::kGost512SignatureUri) return "GOST R 34.10-2012 512";
  if (signature_method == detail::kGost256SignatureUri) return "GOST R 34.10-2012 256";
  if (signature_method == detail::kGost34310SignatureUri) return "GOST 34.310-2004";
  if (signature_method.substr(0, kMore.size()) == kMore) {
    const auto name = signature_method.substr(kMore.size());
    if (name == "rsa-sha256") return "RSA-SHA256";
    if (name == "rsa-sha384") return "RSA-SHA384";
    if (name == "rsa-sha512") return "RSA-SHA512";
  }
  return std::string(signature_method);
}

}  // namespace tekser::xmlsig
