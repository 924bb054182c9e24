// DbPool: blocking database work leaves the I/O thread and the coroutine comes back to it.
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "gateway/store/db_pool.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

namespace asio = boost::asio;

TEST(DbPool, DbPoolRunsOffTheCallingThread) {
  const auto conninfo = test::conninfo();
  if (conninfo.empty()) GTEST_FAIL() << "no PostgreSQL: run through ctest";
  DbPool pool(conninfo, 2);
  asio::io_context io;

  const auto io_thread = std::this_thread::get_id();
  std::thread::id fn_thread, void_fn_thread, resumed_thread, resumed_after_void,
      resumed_after_error;
  int value = 0;
  std::string error;
  bool finished = false;

  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        value = co_await pool.run([&](pqxx::connection& c) {
          fn_thread = std::this_thread::get_id();
          pqxx::nontransaction txn(c);
          return txn.exec1("SELECT 40 + 2")[0].as<int>();
        });
        resumed_thread = std::this_thread::get_id();

        co_await pool.run([&](pqxx::connection&) { void_fn_thread = std::this_thread::get_id(); });
        resumed_after_void = std::this_thread::get_id();

        try {
          co_await pool.run([](pqxx::connection& c) -> int {
            pqxx::nontransaction txn(c);
            txn.exec("SELECT no_such_column FROM no_such_table");
            return 0;
          });
        } catch (const pqxx::sql_error& e) {
          error = e.what();
        }
        resumed_after_error = std::this_thread::get_id();

        // The worker's connection survives a failed statement and serves the next job.
        value += co_await pool.run([](pqxx::connection& c) {
          pqxx::nontransaction txn(c);
          return txn.exec1("SELECT 1")[0].as<int>();
        });
        finished = true;
      },
      asio::detached);
  io.run();

  ASSERT_TRUE(finished);
  EXPECT_EQ(value, 43);
  EXPECT_NE(fn_thread, std::thread::id{});
  EXPECT_NE(fn_thread, io_thread);
  EXPECT_NE(void_fn_thread, io_thread);
  EXPECT_EQ(resumed_thread, io_thread);
  EXPECT_EQ(resumed_after_void, io_thread);
  EXPECT_EQ(resumed_after_error, io_thread);
  EXPECT_NE(error.find("no_such_table"), std::string::npos) << error;
}

TEST(DbPool, IoThreadStaysFreeWhileTheDatabaseWorks) {
  const auto conninfo = test::conninfo();
  if (conninfo.empty()) GTEST_FAIL() << "no PostgreSQL: run through ctest";
  DbPool pool(conninfo, 1);
  asio::io_context io;
  int ticks_during_sleep = 0;
  bool slept = false;

  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await pool.run([](pqxx::connection& c) {
          pqxx::nontransaction txn(c);
          txn.exec("SELECT pg_sleep(0.3)");
        });
        slept = true;
      },
      asio::detached);
  // Meanwhile the I/O thread keeps running other handlers.
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        while (!slept) {
          asio::steady_timer timer(ex, std::chrono::milliseconds(20));
          co_await timer.async_wait(asio::use_awaitable);
          if (!slept) ++ticks_during_sleep;
        }
      },
      asio::detached);
  io.run();
  EXPECT_TRUE(slept);
  EXPECT_GE(ticks_during_sleep, 5);
}

}  // namespace
}  // namespace tekser::store
