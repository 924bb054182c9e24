// The mock bus checks the gateway's request signatures as SHEP does (--request-signature,
// --trusted-request-cert): WS-Security over the Body for every service, and the enveloped
// signature in requestData/data for ГБД ЮЛ, both with common/xmlsig against the certificates the
// mocks are told to trust. The SyncChannel decides what a finding means under the policy.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/xmlsig/xmlsig.hpp"
#include "mocks/shep_server/sync_channel.hpp"

namespace tekser::mocks::signing {

struct RequestVerificationOptions {
  std::string policy = "ignore";                            // --request-signature
  std::vector<std::filesystem::path> trusted_certificates;  // --trusted-request-cert (repeatable)
};

struct RequestVerification {
  RequestSignaturePolicy policy = RequestSignaturePolicy::ignore;
  xmlsig::TrustStore trusted;  // empty under ignore
  RequestVerifier verifier;    // null under ignore
};

// Reads the options: an unknown policy, require / verify_if_present without a trusted
// certificate, or certificates under ignore (they would do nothing) are std::invalid_argument
// naming the flag; an unreadable certificate file is xmlsig::Error naming the file.
RequestVerification request_verification(const RequestVerificationOptions& options);

// A verifier over `trusted` (common/xmlsig verify_soap_body / verify_request_data).
RequestVerifier request_verifier(xmlsig::TrustStore trusted);

}  // namespace tekser::mocks::signing
