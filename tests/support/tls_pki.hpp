// A throw-away PKI for the TLS tests, made at run time with the openssl command line in a
// temporary folder (removed at the end; no key is ever committed): a test CA, a server
// certificate for 127.0.0.1 and localhost, a client certificate (PEM, encrypted PEM and PKCS#12),
// and what must be refused: a server certificate from another CA, an expired one, one for another
// host name, and a client certificate from another CA.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tekser::testing::tls {

namespace fs = std::filesystem;

struct Pem {
  fs::path key;
  fs::path certificate;
};

class TestPki {
 public:
  TestPki() : dir_(make_dir()) {
    ca = self_signed("ca", "tekser test CA");
    other_ca = self_signed("other-ca", "tekser untrusted CA");
    server = issue(ca, "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    client = issue(ca, "client", "tekser gateway test client", "");
    untrusted_server = issue(other_ca, "untrusted-server", "127.0.0.1",
                             "subjectAltName=IP:127.0.0.1,DNS:localhost");
    untrusted_client = issue(other_ca, "untrusted-client", "intruder", "");
    expired_server =
        issue(ca, "expired-server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost",
              "20200101000000Z", "20200102000000Z");
    wrong_host_server =
        issue(ca, "wrong-host-server", "bus.example.kz", "subjectAltName=DNS:bus.example.kz");
    client_p12 = dir_ / "client.p12";
    openssl("pkcs12 -export -inkey '" + client.key.string() + "' -in '" +
            client.certificate.string() + "' -out '" + client_p12.string() +
            "' -passout pass:" + kPassword);
    client_encrypted_key = dir_ / "client-encrypted.key";
    openssl("pkey -in '" + client.key.string() + "' -aes256 -passout pass:" +
            std::string(kPassword) + " -out '" + client_encrypted_key.string() + "'");
    // An OpenSSL hashed directory holding the CA (what ca_dir points at).
    ca_dir = dir_ / "ca-dir";
    fs::create_directories(ca_dir);
    fs::copy_file(ca.certificate, ca_dir / "ca.pem");
    openssl("rehash '" + ca_dir.string() + "'");
    client_sha256 = fingerprint(client.certificate);
    client_subject = subject(client.certificate);
  }
  ~TestPki() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  static constexpr const char* kPassword = "test-password";

  Pem ca, other_ca, server, client, untrusted_server, untrusted_client, expired_server,
      wrong_host_server;
  fs::path client_p12;
  fs::path client_encrypted_key;
  fs::path ca_dir;
  std::string client_sha256;   // SHA-256 of the client certificate's DER, lower-case hex
  std::string client_subject;  // RFC 2253
  const fs::path& dir() const { return dir_; }

 private:
  static fs::path make_dir() {
    std::string pattern = (fs::temp_directory_path() / "tekser-tls-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
  }

  std::string openssl(const std::string& args) const {
    const auto log = dir_ / "openssl.log";
    const int rc = std::system(("openssl " + args + " >'" + log.string() + "' 2>&1").c_str());
    std::ifstream in(log);
    std::ostringstream text;
    text << in.rdbuf();
    if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
      throw std::runtime_error("openssl " + args + ": " + text.str());
    return text.str();
  }

  Pem self_signed(const std::string& name, const std::string& cn) const {
    Pem pem{dir_ / (name + ".key"), dir_ / (name + ".pem")};
    openssl("req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj '/CN=" + cn + "' -keyout '" +
            pem.key.string() + "' -out '" + pem.certificate.string() + "'");
    return pem;
  }

  // A leaf issued by `issuer` through `openssl ca` (which can backdate: the expired one).
  Pem issue(const Pem& issuer, const std::string& name, const std::string& cn,
            const std::string& extensions, const std::string& start = "",
            const std::string& end = "") {
    Pem pem{dir_ / (name + ".key"), dir_ / (name + ".pem")};
    const auto csr = dir_ / (name + ".csr");
    openssl("req -new -newkey rsa:2048 -nodes -subj '/O=tekser tests/CN=" + cn + "' -keyout '" +
            pem.key.string() + "' -out '" + csr.string() + "'");
    const auto db = dir_ / ("ca-db-" + name);
    fs::create_directories(db / "new");
    std::ofstream(db / "index.txt").close();
    std::ofstream(db / "serial") << std::to_string(1000 + serial_++) << "\n";
    std::ofstream(db / "ca.cnf") << "[ca]\ndefault_ca = test\n[test]\ndatabase = "
                                 << (db / "index.txt").string()
                                 << "\nnew_certs_dir = " << (db / "new").string()
                                 << "\nserial = " << (db / "serial").string()
                                 << "\ndefault_md = sha256\npolicy = any\nunique_subject = no\n"
                                    "[any]\norganizationName = optional\ncommonName = supplied\n";
    const auto ext = db / "ext.cnf";
    std::ofstream(ext) << extensions << "\n";
    std::string validity =
        start.empty() ? std::string(" -days 2") : " -startdate " + start + " -enddate " + end;
    openssl("ca -batch -notext -config '" + (db / "ca.cnf").string() + "' -cert '" +
            issuer.certificate.string() + "' -keyfile '" + issuer.key.string() + "' -in '" +
            csr.string() + "' -out '" + pem.certificate.string() + "'" + validity +
            (extensions.empty() ? std::string() : " -extfile '" + ext.string() + "'"));
    return pem;
  }

  std::string fingerprint(const fs::path& certificate) const {
    const auto line =
        openssl("x509 -noout -fingerprint -sha256 -in '" + certificate.string() + "'");
    std::string out;
    for (const char c : line.substr(line.find('=') + 1))
      if (std::isxdigit(static_cast<unsigned char>(c)))
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }

  std::string subject(const fs::path& certificate) const {
    auto line = openssl("x509 -noout -subject -nameopt RFC2253 -in '" + certificate.string() + "'");
    line = line.substr(line.find('=') + 1);  // "subject=CN=...,O=..."
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    return line;
  }

  fs::path dir_;
  int serial_ = 0;
};

// One PKI per test process: making it costs a few hundred milliseconds of RSA key generation.
inline const TestPki& test_pki() {
  static const TestPki pki;
  return pki;
}

}  // namespace tekser::testing::tls
