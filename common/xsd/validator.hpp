// XSD validation of messages against the public contracts, through libxml2.
//
// The SHEP schemas split one namespace over several files, each imported from only one place,
// and libxml2 loads only the first import of a namespace. So a schema set here is built from a
// generated bundle: one wrapper per namespace that xsd:includes every file of that namespace,
// and a root that imports the wrappers in dependency order.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::xsd {

// One namespace and the contract files that declare it (relative to the contracts folder).
struct NamespaceFiles {
  std::string ns;
  std::vector<std::string> files;
};

// The SHEP SyncChannel v10 namespaces (common Types first, then SyncChannel Types, Request,
// Response): enough to validate SendMessage, SendMessageResponse and the fault element.
std::vector<NamespaceFiles> shep_namespaces();
// Payload namespaces of the services; their types are reached through xsi:type on <data>.
std::vector<NamespaceFiles> gbd_ul_namespaces();
std::vector<NamespaceFiles> gbd_fl_namespaces();

class Validator {
 public:
  // Loads the bundle; throws std::runtime_error with libxml2's messages if it does not compile.
  Validator(const std::filesystem::path& contracts_dir, const std::vector<NamespaceFiles>& bundle);
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // Validates the root element of a document. Returns the violations (empty = valid).
  std::vector<std::string> validate_document(std::string_view xml) const;

  // Validates every element child of the SOAP 1.1 Body of an envelope (the envelope itself is
  // not part of the contracts). A document that is not a SOAP envelope is one violation.
  std::vector<std::string> validate_soap_body(std::string_view xml) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tekser::xsd
