// What one attempt of a state-system query says about the system's availability: the breaker
// counts unavailability, the retry loop repeats only what another attempt may cure. Pure.
#pragma once

#include <set>
#include <string>

#include "adapters/source.hpp"

namespace tekser::resilience {

enum class Attempt {
  answer,       // a definite answer (data, no data, a business refusal): never retried
  retryable,    // unavailable, and another attempt may succeed: transport failures
                // (timeout, reset, refused connection), HTTP 5xx / 408 / 429, a SOAP fault or
                // bus status naming unavailability (SE_PROVIDER_UNAVAILABLE, SE_QUEUE_FULL, …)
  unavailable,  // unavailable, but the same again would not help: a reply that cannot be
                // read, or one the signature policy rejects. Counted, not retried
  not_sent,     // nothing reached the system (e.g. no consent token): neither
};

// The ErrorInfo codes / bus status codes that mean "the system is unavailable" by default.
std::set<std::string> default_unavailable_codes();

// `unavailable_codes`: SOAP fault ErrorInfo codes and non-success bus status codes that mean the
// system (or the bus in front of it) is unavailable or busy; any other fault or status is a
// definite refusal.
Attempt classify(const adapters::QueryResult& result,
                 const std::set<std::string>& unavailable_codes);

}  // namespace tekser::resilience
