// Failure injection for the mock portal: make the next N deliveries (or a random share of them)
// fail the way a real portal or the network does, so that the dispatcher's retries can be tested.
// Rules queue up in the order they were added; each delivery consults the first one.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>

namespace tekser::mocks::portal {

enum class FaultMode {
  status,   // answer `status` (4xx/5xx) with an error body; the trigger is not accepted
  delay,    // process the delivery normally, answer after `delay`
  reset,    // TCP reset instead of an answer; not accepted
  timeout,  // never answer: the connection is held until the client gives up; not accepted
  close,    // close the connection in order without a byte of answer; not accepted
};

std::string_view to_string(FaultMode mode);

struct FaultRule {
  FaultMode mode = FaultMode::status;
  int status = 503;                        // mode status
  std::optional<int> retry_after_seconds;  // mode status: a Retry-After header
  std::chrono::milliseconds delay{0};      // mode delay
  std::optional<int> remaining;            // injections left; nullopt = until cleared
  std::optional<double> probability;       // nullopt = every delivery
  std::optional<std::uint64_t> seed;       // of the draws, for reproducible runs
  int injected = 0;
  std::mt19937_64 random{};
};

// What one delivery gets from the rule that fired.
struct Injection {
  FaultMode mode = FaultMode::status;
  int status = 503;
  std::optional<int> retry_after_seconds;
  std::chrono::milliseconds delay{0};
};

// An admin body: {"mode": "status", "status": 503, "count": 2} and the like; the error names the
// field. Unknown fields and fields of another mode are refused.
std::variant<FaultRule, std::string> parse_fault_rule(std::string_view body);

boost::json::object to_json(const FaultRule& rule);

// Not thread-safe: the portal guards it with its own mutex.
class FaultPlan {
 public:
  void add(FaultRule rule);
  std::size_t clear();
  const std::deque<FaultRule>& rules() const { return rules_; }
  // The fault for the delivery at hand, if any. The first rule decides: a counted rule is used
  // up by one injection and then removed; a probability rule that draws a miss lets this
  // delivery through untouched (it does not consult the rules behind it).
  std::optional<Injection> take();

 private:
  std::deque<FaultRule> rules_;
};

}  // namespace tekser::mocks::portal
