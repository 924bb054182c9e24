#include "adapters/gbd_fl/request.hpp"

#include <pugixml.hpp>

#include "common/xml/ns.hpp"

namespace tekser::adapters::gbd_fl {
namespace {

void add(pugi::xml_node parent, const char* name, const std::string& value) {
  parent.append_child(name).text().set(value.c_str());
}

}  // namespace

shep::Payload build_request(const RequestFields& fields) {
  // Search by IIN: message.xsd's Request in sequence order, children unqualified; the name and
  // document criteria stay out, as the XSD asks for one kind of search at a time.
  pugi::xml_document doc;
  auto root = doc.append_child("data");
  add(root, "messageId", fields.message_id);
  add(root, "messageDate", fields.message_date);
  add(root, "senderCode", fields.sender_code);
  add(root, "iin", fields.iin);
  add(root, "kdpToken", fields.kdp_token);
  add(root, "publicKey", fields.public_key);
  std::string content;
  for (auto c = root.first_child(); c; c = c.next_sibling()) content += xml::to_string(c);
  return shep::Payload{std::string(kPayloadNs), "Request", std::move(content)};
}

}  // namespace tekser::adapters::gbd_fl
