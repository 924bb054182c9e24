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
  template <typename F>
  auto run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F, pqxx::connection&>> {
    using Result = std::invoke_result_t<F, pqxx::connection&>;
    if constexpr (std::is_void_v<Result>) {
      co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                           void(std::exception_ptr)>(
          [this, fn = std::move(fn)](auto handler) mutable {
            boost::asio::post(pool_, [this, fn = std::move(fn), handler = std::move(handler)]() mutable {
              std::exception_ptr error;
              try {
                fn(connection());
              } catch (...) {
                error = std::current_exception();
                drop_broken_connection();
              }
              auto ex = boost::asio::get_associated_executor(handler);
              boost::asio::dispatch(ex, [handler = std::move(handler), error]() mutable {
                std::move(handler)(error);
              });
            });
          },
          boost::asio::use_awaitable);
    } else {
      auto result = co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                                         void(std::exception_ptr, std::optional<Result>)>(
          [this, fn = std::move(fn)](auto handler) mutable {
            boost::asio::post(pool_, [this, fn = std::move(fn), handler = std::move(handler)]() mutable {
              std::exception_ptr error;
              std::optional<Result> value;
              try {
                value.emplace(fn(connection()));
              } catch (...) {
                error = std::current_exception();
                drop_broken_connection();
              }
              auto ex = boost::asio::get_associated_executor(handler);
              boost::asio::dispatch(ex, [handler = std::move(handler), error,
                                         value = std::move(value)]() mutable {
                std::move(handler)(error, std::move(value));
              });
            });
          },
          boost::asio::use_awaitable);
      co_return std::move(*result);
    }
  }

  // Blocking variant for start-up work (migrations) before the I/O threads run.
  template <typename F>
  auto run_blocking(F fn) {
    return fn(connection());
  }

  void stop();

 private:
  pqxx::connection& connection();
  void drop_broken_connection();

  std::string conninfo_;
  boost::asio::thread_pool pool_;
};

}  // namespace tekser::store
