// The body of the SOAP mapping targets: any bytes as a SHEP reply, read by the envelope codec as
// the gateway's SHEP client reads it; a SendMessageResponse's responseData/data then goes through
// the system's mapping — the function its adapter hands to ask_shep — whatever its status, so
// that the mapping sees every payload a reply can carry.
#pragma once

#include <functional>

#include "common/shep/envelope.hpp"
#include "fuzz/check.hpp"
#include "fuzz/target.hpp"

namespace tekser::fuzz {

using SoapMapping =
    std::function<mappings::MappedReply(const pugi::xml_node&, const facts::Provenance&)>;

inline int run_soap_mapping(const std::uint8_t* data, std::size_t size, std::string_view system,
                            const SoapMapping& mapping) {
  const auto reply = shep::parse_reply(as_text(data, size));
  if (reply.kind != shep::ParsedReply::Kind::response) return 0;
  check_mapped(mapping(reply.data, provenance(system)));
  return 0;
}

}  // namespace tekser::fuzz
