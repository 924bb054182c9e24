#include "common/net/tls.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <fstream>
#include <sstream>
#include <system_error>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>

namespace tekser::net {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace fs = std::filesystem;

// The reason of OpenSSL's most recent error ("bad decrypt", "no certificate"), and the queue
// emptied so that it does not leak into the next message.
std::string openssl_reason(std::string_view fallback) {
  unsigned long code = 0;
  unsigned long last = 0;
  while ((code = ERR_get_error()) != 0) last = code;
  if (last == 0) return std::string(fallback);
  const char* reason = ERR_reason_error_string(last);
  return reason ? std::string(reason) : std::string(fallback);
}

// The file must exist and be readable: a clearer message than OpenSSL's "system lib".
void require_readable(const std::string& field, const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw TlsError(field, "cannot read " + file.string() + " (no such file)");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TlsError(field, "cannot read " + file.string() + " (permission denied?)");
}

std::string read_all(const std::string& field, const fs::path& file) {
  require_readable(field, file);
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The password OpenSSL asks for while it decrypts a PEM key.
int pem_password(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* password = static_cast<const std::string*>(user);
  const int n = static_cast<int>(std::min<std::size_t>(password->size(), std::size_t(size)));
  std::copy_n(password->data(), n, buffer);
  return n;
}

void common_settings(SSL_CTX* ctx, const std::string& ciphers, TlsVersion min_version) {
  ERR_clear_error();
  const int version = min_version == TlsVersion::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(ctx, version) != 1)
    throw TlsError("min_version", openssl_reason("not supported"));
  if (!ciphers.empty() && SSL_CTX_set_cipher_list(ctx, ciphers.c_str()) != 1)
    throw TlsError("ciphers", "no cipher OpenSSL knows in '" + ciphers + "' (" +
                                  openssl_reason("no cipher match") + ")");
  // Renegotiation and compression have no place here (CRIME, renegotiation attacks).
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

// A PEM certificate chain with its PEM key; `fields` name them in errors.
void use_pem_pair(SSL_CTX* ctx, const fs::path& certificate, const fs::path& key,
                  std::string& password, const std::string& certificate_field,
                  const std::string& key_field) {
  require_readable(certificate_field, certificate);
  require_readable(key_field, key);
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(ctx, certificate.c_str()) != 1)
    throw TlsError(certificate_field, "not a PEM certificate: " + certificate.string() + " (" +
                                          openssl_reason("unreadable") + ")");
  SSL_CTX_set_default_passwd_cb(ctx, pem_password);
  SSL_CTX_set_default_passwd_cb_userdata(ctx, &password);
  const int loaded = SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM);
  SSL_CTX_set_default_passwd_cb(ctx, nullptr);
  SSL_CTX_set_default_passwd_cb_userdata(ctx, nullptr);
  if (loaded != 1)
    throw TlsError(key_field, "cannot load the PEM private key " + key.string() + " (" +
                                  openssl_reason("unreadable") + "; wrong password?)");
  if (SSL_CTX_check_private_key(ctx) != 1)
    throw TlsError(key_field, "the key does not match the certificate " + certificate.string());
}

void use_pkcs12(SSL_CTX* ctx, const fs::path& file, const std::string& password) {
  const auto bytes = read_all("pkcs12", file);
  ERR_clear_error();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), BIO_free);
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(d2i_PKCS12_bio(bio.get(), nullptr),
                                                      PKCS12_free);
  if (!p12) throw TlsError("pkcs12", "not a PKCS#12 file: " + file.string());
  EVP_PKEY* raw_key = nullptr;
  X509* raw_cert = nullptr;
  STACK_OF(X509)* raw_chain = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &raw_key, &raw_cert, &raw_chain) != 1)
    throw TlsError("pkcs12", "cannot open " + file.string() + " (" + openssl_reason("parse error") +
                                 "; wrong password?)");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw_key, EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(raw_cert, X509_free);
  const auto free_chain = [](STACK_OF(X509) * chain) { sk_X509_pop_free(chain, X509_free); };
  std::unique_ptr<STACK_OF(X509), decltype(free_chain)> chain(raw_chain, free_chain);
  if (!key || !cert) throw TlsError("pkcs12", file.string() + " holds no key and certificate");
  if (SSL_CTX_use_certificate(ctx, cert.get()) != 1 || SSL_CTX_use_PrivateKey(ctx, key.get()) != 1)
    throw TlsError("pkcs12", "cannot use the key of " + file.string() + " (" +
                                 openssl_reason("rejected") + ")");
  for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i)
    if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(chain.get(), i)) != 1)
      throw TlsError("pkcs12", "cannot use the chain of " + file.string());
  if (SSL_CTX_check_private_key(ctx) != 1)
    throw TlsError("pkcs12", "the key does not match the certificate in " + file.string());
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

}  // namespace

std::string_view to_string(ClientCertificateMode mode) {
  switch (mode) {
    case ClientCertificateMode::none:
      return "none";
    case ClientCertificateMode::optional:
      return "optional";
    case ClientCertificateMode::require:
      return "require";
  }
  return "none";
}

