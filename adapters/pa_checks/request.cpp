#include "adapters/pa_checks/request.hpp"

#include <string>

#include <pugixml.hpp>

#include "common/xml/ns.hpp"
#include "mappings/pa_checks/pa_checks.hpp"

namespace tekser::adapters::pa_checks {
namespace {

void add(pugi::xml_node parent, const char* name, std::string_view value) {
  parent.append_child(name).text().set(std::string(value).c_str());
}

}  // namespace

shep::Payload build_request(std::string_view requestor_bin, std::string_view iin) {
  pugi::xml_document doc;
  auto root = doc.append_child("data");
  add(root, "RequestorBIN", requestor_bin);
  add(root, "IIN", iin);
  std::string content;
  for (auto c = root.first_child(); c; c = c.next_sibling()) content += xml::to_string(c);
  return shep::Payload{std::string(mappings::pa_checks::kPayloadNs), "Request", std::move(content)};
}

}  // namespace tekser::adapters::pa_checks
