// Loading signing keys (PEM, PKCS#12; RSA or GOST R 34.10-2012) and trusted certificates with
// OpenSSL.
#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "common/xmlsig/algorithm.hpp"
#include "common/xmlsig/detail.hpp"

namespace tekser::xmlsig {
namespace {

using detail::EvpKeyPtr;
using detail::openssl_error;
using detail::X509Ptr;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string read_file(const std::filesystem::path& file, std::string_view what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(std::string(what) + " " + file.string() + ": cannot be read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

BioPtr memory_bio(std::string_view bytes) {
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) throw std::bad_alloc();
  return bio;
}

// The key, the certificate and their consistency: the one place every loader ends.
SigningKey::Impl make_impl(EvpKeyPtr key, X509Ptr certificate, std::string_view source) {
  // The key decides the algorithm: RSA signs RSA-SHA256, GOST R 34.10-2012 signs GOST with the
  // Streebog of its size (algorithm.hpp).
  if (detail::gost_key_bits(key.get()) != 0) {
    if (!detail::gost_engine_problem().empty())
      throw Error(std::string(source) + ": a GOST key, but " + detail::gost_engine_problem());
  } else if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    throw Error(std::string(source) +
                ": the private key is neither an RSA nor a GOST R 34.10-2012 (256/512) key");
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    ERR_clear_error();
    throw Error(std::string(source) + ": the private key does not belong to the certificate");
  }
  SigningKey::Impl impl;
  impl.certificate_der = detail::der_of(certificate.get());
  impl.info = detail::describe(certificate.get());
  impl.key = std::move(key);
  impl.certificate = std::move(certificate);
  return impl;
}

}  // namespace

SigningKey SigningKey::from_pem(std::string_view key_pem, std::string_view certificate_pem,
                                std::string_view password, std::string_view source) {
  detail::ensure_initialised();
  ERR_clear_error();
  const std::string pass(password);
  auto key_bio = memory_bio(key_pem);
  EvpKeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr,
                                        pass.empty() ? nullptr : const_cast<char*>(pass.c_str())));
  if (!key) throw Error(std::string(source) + ": no private key: " + openssl_error());
  auto cert_bio = memory_bio(certificate_pem);
  X509Ptr certificate(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) throw Error(std::string(source) + ": no certificate: " + openssl_error());
  return SigningKey(
      std::make_shared<const Impl>(make_impl(std::move(key), std::move(certificate), source)));
}

SigningKey SigningKey::load_pem(const std::filesystem::path& key_file,
                                const std::filesystem::path& certificate_file,
                                std::string_view password) {
  const auto key_pem = read_file(key_file, "private key");
  const auto certificate_pem = read_file(certificate_file, "certificate");
  return from_pem(key_pem, certificate_pem, password,
                  key_file.string() + " + " + certificate_file.string());
}

SigningKey SigningKey::load_pkcs12(const std::filesystem::path& file, std::string_view password) {
  detail::ensure_initialised();
  ERR_clear_error();
  const auto bytes = read_file(file, "PKCS#12 file");
  const auto source = file.string();
  auto bio = memory_bio(bytes);
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(d2i_PKCS12_bio(bio.get(), nullptr),
                                                      &PKCS12_free);
  if (!p12) throw Error(source + ": not a PKCS#12 file: " + openssl_error());
  EVP_PKEY* raw_key = nullptr;
  X509* raw_certificate = nullptr;
  STACK_OF(X509)* chain = nullptr;
  const std::string pass(password);
  if (PKCS12_parse(p12.get(), pass.c_str(), &raw_key, &raw_certificate, &chain) != 1)
    throw Error(source + ": cannot open (wrong password?): " + openssl_error());
  sk_X509_pop_free(chain, X509_free);
  EvpKeyPtr key(raw_key);
  X509Ptr certificate(raw_certificate);
  if (!key) throw Error(source + ": holds no private key");
  if (!certificate) throw Error(source + ": holds no certificate for its key");
  return SigningKey(
      std::make_shared<const Impl>(make_impl(std::move(key), std::move(certificate), source)));
}

const CertificateInfo& SigningKey::certificate() const {
  return impl_->info;
}

std::string SigningKey::certificate_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), impl_->certificate.get()) != 1)
    throw Error("cannot write the certificate as PEM: " + openssl_error());
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

TrustStore::TrustStore() {
  auto impl = std::make_shared<Impl>();
  impl->store.reset(X509_STORE_new());
  if (!impl->store) throw std::bad_alloc();
  impl_ = std::move(impl);
}

TrustStore TrustStore::from_pem(std::string_view pem, std::string_view source) {
  detail::ensure_initialised();
  ERR_clear_error();
  auto impl = std::make_shared<Impl>();
  impl->store.reset(X509_STORE_new());
  if (!impl->store) throw std::bad_alloc();
  auto bio = memory_bio(pem);
  while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509Ptr certificate(raw);
    if (X509_STORE_add_cert(impl->store.get(), certificate.get()) != 1)
      throw Error(std::string(source) + ": " + openssl_error());
    impl->infos.push_back(detail::describe(certificate.get()));
    impl->certificates.push_back(std::move(certificate));
  }
  ERR_clear_error();  // the loop ends on "no start line"
  if (impl->certificates.empty()) throw Error(std::string(source) + ": holds no PEM certificate");
  return TrustStore(std::move(impl));
}

TrustStore TrustStore::load(const std::vector<std::filesystem::path>& pem_files) {
  std::string all;
  for (const auto& file : pem_files) {
    const auto pem = read_file(file, "trusted certificate file");
    from_pem(pem, file.string());  // names the file that holds no certificate
    all += pem;
    all += '\n';
  }
  if (pem_files.empty()) return TrustStore();
  return from_pem(all, "trusted certificates");
}

std::size_t TrustStore::size() const {
  return impl_->certificates.size();
}

const std::vector<CertificateInfo>& TrustStore::certificates() const {
  return impl_->infos;
}

}  // namespace tekser::xmlsig
