// ГБД ФЛ GBDFL_UniversalServiceSync Response -> facts. The field tables below read "fact member
// <- reply path"; whether a person is deceased is decided from deathDate first and from the one
// code table (codes.hpp) only where the reply gives a status without a date.
#include "mappings/gbd_fl/gbd_fl.hpp"

#include <optional>
#include <string>
#include <utility>

#include <boost/json/object.hpp>

#include "mappings/gbd_fl/codes.hpp"
#include "mappings/rules/reply.hpp"
#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings::gbd_fl {
namespace {

namespace name = facts::name;
namespace status = facts::status;
using T = ValueType;

// An unqualified step also matches the same element in any namespace of the service's schemas:
// a writer that qualifies elements puts Response's in the message namespace, Person's in the
// person namespace and the dictionaries' (code, nameRu) in the dictionaries namespace.
const NsSet& also_ns() {
  static const NsSet set{kPayloadNs, "http://person.persistence.interactive.nat",
                         "http://dictionaries.persistence.interactive.nat",
                         "http://document.persistence.interactive.nat"};
  return set;
}

// ---------------------------------------------------------------- field tables

// Response/messageResult (MessageResult dictionary): the outcome of the request.
const FactRule& result_rule() {
  static const FactRule rule{
      "message_result", {{"code", {u("code")}}, {"name_ru", {u("nameRu")}}}, also_ns()};
  return rule;
}

// persons/person/...
const FactRule& identifier_rule() {
  static const FactRule rule{name::identifier, {{"", {u("iin")}}}, also_ns()};
  return rule;
}

const FactRule& names_rule() {
  static const FactRule rule{name::names,
                             {
                                 {"surname", {u("surname")}},
                                 {"name", {u("name")}},
                                 {"patronymic", {u("patronymic")}},
                             },
                             also_ns()};
  return rule;
}

const FactRule& birth_date_rule() {
  static const FactRule rule{name::birth_date, {{"", {u("birthDate")}, T::date}}, also_ns()};
  return rule;
}

// persons/person/regAddress. ГБД ФЛ calls the oblast "district" and the raion "region" (XSD:
// district «Область», region «Район»); the fact uses the English sense: region = oblast (or
// city of republican significance), district = raion. arCode is the address register's code.
const FactRule& address_rule() {
  static const FactRule rule{name::legal_address,
                             {
                                 {"country_code", {u("country"), u("code")}},
                                 {"region_code", {u("district"), u("code")}},
                                 {"region_ru", {u("district"), u("nameRu")}},
                                 {"region_kk", {u("district"), u("nameKz")}},
                                 {"district_code", {u("region"), u("code")}},
                                 {"district_ru", {u("region"), u("nameRu")}},
                                 {"district_kk", {u("region"), u("nameKz")}},
                                 {"city", {u("city")}},
                                 {"street", {u("street")}},
                                 {"building", {u("building")}},
                                 {"corpus", {u("corpus")}},
                                 {"flat", {u("flat")}},
                                 {"registered_since", {u("beginDate")}, T::date},
                                 {"ar_code", {u("arCode")}},
                             },
                             also_ns()};
  return rule;
}

// The raw material of the status fact; status_fact() decides the value.
const FactRule& status_rule() {
  static const FactRule rule{name::status,
                             {
                                 {"death_date", {u("deathDate")}, T::date},
                                 {"life_status_code", {u("lifeStatus"), u("code")}},
                                 {"life_status_ru", {u("lifeStatus"), u("nameRu")}},
                             },
                             also_ns()};
  return rule;
}

// ---------------------------------------------------------------- derived facts

boost::json::value address_fact(const pugi::xml_node& address) {
  if (!address) return nullptr;
  auto value = apply(address_rule(), address);
  if (!value.is_object()) return value;
  auto& a = value.as_object();
  const auto m = [&](std::string_view key) { return member_text(a, key); };
  const auto text_ru = address_line(
      {m("region_ru"), m("district_ru"), m("city"), m("street"), labelled("дом ", m("building")),
       labelled("корпус ", m("corpus")), labelled("кв. ", m("flat"))});
  a["text_ru"] = text_ru.empty() ? boost::json::value(nullptr) : boost::json::value(text_ru);
  return value;
}

// deathDate -> deceased since that date; a lifeStatus the code table calls deceased, without a
// date -> deceased with a null date; otherwise alive. Never evidence: a deathDate after the
// reply's day (announced, not a fact), or a deathDate beside a lifeStatus that says alive (the
// reply contradicts itself: a conflict) — both unknown with the reason, flagged.
boost::json::object status_fact(const pugi::xml_node& person,
                                const std::optional<std::string>& day) {
  auto out = apply_object(status_rule(), person);
  const auto death_date = member_text(out, "death_date");
  const auto life_code = member_text(out, "life_status_code");
  const bool says_alive =
      life_code && codes::means(codes::Dictionary::life_status, *life_code, codes::Meaning::alive);
  const bool deceased =
      death_date || (life_code && codes::means(codes::Dictionary::life_status, *life_code,
                                               codes::Meaning::deceased));
  out["value"] = deceased ? status::deceased : status::alive;
  if (death_date && says_alive) {
    out["value"] = status::unknown;
    out["conflict"] = true;
    out["unknown_reason"] = "deathDate " + *death_date + " beside lifeStatus " + *life_code +
                            " (alive): the reply contradicts itself";
  } else if (after_reply_day(death_date, day)) {
    out["value"] = status::unknown;
    out["unknown_reason"] = "deathDate " + *death_date + " is after the reply's date " + *day +
                            ": not evidence of death";
  }
  return out;
}

}  // namespace

MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance) {
  if (!data)
    return outcome(facts::Outcome::malformed,
                   "GBDFL_UniversalServiceSync: no payload (responseData/data)");
  const auto result_node = child(data, u("messageResult"), also_ns());
  const auto result =
      result_node ? apply_object(result_rule(), result_node) : boost::json::object{};
  const auto code = member_text(result, "code");
  const auto persons = child(data, u("persons"), also_ns());
  const auto person = child(persons, u("person"), also_ns());
  const auto result_text = member_text(result, "name_ru");
  const auto described =
      code.value_or("(no code)") + (result_text ? " «" + *result_text + "»" : std::string{});

  // A refusal (e.g. KDP_TOKEN_INVALID: no consent) says nothing about the subject.
  if (code && codes::means(codes::Dictionary::message_result, *code, codes::Meaning::declined))
    return outcome(facts::Outcome::refused, "ГБД ФЛ declined the request: " + described, code);

  if (!person) {
    const auto ns =
        persons ? foreign_namespace(persons, "person") : foreign_namespace(data, "persons");
    if (ns)
      return outcome(facts::Outcome::malformed,
                     "GBDFL_UniversalServiceSync: persons/person is in namespace '" + *ns +
                         "', not one of the service's",
                     code);
    if (!result_node && !child(data, u("messageId"), also_ns()) &&
        !child(data, u("requestId"), also_ns()))
      return outcome(facts::Outcome::malformed,
                     "GBDFL_UniversalServiceSync: the payload is not a Response: neither "
                     "messageResult, persons nor messageId");
    // Structure decides: a Response without a person is "not found", whatever its code says
    // («Физическое лицо по заданным критериям не найдено» comes with a code of its own).
    return outcome(facts::Outcome::no_data,
                   "ГБД ФЛ holds no person for the IIN (messageResult " + described + ")", code);
  }
  if (code && !codes::means(codes::Dictionary::message_result, *code, codes::Meaning::processed))
    return outcome(facts::Outcome::malformed,
                   "GBDFL_UniversalServiceSync: a person with messageResult " + described +
                       ", which is not a success code",
                   code);

  auto identifier = apply(identifier_rule(), person);
  if (!identifier.is_string())
    return outcome(facts::Outcome::malformed,
                   "GBDFL_UniversalServiceSync: persons/person/iin is missing", code);

  MappedReply out;
  out.outcome = facts::Outcome::data;
  const auto add = [&](std::string_view fact, boost::json::value value) {
    out.facts.push_back(facts::Fact{std::string(fact), std::move(value), provenance});
  };
  add(name::kind, "individual");
  add(name::identifier, std::move(identifier));
  add(name::names, apply(names_rule(), person));
  add(name::birth_date, apply(birth_date_rule(), person));
  add(name::legal_address, address_fact(child(person, u("regAddress"), also_ns())));
  add(name::status, status_fact(person, reply_day(provenance)));
  return out;
}

}  // namespace tekser::mappings::gbd_fl
