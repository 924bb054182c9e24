// Shared helpers of the mapping tests: golden replies, a provenance, fact lookup.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "common/shep/envelope.hpp"
#include "mappings/facts/fact.hpp"
#include "mappings/mapped_reply.hpp"

namespace tekser::test {

// Reads golden/<name> and parses it as a SHEP reply; fails the test unless it is a SCSS001
// response.
shep::ParsedReply golden(std::string_view name);

// A provenance with every field set, distinct per system.
facts::Provenance provenance(std::string_view system, std::string_view service_id);

bool same(const facts::Provenance& a, const facts::Provenance& b);

// The value of the fact with that name; a JSON string "<missing fact NAME>" when there is none
// (so that a comparison against the expected value fails and says why).
boost::json::value fact(const mappings::MappedReply& reply, std::string_view name);

// How many facts carry that name.
std::size_t count(const mappings::MappedReply& reply, std::string_view name);

boost::json::value json(std::string_view text);

}  // namespace tekser::test
