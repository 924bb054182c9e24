// Per-system bounds on what tekser asks of a state system: at most `max_concurrent` requests in
// flight and at most `rate_per_second` started (a token bucket with a burst of one second's
// worth), so that a weekly run over a hundred thousand suppliers never floods a registry.
// Thread-safe; waiting is asynchronous (short timer naps, no thread blocks).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace tekser::verify {

struct SystemLimit {
  int max_concurrent = 8;
  double rate_per_second = 50;  // 0 = no rate limit
};

class SystemLimiter {
 public:
  // `limits` by system; a system not named gets `fallback`.
  SystemLimiter(std::map<std::string, SystemLimit> limits, SystemLimit fallback);

  // Waits for a slot of `system`; pair every acquire with a release.
  boost::asio::awaitable<void> acquire(const std::string& system);
  void release(const std::string& system);

  struct Usage {
    int in_flight = 0;
    long long started = 0;
    long long waited_ms = 0;  // time requests spent waiting for a slot
  };
  Usage usage(const std::string& system) const;

 private:
  struct State {
    SystemLimit limit;
    int in_flight = 0;
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled{};
    long long started = 0;
    long long waited_ms = 0;
  };
  // Takes a slot if one is free now; otherwise how long to wait before trying again.
  std::chrono::milliseconds try_take(const std::string& system);
  State& state(const std::string& system);

  std::map<std::string, SystemLimit> limits_;
  SystemLimit fallback_;
  mutable std::mutex mutex_;
  std::map<std::string, State> states_;
};

}  // namespace tekser::verify
