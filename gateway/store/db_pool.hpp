// Blocking libpqxx work runs here, on threads of its own, never on the I/O threads.
// Each worker thread keeps one connection, opened on first use and reopened after it breaks.
//
// Every wait is bounded: each connection runs with a statement_timeout (a query running longer is
// cancelled by the server: StatementTimeout), and work waits at most `wait_timeout` for a
// free worker, then fails with PoolWaitTimeout without running — never a hang behind a busy pool.
#pragma once

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/pqxx>

namespace tekser::store {

struct DbPoolOptions {
  // Set on every connection of the pool (0: none). A statement running longer is cancelled.
  std::chrono::milliseconds statement_timeout{30'000};
  // How long work may wait for a free worker (its connection) before it fails (0: no bound).
  std::chrono::milliseconds wait_timeout{10'000};
};

// No worker (connection) became free within the pool's wait_timeout; the work was not run.
class PoolWaitTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A statement ran past the pool's statement_timeout and the server cancelled it (SQLSTATE 57014).
class StatementTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DbPool {
 public:
  DbPool(std::string conninfo, std::size_t threads, DbPoolOptions options = {});
  ~DbPool();
  DbPool(const DbPool&) = delete;
  DbPool& operator=(const DbPool&) = delete;

  // Runs fn(connection&) on a pool thread and resumes the awaiting coroutine on its own
  // executor with the result (or the exception fn threw; StatementTimeout for a statement the
  // server cancelled at statement_timeout). Throws PoolWaitTimeout when no worker took the work
  // within options.wait_timeout (fn then never runs).
  //
  // g++ 12 duplicates (bitwise) a lambda temporary that owns resources when it appears inside a
  // co_await expression, and anything non-trivial carried by an Asio initiation object: both end
  // in a double free. So a callable that owns anything (captures a string, a record...) must be a
  // named variable passed as an lvalue (`auto work = [record](...) {...}; co_await
  // pool.run(work);`), and the initiation below carries only raw pointers to a task owned by this
  // coroutine's frame.
  template <typename F>
  auto run(F&& fn) -> boost::asio::awaitable<std::invoke_result_t<F&, pqxx::connection&>> {
    static_assert(
        std::is_lvalue_reference_v<F> || std::is_trivially_destructible_v<std::remove_cvref_t<F>>,
        "DbPool::run: bind a callable that owns resources to a named variable first "
        "(g++ 12 double-destroys such lambda temporaries in co_await expressions)");
    return run_task<std::remove_cvref_t<F>>(std::forward<F>(fn));
  }

  // Blocking variant for start-up work (migrations) before the I/O threads run.
  template <typename F>
  auto run_blocking(F fn) {
    return fn(connection());
  }

  const DbPoolOptions& options() const { return options_; }
  std::size_t threads() const { return threads_; }

  void stop();

 private:
  template <typename Fn>
  struct Task {
    using Result = std::invoke_result_t<Fn&, pqxx::connection&>;
    using Stored = std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>>;
    Fn fn;
    Stored value{};
    std::exception_ptr error;
    bool timed_out = false;
  };

  // Who completes the awaiting coroutine: the worker that takes the work, or the wait deadline —
  // whichever claims it first; the other does nothing (and never touches the task).
  template <typename Handler, typename Executor>
  struct Waiter {
    Waiter(Handler h, const Executor& ex) : handler(std::move(h)), timer(ex) {}
    std::atomic<bool> claimed{false};
    std::optional<Handler> handler;
    boost::asio::steady_timer timer;
  };

  template <typename Fn>
  auto run_task(Fn fn) -> boost::asio::awaitable<std::invoke_result_t<Fn&, pqxx::connection&>> {
    using Result = std::invoke_result_t<Fn&, pqxx::connection&>;
    auto task = std::make_unique<Task<Fn>>(Task<Fn>{std::move(fn), {}, {}, false});
    co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
        [this, t = task.get()](auto handler) {
          auto ex = boost::asio::get_associated_executor(handler);
          using W = Waiter<decltype(handler), decltype(ex)>;
          auto w = std::make_shared<W>(std::move(handler), ex);
          if (options_.wait_timeout.count() > 0) {
            w->timer.expires_after(options_.wait_timeout);
            w->timer.async_wait([w, t](const boost::system::error_code& ec) {
              if (ec || w->claimed.exchange(true)) return;  // the worker took it
              t->timed_out = true;
              auto h = std::move(*w->handler);
              w->handler.reset();
              std::move(h)();
            });
          }
          boost::asio::post(pool_, [this, w, t]() {
            if (w->claimed.exchange(true)) return;  // timed out: never run, t may be gone
            try {
              if constexpr (std::is_void_v<Result>) {
                t->fn(connection());
              } else {
                t->value.emplace(t->fn(connection()));
              }
            } catch (const pqxx::sql_error& e) {
              t->error = e.sqlstate() == "57014"
                             ? std::make_exception_ptr(StatementTimeout(timeout_message(e)))
                             : std::current_exception();
              drop_broken_connection();
            } catch (...) {
              t->error = std::current_exception();
              drop_broken_connection();
            }
            auto executor = w->timer.get_executor();
            boost::asio::dispatch(executor, [w]() {
              w->timer.cancel();
              auto h = std::move(*w->handler);
              w->handler.reset();
              std::move(h)();
            });
          });
        },
        boost::asio::use_awaitable);
    if (task->timed_out) throw PoolWaitTimeout(wait_timeout_message());
    if (task->error) std::rethrow_exception(task->error);
    if constexpr (!std::is_void_v<Result>) co_return std::move(*task->value);
  }

  pqxx::connection& connection();
  void drop_broken_connection();
  std::string wait_timeout_message() const;
  std::string timeout_message(const pqxx::sql_error& e) const;

  std::string conninfo_;
  std::size_t threads_;
  DbPoolOptions options_;
  boost::asio::thread_pool pool_;
};

}  // namespace tekser::store
