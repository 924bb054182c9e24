#include "common/xsd/validator.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>

namespace tekser::xsd {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kSoapNs = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOCDATA;

void collect_error(void* user, const xmlError* error) {
  auto* out = static_cast<std::vector<std::string>*>(user);
  std::string message = error->message ? error->message : "unknown XML error";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (error->line > 0) message = "line " + std::to_string(error->line) + ": " + message;
  out->push_back(std::move(message));
}

void structured_error(void* user, xmlErrorPtr error) { collect_error(user, error); }

std::string escape_attr(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"') out += "&quot;";
    else if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else out += c;
  }
  return out;
}

fs::path make_temp_dir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 16; ++attempt) {
    auto dir = fs::temp_directory_path() / ("tekser-xsd-" + std::to_string(rd()));
    if (fs::create_directory(dir)) return dir;
  }
  throw std::runtime_error("cannot create a temporary folder for the schema bundle");
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

}  // namespace

std::vector<NamespaceFiles> shep_namespaces() {
  return {
      {"http://bip.bee.kz/common/v10/Types",
       {"shep/common/v10/Types/Guid.xsd", "shep/common/v10/Types/ErrorInfo.xsd",
        "shep/common/v10/Types/SenderInfo.xsd", "shep/common/v10/Types/Property.xsd",
        "shep/common/v10/Types/StatusInfo.xsd"}},
      {"http://bip.bee.kz/SyncChannel/v10/Types",
       {"shep/SyncChannel/v10/Types/SyncMessageInfo.xsd",
        "shep/SyncChannel/v10/Types/SyncMessageInfoResponse.xsd",
        "shep/SyncChannel/v10/Types/ISyncChannel.xsd"}},
      {"http://bip.bee.kz/SyncChannel/v10/Types/Request",
       {"shep/SyncChannel/v10/Types/SyncSendMessageRequest.xsd"}},
      {"http://bip.bee.kz/SyncChannel/v10/Types/Response",
       {"shep/SyncChannel/v10/Types/SyncSendMessageResponse.xsd"}},
  };
}

std::vector<NamespaceFiles> gbd_ul_namespaces() {
  return {{"http://gbdulinfobybin_v2.egp.gbdul.tamur.kz", {"gbd-ul/GbdulInfoByBin_v2.xsd"}}};
}

std::vector<NamespaceFiles> gbd_fl_namespaces() {
  return {{"http://message.persistence.interactive.nat", {"gbd-fl/message.xsd"}}};
}

struct Validator::Impl {
  xmlSchemaPtr schema = nullptr;
  ~Impl() {
    if (schema) xmlSchemaFree(schema);
  }

  std::vector<std::string> validate(xmlDoc* doc, const std::vector<xmlNode*>& elements) const {
    std::vector<std::string> errors;
    xmlSchemaValidCtxtPtr ctxt = xmlSchemaNewValidCtxt(schema);
    if (!ctxt) return {"cannot create a schema validation context"};
    xmlSchemaSetValidStructuredErrors(ctxt, structured_error, &errors);
    for (xmlNode* element : elements) {
      const int rc = xmlSchemaValidateOneElement(ctxt, element);
      if (rc != 0 && errors.empty())
        errors.push_back("element " + std::string(reinterpret_cast<const char*>(element->name)) +
                         " is not valid (libxml2 code " + std::to_string(rc) + ")");
    }
    (void)doc;
    xmlSchemaFreeValidCtxt(ctxt);
    return errors;
  }
};

