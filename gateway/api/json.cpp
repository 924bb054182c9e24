#include "gateway/api/json.hpp"

#include <boost/json/array.hpp>

namespace tekser::api {

namespace json = boost::json;
using xsd_time::format_utc;

json::object to_json(const facts::Provenance& p) {
  json::object out{{"system", p.system},
                   {"service_id", p.service_id},
                   {"message_id", p.message_id},
                   {"reply_message_id", p.reply_message_id},
                   {"retrieved_at", format_utc(p.retrieved_at)},
                   {"valid_until", format_utc(p.valid_until)},
                   {"reply_sha256", p.reply_sha256},
                   {"signature", facts::to_string(p.signature)}};
  out["signer_sha256"] =
      p.signer_sha256.empty() ? json::value(nullptr) : json::value(p.signer_sha256);
  out["signature_algorithm"] =
      p.signature_algorithm.empty() ? json::value(nullptr) : json::value(p.signature_algorithm);
  return out;
}

json::object to_json(const store::SupplierRecord& s) {
  json::array categories;
  for (const auto& c : s.categories) categories.emplace_back(c);
  json::object out{{"id", s.id},
                   {"subject_kind", s.subject_kind},
                   {"categories", std::move(categories)},
                   {"has_consent", s.consent.has_value()},
                   {"created_at", format_utc(s.created_at)},
                   {"updated_at", format_utc(s.updated_at)}};
  out["last_verified_at"] =
      s.last_verified_at ? json::value(format_utc(*s.last_verified_at)) : json::value(nullptr);
  if (s.services) {
    json::array services;
    for (const auto& code : *s.services) services.emplace_back(code);
    out["services"] = std::move(services);
  } else {
    out["services"] = nullptr;
  }
  return out;
}

long long age_seconds(xsd_time::TimePoint now, xsd_time::TimePoint retrieved_at) {
  return std::chrono::duration_cast<std::chrono::seconds>(now - retrieved_at).count();
}

json::object fixed_members(const store::StoredFact& f) {
  const auto& p = f.fact.provenance;
  return {{"system", p.system},
          {"name", f.fact.name},
          {"value", f.fact.value},
          {"provenance", to_json(p)},
          {"first_seen_at", format_utc(f.first_seen_at)},
          {"checked_at", format_utc(f.checked_at)}};
}

json::object to_json(const store::StoredFact& f, xsd_time::TimePoint now) {
  const auto& p = f.fact.provenance;
  auto out = fixed_members(f);
  out["age_seconds"] = age_seconds(now, p.retrieved_at);
  out["fresh"] = now < p.valid_until;
  return out;
}

json::object to_json(const store::SourceStatus& s) {
  json::object out{
      {"system", s.system}, {"service_id", s.service_id}, {"outcome", facts::to_string(s.outcome)},
      {"cause", s.cause},   {"message_id", s.message_id}, {"checked_at", format_utc(s.checked_at)}};
  out["error_code"] = s.error_code ? json::value(*s.error_code) : json::value(nullptr);
  out["last_data_at"] =
      s.last_data_at ? json::value(format_utc(*s.last_data_at)) : json::value(nullptr);
  return out;
}

json::object to_json(const store::HistoryEntry& h) {
  json::object out{{"system", h.system},
                   {"name", h.fact_name},
                   {"new_value", h.new_value},
                   {"provenance", to_json(h.provenance)},
                   {"changed_at", format_utc(h.changed_at)}};
  out["old_value"] = h.old_value ? *h.old_value : json::value(nullptr);
  // Read again from a kept reply by a facts re-derive run, not brought by the reply's arrival.
  if (h.rederivation_id) out["rederivation_id"] = *h.rederivation_id;
  return out;
}

json::object to_json(const facts::SourceResult& r) {
  json::object out{{"system", r.system},
                   {"service_id", r.service_id},
                   {"outcome", facts::to_string(r.outcome)},
                   {"cause", r.cause},
                   {"message_id", r.provenance.message_id},
                   {"facts", r.facts.size()}};
  out["error_code"] = r.error_code ? json::value(*r.error_code) : json::value(nullptr);
  return out;
}

json::object to_json(const eligibility::Verdict& v) {
  json::array requirements;
  for (const auto& r : v.requirements) {
    json::array evidence;
    for (const auto& f : r.evidence)
      evidence.push_back(json::object{{"system", f.provenance.system},
                                      {"name", f.name},
                                      {"value", f.value},
                                      {"provenance", to_json(f.provenance)}});
    requirements.push_back(json::object{{"id", r.id},
                                        {"reference", r.reference},
                                        {"title", {{"ru", r.title.ru}, {"kk", r.title.kk}}},
                                        {"outcome", eligibility::to_string(r.outcome)},
                                        {"reason", {{"ru", r.reason.ru}, {"kk", r.reason.kk}}},
                                        {"documents_required", r.documents_required},
                                        {"evidence", std::move(evidence)}});
  }
  json::object out{{"category", v.category},
                   {"overall", v.overall},
                   {"rule_set", v.rule_set},
                   {"requirements", std::move(requirements)}};
  if (v.reason) out["reason"] = {{"ru", v.reason->ru}, {"kk", v.reason->kk}};
  return out;
}

json::object error_body(std::string_view field, std::string_view reason) {
  return {{"error", {{"field", field}, {"reason", reason}}}};
}

}  // namespace tekser::api
