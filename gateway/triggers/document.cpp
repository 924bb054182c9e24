#include "gateway/triggers/document.hpp"

#include <boost/json.hpp>

namespace tekser::triggers {
namespace {

namespace json = boost::json;

void put_text(json::object& o, const char* key, const std::string& text) {
  if (!text.empty()) o[key] = text;  // the contract wants no empty strings
}

}  // namespace

std::string document(const Draft& draft, const DocumentContext& context) {
  json::object doc;
  doc["trigger_id"] = context.trigger_id;
  doc["kind"] = to_string(draft.kind);
  json::object supplier{{"id", context.supplier_id}};
  supplier[context.individual ? "iin" : "bin"] = context.supplier_id;
  doc["supplier"] = std::move(supplier);
  doc["sequence"] = context.sequence;
  if (context.supersedes && !context.supersedes->empty()) doc["supersedes"] = *context.supersedes;
  json::array grounds;
  for (const auto& ground : draft.grounds) {
    json::object g{{"code", ground.requirement}};
    put_text(g, "text_ru", ground.title.ru);
    put_text(g, "text_kk", ground.title.kk);
    put_text(g, "reason_ru", ground.reason.ru);
    put_text(g, "reason_kk", ground.reason.kk);
    put_text(g, "reference", ground.reference);
    grounds.push_back(std::move(g));
  }
  doc["grounds"] = std::move(grounds);
  json::array evidence;
  for (const auto& fact : draft.evidence) {
    const auto& p = fact.provenance;
    evidence.push_back(
        json::object{{"system", p.system},
                     {"service_id", p.service_id},
                     {"message_id", p.message_id},
                     {"received_at", xsd_time::format_datetime(p.retrieved_at)},
                     {"reply_sha256", p.reply_sha256},
                     {"fact", json::object{{"name", fact.name}, {"value", fact.value}}}});
  }
  doc["evidence"] = std::move(evidence);
  doc["rule_set"] = context.rule_set;
  doc["created_at"] = xsd_time::format_datetime(context.created_at);
  doc["data_received_at"] = xsd_time::format_datetime(draft.data_received_at);
  // Only a deadline the law gives (p.13; the 2022 rules' one working day): `deadline` is the
  // first to fall due, `deadlines` every step; a kind without one carries neither.
  if (!context.deadlines.empty()) {
    doc["deadline"] = xsd_time::format_datetime(context.deadlines.front().due);
    json::array steps;
    for (const auto& d : context.deadlines) {
      json::object step{{"step", d.step},
                        {"due", xsd_time::format_datetime(d.due)},
                        {"working_days", d.working_days},
                        {"reference", d.reference}};
      put_text(step, "what_ru", d.what.ru);
      put_text(step, "what_kk", d.what.kk);
      if (d.estimate) step["estimate"] = true;
      steps.push_back(std::move(step));
    }
    doc["deadlines"] = std::move(steps);
  }
  return json::serialize(doc);
}

}  // namespace tekser::triggers
