// ГБД ЮЛ GbdulInfoByBin_v2 Response -> facts. The field tables below read "fact member <- reply
// path"; the status is decided from the reply's structure first and from the one code table
// (codes.hpp) only where structure is silent.
#include "mappings/gbd_ul/gbd_ul.hpp"

#include <optional>
#include <string>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "mappings/gbd_ul/codes.hpp"
#include "mappings/rules/reply.hpp"
#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings::gbd_ul {
namespace {

namespace name = facts::name;
namespace status = facts::status;
using T = ValueType;

// An unqualified step also matches the same element in the service namespace (see NsSet).
const NsSet& also_ns() {
  static const NsSet set{kPayloadNs};
  return set;
}

// ---------------------------------------------------------------- field tables

// Organization/...
const FactRule& identifier_rule() {
  static const FactRule rule{name::identifier, {{"", {u("BIN")}}}, also_ns()};
  return rule;
}

const FactRule& registration_date_rule() {
  static const FactRule rule{
      name::registration_date, {{"", {u("RegistrationDate")}, T::date}}, also_ns()};
  return rule;
}

const FactRule& names_rule() {
  static const FactRule rule{name::names,
                             {
                                 {"full_ru", {u("FullNameRu")}},
                                 {"full_kk", {u("FullNameKz")}},
                                 {"short_ru", {u("ShortNameRu")}},
                                 {"short_kk", {u("ShortNameKz")}},
                             },
                             also_ns()};
  return rule;
}

// Organization/Address. ГБД ЮЛ calls the oblast "District" and the raion "Region" (XSD:
// DistrictRu «Область», RegionRu «Район»); the fact uses the English sense: region = oblast (or
// city of republican significance), district = raion. RKA is the address register's code.
const FactRule& address_rule() {
  static const FactRule rule{name::legal_address,
                             {
                                 {"kato", {u("KATO")}},
                                 {"ar_code", {u("RKA")}},
                                 {"zip", {u("ZIPCode")}},
                                 {"region_ru", {u("DistrictRu")}},
                                 {"region_kk", {u("DistrictKz")}},
                                 {"district_ru", {u("RegionRu")}},
                                 {"district_kk", {u("RegionKz")}},
                                 {"rural_ru", {u("RuralRu")}},
                                 {"rural_kk", {u("RuralKz")}},
                                 {"city_ru", {u("CityRu")}},
                                 {"city_kk", {u("CityKz")}},
                                 {"street_ru", {u("StreetRu")}},
                                 {"street_kk", {u("StreetKz")}},
                                 {"building", {u("BuildingNumber")}},
                                 {"block", {u("Block")}},
                                 {"corpus", {u("Corpus")}},
                                 {"office", {u("OfficeNumber")}},
                                 {"apartment", {u("AppartmentNumber")}},
                             },
                             also_ns()};
  return rule;
}

// Organization/OrganizationLeader.
const FactRule& head_rule() {
  static const FactRule rule{name::head,
                             {
                                 {"iin", {u("IIN")}},
                                 {"surname", {u("SurName")}},
                                 {"name", {u("Name")}},
                                 {"middle_name", {u("MiddleName")}},
                                 {"position_code", {u("Position"), u("PositionType"), u("Code")}},
                                 {"position_ru", {u("Position"), u("PositionType"), u("NameRu")}},
                                 {"position_kk", {u("Position"), u("PositionType"), u("NameKz")}},
                                 {"appointed", {u("Position"), u("IssueDate")}, T::date},
                             },
                             also_ns()};
  return rule;
}

// Organization/FoundersUL (OrganizationShortType).
const FactRule& founder_ul_rule() {
  static const FactRule rule{"founder_ul",
                             {
                                 {"bin", {u("BIN")}},
                                 {"name_ru", {u("OrganizationNameRu")}},
                                 {"name_kk", {u("OrganizationNameKz")}},
                                 {"share_percent", {u("Percent")}, T::number},
                             },
                             also_ns()};
  return rule;
}

// Organization/FoundersFL (PersonType).
const FactRule& founder_fl_rule() {
  static const FactRule rule{"founder_fl",
                             {
                                 {"iin", {u("IIN")}},
                                 {"surname", {u("SurName")}},
                                 {"name", {u("Name")}},
                                 {"middle_name", {u("MiddleName")}},
                                 {"share_percent", {u("Percent")}, T::number},
                             },
                             also_ns()};
  return rule;
}

// The raw material of the status fact (Organization/...); status_fact() decides the value.
const FactRule& status_rule() {
  static const FactRule rule{
      name::status,
      {
          {"reg_status_code", {u("RegStatus"), u("Code")}},
          {"reg_status_ru", {u("RegStatus"), u("NameRu")}},
          {"reg_status_kk", {u("RegStatus"), u("NameKz")}},
          {"tax_inactive", {u("TaxOrgStatus")}, T::boolean},
          {"liquidation_date", {u("LiquidationDate")}, T::date},
          {"liquidation_decision_date", {u("Liquidation"), u("LiqDecisionDate")}, T::date},
          {"liquidation_base_code", {u("Liquidation"), u("LiqBase"), u("Code")}},
          {"liquidation_base_ru", {u("Liquidation"), u("LiqBase"), u("NameRu")}},
          {"liquidation_type_code", {u("Liquidation"), u("LiqType"), u("Code")}},
          {"reorganization_type_code", {u("Liquidation"), u("ReorgType"), u("Code")}},
          {"reorganization_type_ru", {u("Liquidation"), u("ReorgType"), u("NameRu")}},
          {"successor_bin", {u("Liquidation"), u("BinReceiver")}},
      },
      also_ns()};
  return rule;
}

// Response/Status (DirectoryType): the outcome of the lookup.
const FactRule& lookup_rule() {
  static const FactRule rule{
      "lookup", {{"code", {u("Code")}}, {"name_ru", {u("NameRu")}}}, also_ns()};
  return rule;
}

// ---------------------------------------------------------------- derived facts

boost::json::value address_fact(const pugi::xml_node& address) {
  if (!address) return nullptr;
  auto value = apply(address_rule(), address);
  if (!value.is_object()) return value;
  auto& a = value.as_object();
  const auto m = [&](std::string_view key) { return member_text(a, key); };
  const auto text_ru =
      address_line({m("zip"), m("region_ru"), m("district_ru"), m("rural_ru"), m("city_ru"),
                    m("street_ru"), labelled("дом ", m("building")), labelled("блок ", m("block")),
                    labelled("корпус ", m("corpus")), labelled("офис ", m("office")),
                    labelled("кв. ", m("apartment"))});
  const auto text_kk =
      address_line({m("zip"), m("region_kk"), m("district_kk"), m("rural_kk"), m("city_kk"),
                    m("street_kk"), labelled("", m("building"), " үй"),
                    labelled("", m("block"), " блок"), labelled("", m("corpus"), " корпус"),
                    labelled("", m("office"), " кеңсе"), labelled("", m("apartment"), " пәтер")});
  a["text_ru"] = text_ru.empty() ? boost::json::value(nullptr) : boost::json::value(text_ru);
  a["text_kk"] = text_kk.empty() ? boost::json::value(nullptr) : boost::json::value(text_kk);
  return value;
}

// Absent founders lists are "not said" (null), not "none" ([]): only FoundersCount 0 says none.
boost::json::value founders_fact(const pugi::xml_node& org) {
  boost::json::array out;
  for (const auto& node : children(org, u("FoundersUL"), also_ns())) {
    auto founder = apply_object(founder_ul_rule(), node);
    founder.emplace("kind", "legal_entity");
    out.emplace_back(std::move(founder));
  }
  for (const auto& node : children(org, u("FoundersFL"), also_ns())) {
    auto founder = apply_object(founder_fl_rule(), node);
    founder.emplace("kind", "individual");
    out.emplace_back(std::move(founder));
  }
  if (!out.empty()) return out;
  const auto count = xml::text(child(org, u("FoundersCount"), also_ns()));
  if (count == "0") return out;
  return nullptr;
}

// Structure first: LiquidationDate -> liquidated (since that date); a bankruptcy ground in the
// code table -> bankrupt (since the liquidation decision); a Liquidation record without a
// LiquidationDate -> in_liquidation (since the decision). Only when the structure says nothing
// does RegStatus's code speak. An otherwise active entity that the tax authority holds inactive
// (TaxOrgStatus true) is inactive_taxpayer; tax_inactive stays a flag of its own either way.
// A LiquidationDate after the reply's day is announced, not evidence of termination today: the
// status is unknown with that reason (the date kept as given), never liquidated.
boost::json::object status_fact(const pugi::xml_node& org, const std::optional<std::string>& day) {
  auto raw = apply_object(status_rule(), org);
  const auto liquidation_date = member_text(raw, "liquidation_date");
  const auto decision_date = member_text(raw, "liquidation_decision_date");
  const auto reg_code = member_text(raw, "reg_status_code");
  const auto base_code = member_text(raw, "liquidation_base_code");
  const bool has_liquidation = static_cast<bool>(child(org, u("Liquidation"), also_ns()));
  const auto by_reg =
      reg_code ? codes::meaning(codes::Dictionary::reg_status, *reg_code) : std::nullopt;
  const auto by_base =
      base_code ? codes::meaning(codes::Dictionary::liq_base, *base_code) : std::nullopt;

  // Nothing in the structure and a RegStatus code the table does not know: unknown, never a
  // guessed "active".
  std::string_view value = status::unknown;
  std::optional<std::string> since;
  if (liquidation_date) {
    value = status::liquidated;
    since = liquidation_date;
  } else if (by_base == status::bankrupt || by_reg == status::bankrupt) {
    value = status::bankrupt;
    since = decision_date;
  } else if (has_liquidation) {
    value = status::in_liquidation;
    since = decision_date;
  } else if (by_reg) {
    value = *by_reg;
  }
  std::optional<std::string> unknown_reason;
  if (after_reply_day(liquidation_date, day)) {
    value = status::unknown;
    since.reset();
    unknown_reason = "LiquidationDate " + *liquidation_date + " is after the reply's date " + *day +
                     ": announced, not yet evidence of liquidation";
  }
  const auto tax_inactive = raw.at("tax_inactive");
  if (value == status::active && tax_inactive.is_bool() && tax_inactive.as_bool())
    value = status::inactive_taxpayer;

  boost::json::object out;
  out["value"] = value;
  out["since"] = since ? boost::json::value(*since) : boost::json::value(nullptr);
  if (unknown_reason) out["unknown_reason"] = *unknown_reason;
  for (const auto* key : {"reg_status_code", "reg_status_ru", "reg_status_kk", "tax_inactive",
                          "liquidation_date", "liquidation_decision_date", "liquidation_base_code",
                          "liquidation_base_ru", "liquidation_type_code",
                          "reorganization_type_code", "reorganization_type_ru", "successor_bin"})
    out[key] = raw.at(key);
  // A reorganisation's successor (Liquidation/BinReceiver) is the evidence of termination by
  // reorganisation (p.15.2): kept with the status it explains.
  boost::json::array predecessors;
  for (const auto& bin : children(child(org, u("ReorganizationBins"), also_ns()),
                                  u("BINReorganizationUl"), also_ns()))
    if (auto text = xml::text(bin)) predecessors.emplace_back(*text);
  out["reorganization_bins"] =
      predecessors.empty() ? boost::json::value(nullptr) : boost::json::value(predecessors);
  return out;
}

// IpsNerezident (IpsNerezType): a non-resident's branch or representative office registered
// under a BIN — its own record beside Organization.
const FactRule& non_resident_rule() {
  static const FactRule rule{"non_resident",
                             {
                                 {"bin", {u("BIN")}},
                                 {"registration_date", {u("RegDate")}, T::date},
                                 {"liquidation_date", {u("LiquidationDate")}, T::date},
                                 {"full_name_ru", {u("FullNameRu")}},
                                 {"org_form_code", {u("OrgForm"), u("Code")}},
                                 {"org_form_ru", {u("OrgForm"), u("NameRu")}},
                                 {"country_code", {u("CountryNerezident"), u("Code")}},
                                 {"country_ru", {u("CountryNerezident"), u("NameRu")}},
                                 {"reg_status_code", {u("RegStatus"), u("Code")}},
                                 {"reg_status_ru", {u("RegStatus"), u("NameRu")}},
                                 {"reg_status_kk", {u("RegStatus"), u("NameKz")}},
                                 {"leader_iin", {u("Leader"), u("IIN")}},
                                 {"leader_surname", {u("Leader"), u("SurName")}},
                                 {"leader_name", {u("Leader"), u("Name")}},
                                 {"leader_middle_name", {u("Leader"), u("MiddleName")}},
                             },
                             also_ns()};
  return rule;
}

// The address of a non-resident's record (AddressIpsNerezType).
const FactRule& non_resident_address_rule() {
  static const FactRule rule{name::legal_address,
                             {
                                 {"kato", {u("KATO")}},
                                 {"region_ru", {u("DistrictRu")}},
                                 {"region_kk", {u("DistrictKz")}},
                                 {"district_ru", {u("RegionRu")}},
                                 {"district_kk", {u("RegionKz")}},
                                 {"city_ru", {u("CityRu")}},
                                 {"city_kk", {u("CityKz")}},
                                 {"street_ru", {u("StreetRu")}},
                                 {"street_kk", {u("StreetKz")}},
                                 {"building", {u("BuildingNumber")}},
                                 {"apartment", {u("AppartmentNumber")}},
                             },
                             also_ns()};
  return rule;
}

// A non-resident's status: LiquidationDate -> liquidated; otherwise RegStatus's code, and
// unknown when the code table does not know it (never a guessed "active").
boost::json::object non_resident_status(const boost::json::object& raw,
                                        const std::optional<std::string>& day) {
  auto liquidation_date = member_text(raw, "liquidation_date");
  const bool announced = after_reply_day(liquidation_date, day);
  if (announced) liquidation_date.reset();
  const auto reg_code = member_text(raw, "reg_status_code");
  const auto by_reg =
      reg_code ? codes::meaning(codes::Dictionary::reg_status, *reg_code) : std::nullopt;
  boost::json::object out;
  out["value"] = liquidation_date ? status::liquidated : by_reg ? *by_reg : status::unknown;
  out["since"] = liquidation_date ? boost::json::value(*liquidation_date) : nullptr;
  for (const auto* key : {"reg_status_code", "reg_status_ru", "reg_status_kk", "liquidation_date"})
    out[key] = raw.at(key);
  out["non_resident"] = true;
  if (announced)
    out["unknown_reason"] = "LiquidationDate " + member_text(raw, "liquidation_date").value_or("") +
                            " is after the reply's date: announced, not yet evidence";
  if (announced) out["value"] = status::unknown;
  return out;
}

}  // namespace

MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance) {
  if (!data)
    return outcome(facts::Outcome::malformed, "GbdulInfoByBin_v2: no payload (responseData/data)");
  const auto lookup = child(data, u("Status"), also_ns());
  const auto org = child(data, u("Organization"), also_ns());
  const auto non_resident = child(data, u("IpsNerezident"), also_ns());
  const auto lookup_value = lookup ? apply_object(lookup_rule(), lookup) : boost::json::object{};
  const auto lookup_code = member_text(lookup_value, "code");

  if (!org && !non_resident) {
    for (const auto* record : {"Organization", "IpsNerezident"})
      if (const auto ns = foreign_namespace(data, record))
        return outcome(facts::Outcome::malformed,
                       "GbdulInfoByBin_v2: " + std::string(record) + " is in namespace '" + *ns +
                           "', neither unqualified nor the service's",
                       lookup_code);
    if (!lookup)
      return outcome(facts::Outcome::malformed,
                     "GbdulInfoByBin_v2: the payload is not a Response: neither Status, "
                     "Organization nor IpsNerezident");
    // Structure decides: a Response without a record is "not found", whatever its Status code.
    const auto lookup_text = member_text(lookup_value, "name_ru");
    return outcome(facts::Outcome::no_data,
                   "ГБД ЮЛ holds no organization for the BIN (Status " +
                       lookup_code.value_or("without a code") +
                       (lookup_text ? " «" + *lookup_text + "»" : std::string{}) + ")",
                   lookup_code);
  }

  if (!org) {
    auto raw = apply_object(non_resident_rule(), non_resident);
    const auto bin = member_text(raw, "bin");
    if (!bin)
      return outcome(facts::Outcome::malformed, "GbdulInfoByBin_v2: IpsNerezident/BIN is missing",
                     lookup_code);
    MappedReply out;
    out.outcome = facts::Outcome::data;
    const auto add = [&](std::string_view fact, boost::json::value value) {
      out.facts.push_back(facts::Fact{std::string(fact), std::move(value), provenance});
    };
    boost::json::object names;
    names["full_ru"] = raw.at("full_name_ru");
    boost::json::value head = nullptr;
    if (member_text(raw, "leader_iin") || member_text(raw, "leader_surname"))
      head = boost::json::object{{"iin", raw.at("leader_iin")},
                                 {"surname", raw.at("leader_surname")},
                                 {"name", raw.at("leader_name")},
                                 {"middle_name", raw.at("leader_middle_name")}};
    const auto address = child(non_resident, u("Address"), also_ns());
    add(name::kind, "legal_entity");
    add(name::identifier, boost::json::value(*bin));
    add(name::names, std::move(names));
    add(name::legal_address,
        address ? apply(non_resident_address_rule(), address) : boost::json::value(nullptr));
    add(name::registration_date, raw.at("registration_date"));
    add(name::head, std::move(head));
    add(name::founders, nullptr);
    add(name::status, non_resident_status(raw, reply_day(provenance)));
    return out;
  }

  auto identifier = apply(identifier_rule(), org);
  if (!identifier.is_string())
    return outcome(facts::Outcome::malformed, "GbdulInfoByBin_v2: Organization/BIN is missing",
                   lookup_code);

  MappedReply out;
  out.outcome = facts::Outcome::data;
  const auto add = [&](std::string_view fact, boost::json::value value) {
    out.facts.push_back(facts::Fact{std::string(fact), std::move(value), provenance});
  };
  add(name::kind, "legal_entity");
  add(name::identifier, std::move(identifier));
  add(name::names, apply(names_rule(), org));
  add(name::legal_address, address_fact(child(org, u("Address"), also_ns())));
  add(name::registration_date, apply(registration_date_rule(), org));
  const auto leader = child(org, u("OrganizationLeader"), also_ns());
  add(name::head, leader ? apply(head_rule(), leader) : boost::json::value(nullptr));
  add(name::founders, founders_fact(org));
  add(name::status, status_fact(org, reply_day(provenance)));
  return out;
}

}  // namespace tekser::mappings::gbd_ul
