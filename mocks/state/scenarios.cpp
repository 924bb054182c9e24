#include "mocks/state/scenarios.hpp"

#include <algorithm>

#include "common/identity/identity.hpp"
#include "mocks/state/changes.hpp"

namespace tekser::mocks::state {
namespace {

namespace json = boost::json;

std::string_view to_string(Answer answer) {
  return answer == Answer::data ? "data" : "no_data";
}

}  // namespace

Scenario parse_scenario(const json::value& body, const std::vector<std::string>& services) {
  if (!body.is_object()) throw AdminError("body", "must be a JSON object");
  const auto& object = body.as_object();
  for (const auto& [key, value] : object) {
    if (key != "subject" && key != "service_id" && key != "steps")
      throw AdminError(std::string(key),
                       "is not a field of a scenario (subject, service_id, steps)");
  }
  Scenario s;
  const auto* subject = object.if_contains("subject");
  if (!subject || !subject->is_string()) throw AdminError("subject", "a BIN or IIN is required");
  s.subject = std::string(subject->as_string());
  if (const auto parsed = identity::parse(s.subject); !parsed)
    throw AdminError("subject", "'" + s.subject + "' " + parsed.error);
  const auto* service = object.if_contains("service_id");
  std::string known;
  for (const auto& id : services) known += (known.empty() ? "" : ", ") + id;
  if (!service || !service->is_string())
    throw AdminError("service_id", "is required (one of " + known + ")");
  s.service_id = std::string(service->as_string());
  if (std::find(services.begin(), services.end(), s.service_id) == services.end())
    throw AdminError("service_id",
                     "'" + s.service_id + "' takes no scenario (one of " + known + ")");
  const auto* steps = object.if_contains("steps");
  if (!steps || !steps->is_array() || steps->as_array().empty())
    throw AdminError("steps", "a non-empty array of {\"answer\", \"calls\"} is required");
  const auto& array = steps->as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const auto where = "steps[" + std::to_string(i) + "]";
    if (!array[i].is_object()) throw AdminError(where, "must be an object");
    const auto& step = array[i].as_object();
    for (const auto& [key, value] : step) {
      if (key != "answer" && key != "calls")
        throw AdminError(where + "." + std::string(key),
                         "is not a field of a step (answer, calls)");
    }
    Step parsed;
    const auto* answer = step.if_contains("answer");
    if (answer && answer->is_string() && answer->as_string() == "data")
      parsed.answer = Answer::data;
    else if (answer && answer->is_string() && answer->as_string() == "no_data")
      parsed.answer = Answer::no_data;
    else
      throw AdminError(where + ".answer", "must be \"data\" or \"no_data\"");
    if (const auto* calls = step.if_contains("calls"); calls && !calls->is_null()) {
      if (!calls->is_int64() || calls->as_int64() < 1 || calls->as_int64() > 1'000'000)
        throw AdminError(where + ".calls", "must be an integer 1..1000000");
      parsed.calls = static_cast<std::uint64_t>(calls->as_int64());
    } else if (i + 1 < array.size()) {
      throw AdminError(where + ".calls", "is required on every step but the last");
    }
    s.steps.push_back(parsed);
  }
  return s;
}

void Scenarios::set(Scenario scenario) {
  std::lock_guard lock(mutex_);
  std::erase_if(scenarios_, [&](const Scenario& s) {
    return s.subject == scenario.subject && s.service_id == scenario.service_id;
  });
  scenarios_.push_back(std::move(scenario));
}

Answer Scenarios::take(std::string_view service_id, std::string_view subject) {
  std::lock_guard lock(mutex_);
  for (auto& s : scenarios_) {
    if (s.service_id != service_id || s.subject != subject) continue;
    if (s.step >= s.steps.size()) return Answer::data;  // finished: the register as it is
    const auto& step = s.steps[s.step];
    const auto answer = step.answer;
    ++s.calls;
    ++s.calls_in_step;
    if (step.calls && s.calls_in_step >= *step.calls) {
      ++s.step;
      s.calls_in_step = 0;
    }
    return answer;
  }
  return Answer::data;
}

std::vector<Scenario> Scenarios::all(const std::optional<std::string>& subject) const {
  std::lock_guard lock(mutex_);
  std::vector<Scenario> out;
  for (const auto& s : scenarios_) {
    if (!subject || s.subject == *subject) out.push_back(s);
  }
  return out;
}

std::size_t Scenarios::clear(const std::optional<std::string>& subject) {
  std::lock_guard lock(mutex_);
  const auto before = scenarios_.size();
  if (!subject)
    scenarios_.clear();
  else
    std::erase_if(scenarios_, [&](const Scenario& s) { return s.subject == *subject; });
  return before - scenarios_.size();
}

json::object to_json(const Scenario& scenario) {
  json::array steps;
  for (const auto& step : scenario.steps) {
    json::object s{{"answer", to_string(step.answer)}};
    s["calls"] = step.calls ? json::value(*step.calls) : json::value(nullptr);
    steps.push_back(std::move(s));
  }
  json::object out;
  out["subject"] = scenario.subject;
  out["service_id"] = scenario.service_id;
  out["steps"] = std::move(steps);
  out["current_step"] = scenario.step;
  out["finished"] = scenario.step >= scenario.steps.size();
  out["calls"] = scenario.calls;
  return out;
}

}  // namespace tekser::mocks::state
