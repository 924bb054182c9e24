// How a delivery attempt to the portal's webhook is judged, and when the next one is made.
// Pure: the reply and a random draw come in.
//
// contracts/portal ("The answers"): 2xx accepted (a repeated Idempotency-Key answers 200
// {"duplicate":true}); 400, 409, 413, 415 and 422 cannot succeed on a retry: dead letter at once,
// for an operator to look at and replay; anything else — 401 (a secret being rotated, a clock
// off), 408, 425, 429, 5xx, a transport error — is retried with exponential backoff and full
// jitter (or after Retry-After when that is longer) until the attempts run out.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/net/http_client.hpp"

namespace tekser::delivery {

// The contract's defaults: after failure n, wait random(0, min(10 min, 1 s × 2^n)).
struct BackoffPolicy {
  std::chrono::milliseconds initial{2000};  // the cap after the first failure
  std::chrono::milliseconds max{10 * 60 * 1000};
  double multiplier = 2.0;
  double jitter = 1.0;    // the delay is drawn from [(1 - jitter) * d, d]: 1 = full jitter
  // After this many failures a trigger is a dead letter: with the 10-minute cap, 300 is about
  // two days, beyond the one-working-day deadline, so a portal outage of hours parks nothing.
  int max_attempts = 300;
};

// The wait after `failures` failed attempts (>= 1): min(max, initial * multiplier^(failures-1)),
// less up to `jitter` of it; `unit_random` is a draw from [0, 1).
std::chrono::milliseconds retry_delay(const BackoffPolicy& policy, int failures,
                                      double unit_random);

struct AttemptVerdict {
  enum class Kind { delivered, retry, dead };
  Kind kind = Kind::retry;
  std::optional<int> status;  // the HTTP status, when there was a response
  std::string error;          // for the trigger's last_error; empty when delivered
  // The portal's Retry-After (delta-seconds form), to wait at least that long.
  std::optional<std::chrono::seconds> retry_after;
};

// `attempts_before` failed attempts came before this one.
AttemptVerdict judge(const net::HttpReply& reply, int attempts_before, const BackoffPolicy& policy);

}  // namespace tekser::delivery
