// The per-system limiter: never more in flight than allowed, never faster than the rate (lower
// bounds only: a slow machine can only make it slower).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

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

}  // namespace
}  // namespace tekser::verify
