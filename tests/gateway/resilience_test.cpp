// The resilience parts, on a fake clock: the circuit breaker's states, the retry schedule (with a
// fixed jitter seed), what an attempt says of availability, the per-system health registry, and
// the resilience section of the configuration.
#include <gtest/gtest.h>

#include <set>

#include "gateway/config/config.hpp"
#include "gateway/resilience/breaker.hpp"
#include "gateway/resilience/classify.hpp"
#include "gateway/resilience/health.hpp"
#include "gateway/resilience/retry.hpp"

namespace tekser::resilience {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// A steady clock moved by hand.
struct FakeTime {
  SteadyTime now = SteadyTime{} + 1h;
  void advance(milliseconds d) { now += d; }
};

BreakerPolicy policy(int threshold, milliseconds open_for, int window = 0, double ratio = 0.5) {
  BreakerPolicy p;
  p.failure_threshold = threshold;
  p.open_for = open_for;
  p.window = window;
  p.failure_ratio = ratio;
  return p;
}

// One call through the breaker: allowed or not, and its result recorded.
bool call(CircuitBreaker& breaker, FakeTime& t, CallResult result) {
  auto ticket = breaker.allow(t.now);
  if (!ticket) return false;
  breaker.record(*ticket, result, t.now);
  return true;
}

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndSuccessResetsTheCount) {
  FakeTime t;
  CircuitBreaker breaker(policy(3, 10s));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  EXPECT_TRUE(call(breaker, t, CallResult::success));  // the run of failures is broken
  EXPECT_EQ(breaker.consecutive_failures(), 0);
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  EXPECT_EQ(breaker.state(t.now), BreakerState::closed);
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  EXPECT_EQ(breaker.state(t.now), BreakerState::open);
  EXPECT_EQ(breaker.times_opened(), 1u);
  EXPECT_FALSE(breaker.allow(t.now)) << "open: the system is not asked";
  ASSERT_TRUE(breaker.retry_at());
  EXPECT_EQ(*breaker.retry_at(), t.now + 10s);
}

TEST(CircuitBreaker, NeutralResultsNeitherOpenNorClose) {
  FakeTime t;
  CircuitBreaker breaker(policy(2, 10s));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(call(breaker, t, CallResult::neutral));
  EXPECT_EQ(breaker.consecutive_failures(), 1);
  EXPECT_EQ(breaker.state(t.now), BreakerState::closed);
}

TEST(CircuitBreaker, HalfOpenAfterTheCoolDownLetsOneProbeThrough) {
  FakeTime t;
  CircuitBreaker breaker(policy(1, 10s));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  t.advance(9999ms);
  EXPECT_FALSE(breaker.allow(t.now));
  t.advance(1ms);
  EXPECT_EQ(breaker.state(t.now), BreakerState::half_open);
  const auto probe = breaker.allow(t.now);
  ASSERT_TRUE(probe);
  EXPECT_TRUE(probe->probe);
  EXPECT_FALSE(breaker.allow(t.now)) << "one probe at a time";
  breaker.record(*probe, CallResult::success, t.now);
  EXPECT_EQ(breaker.state(t.now), BreakerState::closed);
  EXPECT_TRUE(breaker.allow(t.now));
}

TEST(CircuitBreaker, AFailedProbeOpensAgainForAWholeCoolDown) {
  FakeTime t;
  CircuitBreaker breaker(policy(1, 10s));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  t.advance(10s);
  EXPECT_TRUE(call(breaker, t, CallResult::failure));  // the probe
  EXPECT_EQ(breaker.state(t.now), BreakerState::open);
  EXPECT_EQ(breaker.times_opened(), 2u);
  t.advance(9s);
  EXPECT_FALSE(breaker.allow(t.now));
  t.advance(1s);
  EXPECT_TRUE(breaker.allow(t.now));
}

TEST(CircuitBreaker, ANeutralProbeFreesTheProbeSlot) {
  FakeTime t;
  CircuitBreaker breaker(policy(1, 1s));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  t.advance(1s);
  EXPECT_TRUE(call(breaker, t, CallResult::neutral));
  EXPECT_EQ(breaker.state(t.now), BreakerState::half_open);
  EXPECT_TRUE(breaker.allow(t.now)) << "another probe may go";
}

