#include "gateway/delivery/policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tekser::delivery {

std::chrono::milliseconds retry_delay(const BackoffPolicy& policy, int failures,
                                      double unit_random) {
  const double exponent = std::max(0, failures - 1);
  const double full = std::min(static_cast<double>(policy.max.count()),
                               static_cast<double>(policy.initial.count()) *
                                   std::pow(policy.multiplier, std::min(exponent, 60.0)));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  const double draw = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(full * (1.0 - jitter * draw)));
}

AttemptVerdict judge(const net::HttpReply& reply, int attempts_before,
                     const BackoffPolicy& policy) {
  AttemptVerdict verdict;
  const bool last_attempt = attempts_before + 1 >= policy.max_attempts;
  if (!reply.is_response()) {
    verdict.error = reply.cause;
    verdict.kind = last_attempt ? AttemptVerdict::Kind::dead : AttemptVerdict::Kind::retry;
    return verdict;
  }
  verdict.status = static_cast<int>(reply.status);
  if (reply.status >= 200 && reply.status < 300) {
    verdict.kind = AttemptVerdict::Kind::delivered;
    return verdict;
  }
  std::string body = reply.body.substr(0, 300);
  verdict.error = reply.status_text() + (body.empty() ? "" : ": " + body);
  if (const auto found = reply.headers.find("Retry-After"); found != reply.headers.end()) {
    const std::string_view value = found->value();
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc{} && end == value.data() + value.size() && seconds >= 0)
      verdict.retry_after = std::chrono::seconds(std::min(seconds, 24LL * 3600));
  }
  const unsigned s = reply.status;
  if (s == 400 || s == 409 || s == 413 || s == 415 || s == 422) {
    verdict.kind = AttemptVerdict::Kind::dead;
    return verdict;
  }
  verdict.kind = last_attempt ? AttemptVerdict::Kind::dead : AttemptVerdict::Kind::retry;
  return verdict;
}

}  // namespace tekser::delivery
