// Test keys and certificates, made at run time with the openssl command line in a temporary
// folder (never committed): self-signed signers, a small CA with a leaf, and a PKCS#12 bundle.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tekser::xmlsig::test {

namespace fs = std::filesystem;

inline fs::path make_temp_dir(const std::string& tag) {
  std::string pattern = (fs::temp_directory_path() / ("tekser-" + tag + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

inline std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

// Runs a shell command; its output goes to `log`. Returns the exit status.
inline int shell(const std::string& command, const fs::path& log) {
  const int rc = std::system((command + " >'" + log.string() + "' 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

inline void openssl(const std::string& args, const fs::path& dir) {
  if (shell("openssl " + args, dir / "openssl.log") != 0)
    throw std::runtime_error("openssl " + args + ": " + slurp(dir / "openssl.log"));
}

struct Pem {
  fs::path key;
  fs::path certificate;
};

// A self-signed RSA-2048 certificate with CN `cn`.
inline Pem self_signed(const fs::path& dir, const std::string& name, const std::string& cn) {
  Pem pem{dir / (name + ".key"), dir / (name + ".pem")};
  openssl("req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj '/CN=" + cn + "' -keyout '" +
              pem.key.string() + "' -out '" + pem.certificate.string() + "'",
          dir);
  return pem;
}

// A leaf certificate issued by `ca`.
inline Pem issued_by(const Pem& ca, const fs::path& dir, const std::string& name,
                     const std::string& cn) {
  Pem pem{dir / (name + ".key"), dir / (name + ".pem")};
  const auto csr = dir / (name + ".csr");
  openssl("req -new -newkey rsa:2048 -nodes -subj '/CN=" + cn + "' -keyout '" + pem.key.string() +
              "' -out '" + csr.string() + "'",
          dir);
  openssl("x509 -req -sha256 -days 2 -in '" + csr.string() + "' -CA '" + ca.certificate.string() +
              "' -CAkey '" + ca.key.string() + "' -CAcreateserial -out '" +
              pem.certificate.string() + "'",
          dir);
  return pem;
}

// A self-signed GOST R 34.10-2012 certificate (`bits` 512 or 256, the engine's parameter set A:
// id-tc26-gost-3410-12-512-paramSetA / id-GostR3410-2001-CryptoPro-A-ParamSet), signed with the
// Streebog of the same size, made by the openssl command line with Debian's gost engine.
inline Pem gost_self_signed(const fs::path& dir, const std::string& name, const std::string& cn,
                            int bits = 512) {
  Pem pem{dir / (name + ".key"), dir / (name + ".pem")};
  const auto size = std::to_string(bits);
  openssl("genpkey -engine gost -algorithm gost2012_" + size + " -pkeyopt paramset:A -out '" +
              pem.key.string() + "'",
          dir);
  openssl("req -x509 -engine gost -md_gost12_" + size + " -days 2 -subj '/CN=" + cn + "' -key '" +
              pem.key.string() + "' -out '" + pem.certificate.string() + "'",
          dir);
  return pem;
}

// `gost`: the key is a GOST key, which the openssl command line reads with the gost engine.
inline fs::path pkcs12(const Pem& pem, const fs::path& dir, const std::string& name,
                       const std::string& password, bool gost = false) {
  const auto file = dir / (name + ".p12");
  openssl(std::string("pkcs12 -export ") + (gost ? "-engine gost " : "") + "-inkey '" +
              pem.key.string() + "' -in '" + pem.certificate.string() + "' -out '" + file.string() +
              "' -passout pass:" + password,
          dir);
  return file;
}

}  // namespace tekser::xmlsig::test
