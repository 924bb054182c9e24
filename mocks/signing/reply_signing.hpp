// The mock bus signs its replies as SHEP does (WS-Security over the Body, common/xmlsig), so that
// the gateway's verification can be tested, and "missing" / "invalid" signatures injected.
// The key comes from PEM files or a PKCS#12 file, or is generated at start-up (ephemeral
// RSA-2048, self-signed, CN "tekser-mocks SHEP"); its certificate is what the gateway must trust,
// written to a file and served at GET /admin/signing-certificate.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/net/http_server.hpp"
#include "common/xmlsig/xmlsig.hpp"

namespace tekser::mocks::signing {

inline constexpr std::string_view kEphemeralCommonName = "tekser-mocks SHEP";
inline constexpr std::string_view kCertificatePath = "/admin/signing-certificate";
// The environment variable that holds the PKCS#12 password (never a command-line argument,
// which other users of the machine can read).
inline constexpr const char* kPkcs12PasswordEnv = "TEKSER_MOCKS_SIGNING_P12_PASSWORD";

struct Options {
  bool disabled = false;                   // --no-signing
  std::filesystem::path key_file;          // --signing-key (PEM), with certificate_file
  std::filesystem::path certificate_file;  // --signing-cert (PEM)
  std::filesystem::path pkcs12_file;       // --signing-p12, password from kPkcs12PasswordEnv
  std::filesystem::path certificate_out;   // --signing-cert-out: where to write the cert
  std::chrono::hours ephemeral_validity{24 * 365};
};

// A fresh RSA-2048 key and a self-signed X.509v3 certificate for it (SHA-256, valid from a few
// minutes ago for `validity`), as PEM texts.
struct GeneratedPem {
  std::string key_pem;
  std::string certificate_pem;
};
GeneratedPem generate_self_signed(std::string_view common_name, std::chrono::hours validity);

// The key the mocks sign with, as the options say: nullopt when signing is disabled. Throws
// std::invalid_argument for contradictory options and xmlsig::Error for unusable files.
std::optional<xmlsig::SigningKey> signing_key(const Options& options);

// Writes the certificate as PEM, atomically (temporary file + rename), so that a reader polling
// for the file never sees half of it.
void write_certificate(const xmlsig::SigningKey& key, const std::filesystem::path& file);

// The reply signer the SyncChannel calls (a SyncChannel::ReplySigner).
std::function<std::string(std::string_view)> reply_signer(xmlsig::SigningKey key);

// GET /admin/signing-certificate: the certificate as PEM; 404 when the mocks do not sign.
net::HttpResponse certificate_response(const std::optional<xmlsig::SigningKey>& key,
                                       const net::HttpRequest& request);

}  // namespace tekser::mocks::signing
