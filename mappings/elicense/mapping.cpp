// ELICENSE_LicensesByBiin Response -> facts. The field tables below read "fact member <- reply
// path"; statuses and the taxi-carrier kind go through the one code table (codes.hpp).
#include "mappings/elicense/elicense.hpp"

#include <optional>
#include <string>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "mappings/elicense/codes.hpp"
#include "mappings/rules/reply.hpp"
#include "mappings/rules/rules.hpp"
#include "mappings/rules/text.hpp"

namespace tekser::mappings::elicense {
namespace {

using T = ValueType;

const NsSet& also_ns() {
  static const NsSet set{kPayloadNs};
  return set;
}

// ---------------------------------------------------------------- field tables

// subject/licenses/license.
const FactRule& licence_rule() {
  static const FactRule rule{kLicences,
                             {
                                 {"number", {u("number")}},
                                 {"activity_code", {u("activity"), u("code")}},
                                 {"activity_ru", {u("activity"), u("nameRu")}},
                                 {"activity_kk", {u("activity"), u("nameKk")}},
                                 {"status_code", {u("status"), u("code")}},
                                 {"issued", {u("issueDate")}, T::date},
                                 {"expires", {u("expiryDate")}, T::date},
                                 {"licensor_ru", {u("licensor"), u("nameRu")}},
                             },
                             also_ns()};
  return rule;
}

// license/subtype.
const FactRule& subtype_rule() {
  static const FactRule rule{"subtype",
                             {
                                 {"code", {u("code")}},
                                 {"name_ru", {u("nameRu")}},
                                 {"name_kk", {u("nameKk")}},
                             },
                             also_ns()};
  return rule;
}

// subject/notifications/notification.
const FactRule& notification_rule() {
  static const FactRule rule{kNotifications,
                             {
                                 {"number", {u("number")}},
                                 {"kind_code", {u("kind"), u("code")}},
                                 {"kind_ru", {u("kind"), u("nameRu")}},
                                 {"status_code", {u("status"), u("code")}},
                                 {"date", {u("date")}, T::date},
                             },
                             also_ns()};
  return rule;
}

// ---------------------------------------------------------------- derived facts

std::string label(const boost::json::object& raw) {
  const auto number = member_text(raw, "number");
  return number ? "'" + *number + "'" : "without a number";
}

// nullopt and `problem` set when a status is missing or not in the table.
std::optional<boost::json::array> licences_fact(const pugi::xml_node& subject,
                                                std::string& problem) {
  boost::json::array out;
  const auto container = child(subject, u("licenses"), also_ns());
  for (const auto& node : children(container, u("license"), also_ns())) {
    auto raw = apply_object(licence_rule(), node);
    const auto code = member_text(raw, "status_code");
    const auto* status = code ? codes::status(*code) : nullptr;
    if (!status) {
      problem = "licence " + label(raw) +
                (code ? ": status code '" + *code + "' is not in the assumed status table"
                      : ": no status/code");
      return std::nullopt;
    }
    // A name the reply leaves out comes from the activity table.
    const auto activity_code = member_text(raw, "activity_code");
    if (const auto* a = activity_code ? codes::activity(*activity_code) : nullptr) {
      if (raw.at("activity_ru").is_null()) raw["activity_ru"] = a->name_ru;
      if (raw.at("activity_kk").is_null()) raw["activity_kk"] = a->name_kk;
    }
    boost::json::array subtypes;
    for (const auto& s : children(node, u("subtype"), also_ns()))
      subtypes.emplace_back(apply_object(subtype_rule(), s));

    boost::json::object licence;
    for (const auto* key : {"number", "activity_code", "activity_ru", "activity_kk"})
      licence[key] = raw.at(key);
    licence["subtypes"] = std::move(subtypes);
    licence["status"] = status->licence;
    for (const auto* key : {"issued", "expires", "licensor_ru"}) licence[key] = raw.at(key);
    out.emplace_back(std::move(licence));
  }
  return out;
}

std::optional<boost::json::array> notifications_fact(const pugi::xml_node& subject,
                                                     std::string& problem) {
  boost::json::array out;
  const auto container = child(subject, u("notifications"), also_ns());
  for (const auto& node : children(container, u("notification"), also_ns())) {
    auto raw = apply_object(notification_rule(), node);
    const auto code = member_text(raw, "status_code");
    const auto* status = code ? codes::status(*code) : nullptr;
    if (!status) {
      problem = "notification " + label(raw) +
                (code ? ": status code '" + *code + "' is not in the assumed status table"
                      : ": no status/code");
      return std::nullopt;
    }
    const auto kind = member_text(raw, "kind_code");
    if (!kind) {
      problem = "notification " + label(raw) + ": no kind/code";
      return std::nullopt;
    }
    boost::json::object notification;
    notification["number"] = raw.at("number");
    notification["kind"] = *kind == codes::kTaxiKindCode ? std::string(codes::kTaxiCarrier) : *kind;
    notification["kind_ru"] = raw.at("kind_ru");
    notification["status"] = status->notification;
    notification["date"] = raw.at("date");
    out.emplace_back(std::move(notification));
  }
  return out;
}

}  // namespace

MappedReply map_reply(const pugi::xml_node& data, const facts::Provenance& provenance) {
  if (!data)
    return outcome(facts::Outcome::malformed,
                   "ELICENSE_LicensesByBiin: no payload (responseData/data)");
  const auto result = read_result(data, also_ns());
  if (!result)
    return outcome(facts::Outcome::malformed,
                   "ELICENSE_LicensesByBiin: the payload is not a Response: no result/code");
  const auto& code = result->code;
  const auto& described = result->described;
  if (code == codes::kNotFound)
    return outcome(facts::Outcome::no_data,
                   "the e-licensing register does not know the IIN/BIN (result " + described + ")",
                   code);
  if (code != codes::kFound)
    return outcome(facts::Outcome::refused, "e-licensing declined the request: result " + described,
                   code);

  const auto subject = child(data, u("subject"), also_ns());
  if (!subject)
    return outcome(facts::Outcome::malformed,
                   "ELICENSE_LicensesByBiin: result " + code + " without a subject", code);
  std::string problem;
  auto licences = licences_fact(subject, problem);
  if (!licences)
    return outcome(facts::Outcome::malformed, "ELICENSE_LicensesByBiin: " + problem, code);
  auto notifications = notifications_fact(subject, problem);
  if (!notifications)
    return outcome(facts::Outcome::malformed, "ELICENSE_LicensesByBiin: " + problem, code);

  MappedReply out;
  out.outcome = facts::Outcome::data;
  out.facts.push_back(facts::Fact{kLicences, std::move(*licences), provenance});
  out.facts.push_back(facts::Fact{kNotifications, std::move(*notifications), provenance});
  return out;
}

}  // namespace tekser::mappings::elicense
