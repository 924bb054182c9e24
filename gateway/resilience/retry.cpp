#include "gateway/resilience/retry.hpp"

#include <algorithm>

namespace tekser::resilience {

using std::chrono::milliseconds;

Backoff::Backoff(RetryPolicy policy, std::uint64_t seed) : policy_(policy), random_(seed) {}

milliseconds Backoff::delay(int retry) {
  const auto base = std::max<long long>(1, policy_.backoff_base.count());
  const auto cap = std::max<long long>(base, policy_.backoff_cap.count());
  long long ceiling = base;
  for (int i = 1; i < retry && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  // 53 random bits as a double in [0, 1): the same on every standard library, unlike
  // std::uniform_real_distribution.
  const double unit = static_cast<double>(random_() >> 11) * 0x1.0p-53;
  const double half = static_cast<double>(ceiling) / 2.0;
  return milliseconds(static_cast<long long>(half + unit * half + 0.5));
}

std::optional<milliseconds> next_retry(const RetryPolicy& policy, int attempts,
                                       milliseconds time_left, Backoff& backoff) {
  if (attempts >= policy.max_attempts) return std::nullopt;
  const auto wait = backoff.delay(attempts);
  if (wait + policy.min_attempt > time_left) return std::nullopt;
  return wait;
}

}  // namespace tekser::resilience
