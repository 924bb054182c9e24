#include "mocks/signing/reply_signing.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <system_error>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tekser::mocks::signing {
namespace {

namespace http = boost::beast::http;

[[noreturn]] void fail(const std::string& what) {
  char buffer[256] = "unknown OpenSSL error";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, buffer, sizeof buffer);
  ERR_clear_error();
  throw xmlsig::Error("ephemeral signing key: " + what + ": " + buffer);
}

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void add_extension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (!extension || X509_add_ext(certificate, extension, -1) != 1) fail("certificate extension");
  X509_EXTENSION_free(extension);
}

}  // namespace

GeneratedPem generate_self_signed(std::string_view common_name, std::chrono::hours validity) {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
  if (!key) fail("RSA key generation");

  CertPtr certificate(X509_new());
  if (!certificate) fail("X509_new");
  X509_set_version(certificate.get(), 2);  // X.509v3
  // A random positive 64-bit serial: a fresh certificate per start-up never repeats one.
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serial(BN_new());
  if (!serial || BN_rand(serial.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())))
    fail("serial number");
  // A few minutes back, for a verifier whose clock is slightly behind.
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -5 * 60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()),
                  static_cast<long>(std::chrono::seconds(validity).count()));
  X509_NAME* name = X509_get_subject_name(certificate.get());
  const std::string cn(common_name);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(certificate.get(), name) != 1)
    fail("subject");
  if (X509_set_pubkey(certificate.get(), key.get()) != 1) fail("public key");
  add_extension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(certificate.get(), NID_subject_key_identifier, "hash");
  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0) fail("self-signature");

  BioPtr key_bio(BIO_new(BIO_s_mem()));
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || !cert_bio ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509(cert_bio.get(), certificate.get()) != 1)
    fail("PEM encoding");
  return GeneratedPem{bio_text(key_bio.get()), bio_text(cert_bio.get())};
}

std::optional<xmlsig::SigningKey> signing_key(const Options& options) {
  const bool pem = !options.key_file.empty() || !options.certificate_file.empty();
  const bool p12 = !options.pkcs12_file.empty();
  if (options.disabled) {
    if (pem || p12 || !options.certificate_out.empty())
      throw std::invalid_argument("--no-signing contradicts the other --signing-* options");
    return std::nullopt;
  }
  if (pem && p12)
    throw std::invalid_argument("give either --signing-key/--signing-cert or --signing-p12");
  if (pem) {
    if (options.key_file.empty() || options.certificate_file.empty())
      throw std::invalid_argument("--signing-key and --signing-cert go together");
    return xmlsig::SigningKey::load_pem(options.key_file, options.certificate_file);
  }
  if (p12) {
    const char* password = std::getenv(kPkcs12PasswordEnv);
    return xmlsig::SigningKey::load_pkcs12(options.pkcs12_file, password ? password : "");
  }
  const auto generated = generate_self_signed(kEphemeralCommonName, options.ephemeral_validity);
  return xmlsig::SigningKey::from_pem(generated.key_pem, generated.certificate_pem, {},
                                      "ephemeral key");
}

void write_certificate(const xmlsig::SigningKey& key, const std::filesystem::path& file) {
  auto temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << key.certificate_pem();
    if (!out.flush()) throw std::runtime_error(temporary.string() + ": cannot be written");
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  if (error) throw std::runtime_error(file.string() + ": " + error.message());
}

std::function<std::string(std::string_view)> reply_signer(xmlsig::SigningKey key) {
  return [key = std::move(key)](std::string_view envelope) {
    return xmlsig::sign_soap_body(envelope, key);
  };
}

net::HttpResponse certificate_response(const std::optional<xmlsig::SigningKey>& key,
                                       const net::HttpRequest& request) {
  net::HttpResponse response;
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  if (request.method() != http::verb::get) {
    response.result(http::status::method_not_allowed);
    response.set(http::field::allow, "GET");
    response.set(http::field::content_type, "application/json");
    response.body() = R"({"error":"only GET"})";
  } else if (!key) {
    response.result(http::status::not_found);
    response.set(http::field::content_type, "application/json");
    response.body() = R"({"error":"the mocks run without signing: --no-signing"})";
  } else {
    response.result(http::status::ok);
    response.set(http::field::content_type, "application/x-pem-file");
    response.body() = key->certificate_pem();
  }
  response.prepare_payload();
  return response;
}

}  // namespace tekser::mocks::signing
