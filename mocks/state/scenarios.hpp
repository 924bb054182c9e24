// Scenarios with state: a SHEP service answers one subject step by step ("the first call: no
// data; later calls: the data"). Each request the service receives about the subject counts one
// call of the current step; once the last step with a count is used up the service answers
// normally again (a last step without a count lasts for ever). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace tekser::mocks::state {

enum class Answer { data, no_data };

struct Step {
  Answer answer = Answer::data;
  std::optional<std::uint64_t> calls;  // nullopt: for ever
};

struct Scenario {
  std::string subject;
  std::string service_id;
  std::vector<Step> steps;
  // Progress.
  std::size_t step = 0;             // the current step (steps.size(): finished)
  std::uint64_t calls_in_step = 0;  // calls the current step has answered
  std::uint64_t calls = 0;          // calls in all
};

// Parses {"subject", "service_id", "steps": [{"answer": "data"|"no_data", "calls": N}]};
// throws AdminError naming the field. `services`: the serviceIds scenarios may name.
Scenario parse_scenario(const boost::json::value& body, const std::vector<std::string>& services);

class Scenarios {
 public:
  // Replaces the scenario of the same subject and service, if any.
  void set(Scenario scenario);
  // One call of `service_id` about `subject`: what to answer, and the scenario moves on.
  Answer take(std::string_view service_id, std::string_view subject);
  std::vector<Scenario> all(const std::optional<std::string>& subject = std::nullopt) const;
  std::size_t clear(const std::optional<std::string>& subject = std::nullopt);

 private:
  mutable std::mutex mutex_;
  std::vector<Scenario> scenarios_;
};

boost::json::object to_json(const Scenario& scenario);

}  // namespace tekser::mocks::state
