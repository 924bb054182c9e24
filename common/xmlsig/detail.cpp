#include "common/xmlsig/detail.hpp"

#include <climits>
#include <mutex>

#include <libxml/parser.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <xmlsec/base64.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include "common/xmlsig/algorithm.hpp"

namespace tekser::xmlsig::detail {
namespace {

constexpr std::string_view kSoap11Ns = "http://schemas.xmlsoap.org/soap/envelope/";

thread_local ErrorCapture* current_capture = nullptr;

void on_xmlsec_error(const char* /*file*/, int /*line*/, const char* func,
                     const char* /*error_object*/, const char* /*error_subject*/, int reason,
                     const char* msg) {
  if (!current_capture) return;
  std::string text = func ? func : "xmlsec";
  if (msg && *msg) text += std::string(": ") + msg;
  // xmlsec's own words for the reason code ("transform is disabled"), when it has them.
  std::string why = "reason " + std::to_string(reason);
  for (xmlSecSize i = 0; i < XMLSEC_ERRORS_MAX_NUMBER && xmlSecErrorsGetMsg(i); ++i) {
    if (xmlSecErrorsGetCode(i) == reason) {
      why = xmlSecErrorsGetMsg(i);
      break;
    }
  }
  text += " (" + why + ")";
  current_capture->add(std::move(text));
}

// Brings libxml2, xmlsec and xmlsec-openssl up on construction and down at process exit.
class Library {
 public:
  Library() {
    xmlInitParser();
    if (xmlSecInit() < 0) throw Error("xmlsec: xmlSecInit failed");
    if (xmlSecCheckVersion() != 1)
      throw Error("xmlsec: the loaded library is not the version built against");
    if (xmlSecCryptoAppInit(nullptr) < 0) throw Error("xmlsec: crypto application init failed");
    if (xmlSecCryptoInit() < 0) throw Error("xmlsec: crypto init failed");
    // Errors are reported through Verification::reason and Error, never printed on stderr.
    xmlSecErrorsSetCallback(&on_xmlsec_error);
    // Base64 values (signature, digest) on one line.
    xmlSecBase64SetDefaultLineSize(0);
    // GOST keys load only with the gost engine registered; without it they are refused by name.
    gost_engine_problem();
  }
  ~Library() {
    xmlSecCryptoShutdown();
    xmlSecCryptoAppShutdown();
    xmlSecShutdown();
  }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

}  // namespace

void ensure_initialised() {
  // A function-local static: constructed once, thread-safely, destroyed at exit.
  static Library library;
}

ErrorCapture::ErrorCapture() {
  current_capture = this;
}
ErrorCapture::~ErrorCapture() {
  current_capture = nullptr;
}
const ErrorCapture* ErrorCapture::current() {
  return current_capture;
}
std::string ErrorCapture::first() const {
  return messages_.empty() ? std::string() : messages_.front();
}
std::string ErrorCapture::last() const {
  return messages_.empty() ? std::string() : messages_.back();
}

std::string openssl_error() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    out = buffer;  // the first error is the root cause; keep the last for the most specific
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

CertificateInfo describe(X509* certificate) {
  CertificateInfo info;
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    X509_NAME_print_ex(bio, X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    if (size > 0) info.subject.assign(data, static_cast<std::size_t>(size));
    BIO_free(bio);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(certificate, EVP_sha256(), digest, &length) == 1) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned i = 0; i < length; ++i) {
      info.sha256_fingerprint += kHex[digest[i] >> 4];
      info.sha256_fingerprint += kHex[digest[i] & 0xf];
    }
  }
  return info;
}

std::string der_of(X509* certificate) {
  unsigned char* der = nullptr;
  const int size = i2d_X509(certificate, &der);
  if (size <= 0) throw Error("cannot encode a certificate as DER: " + openssl_error());
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return out;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

bool unbase64(std::string_view text, std::string& out) {
  std::string compact;
  compact.reserve(text.size());
  for (const char c : text)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
  if (compact.empty() || compact.size() % 4 != 0 || compact.size() > INT_MAX) return false;
  out.assign(compact.size() / 4 * 3 + 1, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(compact.data()),
                                      static_cast<int>(compact.size()));
  if (written < 0) return false;
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(written);
  if (compact.back() == '=') --size;
  if (compact[compact.size() - 2] == '=') --size;
  out.resize(size);
  return true;
}

std::string sha1_of(std::string_view bytes) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

XmlDocPtr parse_document(std::string_view text, std::string& problem) {
  ensure_initialised();
  // A DOCTYPE can only stand in the prolog; refusing any occurrence is simpler and stricter than
  // parsing an internal subset first (SOAP forbids DTDs anyway).
  if (text.find("<!DOCTYPE") != std::string_view::npos) {
    problem = "the document carries a DOCTYPE (DTDs are not accepted)";
    return nullptr;
  }
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    problem = "the document is too large";
    return nullptr;
  }
  xmlParserCtxtPtr context = xmlNewParserCtxt();
  if (!context) throw std::bad_alloc();
  // No XML_PARSE_NOENT (no entity substitution), no XML_PARSE_DTDLOAD / DTDATTR / DTDVALID.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  XmlDocPtr doc(xmlCtxtReadMemory(context, text.data(), static_cast<int>(text.size()), nullptr,
                                  nullptr, options));
  if (!doc) {
    const xmlError* error = xmlCtxtGetLastError(context);
    problem = std::string("not well-formed XML") +
              (error && error->message ? std::string(": ") + error->message : std::string());
    while (!problem.empty() && (problem.back() == '\n' || problem.back() == ' '))
      problem.pop_back();
  }
  xmlFreeParserCtxt(context);
  if (doc && (doc->intSubset || doc->extSubset)) {
    problem = "the document carries a DOCTYPE (DTDs are not accepted)";
    return nullptr;
  }
  return doc;
}

bool is_element(const xmlNode* node, std::string_view ns, std::string_view local) {
  if (!node || node->type != XML_ELEMENT_NODE || !node->ns || !node->ns->href) return false;
  return std::string_view(reinterpret_cast<const char*>(node->name)) == local &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)) == ns;
}

std::string attribute(const xmlNode* node, std::string_view ns, std::string_view local) {
  const std::string name(local);
  xmlChar* value =
      ns.empty() ? xmlGetNoNsProp(node, x(name)) : xmlGetNsProp(node, x(name), x(std::string(ns)));
  if (!value) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

std::string text_of(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  if (!content) return {};
  std::string out(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return out;
}

bool envelope_parts(xmlDoc* doc, EnvelopeParts& parts, std::string& problem) {
  xmlNode* root = xmlDocGetRootElement(doc);
  if (!is_element(root, kSoap11Ns, "Envelope")) {
    problem = "the root element is not a SOAP 1.1 Envelope";
    return false;
  }
  parts = EnvelopeParts{root, nullptr, nullptr};
  for (xmlNode* child = root->children; child; child = child->next) {
    if (is_element(child, kSoap11Ns, "Body")) {
      if (parts.body) {
        problem = "the Envelope has more than one Body";
        return false;
      }
      parts.body = child;
    } else if (is_element(child, kSoap11Ns, "Header")) {
      if (parts.header) {
        problem = "the Envelope has more than one Header";
        return false;
      }
      parts.header = child;
    }
  }
  if (!parts.body) {
    problem = "the Envelope has no Body";
    return false;
  }
  return true;
}

}  // namespace tekser::xmlsig::detail
