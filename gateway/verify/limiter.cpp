#include "gateway/verify/limiter.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tekser::verify {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = SystemLimiter::Clock;

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
  s.refilled = Clock::now();
  return states_.emplace(system, std::move(s)).first->second;
}

void SystemLimiter::refill(State& s, Clock::time_point now) {
  if (s.limit.rate_per_second <= 0) return;
  const double elapsed = std::chrono::duration<double>(now - s.refilled).count();
  if (elapsed <= 0) return;
  s.tokens = std::min(std::max(1.0, s.limit.rate_per_second),
                      s.tokens + elapsed * s.limit.rate_per_second);
  s.refilled = now;
}

bool SystemLimiter::can_take(const State& s) {
  return s.in_flight < s.limit.max_concurrent && (s.limit.rate_per_second <= 0 || s.tokens >= 1.0);
}

void SystemLimiter::take(State& s) {
  if (s.limit.rate_per_second > 0) s.tokens -= 1.0;
  ++s.in_flight;
  ++s.started;
}

Clock::time_point SystemLimiter::token_due(const State& s, Clock::time_point now) {
  if (s.limit.rate_per_second <= 0 || s.tokens >= 1.0) return now;
  const double seconds = (1.0 - s.tokens) / s.limit.rate_per_second;
  return now + std::max(milliseconds(1), milliseconds(static_cast<long long>(seconds * 1000 + 1)));
}

void SystemLimiter::pump(State& s, Clock::time_point now) {
  refill(s, now);
  while (!s.queue.empty() && can_take(s)) {
    auto w = std::move(s.queue.front());
    s.queue.pop_front();
    take(s);
    w->granted = true;
    w->timer.cancel();
  }
  // A slot is free but a token is missing: the head sleeps until it is due (its timer re-armed).
  if (!s.queue.empty() && s.in_flight < s.limit.max_concurrent) s.queue.front()->timer.cancel();
}

asio::awaitable<void> SystemLimiter::wait(const std::string& system, Waiter* w) {
  // The initiation carries raw pointers only (g++ 12, see DbPool::run); `w` is owned by the
  // caller's frame and the queue.
  auto token = asio::as_tuple(asio::use_awaitable);
  co_await asio::async_initiate<decltype(token), void(boost::system::error_code)>(
      [this, &system, w](auto handler) {
        std::lock_guard lock(mutex_);
        auto& s = state(system);
        const auto now = Clock::now();
        auto wake = w->deadline;
        if (w->granted) {
          wake = now;  // already granted: straight back
        } else if (!s.queue.empty() && s.queue.front().get() == w &&
                   s.in_flight < s.limit.max_concurrent) {
          wake = std::min(wake, token_due(s, now));  // the head, waiting for a token only
        }
        w->timer.expires_at(wake);
        w->timer.async_wait(std::move(handler));
      },
      token);
}

asio::awaitable<bool> SystemLimiter::acquire(const std::string& system,
                                             std::optional<Clock::time_point> deadline) {
  const auto began = Clock::now();
  auto executor = co_await asio::this_coro::executor;
  std::shared_ptr<Waiter> w;
  {
    std::lock_guard lock(mutex_);
    auto& s = state(system);
    refill(s, began);
    if (s.queue.empty() && can_take(s)) {  // nobody waiting before this one
      take(s);
      co_return true;
    }
    w = std::make_shared<Waiter>(executor);
    if (deadline)
      w->deadline = *deadline;
    else if (s.limit.max_wait.count() > 0)
      w->deadline = began + s.limit.max_wait;
    s.queue.push_back(w);
  }
  for (;;) {
    co_await wait(system, w.get());
    std::lock_guard lock(mutex_);
    auto& s = state(system);
    const auto now = Clock::now();
    if (!w->granted) pump(s, now);  // a token may be due: the head takes it
    if (w->granted) {
      s.waited_ms += std::chrono::duration_cast<milliseconds>(now - began).count();
      co_return true;
    }
    if (now >= w->deadline) {
      s.queue.erase(std::find(s.queue.begin(), s.queue.end(), w));
      ++s.timed_out;
      s.waited_ms += std::chrono::duration_cast<milliseconds>(now - began).count();
      pump(s, now);  // the next in line may go now
      co_return false;
    }
  }
}

void SystemLimiter::release(const std::string& system) {
  std::lock_guard lock(mutex_);
  auto& s = state(system);
  if (s.in_flight > 0) --s.in_flight;
  pump(s, Clock::now());
}

SystemLimiter::Usage SystemLimiter::usage(const std::string& system) const {
  std::lock_guard lock(mutex_);
  const auto found = states_.find(system);
  if (found == states_.end()) return {};
  const auto& s = found->second;
  return {s.in_flight, s.started, s.waited_ms, s.timed_out, static_cast<int>(s.queue.size())};
}

}  // namespace tekser::verify
