#include "adapters/enis/request.hpp"

#include <string>

#include <pugixml.hpp>

#include "common/xml/ns.hpp"

namespace tekser::adapters::enis {
namespace {

void add(pugi::xml_node parent, const char* name, std::string_view value) {
  parent.append_child(name).text().set(std::string(value).c_str());
}

}  // namespace

shep::Payload build_request(std::string_view requestor_bin, const PoaQuery& query) {
  // Request's children are unqualified, in sequence order.
  pugi::xml_document doc;
  auto root = doc.append_child("data");
  add(root, "RequestorBIN", requestor_bin);
  add(root, "PrincipalId", query.principal_id);
  add(root, "RepresentativeIIN", query.representative_iin);
  add(root, "PoaNumber", query.number);
  std::string content;
  for (auto c = root.first_child(); c; c = c.next_sibling()) content += xml::to_string(c);
  return shep::Payload{std::string(mappings::enis::kPayloadNs), "Request", std::move(content)};
}

}  // namespace tekser::adapters::enis