TEST(CircuitBreaker, CallsFromBeforeTheCircuitOpenedMoveNoState) {
  FakeTime t;
  CircuitBreaker breaker(policy(2, 10s));
  const auto late = breaker.allow(t.now);  // in flight while the circuit opens
  ASSERT_TRUE(late);
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  ASSERT_EQ(breaker.state(t.now), BreakerState::open);
  breaker.record(*late, CallResult::success, t.now);
  EXPECT_EQ(breaker.state(t.now), BreakerState::open) << "a success from before does not close it";
  t.advance(10s);
  const auto probe = breaker.allow(t.now);
  ASSERT_TRUE(probe);
  breaker.record(*late, CallResult::failure, t.now);
  EXPECT_EQ(breaker.state(t.now), BreakerState::half_open) << "nor does a failure reopen it";
  breaker.record(*probe, CallResult::success, t.now);
  EXPECT_EQ(breaker.state(t.now), BreakerState::closed);
}

TEST(CircuitBreaker, OpensOnTheFailureRatioOnceTheWindowIsFull) {
  FakeTime t;
  CircuitBreaker breaker(policy(100, 10s, /*window=*/10, /*ratio=*/0.5));
  // Alternating: never two failures in a row, but half of every ten calls fail.
  for (int i = 0; i < 9; ++i)
    EXPECT_TRUE(call(breaker, t, i % 2 == 0 ? CallResult::failure : CallResult::success));
  EXPECT_EQ(breaker.state(t.now), BreakerState::closed) << "9 calls: the window is not full";
  EXPECT_TRUE(call(breaker, t, CallResult::success));
  EXPECT_EQ(breaker.state(t.now), BreakerState::closed) << "a success never opens it";
  EXPECT_TRUE(call(breaker, t, CallResult::failure));
  EXPECT_EQ(breaker.state(t.now), BreakerState::open);
}

TEST(RetrySchedule, IsJitteredExponentialCappedAndReplaysFromItsSeed) {
  RetryPolicy p;
  p.backoff_base = 100ms;
  p.backoff_cap = 1000ms;
  Backoff a(p, 42), b(p, 42), c(p, 43);
  std::vector<milliseconds> first, second, other;
  for (int retry = 1; retry <= 8; ++retry) {
    first.push_back(a.delay(retry));
    second.push_back(b.delay(retry));
    other.push_back(c.delay(retry));
  }
  EXPECT_EQ(first, second) << "the same seed, the same schedule";
  EXPECT_NE(first, other);
  // retry n waits within [d/2, d], d = min(cap, base * 2^(n-1)).
  const long long ceilings[] = {100, 200, 400, 800, 1000, 1000, 1000, 1000};
  for (int i = 0; i < 8; ++i) {
    EXPECT_GE(first[i].count(), ceilings[i] / 2) << "retry " << i + 1;
    EXPECT_LE(first[i].count(), ceilings[i]) << "retry " << i + 1;
  }
}

TEST(RetrySchedule, StopsAtMaxAttemptsAndNeverRunsPastTheDeadline) {
  RetryPolicy p;
  p.max_attempts = 3;
  p.backoff_base = 200ms;
  p.backoff_cap = 2000ms;
  p.min_attempt = 200ms;
  Backoff backoff(p, 7);
  // Plenty of time: retries 1 and 2, then attempts are used up.
  const auto w1 = next_retry(p, 1, 10s, backoff);
  ASSERT_TRUE(w1);
  EXPECT_GE(w1->count(), 100);
  EXPECT_LE(w1->count(), 200);
  EXPECT_TRUE(next_retry(p, 2, 10s, backoff));
  EXPECT_FALSE(next_retry(p, 3, 10s, backoff));
  // The wait plus a minimal attempt must fit in what is left of the deadline.
  Backoff tight(p, 7);
  EXPECT_FALSE(next_retry(p, 1, 250ms, tight)) << "at most 200 ms wait + 200 ms attempt > 250 ms";
  Backoff loose(p, 7);
  EXPECT_TRUE(next_retry(p, 1, 400ms, loose));
  // One attempt only: never a retry.
  RetryPolicy once = p;
  once.max_attempts = 1;
  EXPECT_FALSE(next_retry(once, 1, 10s, backoff));
}

adapters::QueryResult exchange_of(shep::Exchange::Kind kind) {
  adapters::QueryResult r;
  r.exchange.emplace();
  r.exchange->kind = kind;
  return r;
}

