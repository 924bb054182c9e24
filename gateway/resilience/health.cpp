#include "gateway/resilience/health.hpp"

namespace tekser::resilience {

SourceHealth::SourceHealth(std::map<std::string, SystemPolicy> policies, SystemPolicy fallback,
                           std::set<std::string> unavailable_codes, Clock clock)
    : policies_(std::move(policies)),
      fallback_(fallback),
      unavailable_codes_(std::move(unavailable_codes)),
      clock_(std::move(clock)) {
  for (const auto& [system, _] : policies_) entry(system);
}

const SystemPolicy& SourceHealth::policy(const std::string& system) const {
  const auto found = policies_.find(system);
  return found == policies_.end() ? fallback_ : found->second;
}

SourceHealth::Entry& SourceHealth::entry(const std::string& system) {
  auto found = entries_.find(system);
  if (found != entries_.end()) return found->second;
  auto& e = entries_.emplace(system, Entry(policy(system).breaker)).first->second;
  e.health.system = system;
  return e;
}

std::optional<Ticket> SourceHealth::allow(const std::string& system, bool retry) {
  std::lock_guard lock(mutex_);
  auto& e = entry(system);
  auto ticket = e.breaker.allow(clock_.steady());
  if (!ticket && !retry) ++e.health.short_circuited;
  return ticket;
}

void SourceHealth::record(const std::string& system, const Ticket& ticket, Attempt attempt,
                          const std::string& cause, bool retry) {
  std::lock_guard lock(mutex_);
  auto& e = entry(system);
  CallResult result = CallResult::neutral;
  switch (attempt) {
    case Attempt::answer:
      result = CallResult::success;
      break;
    case Attempt::retryable:
    case Attempt::unavailable:
      result = CallResult::failure;
      break;
    case Attempt::not_sent:
      result = CallResult::neutral;
      break;
  }
  e.breaker.record(ticket, result, clock_.steady());
  if (result == CallResult::neutral) return;
  ++e.health.attempts;
  if (retry) ++e.health.retries;
  if (result == CallResult::success) {
    e.health.last_success_at = clock_.wall();
    e.health.last_attempt_failed = false;
  } else {
    ++e.health.failures;
    e.health.last_failure_at = clock_.wall();
    e.health.last_failure_cause = cause;
    e.health.last_attempt_failed = true;
  }
}

SystemHealth SourceHealth::view(const Entry& e) const {
  auto out = e.health;
  const auto now = clock_.steady();
  out.state = e.breaker.state(now);
  out.consecutive_failures = e.breaker.consecutive_failures();
  out.times_opened = e.breaker.times_opened();
  if (const auto at = e.breaker.retry_at(); at && out.state == BreakerState::open)
    out.probe_after =
        clock_.wall() + std::chrono::duration_cast<std::chrono::milliseconds>(*at - now);
  return out;
}

std::vector<SystemHealth> SourceHealth::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<SystemHealth> out;
  for (const auto& [_, e] : entries_) out.push_back(view(e));
  return out;
}

std::optional<SystemHealth> SourceHealth::snapshot(const std::string& system) const {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(system);
  if (found == entries_.end()) return std::nullopt;
  return view(found->second);
}

bool SourceHealth::circuit_open(const std::string& system) const {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find(system);
  return found != entries_.end() &&
         found->second.breaker.state(clock_.steady()) != BreakerState::closed;
}

}  // namespace tekser::resilience
