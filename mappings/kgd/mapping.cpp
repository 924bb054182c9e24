// KGD_TaxpayerStatus Response -> facts. The field tables below read "fact member <- reply path";
// the list memberships go through the one code table (codes.hpp).
#include "mappings/kgd/kgd.hpp"

#include <optional>
#include <string>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"
#include "mappings/kgd/codes.hpp"
#include "mappings/rules/reply.hpp"
#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings::kgd {
namespace {

using T = ValueType;

// An unqualified step also matches the same element in the assumed namespace (see NsSet).
const NsSet& also_ns() {
  static const NsSet set{kPayloadNs};
  return set;
}

// ---------------------------------------------------------------- field tables

// taxpayer/arrears: the totals.
const FactRule& totals_rule() {
  static const FactRule rule{
      kTaxDebt,
      {
          {"total_arrear", {u("totalArrear")}, T::number},
          {"tax_arrear", {u("totalTaxArrear")}, T::number},
          {"pension_arrear", {u("pensionContributionArrear")}, T::number},
          {"social_arrear", {u("socialContributionArrear")}, T::number},
          {"health_insurance_arrear", {u("socialHealthInsuranceArrear")}, T::number},
          {"send_time", {u("sendTime")}},
      },
      also_ns()};
  return rule;
}

// taxpayer/arrears/taxOrgInfo.
const FactRule& office_rule() {
  static const FactRule rule{"office",
                             {
                                 {"code", {u("charCode")}},
                                 {"name_ru", {u("nameRu")}},
                                 {"name_kk", {u("nameKk")}},
                             },
                             also_ns()};
  return rule;
}

// taxpayer/arrears/taxOrgInfo/bccArrearsInfo: penalty is KGD's "poena" (пеня).
const FactRule& line_rule() {
  static const FactRule rule{"line",
                             {
                                 {"kbk", {u("bcc")}},
                                 {"tax", {u("taxArrear")}, T::number},
                                 {"penalty", {u("poenaArrear")}, T::number},
                                 {"fine", {u("fineArrear")}, T::number},
                             },
                             also_ns()};
  return rule;
}

// taxpayer/listEntry.
const FactRule& list_entry_rule() {
  static const FactRule rule{"list_entry",
                             {
                                 {"code", {u("list"), u("code")}},
                                 {"included_on", {u("inclusionDate")}, T::date},
                                 {"decision", {u("decisionNumber")}},
                                 {"reason_ru", {u("reasonRu")}},
                             },
                             also_ns()};
  return rule;
}

// taxpayer/entrepreneurRegistration.
const FactRule& registration_rule() {
  static const FactRule rule{kEntrepreneurRegistration,
                             {
                                 {"code", {u("status"), u("code")}},
                                 {"registered_on", {u("registrationDate")}, T::date},
                                 {"deregistered_on", {u("deregistrationDate")}, T::date},
                                 {"suspended_from", {u("suspendedFrom")}, T::date},
                                 {"suspended_until", {u("suspendedUntil")}, T::date},
                                 {"reason_ru", {u("reasonRu")}},
                             },
                             also_ns()};
  return rule;
}

// ---------------------------------------------------------------- derived facts

// The status a code means, or null: an unknown code is no evidence either way (the check says
// unknown), never a malformed reply — the rest of the reply is still good.
boost::json::object registration_fact(const pugi::xml_node& node) {
  auto raw = apply_object(registration_rule(), node);
  const auto code = member_text(raw, "code");
  const auto status = code ? codes::registration_status(*code) : std::nullopt;
  boost::json::object out;
  out["status"] = status ? boost::json::value(*status) : boost::json::value(nullptr);
  for (const auto* key : {"code", "registered_on", "deregistered_on", "suspended_from",
                          "suspended_until", "reason_ru"})
    out[key] = raw.at(key);
  return out;
}

// The calendar date of sendTime as KGD wrote it (its own offset), or null.
boost::json::value date_of(const boost::json::value& send_time) {
  if (!send_time.is_string()) return nullptr;
  const std::string_view text = send_time.as_string();
  if (!xsd_time::parse_datetime(text, false) || text.size() < 10) return nullptr;
  const auto date = xsd_time::normalize_date(text.substr(0, 10));
  return date ? boost::json::value(*date) : boost::json::value(nullptr);
}

// > 0 for a number, null when the reply did not say.
boost::json::value positive(const boost::json::value& amount) {
  if (!amount.is_number()) return nullptr;
  return amount.to_number<double>() > 0;
}

boost::json::object tax_debt_fact(const pugi::xml_node& arrears) {
  // Without an arrears element every total reads null: the reply did not say.
  const auto totals = apply_object(totals_rule(), arrears);
  boost::json::object out;
  out["has_tax_debt"] = positive(totals.at("tax_arrear"));
  // Social payments: pension and social contributions, health insurance. True as soon as one is
  // owed; false only when the reply gave all three.
  boost::json::value social = false;
  for (const auto* key : {"pension_arrear", "social_arrear", "health_insurance_arrear"}) {
    const auto owed = positive(totals.at(key));
    if (owed.is_bool() && owed.as_bool()) {
      social = true;
      break;
    }
    if (owed.is_null()) social = nullptr;
  }
  out["has_social_debt"] = social;
  for (const auto* key :
       {"total_arrear", "tax_arrear", "pension_arrear", "social_arrear", "health_insurance_arrear"})
    out[key] = totals.at(key);
  out["as_of"] = date_of(totals.at("send_time"));

  boost::json::array offices;
  if (arrears) {
    for (const auto& node : children(arrears, u("taxOrgInfo"), also_ns())) {
      auto office = apply_object(office_rule(), node);
      boost::json::array lines;
      for (const auto& line : children(node, u("bccArrearsInfo"), also_ns()))
        lines.emplace_back(apply_object(line_rule(), line));
      office["lines"] = std::move(lines);
      offices.emplace_back(std::move(office));
    }
  }
  out["offices"] = std::move(offices);
  return out;
}

// nullopt and `problem` set when a list code is not in the table: the contract changed.
std::optional<boost::json::object> lists_fact(const pugi::xml_node& taxpayer,
                                              std::string& problem) {
  boost::json::object out;
  for (const auto key : codes::kListKeys) out[key] = false;
  boost::json::array entries;
  for (const auto& node : children(taxpayer, u("listEntry"), also_ns())) {
    auto raw = apply_object(list_entry_rule(), node);
    const auto code = member_text(raw, "code");
    const auto key = code ? codes::list_key(*code) : std::nullopt;
    if (!key) {
      problem = code ? "listEntry/list/code '" + *code + "' is not in the assumed list table"
                     : "listEntry without list/code";
      return std::nullopt;
    }
    out[*key] = true;
    boost::json::object entry;
    entry["list"] = *key;
    entry["included_on"] = raw.at("included_on");
    entry["decision"] = raw.at("decision");
    entry["reason_ru"] = raw.at("reason_ru");
    entries.emplace_back(std::move(entry));
  }
  out["entries"] = std::move(entries);
  return out;
}

}  // namespace

MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance) {
  if (!data)
    return outcome(facts::Outcome::malformed, "KGD_TaxpayerStatus: no payload (responseData/data)");
  const auto result = read_result(data, also_ns());
  if (!result)
    return outcome(facts::Outcome::malformed,
                   "KGD_TaxpayerStatus: the payload is not a Response: no result/code");
  const auto& code = result->code;
  const auto& described = result->described;
  if (code == codes::kNotFound)
    return outcome(facts::Outcome::no_data,
                   "KGD holds no taxpayer for the IIN/BIN (result " + described + ")", code);
  if (code != codes::kFound)
    return outcome(facts::Outcome::refused, "KGD declined the request: result " + described, code);

  const auto taxpayer = child(data, u("taxpayer"), also_ns());
  if (!taxpayer)
    return outcome(facts::Outcome::malformed,
                   "KGD_TaxpayerStatus: result " + code + " without a taxpayer", code);
  std::string problem;
  auto lists = lists_fact(taxpayer, problem);
  if (!lists) return outcome(facts::Outcome::malformed, "KGD_TaxpayerStatus: " + problem, code);

  MappedReply out;
  out.outcome = facts::Outcome::data;
  out.facts.push_back(
      facts::Fact{kTaxDebt, tax_debt_fact(child(taxpayer, u("arrears"), also_ns())), provenance});
  out.facts.push_back(facts::Fact{kLists, std::move(*lists), provenance});
  if (const auto registration = child(taxpayer, u("entrepreneurRegistration"), also_ns()))
    out.facts.push_back(
        facts::Fact{kEntrepreneurRegistration, registration_fact(registration), provenance});
  return out;
}

}  // namespace tekser::mappings::kgd