std::shared_ptr<ssl::context> make_client_context(const TlsClientConfig& config) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* ctx = context->native_handle();
  common_settings(ctx, config.ciphers, config.min_version);

  ERR_clear_error();
  if (!config.ca_file.empty()) {
    require_readable("ca_file", config.ca_file);
    if (SSL_CTX_load_verify_file(ctx, config.ca_file.c_str()) != 1)
      throw TlsError("ca_file", "no PEM certificate in " + config.ca_file.string() + " (" +
                                    openssl_reason("unreadable") + ")");
  }
  if (!config.ca_dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(config.ca_dir, ec))
      throw TlsError("ca_dir", "not a directory: " + config.ca_dir.string());
    if (SSL_CTX_load_verify_dir(ctx, config.ca_dir.c_str()) != 1)
      throw TlsError("ca_dir", "cannot use " + config.ca_dir.string() + " (" +
                                   openssl_reason("unreadable") + ")");
  }
  if (config.ca_file.empty() && config.ca_dir.empty() && SSL_CTX_set_default_verify_paths(ctx) != 1)
    throw TlsError("ca_file",
                   "the system's CA store cannot be used (" + openssl_reason("unreadable") + ")");
  // The chain is always checked; the host name per connection (prepare_client_session).
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);

  const bool pem = !config.certificate.empty() || !config.key.empty();
  if (pem && !config.pkcs12.empty())
    throw TlsError("pkcs12", "give either certificate and key, or pkcs12");
  if (pem && (config.certificate.empty() || config.key.empty()))
    throw TlsError(config.key.empty() ? "key" : "certificate", "certificate and key go together");
  std::string password = config.password;
  if (pem) use_pem_pair(ctx, config.certificate, config.key, password, "certificate", "key");
  if (!config.pkcs12.empty()) use_pkcs12(ctx, config.pkcs12, config.password);
  return context;
}

std::shared_ptr<ssl::context> make_server_context(const TlsServerConfig& config) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  common_settings(ctx, config.ciphers, config.min_version);
  if (config.certificate.empty()) throw TlsError("certificate", "required for a TLS listener");
  if (config.key.empty()) throw TlsError("key", "required for a TLS listener");
  std::string password = config.password;
  use_pem_pair(ctx, config.certificate, config.key, password, "certificate", "key");
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Sessions resumed with a client certificate need a context id, or OpenSSL refuses them.
  static constexpr unsigned char kSessionContext[] = "tekser";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);

  if (config.client_certificate == ClientCertificateMode::none) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return context;
  }
  if (config.client_ca.empty())
    throw TlsError("client_ca", "required when client certificates are asked for (" +
                                    std::string(to_string(config.client_certificate)) + ")");
  require_readable("client_ca", config.client_ca);
  ERR_clear_error();
  if (SSL_CTX_load_verify_file(ctx, config.client_ca.c_str()) != 1)
    throw TlsError("client_ca", "no PEM certificate in " + config.client_ca.string() + " (" +
                                    openssl_reason("unreadable") + ")");
  // The CA names sent in the CertificateRequest, so that a client picks the right certificate.
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca.c_str()))
    SSL_CTX_set_client_CA_list(ctx, names);
  int mode = SSL_VERIFY_PEER;
  if (config.client_certificate == ClientCertificateMode::require)
    mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  SSL_CTX_set_verify(ctx, mode, nullptr);
  return context;
}

bool prepare_client_session(SSL* ssl, const std::string& host, bool verify_host) {
  boost::system::error_code not_ip;
  asio::ip::make_address(host, not_ip);
  // SNI carries host names only (RFC 6066): never an IP literal.
  if (not_ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return false;
  if (!verify_host) return true;
  if (!not_ip) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set1_host(ssl, host.c_str()) == 1;
}

bool is_tls_error(const boost::system::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() || ec == ssl::error::stream_truncated;
}

std::string describe_tls_failure(SSL* ssl, const boost::system::error_code& ec,
                                 std::string_view during) {
  if (ssl) {
    const long result = SSL_get_verify_result(ssl);
    if (result != X509_V_OK)
      return std::string("tls: certificate verify failed: ") +
             X509_verify_cert_error_string(result);
  }
  return "tls: " + std::string(during) + ": " + ec.message();
}

CertificateIdentity identify(X509* certificate) {
  CertificateIdentity out;
  unsigned char* der = nullptr;
  const int length = i2d_X509(certificate, &der);
  if (length > 0) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digest_length = 0;
    if (EVP_Digest(der, static_cast<std::size_t>(length), digest.data(), &digest_length,
                   EVP_sha256(), nullptr) == 1)
      out.sha256 = hex(digest.data(), digest_length);
    OPENSSL_free(der);
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (bio &&
      X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253) >= 0) {
    char* text = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &text);
    if (n > 0) out.subject.assign(text, static_cast<std::size_t>(n));
  }
  return out;
}

std::optional<CertificateIdentity> verified_peer(SSL* ssl) {
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (!peer || SSL_get_verify_result(ssl) != X509_V_OK) return std::nullopt;
  return identify(peer);
}

}  // namespace tekser::net
