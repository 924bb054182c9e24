// Retries of an idempotent query (every state-system query here is a read): jittered exponential
// backoff under one total deadline per query. Pure: the time left is given, the jitter comes from
// a seeded generator, so a schedule replays exactly in a test.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace tekser::resilience {

struct RetryPolicy {
  int max_attempts = 3;                         // the first attempt included; 1 = no retry
  std::chrono::milliseconds backoff_base{200};  // the wait before the first retry, at most
  std::chrono::milliseconds backoff_cap{2000};  // no wait is longer
  // The whole query, every attempt and wait included: no attempt runs past it.
  std::chrono::milliseconds deadline{15000};
  // A retry starts only if at least this much of the deadline is left after its wait: an attempt
  // with less time than that would only time out.
  std::chrono::milliseconds min_attempt{200};
};

// The waits between attempts: the n-th retry waits a uniformly drawn time in [d/2, d] with
// d = min(cap, base * 2^(n-1)) ("equal jitter": never a zero wait, never in lock-step with the
// other queries that failed at the same moment).
class Backoff {
 public:
  Backoff(RetryPolicy policy, std::uint64_t seed);
  // The wait before retry number `retry` (1 = before the second attempt).
  std::chrono::milliseconds delay(int retry);

 private:
  RetryPolicy policy_;
  std::mt19937_64 random_;
};

// After `attempts` attempts of which the last failed in a retryable way, with `time_left` of the
// query's deadline: how long to wait before the next attempt, or nullopt when the query ends here
// (attempts used up, or the wait plus min_attempt would not fit in the time left).
std::optional<std::chrono::milliseconds> next_retry(const RetryPolicy& policy, int attempts,
                                                    std::chrono::milliseconds time_left,
                                                    Backoff& backoff);

}  // namespace tekser::resilience
