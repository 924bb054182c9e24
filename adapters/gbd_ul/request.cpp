#include "adapters/gbd_ul/request.hpp"

#include <string>

#include <pugixml.hpp>

#include "common/xml/ns.hpp"

namespace tekser::adapters::gbd_ul {
namespace {

void add(pugi::xml_node parent, const char* name, std::string_view value) {
  parent.append_child(name).text().set(std::string(value).c_str());
}

}  // namespace

shep::Payload build_request(std::string_view requestor_bin, std::string_view bin) {
  // Request's children are unqualified (the XSD has no elementFormDefault), in sequence order.
  pugi::xml_document doc;
  auto root = doc.append_child("data");
  add(root, "RequestorBIN", requestor_bin);
  add(root, "BIN", bin);
  std::string content;
  for (auto c = root.first_child(); c; c = c.next_sibling()) content += xml::to_string(c);
  // ГБД ЮЛ also wants the request data signed, enveloped (contracts README, known quirks).
  return shep::Payload{std::string(kPayloadNs), "Request", std::move(content), true};
}

}  // namespace tekser::adapters::gbd_ul
