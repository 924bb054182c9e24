#include "gateway/verify/guarded_query.hpp"

#include <atomic>
#include <random>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tekser::verify {

namespace asio = boost::asio;
using std::chrono::milliseconds;

adapters::QueryResult failed_query(const adapters::Source& source, std::exception_ptr error) {
  adapters::QueryResult out;
  out.result.system = std::string(source.system());
  out.result.service_id = std::string(source.service_id());
  out.result.outcome = facts::Outcome::unavailable;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    out.result.cause = std::string("adapter error: ") + e.what();
  } catch (...) {
    out.result.cause = "adapter error: non-standard exception";
  }
  return out;
}

namespace {

// One attempt; an adapter that throws has a bug, and its answer is unknown.
asio::awaitable<adapters::QueryResult> attempt(adapters::Source* source,
                                               const adapters::Subject& subject) {
  std::exception_ptr error;
  adapters::QueryResult result;
  try {
    result = co_await source->query(subject);
  } catch (...) {
    error = std::current_exception();
  }
  if (error) co_return failed_query(*source, error);
  co_return result;
}

// Holds a bulkhead slot until destroyed (also when the coroutine is torn down).
struct Slot {
  Slot(SystemLimiter* limiter, std::string system) : limiter(limiter), system(std::move(system)) {}
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() { limiter->release(system); }
  SystemLimiter* limiter;
  std::string system;
};

}  // namespace

adapters::QueryResult circuit_open_answer(const adapters::Source& source,
                                          const std::optional<resilience::SystemHealth>& health) {
  adapters::QueryResult out;
  out.result.system = std::string(source.system());
  out.result.service_id = std::string(source.service_id());
  out.result.outcome = facts::Outcome::unavailable;
  out.result.cause = "circuit open: " + out.result.system + " not asked";
  if (health) {
    if (health->consecutive_failures > 0)
      out.result.cause +=
          ", " + std::to_string(health->consecutive_failures) + " failures in a row";
    if (!health->last_failure_cause.empty())
      out.result.cause += ", last: " + health->last_failure_cause;
    if (health->probe_after)
      out.result.cause += "; next probe after " + xsd_time::format_utc(*health->probe_after);
  }
  return out;
}

adapters::QueryResult limiter_wait_exceeded(const adapters::Source& source) {
  adapters::QueryResult out;
  out.result.system = std::string(source.system());
  out.result.service_id = std::string(source.service_id());
  out.result.outcome = facts::Outcome::unavailable;
  out.result.cause = "limiter wait exceeded: no free slot for " + out.result.system +
                     " within its max_wait; not asked";
  return out;
}

std::uint64_t next_jitter_seed() {
  static std::atomic<std::uint64_t> next{std::random_device{}()};
  return next.fetch_add(0x9E3779B97F4A7C15ull, std::memory_order_relaxed);
}

asio::awaitable<adapters::QueryResult> guarded_query(adapters::Source* source,
                                                     adapters::Subject subject, Guards guards,
                                                     std::uint64_t seed) {
  const std::string system(source->system());
  auto* health = guards.health;

  // An open circuit answers at once, before the query would queue for a slot.
  std::optional<resilience::Ticket> ticket;
  if (health) {
    ticket = health->allow(system);
    if (!ticket) co_return circuit_open_answer(*source, health->snapshot(system));
  }

  std::optional<Slot> slot;
  if (guards.limiter) {
    // First come, first served, and never past the system's max_wait: then nothing is sent and
    // the answer is unknown (unavailable), never a block.
    const bool taken = co_await guards.limiter->acquire(system);
    if (!taken) co_return limiter_wait_exceeded(*source);
    slot.emplace(guards.limiter, system);
  }
  if (!health) co_return co_await attempt(source, subject);

  const auto& policy = health->policy(system).retry;
  // The deadline runs from the first attempt: waiting for a slot is the bulkhead's, not the
  // system's time.
  const auto deadline = health->now() + policy.deadline;
  subject.deadline = deadline;
  resilience::Backoff backoff(policy, seed);
  std::vector<adapters::QueryResult> earlier;
  adapters::QueryResult result;
  for (int attempts = 1;; ++attempts) {
    result = co_await attempt(source, subject);
    const auto kind = resilience::classify(result, health->unavailable_codes());
    health->record(system, *ticket, kind, result.result.cause, attempts > 1);
    if (kind != resilience::Attempt::retryable) break;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - health->now());
    const auto wait = resilience::next_retry(policy, attempts, left, backoff);
    if (!wait) {
      if (attempts > 1) result.result.cause += " (" + std::to_string(attempts) + " attempts)";
      break;
    }
    asio::steady_timer timer(co_await asio::this_coro::executor, *wait);
    co_await timer.async_wait(asio::use_awaitable);
    // The circuit may have opened meanwhile (this query's failures or others'): then the last
    // real answer stands, and the system is left alone.
    ticket = health->allow(system, /*retry=*/true);
    if (!ticket) {
      result.result.cause += " (" + std::to_string(attempts) + " attempts; circuit now open)";
      break;
    }
    earlier.push_back(std::move(result));
  }
  result.earlier_attempts = std::move(earlier);
  co_return result;
}

}  // namespace tekser::verify
