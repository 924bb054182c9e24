#include "gateway/api/resilience_view.hpp"

namespace tekser::api {

namespace json = boost::json;
using resilience::BreakerState;

namespace {

json::value optional_time(const std::optional<xsd_time::TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(xsd_time::format_utc(*t));
}

void mark(json::object& fact, const std::map<std::string, std::string>& stale) {
  const auto* system = fact.if_contains("system");
  const auto found =
      system && system->is_string() ? stale.find(std::string(system->as_string())) : stale.end();
  fact["stale"] = found != stale.end();
  fact["stale_reason"] = found != stale.end() ? json::value(found->second) : json::value(nullptr);
}

}  // namespace

std::map<std::string, std::string> stale_sources(const std::vector<store::SourceStatus>& statuses,
                                                 const resilience::SourceHealth* health) {
  std::map<std::string, std::string> out;
  for (const auto& s : statuses) {
    const bool unavailable_code =
        health && s.error_code && health->unavailable_codes().count(*s.error_code);
    if (s.outcome == facts::Outcome::unavailable || s.outcome == facts::Outcome::malformed ||
        (s.outcome == facts::Outcome::refused && unavailable_code))
      out[s.system] = "source down: its last answer, at " + xsd_time::format_utc(s.checked_at) +
                      ", was " + std::string(facts::to_string(s.outcome)) + ": " + s.cause;
  }
  if (health)
    for (const auto& h : health->snapshot()) {
      if (h.state == BreakerState::closed) continue;
      std::string reason = "source down: circuit " + std::string(resilience::to_string(h.state));
      if (!h.last_failure_cause.empty()) reason += ", last failure: " + h.last_failure_cause;
      out[h.system] = std::move(reason);
    }
  return out;
}

void mark_stale_facts(json::array& facts, const std::map<std::string, std::string>& stale) {
  for (auto& f : facts)
    if (f.is_object()) mark(f.as_object(), stale);
}

void mark_stale_evidence(json::object& eligibility,
                         const std::map<std::string, std::string>& stale) {
  if (auto* verdicts = eligibility.if_contains("verdicts"); verdicts && verdicts->is_array())
    for (auto& verdict : verdicts->as_array()) {
      auto* requirements =
          verdict.is_object() ? verdict.as_object().if_contains("requirements") : nullptr;
      if (!requirements || !requirements->is_array()) continue;
      for (auto& r : requirements->as_array()) {
        auto* evidence = r.is_object() ? r.as_object().if_contains("evidence") : nullptr;
        if (evidence && evidence->is_array()) mark_stale_facts(evidence->as_array(), stale);
      }
    }
  json::array sources;
  for (const auto& [system, reason] : stale)
    sources.push_back(json::object{{"system", system}, {"reason", reason}});
  eligibility["stale_sources"] = std::move(sources);
}

json::array sources_json(const resilience::SourceHealth& health) {
  json::array out;
  for (const auto& h : health.snapshot())
    out.push_back(json::object{
        {"system", h.system},
        {"state", resilience::to_string(h.state)},
        {"consecutive_failures", h.consecutive_failures},
        {"last_attempt_failed", h.last_attempt_failed},
        {"last_success_at", optional_time(h.last_success_at)},
        {"last_failure_at", optional_time(h.last_failure_at)},
        {"last_failure_cause",
         h.last_failure_cause.empty() ? json::value(nullptr) : json::value(h.last_failure_cause)},
        {"probe_after", optional_time(h.probe_after)},
        {"times_opened", h.times_opened},
        {"attempts", h.attempts},
        {"retries", h.retries},
        {"short_circuited", h.short_circuited}});
  return out;
}

std::string prometheus(const resilience::SourceHealth& health) {
  const auto systems = health.snapshot();
  std::string out;
  auto line = [&out](const std::string& text) { out += text + "\n"; };
  auto label = [](const resilience::SystemHealth& h) { return "{system=\"" + h.system + "\"}"; };
  auto state_value = [](BreakerState s) {
    return s == BreakerState::closed ? "0" : s == BreakerState::half_open ? "1" : "2";
  };
  line(
      "# HELP tekser_source_circuit_state Circuit breaker per state system: 0 closed, 1 "
      "half-open, 2 open.");
  line("# TYPE tekser_source_circuit_state gauge");
  for (const auto& h : systems)
    line("tekser_source_circuit_state" + label(h) + " " + state_value(h.state));
  line("# HELP tekser_source_consecutive_failures Unavailable attempts in a row per state system.");
  line("# TYPE tekser_source_consecutive_failures gauge");
  for (const auto& h : systems)
    line("tekser_source_consecutive_failures" + label(h) + " " +
         std::to_string(h.consecutive_failures));
  const std::pair<const char*, std::uint64_t resilience::SystemHealth::*> counters[] = {
      {"tekser_source_attempts_total", &resilience::SystemHealth::attempts},
      {"tekser_source_failures_total", &resilience::SystemHealth::failures},
      {"tekser_source_retries_total", &resilience::SystemHealth::retries},
      {"tekser_source_short_circuited_total", &resilience::SystemHealth::short_circuited},
      {"tekser_source_circuit_opened_total", &resilience::SystemHealth::times_opened}};
  for (const auto& [name, member] : counters) {
    line(std::string("# TYPE ") + name + " counter");
    for (const auto& h : systems) line(name + label(h) + " " + std::to_string(h.*member));
  }
  return out;
}

}  // namespace tekser::api