TEST(Classify, OnlyUnavailabilityCountsAndOnlyWhatAnotherAttemptMayCureIsRetried) {
  using Kind = shep::Exchange::Kind;
  const auto codes = default_unavailable_codes();

  adapters::QueryResult not_sent;  // e.g. ГБД ФЛ without a consent token
  EXPECT_EQ(classify(not_sent, codes), Attempt::not_sent);

  EXPECT_EQ(classify(exchange_of(Kind::transport_error), codes), Attempt::retryable);
  EXPECT_EQ(classify(exchange_of(Kind::data), codes), Attempt::answer);
  EXPECT_EQ(classify(exchange_of(Kind::no_data), codes), Attempt::answer) << "no data: definite";
  EXPECT_EQ(classify(exchange_of(Kind::malformed), codes), Attempt::unavailable);

  for (unsigned status : {500u, 502u, 503u, 504u, 408u, 429u}) {
    auto r = exchange_of(Kind::http_error);
    r.exchange->http_status = status;
    EXPECT_EQ(classify(r, codes), Attempt::retryable) << status;
  }
  for (unsigned status : {400u, 401u, 403u, 404u}) {
    auto r = exchange_of(Kind::http_error);
    r.exchange->http_status = status;
    EXPECT_EQ(classify(r, codes), Attempt::answer) << status;
  }

  auto provider_down = exchange_of(Kind::soap_fault);
  provider_down.exchange->reply.error = shep::ErrorInfo{};
  provider_down.exchange->reply.error->code = "SE_PROVIDER_UNAVAILABLE";
  EXPECT_EQ(classify(provider_down, codes), Attempt::retryable);
  auto invalid_request = provider_down;
  invalid_request.exchange->reply.error->code = "SE_REQUEST_INVALID";
  EXPECT_EQ(classify(invalid_request, codes), Attempt::answer);
  auto bare_fault = exchange_of(Kind::soap_fault);
  EXPECT_EQ(classify(bare_fault, codes), Attempt::answer);

  auto busy = exchange_of(Kind::bus_status);
  busy.exchange->reply.info.status_code = "SE_QUEUE_FULL";
  EXPECT_EQ(classify(busy, codes), Attempt::retryable);
  auto refused = busy;
  refused.exchange->reply.info.status_code = "ACCESS_DENIED";
  EXPECT_EQ(classify(refused, codes), Attempt::answer);
  EXPECT_EQ(classify(busy, {}), Attempt::answer) << "the codes are configuration";

  auto untrusted = exchange_of(Kind::data);
  untrusted.exchange->signature.rejected = true;
  EXPECT_EQ(classify(untrusted, codes), Attempt::unavailable);
}

TEST(SourceHealth, KeepsABreakerPerSystemWithItsPolicyAndReportsIt) {
  FakeTime t;
  auto wall = xsd_time::TimePoint{} + std::chrono::hours(24 * 365 * 55);
  Clock clock{[&t] { return t.now; }, [&wall] { return wall; }};
  SystemPolicy strict;
  strict.breaker = policy(1, 5s);
  SystemPolicy fallback;
  fallback.breaker = policy(3, 5s);
  SourceHealth health({{"kgd", strict}}, fallback, default_unavailable_codes(), clock);

  // Named systems are known from the start (for /readyz), others once asked.
  ASSERT_EQ(health.snapshot().size(), 1u);
  EXPECT_EQ(health.policy("kgd").breaker.failure_threshold, 1);
  EXPECT_EQ(health.policy("gbd_ul").breaker.failure_threshold, 3);

  auto ticket = health.allow("kgd");
  ASSERT_TRUE(ticket);
  health.record("kgd", *ticket, Attempt::retryable, "HTTP 503", false);
  EXPECT_TRUE(health.circuit_open("kgd"));
  EXPECT_FALSE(health.allow("kgd"));
  EXPECT_FALSE(health.allow("kgd", /*retry=*/true));

  ticket = health.allow("gbd_ul");
  ASSERT_TRUE(ticket);
  health.record("gbd_ul", *ticket, Attempt::answer, "", false);
  EXPECT_FALSE(health.circuit_open("gbd_ul"));

  const auto kgd = health.snapshot("kgd");
  ASSERT_TRUE(kgd);
  EXPECT_EQ(kgd->state, BreakerState::open);
  EXPECT_EQ(kgd->consecutive_failures, 1);
  EXPECT_EQ(kgd->last_failure_cause, "HTTP 503");
  EXPECT_EQ(kgd->last_failure_at, wall);
  EXPECT_FALSE(kgd->last_success_at);
  EXPECT_TRUE(kgd->last_attempt_failed);
  EXPECT_EQ(kgd->short_circuited, 1u) << "a refused retry is no short-circuited query";
  ASSERT_TRUE(kgd->probe_after);
  EXPECT_EQ(*kgd->probe_after, wall + 5s);
  EXPECT_EQ(health.snapshot("gbd_ul")->last_success_at, wall);

  t.advance(5s);
  EXPECT_EQ(health.snapshot("kgd")->state, BreakerState::half_open);
  ticket = health.allow("kgd");
  ASSERT_TRUE(ticket);
  health.record("kgd", *ticket, Attempt::answer, "", false);
  EXPECT_EQ(health.snapshot("kgd")->state, BreakerState::closed);
  EXPECT_EQ(health.snapshot().size(), 2u);
}

