// The per-system limiter: never more in flight than allowed, never faster than the rate (lower
// bounds only: a slow machine can only make it slower).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/verify/guarded_query.hpp"
#include "gateway/verify/limiter.hpp"

namespace tekser::verify {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Probe {
  int in_flight = 0;
  int most = 0;
  int done = 0;
};

asio::awaitable<void> use(SystemLimiter* limiter, std::string system, Probe* probe,
                          std::chrono::milliseconds hold) {
  co_await limiter->acquire(system);
  probe->most = std::max(probe->most, ++probe->in_flight);
  asio::steady_timer timer(co_await asio::this_coro::executor, hold);
  co_await timer.async_wait(asio::use_awaitable);
  --probe->in_flight;
  ++probe->done;
  limiter->release(system);
}

TEST(SystemLimiter, NeverMoreInFlightThanAllowedPerSystem) {
  SystemLimiter limiter({{"kgd", {2, 0}}}, {5, 0});
  asio::io_context io;
  Probe kgd, other;
  for (int i = 0; i < 8; ++i) {
    asio::co_spawn(io, use(&limiter, "kgd", &kgd, 5ms), asio::detached);
    asio::co_spawn(io, use(&limiter, "gbd_ul", &other, 5ms), asio::detached);
  }
  io.run();
  EXPECT_EQ(kgd.done, 8);
  EXPECT_EQ(kgd.most, 2);
  EXPECT_EQ(other.most, 5) << "the fallback limit for systems not named";
  EXPECT_EQ(limiter.usage("kgd").started, 8);
  EXPECT_EQ(limiter.usage("kgd").in_flight, 0);
  EXPECT_GT(limiter.usage("kgd").waited_ms, 0);
}

TEST(SystemLimiter, StartsNoFasterThanTheRateAfterTheBurst) {
  SystemLimiter limiter({{"goszakup", {100, 100}}}, {});
  asio::io_context io;
  Probe probe;
  const auto began = std::chrono::steady_clock::now();
  for (int i = 0; i < 150; ++i)
    asio::co_spawn(io, use(&limiter, "goszakup", &probe, 0ms), asio::detached);
  io.run();
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(probe.done, 150);
  // A burst of 100, then 50 more at 100 per second: at least half a second.
  EXPECT_GE(took, 450ms);
}

// Issue 14 item 4: waiters are served in arrival order, woken by the release (no polling).
TEST(SystemLimiter, WaitersAreServedFirstComeFirstServed) {
  SystemLimiter limiter({{"gbd_fl", {1, 0}}}, {});
  asio::io_context io;
  const std::string system = "gbd_fl";
  std::vector<int> order;
  std::vector<std::chrono::steady_clock::time_point> started;
  auto one = [&](int i, std::chrono::milliseconds arrive) -> asio::awaitable<void> {
    asio::steady_timer timer(co_await asio::this_coro::executor, arrive);
    co_await timer.async_wait(asio::use_awaitable);
    const bool taken = co_await limiter.acquire(system);
    EXPECT_TRUE(taken);
    order.push_back(i);
    started.push_back(std::chrono::steady_clock::now());
    timer.expires_after(30ms);  // holds the only slot a while
    co_await timer.async_wait(asio::use_awaitable);
    limiter.release(system);
  };
  // Arrival order 0..5, spawned in reverse: the order served is the order of arrival.
  for (int i = 5; i >= 0; --i)
    asio::co_spawn(io, one(i, std::chrono::milliseconds(2 * i)), asio::detached);
  io.run();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  // Each held the only slot 30 ms: never two at once.
  for (std::size_t i = 1; i < started.size(); ++i)
    EXPECT_GE(started[i] - started[i - 1], 29ms) << i;
  EXPECT_EQ(limiter.usage("gbd_fl").started, 6);
  EXPECT_EQ(limiter.usage("gbd_fl").waiting, 0);
}

TEST(SystemLimiter, AWaiterGivesUpAtItsDeadlineAndTheNextInLineIsStillServed) {
  SystemLimiter limiter({{"kgd", {1, 0, 100ms}}}, {});
  const std::string kgd = "kgd";
  asio::io_context io;
  bool holder_done = false;
  std::optional<bool> impatient, patient;
  std::chrono::steady_clock::duration impatient_waited{};
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const bool taken = co_await limiter.acquire(kgd);
        EXPECT_TRUE(taken);
        asio::steady_timer timer(co_await asio::this_coro::executor, 400ms);
        co_await timer.async_wait(asio::use_awaitable);
        limiter.release(kgd);
        holder_done = true;
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto began = std::chrono::steady_clock::now();
        impatient = co_await limiter.acquire(kgd);  // the system's max_wait: 100 ms
        impatient_waited = std::chrono::steady_clock::now() - began;
        if (*impatient) limiter.release(kgd);
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        // A deadline of its own, past the holder's release.
        const auto deadline = std::chrono::steady_clock::now() + 2s;
        patient = co_await limiter.acquire(kgd, deadline);
        EXPECT_TRUE(holder_done);
        if (*patient) limiter.release(kgd);
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(impatient.has_value());
  EXPECT_FALSE(*impatient) << "waited past its deadline";
  EXPECT_GE(impatient_waited, 90ms);
  EXPECT_LT(impatient_waited, 300ms) << "not given up at the deadline";
  ASSERT_TRUE(patient.has_value());
  EXPECT_TRUE(*patient);
  const auto usage = limiter.usage("kgd");
  EXPECT_EQ(usage.timed_out, 1);
  EXPECT_EQ(usage.started, 2) << "the one that gave up took nothing";
  EXPECT_EQ(usage.in_flight, 0);
  EXPECT_EQ(usage.waiting, 0);
}

// A query whose wait is exceeded is answered unavailable without being sent (never a block).
TEST(SystemLimiter, AQueryThatWaitedTooLongIsUnavailableAndNotSent) {
  struct CountingSource final : adapters::Source {
    int asked = 0;
    std::string_view system() const override { return "kgd"; }
    std::string_view service_id() const override { return "kgd_service"; }
    bool applies_to(const adapters::Subject&) const override { return true; }
    asio::awaitable<adapters::QueryResult> query(const adapters::Subject&) override {
      ++asked;
      adapters::QueryResult out;
      out.result.system = "kgd";
      out.result.outcome = facts::Outcome::data;
      co_return out;
    }
  };
  SystemLimiter limiter({{"kgd", {1, 0, 50ms}}}, {});
  const std::string kgd = "kgd";
  CountingSource source;
  asio::io_context io;
  std::optional<adapters::QueryResult> answer;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const bool taken = co_await limiter.acquire(kgd);  // the slot stays taken
        EXPECT_TRUE(taken);
        Guards guards;
        guards.limiter = &limiter;
        adapters::Subject subject;
        subject.id = "150340012340";
        auto query = guarded_query(&source, subject, guards, 1);
        answer = co_await std::move(query);
        limiter.release(kgd);
      },
      asio::detached);
  io.run();
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->result.outcome, facts::Outcome::unavailable);
  EXPECT_NE(answer->result.cause.find("limiter wait exceeded"), std::string::npos)
      << answer->result.cause;
  EXPECT_EQ(source.asked, 0);
}

}  // namespace
}  // namespace tekser::verify
