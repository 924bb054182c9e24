// TLS on OpenSSL 3 for the generic HTTP client and server: the settings as configured (CA bundle,
// client or server certificate and key from PEM or PKCS#12, cipher list, minimum version, peer
// checks), the Asio ssl::context made from them, the peer's certificate identity, and the words a
// failed handshake or verification is explained with. Nothing here touches a socket.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

typedef struct ssl_st SSL;
typedef struct x509_st X509;

namespace tekser::net {

// A setting that cannot be used: `field` is the setting's key ("ca_file", "pkcs12"), what() is
// "field: reason", so that a caller can prefix its own path ("shep.tls.").
class TlsError : public std::runtime_error {
 public:
  TlsError(std::string field, const std::string& reason)
      : std::runtime_error(field + ": " + reason), field_(std::move(field)), reason_(reason) {}
  const std::string& field() const { return field_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

// Forward-secret AEAD suites for TLS 1.2 (Mozilla's "intermediate" list in OpenSSL syntax); TLS
// 1.3 uses OpenSSL's own suites, all of them AEAD. A peer that offers nothing of this is refused.
inline constexpr const char* kDefaultTls12Ciphers =
    "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:!aNULL:!eNULL";

enum class TlsVersion { tls1_2, tls1_3 };

// How a client reaches an https destination.
struct TlsClientConfig {
  // Whom to trust: a PEM bundle and/or an OpenSSL hashed directory; neither: the system store.
  std::filesystem::path ca_file;
  std::filesystem::path ca_dir;
  // The client certificate for mutual TLS: a PEM certificate (chain) with its PEM key, or a
  // PKCS#12 file with both. None: the client presents no certificate.
  std::filesystem::path certificate;
  std::filesystem::path key;
  std::filesystem::path pkcs12;
  std::string password;                         // of the PKCS#12 file or of an encrypted PEM key
  std::string ciphers = kDefaultTls12Ciphers;   // TLS 1.2 cipher list (OpenSSL syntax)
  TlsVersion min_version = TlsVersion::tls1_2;  // 1.3 is preferred whenever the peer has it
  // The server certificate must name the host of the URL (DNS name or IP address). Turning this
  // off keeps the chain check: any certificate the CAs issued is then accepted.
  bool verify_host = true;
};

// Whether a server asks its clients for a certificate.
enum class ClientCertificateMode {
  none,      // never asked
  optional,  // asked; a client without one is let in, a client with a bad one is refused
  require,   // a client without a valid certificate is refused in the handshake
};

std::string_view to_string(ClientCertificateMode mode);

struct TlsServerConfig {
  std::filesystem::path certificate;  // PEM certificate (chain) of the server
  std::filesystem::path key;          // its PEM private key
  std::string password;               // of an encrypted key
  std::filesystem::path client_ca;    // PEM bundle of the CAs client certificates come from
  ClientCertificateMode client_certificate = ClientCertificateMode::none;
  std::string ciphers = kDefaultTls12Ciphers;
  TlsVersion min_version = TlsVersion::tls1_2;
};

// Builds the contexts; throws TlsError naming the setting (unreadable file, wrong password, a
// key that does not match its certificate, a cipher list OpenSSL does not know).
std::shared_ptr<boost::asio::ssl::context> make_client_context(const TlsClientConfig& config);
std::shared_ptr<boost::asio::ssl::context> make_server_context(const TlsServerConfig& config);

// Arms one client connection before its handshake: SNI (for host names, never for IP literals)
// and the host-name or IP-address check when `verify_host`. False when OpenSSL refused.
bool prepare_client_session(SSL* ssl, const std::string& host, bool verify_host);

// "tls: certificate verify failed: certificate has expired", "tls: <during>: <OpenSSL's words>"
// ("tls: handshake failed: ..."): what a handshake (or a read or write after it) failing with
// `ec` on `ssl` came to.
std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec,
                                 std::string_view during);

// True for errors of the OpenSSL category (and stream_truncated): the cause then names TLS.
bool is_tls_error(const boost::system::error_code& ec);

// Who a certificate names: SHA-256 of its DER (lower-case hex) and its subject (RFC 2253).
struct CertificateIdentity {
  std::string sha256;
  std::string subject;
};
CertificateIdentity identify(X509* certificate);

// The peer's certificate when it presented one and it verified; nullopt otherwise.
std::optional<CertificateIdentity> verified_peer(SSL* ssl);

}  // namespace tekser::net
