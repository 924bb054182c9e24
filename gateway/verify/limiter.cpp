#include "gateway/verify/limiter.hpp"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tekser::verify {

namespace asio = boost::asio;
using std::chrono::milliseconds;

SystemLimiter::SystemLimiter(std::map<std::string, SystemLimit> limits, SystemLimit fallback)
    : limits_(std::move(limits)), fallback_(fallback) {}

SystemLimiter::State& SystemLimiter::state(const std::string& system) {
  auto found = states_.find(system);
  if (found != states_.end()) return found->second;
  State s;
  const auto limit = limits_.find(system);
  s.limit = limit == limits_.end() ? fallback_ : limit->second;
  s.limit.max_concurrent = std::max(1, s.limit.max_concurrent);
  s.tokens = std::max(1.0, s.limit.rate_per_second);  // a full bucket to begin with
  s.refilled = std::chrono::steady_clock::now();
  return states_.emplace(system, s).first->second;
}

milliseconds SystemLimiter::try_take(const std::string& system) {
  std::lock_guard lock(mutex_);
  auto& s = state(system);
  const auto now = std::chrono::steady_clock::now();
  if (s.limit.rate_per_second > 0) {
    const double elapsed = std::chrono::duration<double>(now - s.refilled).count();
    s.tokens = std::min(std::max(1.0, s.limit.rate_per_second),
                        s.tokens + elapsed * s.limit.rate_per_second);
    s.refilled = now;
  }
  if (s.in_flight >= s.limit.max_concurrent) return milliseconds(5);
  if (s.limit.rate_per_second > 0 && s.tokens < 1.0) {
    const double seconds = (1.0 - s.tokens) / s.limit.rate_per_second;
    return std::max(milliseconds(1), milliseconds(static_cast<long long>(seconds * 1000 + 0.5)));
  }
  if (s.limit.rate_per_second > 0) s.tokens -= 1.0;
  ++s.in_flight;
  ++s.started;
  return milliseconds(0);
}

asio::awaitable<void> SystemLimiter::acquire(const std::string& system) {
  const auto began = std::chrono::steady_clock::now();
  auto wait = try_take(system);
  if (wait.count() == 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (wait.count() > 0) {
    timer.expires_after(wait);
    co_await timer.async_wait(asio::use_awaitable);
    wait = try_take(system);
  }
  const auto waited =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - began);
  std::lock_guard lock(mutex_);
  state(system).waited_ms += waited.count();
}

void SystemLimiter::release(const std::string& system) {
  std::lock_guard lock(mutex_);
  auto& s = state(system);
  if (s.in_flight > 0) --s.in_flight;
}

SystemLimiter::Usage SystemLimiter::usage(const std::string& system) const {
  std::lock_guard lock(mutex_);
  const auto found = states_.find(system);
  if (found == states_.end()) return {};
  return {found->second.in_flight, found->second.started, found->second.waited_ms};
}

}  // namespace tekser::verify