Validator::Validator(const fs::path& contracts_dir, const std::vector<NamespaceFiles>& bundle)
    : impl_(std::make_unique<Impl>()) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  // Normalised, because libxml2 resolves the contracts' relative includes to normalised paths:
  // a file named once as "a/../b.xsd" and once as "b.xsd" would be loaded twice and collide.
  const fs::path root_dir = fs::absolute(contracts_dir).lexically_normal();
  const fs::path tmp = make_temp_dir();
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{tmp};

  std::string root =
      "<?xml version=\"1.0\"?>\n<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
      "targetNamespace=\"urn:tekser:xsd-bundle\">\n";
  int index = 0;
  for (const auto& ns : bundle) {
    std::string wrapper =
        "<?xml version=\"1.0\"?>\n<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
        "targetNamespace=\"" + escape_attr(ns.ns) + "\">\n";
    for (const auto& file : ns.files) {
      const fs::path p = root_dir / file;
      if (!fs::exists(p)) throw std::runtime_error("contract file not found: " + p.string());
      wrapper += "  <xsd:include schemaLocation=\"" + escape_attr(p.string()) + "\"/>\n";
    }
    wrapper += "</xsd:schema>\n";
    const fs::path wrapper_path = tmp / ("ns" + std::to_string(index++) + ".xsd");
    write_file(wrapper_path, wrapper);
    root += "  <xsd:import namespace=\"" + escape_attr(ns.ns) + "\" schemaLocation=\"" +
            escape_attr(wrapper_path.string()) + "\"/>\n";
  }
  root += "</xsd:schema>\n";
  const fs::path root_path = tmp / "bundle.xsd";
  write_file(root_path, root);

  std::vector<std::string> errors;
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(root_path.c_str());
  if (!parser) throw std::runtime_error("cannot create a schema parser");
  xmlSchemaSetParserStructuredErrors(parser, structured_error, &errors);
  impl_->schema = xmlSchemaParse(parser);
  xmlSchemaFreeParserCtxt(parser);
  if (!impl_->schema) {
    std::string message = "schema bundle does not compile:";
    for (const auto& e : errors) message += "\n  " + e;
    throw std::runtime_error(message);
  }
}

Validator::~Validator() = default;

std::vector<std::string> Validator::validate_document(std::string_view xml) const {
  std::vector<std::string> errors;
  xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
  if (!pctxt) return {"cannot create an XML parser"};
  DocPtr doc(xmlCtxtReadMemory(pctxt, xml.data(), static_cast<int>(xml.size()), "message.xml",
                               nullptr, kParseOptions));
  if (!doc) {
    const xmlError* e = xmlCtxtGetLastError(pctxt);
    errors.push_back(std::string("not well-formed XML: ") +
                     (e && e->message ? e->message : "parse error"));
    xmlFreeParserCtxt(pctxt);
    return errors;
  }
  xmlFreeParserCtxt(pctxt);
  return impl_->validate(doc.get(), {xmlDocGetRootElement(doc.get())});
}

std::vector<std::string> Validator::validate_soap_body(std::string_view xml) const {
  xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
  if (!pctxt) return {"cannot create an XML parser"};
  DocPtr doc(xmlCtxtReadMemory(pctxt, xml.data(), static_cast<int>(xml.size()), "message.xml",
                               nullptr, kParseOptions));
  if (!doc) {
    const xmlError* e = xmlCtxtGetLastError(pctxt);
    std::string message = std::string("not well-formed XML: ") +
                          (e && e->message ? e->message : "parse error");
    while (!message.empty() && message.back() == '\n') message.pop_back();
    xmlFreeParserCtxt(pctxt);
    return {message};
  }
  xmlFreeParserCtxt(pctxt);
  auto in_soap = [](xmlNode* n, const char* local) {
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           kSoapNs == reinterpret_cast<const char*>(n->ns->href) &&
           std::string_view(reinterpret_cast<const char*>(n->name)) == local;
  };
  xmlNode* envelope = xmlDocGetRootElement(doc.get());
  if (!in_soap(envelope, "Envelope")) return {"root element is not a SOAP 1.1 Envelope"};
  xmlNode* body = nullptr;
  for (xmlNode* c = envelope->children; c; c = c->next) {
    if (in_soap(c, "Body")) body = c;
  }
  if (!body) return {"SOAP Envelope has no Body"};
  std::vector<xmlNode*> elements;
  for (xmlNode* c = body->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (!in_soap(c, "Fault")) {
      elements.push_back(c);
      continue;
    }
    // SOAP 1.1 fault: faultcode/faultstring belong to SOAP; the contract covers the detail.
    for (xmlNode* f = c->children; f; f = f->next) {
      if (f->type != XML_ELEMENT_NODE || std::string_view(reinterpret_cast<const char*>(f->name)) != "detail") continue;
      for (xmlNode* d = f->children; d; d = d->next) {
        if (d->type == XML_ELEMENT_NODE) elements.push_back(d);
      }
    }
  }
  if (elements.empty()) return {"SOAP Body has nothing the contract describes"};
  return impl_->validate(doc.get(), elements);
}

}  // namespace tekser::xsd
