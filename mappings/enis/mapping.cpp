// ЕНИС ENIS_PoaVerification Response -> the power_of_attorney fact. The field table reads "fact
// member <- reply path"; what the table cannot say (the query match, revocation, the scope list,
// the notary line) is decided below it.
#include <optional>
#include <string>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/identity/identity.hpp"
#include "mappings/enis/codes.hpp"
#include "mappings/enis/enis.hpp"
#include "mappings/rules/reply.hpp"
#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings::enis {
namespace {

using T = ValueType;

const NsSet& also_ns() {
  static const NsSet set{kPayloadNs};
  return set;
}

// ---------------------------------------------------------------- field tables

// Response/PowerOfAttorney.
const FactRule& poa_rule() {
  static const FactRule rule{kFact,
                             {
                                 {"number", {u("Number")}},
                                 {"registry_number", {u("RegistryNumber")}},
                                 {"principal_id", {u("Principal"), u("Id")}},
                                 {"principal_name", {u("Principal"), u("NameRu")}},
                                 {"representative_iin", {u("Representative"), u("Id")}},
                                 {"representative_name", {u("Representative"), u("NameRu")}},
                                 {"issued", {u("IssueDate")}, T::date},
                                 {"valid_until", {u("ValidUntil")}, T::date},
                                 {"revoked", {u("Revoked")}, T::boolean},
                                 {"revoked_on", {u("RevocationDate")}, T::date},
                                 {"notary_name", {u("Notary"), u("FullNameRu")}},
                                 {"notary_licence", {u("Notary"), u("LicenseNumber")}},
                             },
                             also_ns()};
  return rule;
}

// Response/PowerOfAttorney/Scope/Power.
const FactRule& power_rule() {
  static const FactRule rule{
      "power", {{"code", {u("Code")}}, {"text_ru", {u("TextRu")}}}, also_ns()};
  return rule;
}

// Response/Result.
const FactRule& result_rule() {
  static const FactRule rule{
      "result", {{"code", {u("Code")}}, {"text", {u("MessageRu")}}}, also_ns()};
  return rule;
}

std::string masked(const std::optional<std::string>& id) {
  return id ? identity::mask(*id) : std::string("(none)");
}

constexpr std::string_view kWhat = "ENIS_PoaVerification (assumed contract)";

}  // namespace

MappedReply map_reply(const pugi::xml_node& data, const PoaQuery& query,
                      const facts::Provenance& provenance) {
  const std::string what(kWhat);
  if (!data) return outcome(facts::Outcome::malformed, what + ": no payload (responseData/data)");
  const auto result = child(data, u("Result"), also_ns());
  const auto result_value = result ? apply_object(result_rule(), result) : boost::json::object{};
  const auto code = member_text(result_value, "code");
  const auto text = member_text(result_value, "text");
  const auto described = (code ? *code : std::string{}) + (text ? " «" + *text + "»" : "");
  if (!code)
    return outcome(facts::Outcome::malformed,
                   what + ": the payload is not a Response: no Result/Code");
  if (*code == codes::kNotFound)
    return outcome(facts::Outcome::no_data,
                   "ЕНИС holds no power of attorney with that number (Result " + described + ")",
                   code);
  if (*code == codes::kAccessDenied)
    return outcome(facts::Outcome::refused, "ЕНИС declined the request (Result " + described + ")",
                   code);
  if (*code != codes::kFound)
    return outcome(facts::Outcome::malformed, what + ": unknown Result/Code '" + *code + "'", code);

  const auto poa = child(data, u("PowerOfAttorney"), also_ns());
  if (!poa)
    return outcome(facts::Outcome::malformed, what + ": Result FOUND without a PowerOfAttorney",
                   code);
  auto value = apply_object(poa_rule(), poa);
  const auto m = [&](std::string_view key) { return member_text(value, key); };

  // Required members: without them the document cannot be judged.
  for (const auto* key : {"number", "principal_id", "representative_iin", "issued"}) {
    if (!m(key))
      return outcome(facts::Outcome::malformed,
                     what + ": PowerOfAttorney lacks '" + key + "' (or it is not valid)", code);
  }
  if (!value.at("revoked").is_bool())
    return outcome(facts::Outcome::malformed,
                   what + ": PowerOfAttorney/Revoked is missing or not a boolean", code);

  // It must be the document that was asked about: a different principal, representative or
  // number is another document, and reading it as the one asked about would be a false "valid".
  if (*m("principal_id") != query.principal_id)
    return outcome(facts::Outcome::malformed,
                   what + ": ЕНИС returned a power of attorney of another principal (" +
                       masked(m("principal_id")) + ", asked about " +
                       identity::mask(query.principal_id) + ")",
                   code);
  if (*m("representative_iin") != query.representative_iin)
    return outcome(facts::Outcome::malformed,
                   what + ": ЕНИС returned a power of attorney to another representative (" +
                       masked(m("representative_iin")) + ", asked about " +
                       identity::mask(query.representative_iin) + ")",
                   code);
  if (*m("number") != query.number)
    return outcome(facts::Outcome::malformed,
                   what + ": ЕНИС returned power of attorney '" + *m("number") +
                       "', asked about '" + query.number + "'",
                   code);

  // A revocation date is a revocation, whatever the flag says: doubt never reads as valid.
  if (m("revoked_on")) value["revoked"] = true;

  boost::json::array scope;
  const auto scope_node = child(poa, u("Scope"), also_ns());
  for (const auto& power : children(scope_node, u("Power"), also_ns()))
    scope.emplace_back(apply_object(power_rule(), power));

  const auto notary_name = m("notary_name");
  const auto notary_licence = m("notary_licence");
  std::string notary = notary_name.value_or("");
  if (notary_licence)
    notary += (notary.empty() ? "" : ", ") + std::string("лицензия № ") + *notary_licence;

  boost::json::object fact;
  for (const auto* key :
       {"number", "registry_number", "principal_id", "principal_name", "representative_iin",
        "representative_name", "issued", "valid_until", "revoked", "revoked_on"})
    fact[key] = value.at(key);
  fact["scope"] = std::move(scope);
  fact["notary_ru"] = notary.empty() ? boost::json::value(nullptr) : boost::json::value(notary);

  MappedReply out;
  out.outcome = facts::Outcome::data;
  out.facts.push_back(facts::Fact{kFact, std::move(fact), provenance});
  return out;
}

}  // namespace tekser::mappings::enis
