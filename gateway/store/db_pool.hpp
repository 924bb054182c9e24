// Blocking libpqxx work runs here, on threads of its own, never on the I/O threads.
// Each worker thread keeps one connection, opened on first use and reopened after it breaks.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/pqxx>

namespace tekser::store {

class DbPool {
 public:
  DbPool(std::string conninfo, std::size_t threads);
  ~DbPool();
  DbPool(const DbPool&) = delete;
  DbPool& operator=(const DbPool&) = delete;

  // Runs fn(connection&) on a pool thread and resumes the awaiting coroutine on its own
  // executor with the result (or the exception fn threw).
  //
  // g++ 12 duplicates (bitwise) a lambda temporary that owns resources when it appears inside a
  // co_await expression, and anything non-trivial carried by an Asio initiation object: both end
  // in a double free. So a callable that owns anything (captures a string, a record...) must be a
  // named variable passed as an lvalue (`auto work = [record](...) {...}; co_await
  // pool.run(work);`), and the initiation below carries only a raw pointer to a task owned by this
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

  void stop();

 private:
  template <typename Fn>
  struct Task {
    using Result = std::invoke_result_t<Fn&, pqxx::connection&>;
    using Stored = std::conditional_t<std::is_void_v<Result>, bool, std::optional<Result>>;
    Fn fn;
    Stored value{};
    std::exception_ptr error;
  };

  template <typename Fn>
  auto run_task(Fn fn) -> boost::asio::awaitable<std::invoke_result_t<Fn&, pqxx::connection&>> {
    using Result = std::invoke_result_t<Fn&, pqxx::connection&>;
    auto task = std::make_unique<Task<Fn>>(Task<Fn>{std::move(fn), {}, {}});
    co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
        [this, t = task.get()](auto handler) {
          boost::asio::post(pool_, [this, t, handler = std::move(handler)]() mutable {
            try {
              if constexpr (std::is_void_v<Result>) {
                t->fn(connection());
              } else {
                t->value.emplace(t->fn(connection()));
              }
            } catch (...) {
              t->error = std::current_exception();
              drop_broken_connection();
            }
            auto ex = boost::asio::get_associated_executor(handler);
            boost::asio::dispatch(ex, std::move(handler));
          });
        },
        boost::asio::use_awaitable);
    if (task->error) std::rethrow_exception(task->error);
    if constexpr (!std::is_void_v<Result>) co_return std::move(*task->value);
  }

  pqxx::connection& connection();
  void drop_broken_connection();

  std::string conninfo_;
  boost::asio::thread_pool pool_;
};

}  // namespace tekser::store
