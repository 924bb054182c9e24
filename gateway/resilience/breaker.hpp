// A circuit breaker for one state system: pure and clock-injected (every call is given `now` on
// the steady clock), not thread-safe (SourceHealth holds one per system under a lock).
//
//   closed    --(failure_threshold consecutive failures, or failure_ratio of the last `window`
//                calls once the window is full)-->  open
//   open      --(open_for has passed)-->  half_open: exactly one probe goes out
//   half_open --(the probe succeeds)-->  closed;  --(the probe fails)-->  open again
//
// Only unavailability is a failure (resilience/classify.hpp); a definite answer of the system,
// even "no data" or a refusal, is a success: the system is up and said something.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace tekser::resilience {

using SteadyTime = std::chrono::steady_clock::time_point;

struct BreakerPolicy {
  int failure_threshold = 5;   // consecutive failures that open the circuit
  double failure_ratio = 0.5;  // or this share of failures among the last `window` calls
  int window = 20;             // calls; 0 turns the ratio rule off
  std::chrono::milliseconds open_for{30000};  // cool-down before one probe is let through
};

enum class BreakerState { closed, open, half_open };
std::string_view to_string(BreakerState state);

enum class CallResult {
  success,  // the system answered (data, no data, a definite refusal)
  failure,  // the system was unavailable (resilience/classify.hpp)
  neutral,  // nothing learnt (nothing was sent): releases a probe, changes nothing else
};

// What allow() hands out: which period of the breaker the call belongs to. A call that ends after
// the breaker moved on (it was in flight when the circuit opened) updates the counters of
// record() but moves no state.
struct Ticket {
  std::uint64_t generation = 0;
  bool probe = false;
};

class CircuitBreaker {
 public:
  explicit CircuitBreaker(BreakerPolicy policy);

  // A ticket when a call may go out now; nullopt while open (or while the half-open probe is out).
  std::optional<Ticket> allow(SteadyTime now);
  // The end of a call allow() let out.
  void record(const Ticket& ticket, CallResult result, SteadyTime now);

  // The state as of `now`: an open circuit past its cool-down reads half_open.
  BreakerState state(SteadyTime now) const;
  int consecutive_failures() const { return consecutive_failures_; }
  // When an open circuit lets its probe through; nullopt unless open.
  std::optional<SteadyTime> retry_at() const;
  std::uint64_t times_opened() const { return times_opened_; }
  const BreakerPolicy& policy() const { return policy_; }

 private:
  void open(SteadyTime now);
  void close();

  BreakerPolicy policy_;
  BreakerState state_ = BreakerState::closed;
  std::uint64_t generation_ = 0;
  int consecutive_failures_ = 0;
  std::deque<bool> window_;  // the last calls, true = failure (closed state only)
  int window_failures_ = 0;
  SteadyTime opened_at_{};
  bool probe_out_ = false;
  std::uint64_t times_opened_ = 0;
};

}  // namespace tekser::resilience
