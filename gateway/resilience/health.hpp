// What the gateway knows of each state system's health: one circuit breaker per system, the
// system's retry policy, and the last success and failure (time and cause) — shared by the
// on-demand verify and the refresh, reported by /readyz and /metrics. Thread-safe; the clock is
// injected (tests move it by hand).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/time/xsd_time.hpp"
#include "gateway/resilience/breaker.hpp"
#include "gateway/resilience/classify.hpp"
#include "gateway/resilience/retry.hpp"

namespace tekser::resilience {

struct SystemPolicy {
  BreakerPolicy breaker;
  RetryPolicy retry;
};

struct Clock {
  std::function<SteadyTime()> steady = [] { return std::chrono::steady_clock::now(); };
  std::function<xsd_time::TimePoint()> wall = [] { return xsd_time::now_ms(); };
};

// One system's state as the operators see it.
struct SystemHealth {
  std::string system;
  BreakerState state = BreakerState::closed;
  int consecutive_failures = 0;
  std::optional<xsd_time::TimePoint> last_success_at;
  std::optional<xsd_time::TimePoint> last_failure_at;
  std::string last_failure_cause;
  // The last attempt that reached the system was unavailable (whatever the breaker says).
  bool last_attempt_failed = false;
  std::optional<xsd_time::TimePoint> probe_after;  // open: when one probe is let through
  std::uint64_t times_opened = 0;
  std::uint64_t attempts = 0;         // attempts sent
  std::uint64_t failures = 0;         // attempts that found the system unavailable
  std::uint64_t retries = 0;          // attempts that were retries
  std::uint64_t short_circuited = 0;  // queries answered "circuit open" without asking
};

class SourceHealth {
 public:
  // `policies` by system; a system not named gets `fallback`. `unavailable_codes`: see classify().
  SourceHealth(std::map<std::string, SystemPolicy> policies, SystemPolicy fallback,
               std::set<std::string> unavailable_codes = default_unavailable_codes(),
               Clock clock = {});

  const SystemPolicy& policy(const std::string& system) const;
  const std::set<std::string>& unavailable_codes() const { return unavailable_codes_; }
  SteadyTime now() const { return clock_.steady(); }

  // A ticket when `system` may be asked now; nullopt while its circuit is open (a query's first
  // attempt refused so is counted as short-circuited; a `retry` refused is not).
  std::optional<Ticket> allow(const std::string& system, bool retry = false);
  // The end of an attempt allow() let out. `retry`: it was not the query's first attempt.
  void record(const std::string& system, const Ticket& ticket, Attempt attempt,
              const std::string& cause, bool retry);

  // Every system asked so far, or named in the policies (sorted by name).
  std::vector<SystemHealth> snapshot() const;
  std::optional<SystemHealth> snapshot(const std::string& system) const;
  // Open or half-open: the system is being kept at a distance.
  bool circuit_open(const std::string& system) const;

 private:
  struct Entry {
    explicit Entry(const BreakerPolicy& policy) : breaker(policy) {}
    CircuitBreaker breaker;
    SystemHealth health;
  };
  Entry& entry(const std::string& system);
  SystemHealth view(const Entry& e) const;

  std::map<std::string, SystemPolicy> policies_;
  SystemPolicy fallback_;
  std::set<std::string> unavailable_codes_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace tekser::resilience
