#include "mocks/signing/request_verification.hpp"

#include <stdexcept>
#include <utility>

namespace tekser::mocks::signing {

RequestVerification request_verification(const RequestVerificationOptions& options) {
  const auto policy = parse_request_signature_policy(options.policy);
  if (!policy)
    throw std::invalid_argument(
        "--request-signature: expected require, verify_if_present or "
        "ignore, got '" +
        options.policy + "'");
  RequestVerification out;
  out.policy = *policy;
  if (*policy == RequestSignaturePolicy::ignore) {
    if (!options.trusted_certificates.empty())
      throw std::invalid_argument(
          "--trusted-request-cert: has no effect under --request-signature ignore (the default); "
          "give --request-signature require or verify_if_present");
    return out;
  }
  if (options.trusted_certificates.empty())
    throw std::invalid_argument("--trusted-request-cert: required with --request-signature " +
                                options.policy + " (the gateway's certificate, or its CA)");
  out.trusted = xmlsig::TrustStore::load(options.trusted_certificates);
  out.verifier = request_verifier(out.trusted);
  return out;
}

RequestVerifier request_verifier(xmlsig::TrustStore trusted) {
  return [trusted = std::move(trusted)](std::string_view envelope, SignedPart part) {
    const auto verification = part == SignedPart::body
                                  ? xmlsig::verify_soap_body(envelope, trusted)
                                  : xmlsig::verify_request_data(envelope, trusted);
    return SignatureFinding{std::string(xmlsig::to_string(verification.status)),
                            verification.reason, verification.signer_sha256_fingerprint,
                            verification.signer_subject};
  };
}

}  // namespace tekser::mocks::signing