TEST(ResilienceConfig, ReadsTheDefaultAndPerSystemOverridesAndRefusesUnknownKeys) {
  const std::string base =
      "database: {url: 'postgresql:///x'}\n"
      "sources: {requestor_bin: '020340000003', gbd_fl_sender_code: TEKSER}\n";
  const auto c = config::parse(base +
                                   "resilience:\n"
                                   "  systems:\n"
                                   "    kgd: {max_attempts: 2, open_seconds: 5}\n"
                                   "  default:\n"
                                   "    failure_threshold: 4\n"
                                   "    failure_rate_percent: 60\n"
                                   "    window: 30\n"
                                   "    open_seconds: 20\n"
                                   "    max_attempts: 4\n"
                                   "    backoff_base_ms: 100\n"
                                   "    backoff_cap_ms: 800\n"
                                   "    deadline_ms: 9000\n"
                                   "  unavailable_codes: [SE_PROVIDER_UNAVAILABLE]\n",
                               "test.yaml");
  EXPECT_EQ(c.resilience.defaults.failure_threshold, 4);
  EXPECT_EQ(c.resilience.defaults.failure_rate_percent, 60);
  EXPECT_EQ(c.resilience.defaults.window, 30);
  EXPECT_EQ(c.resilience.defaults.open, 20s);
  EXPECT_EQ(c.resilience.defaults.max_attempts, 4);
  EXPECT_EQ(c.resilience.defaults.backoff_base, 100ms);
  EXPECT_EQ(c.resilience.defaults.backoff_cap, 800ms);
  EXPECT_EQ(c.resilience.defaults.deadline, 9000ms);
  ASSERT_EQ(c.resilience.systems.count("kgd"), 1u);
  const auto& kgd = c.resilience.systems.at("kgd");
  EXPECT_EQ(kgd.max_attempts, 2);
  EXPECT_EQ(kgd.open, 5s);
  EXPECT_EQ(kgd.failure_threshold, 4) << "the default's keys, though written after";
  EXPECT_EQ(kgd.deadline, 9000ms);
  EXPECT_EQ(c.resilience.unavailable_codes, std::vector<std::string>{"SE_PROVIDER_UNAVAILABLE"});

  const auto defaults = config::parse(base, "test.yaml").resilience;
  EXPECT_EQ(defaults.defaults.max_attempts, 3);
  EXPECT_FALSE(defaults.defaults.deadline) << "the SHEP client's total timeout, in main";

  auto refused = [&](const std::string& yaml, const std::string& expected) {
    try {
      config::parse(base + yaml, "test.yaml");
      ADD_FAILURE() << "accepted: " << yaml;
    } catch (const config::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  };
  refused("resilience: {default: {max_attemps: 2}}\n",
          "resilience.default.max_attemps: unknown key (known here: backoff_base_ms");
  refused("resilience: {systems: {kdg: {max_attempts: 2}}}\n",
          "resilience.systems.kdg: unknown system (known: gbd_ul");
  refused("resilience: {systems: {kgd: {open_seconds: 0}}}\n",
          "resilience.systems.kgd.open_seconds: must be between 1 and 86400");
  refused("resilience: {default: {max_attempts: 0}}\n",
          "resilience.default.max_attempts: must be between 1 and 10");
  refused("resilience: {default: {backoff_base_ms: 500, backoff_cap_ms: 100}}\n",
          "resilience.default.backoff_cap_ms: must not be shorter than backoff_base_ms");
  refused("resilience: {retries: 3}\n", "resilience.retries: unknown key");
}

}  // namespace
}  // namespace tekser::resilience
