// One source's query under its system's guards, the same for the portal's verify and the
// refresh:
//   - the circuit breaker (gateway/resilience): while the system's circuit is open it is not
//     asked; the answer is `unavailable`, cause "circuit open: …", so what it vouches for stays
//     unknown, never a block;
//   - the bulkhead (SystemLimiter): one slot of the system's max_concurrent, held from the first
//     attempt to the last (a failing system gets fewer new queries, not more), one rate token;
//     waited for first come, first served, at most the system's max_wait (then `unavailable`,
//     cause "limiter wait exceeded: …", nothing sent);
//   - retries: an attempt that found the system unavailable in a way another attempt may cure
//     (resilience::classify) is repeated after a jittered exponential backoff, under one total
//     deadline per query; no attempt runs past it. A definite answer is never repeated. Every
//     attempt has its own message id and its own message-log row (QueryResult::earlier_attempts).
#pragma once

#include <cstdint>

#include <boost/asio/awaitable.hpp>

#include "adapters/source.hpp"
#include "gateway/resilience/health.hpp"
#include "gateway/verify/limiter.hpp"

namespace tekser::verify {

struct Guards {
  SystemLimiter* limiter = nullptr;            // none: no bulkhead
  resilience::SourceHealth* health = nullptr;  // none: one attempt, no breaker
};

// Raw pointers: the coroutine may outlive the statement that spawned it, not the gateway's
// parts. `seed` seeds this query's backoff jitter. Throws only what the limiter may throw; an
// adapter that throws yields `unavailable` with the error as cause.
boost::asio::awaitable<adapters::QueryResult> guarded_query(adapters::Source* source,
                                                            adapters::Subject subject,
                                                            Guards guards, std::uint64_t seed);

// The answer for a query whose adapter threw (a bug): `unavailable`, the error as cause, so the
// subject's answer is unknown, never a verdict.
adapters::QueryResult failed_query(const adapters::Source& source, std::exception_ptr error);

// The answer given for a system whose circuit is open, without asking it.
adapters::QueryResult circuit_open_answer(const adapters::Source& source,
                                          const std::optional<resilience::SystemHealth>& health);

// The answer given when no bulkhead slot came free before the limiter's deadline (nothing sent).
adapters::QueryResult limiter_wait_exceeded(const adapters::Source& source);

// A fresh jitter seed per query (thread-safe).
std::uint64_t next_jitter_seed();

}  // namespace tekser::verify
