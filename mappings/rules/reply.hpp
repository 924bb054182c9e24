// What the mappings share in building a MappedReply. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>
#include <pugixml.hpp>

#include "common/time/xsd_time.hpp"
#include "common/xml/ns.hpp"
#include "mappings/mapped_reply.hpp"
#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings {

// A reply without facts: what it was, why, and the service's own code when it gave one.
inline MappedReply outcome(facts::Outcome kind, std::string cause,
                           std::optional<std::string> error_code = std::nullopt) {
  MappedReply out;
  out.outcome = kind;
  out.cause = std::move(cause);
  out.error_code = std::move(error_code);
  return out;
}

// The namespace of the first child with that local name (nullopt when none). Used on a record the
// mapping did not find in its own namespaces: one there under another namespace is not "absent",
// it is a payload the contract does not describe.
inline std::optional<std::string> foreign_namespace(const pugi::xml_node& parent,
                                                    std::string_view local) {
  for (auto c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && xml::local_name(c) == local) return xml::namespace_uri(c);
  return std::nullopt;
}

// The day of the reply in Kazakhstan (YYYY-MM-DD, +05:00), against which a date the reply gives
// is "in the future"; nullopt when the provenance carries no time (a unit test's bare mapping).
inline std::optional<std::string> reply_day(const facts::Provenance& provenance) {
  if (provenance.retrieved_at == xsd_time::TimePoint{}) return std::nullopt;
  return xsd_time::format_datetime(provenance.retrieved_at).substr(0, 10);
}

// Whether an ISO date (YYYY-MM-DD) lies after the reply's day: announced, not yet a fact.
inline bool after_reply_day(const std::optional<std::string>& date,
                            const std::optional<std::string>& day) {
  return date && day && date->substr(0, 10) > *day;
}

// Response/result {code, messageRu} of the assumed contracts (KGD, e-licensing).
struct ResultCode {
  std::string code;
  std::string described;  // the code, then « messageRu » when the reply gave one
};

// The result of `data`, or nullopt when it has no result/code.
inline std::optional<ResultCode> read_result(const pugi::xml_node& data, const NsSet& also_ns) {
  const FactRule rule{"result", {{"code", {u("code")}}, {"message_ru", {u("messageRu")}}}, also_ns};
  const auto result = child(data, u("result"), also_ns);
  const auto value = result ? apply_object(rule, result) : boost::json::object{};
  const auto code = member_text(value, "code");
  if (!code) return std::nullopt;
  const auto message = member_text(value, "message_ru");
  return ResultCode{*code, *code + (message ? " «" + *message + "»" : std::string{})};
}

}  // namespace tekser::mappings
