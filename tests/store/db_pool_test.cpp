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

// Issue 14 item 4: every wait on the database is bounded.
TEST(DbPool, AStatementLongerThanTheStatementTimeoutIsCancelled) {
  const auto conninfo = test::conninfo();
  if (conninfo.empty()) GTEST_FAIL() << "no PostgreSQL: run through ctest";
  DbPool pool(conninfo, 1, {std::chrono::milliseconds(200), std::chrono::seconds(10)});
  asio::io_context io;
  std::string error;
  bool canceled = false;
  int after = 0;
  const auto began = std::chrono::steady_clock::now();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        try {
          co_await pool.run([](pqxx::connection& c) {
            pqxx::nontransaction txn(c);
            txn.exec("SELECT pg_sleep(5)");
          });
        } catch (const StatementTimeout& e) {
          canceled = true;
          error = e.what();
        }
        // The connection serves the next statement, still under the timeout.
        after = co_await pool.run([](pqxx::connection& c) {
          pqxx::nontransaction txn(c);
          return txn.exec1("SHOW statement_timeout")[0].as<std::string>() == "200ms" ? 1 : 0;
        });
      },
      asio::detached);
  io.run();
  const auto took = std::chrono::steady_clock::now() - began;
  EXPECT_TRUE(canceled) << "pg_sleep(5) was not cancelled";
  EXPECT_NE(error.find("statement timeout (200 ms)"), std::string::npos) << error;
  EXPECT_NE(error.find("canceling statement due to statement timeout"), std::string::npos) << error;
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(after, 1);
}

TEST(DbPool, WorkWaitingForABusyPoolFailsAfterTheWaitTimeoutWithoutRunning) {
  const auto conninfo = test::conninfo();
  if (conninfo.empty()) GTEST_FAIL() << "no PostgreSQL: run through ctest";
  DbPool pool(conninfo, 1, {std::chrono::seconds(30), std::chrono::milliseconds(300)});
  asio::io_context io;
  bool first_done = false;
  bool second_ran = false;
  std::string second_error;
  std::chrono::steady_clock::duration second_waited{};
  bool third_done = false;

  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await pool.run([](pqxx::connection& c) {
          pqxx::nontransaction txn(c);
          txn.exec("SELECT pg_sleep(1.5)");  // holds the pool's only connection
        });
        first_done = true;
      },
      asio::detached);
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto began = std::chrono::steady_clock::now();
        try {
          co_await pool.run([&](pqxx::connection&) { second_ran = true; });
        } catch (const PoolWaitTimeout& e) {
          second_error = e.what();
        }
        second_waited = std::chrono::steady_clock::now() - began;
        EXPECT_FALSE(first_done) << "the second taker waited for the first instead of its deadline";
      },
      asio::detached);
  io.run();
  EXPECT_TRUE(first_done);
  EXPECT_FALSE(second_ran) << "work that timed out waiting must never run";
  EXPECT_NE(second_error.find("no connection free within 300 ms"), std::string::npos)
      << second_error;
  EXPECT_GE(second_waited, std::chrono::milliseconds(250));
  EXPECT_LT(second_waited, std::chrono::milliseconds(1200));

  // The pool serves again once its connection is free.
  io.restart();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        third_done = co_await pool.run([](pqxx::connection& c) {
          pqxx::nontransaction txn(c);
          return txn.exec1("SELECT 1")[0].as<int>() == 1;
        });
      },
      asio::detached);
  io.run();
  EXPECT_TRUE(third_done);
}

}  // namespace
}  // namespace tekser::store
