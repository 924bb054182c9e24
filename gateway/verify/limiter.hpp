// Per-system bounds on what tekser asks of a state system: at most `max_concurrent` requests in
// flight and at most `rate_per_second` started (a token bucket with a burst of one second's
// worth), so that a weekly run over a hundred thousand suppliers never floods a registry.
//
// Waiters are served first come, first served (a queue per system; a newcomer never overtakes
// one already waiting), each woken exactly when a slot is released or its next token is due — no
// polling — and none waits past its deadline (`max_wait`, or the one given): then acquire()
// answers false and the caller reports the system unavailable ("limiter wait exceeded"), an
// unknown answer, never a block. Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace tekser::verify {

struct SystemLimit {
  int max_concurrent = 8;
  double rate_per_second = 50;  // 0 = no rate limit
  // The longest a query waits for a slot (0: no bound).
  std::chrono::milliseconds max_wait{60'000};
};

class SystemLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `limits` by system; a system not named gets `fallback`.
  SystemLimiter(std::map<std::string, SystemLimit> limits, SystemLimit fallback);

  // Waits for a slot of `system`, in arrival order, until `deadline` (none: now + the system's
  // max_wait). True: the slot is taken — pair it with a release. False: the deadline passed and
  // nothing was taken.
  boost::asio::awaitable<bool> acquire(const std::string& system,
                                       std::optional<Clock::time_point> deadline = std::nullopt);
  void release(const std::string& system);

  struct Usage {
    int in_flight = 0;
    long long started = 0;
    long long waited_ms = 0;  // time requests spent waiting for a slot
    long long timed_out = 0;  // waits that reached their deadline
    int waiting = 0;
  };
  Usage usage(const std::string& system) const;

 private:
  struct Waiter {
    explicit Waiter(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
    boost::asio::steady_timer timer;  // armed and cancelled under the mutex only
    Clock::time_point deadline = Clock::time_point::max();
    bool granted = false;
  };
  struct State {
    SystemLimit limit;
    int in_flight = 0;
    double tokens = 0;
    Clock::time_point refilled{};
    long long started = 0;
    long long waited_ms = 0;
    long long timed_out = 0;
    std::deque<std::shared_ptr<Waiter>> queue;
  };
  State& state(const std::string& system);
  static void refill(State& s, Clock::time_point now);
  static bool can_take(const State& s);
  static void take(State& s);
  // When `s`'s next token is due (now when one is there, or without a rate).
  static Clock::time_point token_due(const State& s, Clock::time_point now);
  // Grants slots to the head of the queue while they are free; wakes the head when only a
  // token is missing, so that it sleeps until that token is due.
  static void pump(State& s, Clock::time_point now);
  // Suspends until `w` is granted, woken, or its wake-up time comes; arms its timer under the
  // mutex, so a grant cannot slip in between.
  boost::asio::awaitable<void> wait(const std::string& system, Waiter* w);

  std::map<std::string, SystemLimit> limits_;
  SystemLimit fallback_;
  mutable std::mutex mutex_;
  std::map<std::string, State> states_;
};

}  // namespace tekser::verify
