#include "gateway/api/view_json.hpp"

#include <charconv>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "gateway/api/json.hpp"
#include "gateway/api/resilience_view.hpp"

namespace tekser::api {

namespace json = boost::json;

namespace {

// The "sources" array (the sources' last answers): the same in the whole view and the fixed parts.
json::array answers_json(const std::vector<store::SourceStatus>& sources) {
  json::array out;
  for (const auto& s : sources) out.push_back(to_json(s));
  return out;
}

}  // namespace

json::object view_to_json(const SupplierView& view, xsd_time::TimePoint now,
                          const StaleSources& stale) {
  json::array facts;
  for (const auto& f : view.facts) facts.push_back(to_json(f, now));
  mark_stale_facts(facts, stale);
  return {{"supplier", to_json(view.supplier)},
          {"facts", std::move(facts)},
          {"sources", answers_json(view.sources)}};
}

RenderedView render_view(const SupplierView& view) {
  RenderedView out;
  out.supplier = json::serialize(to_json(view.supplier));
  out.fixed_size = out.supplier.size();
  out.facts.reserve(view.facts.size());
  for (const auto& f : view.facts) {
    auto head = json::serialize(fixed_members(f));
    head.pop_back();  // the closing brace: the moving members follow
    const auto& p = f.fact.provenance;
    out.fixed_size += head.size();
    out.facts.push_back({p.system, std::move(head), p.retrieved_at, p.valid_until});
  }
  out.sources = json::serialize(answers_json(view.sources));
  out.fixed_size += out.sources.size();
  return out;
}

std::string write_view(const RenderedView& rendered, xsd_time::TimePoint now,
                       const StaleSources& stale) {
  // The moving members of a fact take under 80 bytes unless it is stale (then its reason too).
  std::string out;
  out.reserve(rendered.fixed_size + rendered.facts.size() * 80 + 48);
  out += R"({"supplier":)";
  out += rendered.supplier;
  out += R"(,"facts":[)";
  bool first = true;
  for (const auto& f : rendered.facts) {
    if (!first) out += ',';
    first = false;
    out += f.head;
    out += R"(,"age_seconds":)";
    char digits[24];
    const auto written =
        std::to_chars(digits, digits + sizeof digits, age_seconds(now, f.retrieved_at));
    out.append(digits, written.ptr);
    out += now < f.valid_until ? R"(,"fresh":true)" : R"(,"fresh":false)";
    if (const auto found = stale.find(f.system); found != stale.end()) {
      out += R"(,"stale":true,"stale_reason":)";
      out += json::serialize(json::value(found->second));
    } else {
      out += R"(,"stale":false,"stale_reason":null)";
    }
    out += '}';
  }
  out += R"(],"sources":)";
  out += rendered.sources;
  out += '}';
  return out;
}

}  // namespace tekser::api
