// PersonalAssistantChecks Response -> facts. One field table per section ("fact member <- reply
// path"); the section status decides whether the section is data or unknown. Causes never carry
// the register's data (only which register, and its status code).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "mappings/pa_checks/codes.hpp"
#include "mappings/pa_checks/pa_checks.hpp"
#include "mappings/rules/reply.hpp"
#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings::pa_checks {
namespace {

using T = ValueType;

const NsSet& also_ns() {
  static const NsSet set{kPayloadNs};
  return set;
}

// ---------------------------------------------------------------- field tables

// Response/Result.
const FactRule& result_rule() {
  static const FactRule rule{"result", {{"code", {u("Result"), u("Code")}}}, also_ns()};
  return rule;
}

// <section>/Status.
const FactRule& status_rule() {
  static const FactRule rule{"status", {{"code", {u("Status"), u("Code")}}}, also_ns()};
  return rule;
}

// Response/PsychiatricRegistration.
const FactRule& psychiatric_rule() {
  static const FactRule rule{kPsychiatric,
                             {
                                 {"registered", {u("Registered")}, T::boolean},
                                 {"since", {u("RegisteredSince")}, T::date},
                             },
                             also_ns()};
  return rule;
}

// Response/CriminalRecord (the Article list is read below).
const FactRule& criminal_rule() {
  static const FactRule rule{
      kCriminal, {{"has_unexpunged_record", {u("HasUnexpungedRecord")}, T::boolean}}, also_ns()};
  return rule;
}

// Response/Incapacity.
const FactRule& incapacity_rule() {
  static const FactRule rule{
      kIncapacity,
      {
          {"declared_incapable", {u("DeclaredIncapable")}, T::boolean},
          {"court_decision_date", {u("CourtDecisionDate")}, T::date},
          // p.6 sub-item 3): limited capacity is a ground of its own;
          // null when the register does not say.
          {"limited_capacity", {u("LimitedCapacity")}, T::boolean},
          {"limited_capacity_decision_date", {u("LimitedCapacityDecisionDate")}, T::date},
      },
      also_ns()};
  return rule;
}

struct Section {
  const char* element;      // the reply element
  const char* register_ru;  // for causes: which register
  const FactRule& (*rule)();
  const char* flag;  // the member that must be a boolean
};

const std::vector<Section>& sections() {
  static const std::vector<Section> table{
      {"PsychiatricRegistration", "psychiatric register", &psychiatric_rule, "registered"},
      {"CriminalRecord", "criminal records register", &criminal_rule, "has_unexpunged_record"},
      {"Incapacity", "register of incapable persons", &incapacity_rule, "declared_incapable"},
  };
  return table;
}

constexpr std::string_view kWhat = "PersonalAssistantChecks (assumed contract)";

}  // namespace

MappedReply map_reply(const pugi::xml_node& data, std::string_view iin,
                      const facts::Provenance& provenance) {
  const std::string what(kWhat);
  if (!data) return outcome(facts::Outcome::malformed, what + ": no payload (responseData/data)");
  const auto result_code = member_text(apply_object(result_rule(), data), "code");
  if (!result_code)
    return outcome(facts::Outcome::malformed,
                   what + ": the payload is not a Response: no Result/Code");
  if (*result_code == codes::kPersonNotFound)
    return outcome(facts::Outcome::no_data,
                   "the registers do not know the person (Result " + *result_code + ")",
                   result_code);
  if (*result_code != codes::kOk)
    return outcome(facts::Outcome::malformed, what + ": unknown Result/Code '" + *result_code + "'",
                   result_code);
  const auto echoed = xml::text(child(data, u("IIN"), also_ns()));
  if (!echoed || *echoed != iin)
    return outcome(facts::Outcome::malformed,
                   what + ": the reply is not about the IIN asked (IIN missing or different)",
                   result_code);

  MappedReply out;
  std::vector<std::string> unknown;
  bool any_unavailable = false, any_refused = false;
  std::optional<std::string> first_code;
  for (const auto& section : sections()) {
    const auto node = child(data, u(section.element), also_ns());
    if (!node) {
      unknown.push_back(std::string(section.register_ru) + ": no section in the reply");
      continue;
    }
    const auto status = member_text(apply_object(status_rule(), node), "code");
    if (status != codes::kAnswered) {
      const auto code = status.value_or("(none)");
      if (!first_code) first_code = code;
      if (code == codes::kUnavailable)
        any_unavailable = true;
      else if (code == codes::kRefused)
        any_refused = true;
      unknown.push_back(std::string(section.register_ru) + ": " + code);
      continue;
    }
    auto value = apply_object(section.rule(), node);
    if (!value.at(section.flag).is_bool())
      return outcome(facts::Outcome::malformed,
                     what + ": " + section.element + " is ANSWERED without a valid " + section.flag,
                     result_code);
    if (std::string_view(section.element) == "CriminalRecord") {
      boost::json::array articles;
      for (const auto& article : children(node, u("Article"), also_ns())) {
        if (const auto code = xml::text(child(article, u("Code"), also_ns())))
          articles.emplace_back(*code);
      }
      value["articles"] = std::move(articles);
    }
    out.facts.push_back(
        facts::Fact{std::string(section.rule().fact), std::move(value), provenance});
  }

  std::string cause;
  for (const auto& part : unknown) cause += (cause.empty() ? "" : "; ") + part;
  if (!out.facts.empty()) {
    out.outcome = facts::Outcome::data;
    if (!cause.empty()) out.cause = "partly unknown: " + cause;
    return out;
  }
  const auto kind = any_unavailable ? facts::Outcome::unavailable
                    : any_refused   ? facts::Outcome::refused
                                    : facts::Outcome::malformed;
  return outcome(kind, "no register answered: " + cause, first_code);
}

}  // namespace tekser::mappings::pa_checks
