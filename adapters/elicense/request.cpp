#include "adapters/elicense/request.hpp"

#include <string>

#include <pugixml.hpp>

#include "common/xml/ns.hpp"

namespace tekser::adapters::elicense {
namespace {

void add(pugi::xml_node parent, const char* name, std::string_view value) {
  parent.append_child(name).text().set(std::string(value).c_str());
}

}  // namespace

shep::Payload build_request(std::string_view requestor_bin, std::string_view biin) {
  pugi::xml_document doc;
  auto root = doc.append_child("data");
  add(root, "requestorBin", requestor_bin);
  add(root, "biin", biin);
  std::string content;
  for (auto c = root.first_child(); c; c = c.next_sibling()) content += xml::to_string(c);
  return shep::Payload{std::string(kPayloadNs), "Request", std::move(content)};
}

}  // namespace tekser::adapters::elicense
