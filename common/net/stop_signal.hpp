// Lets a background loop (the refresh workers, the dispatcher, the scheduler) sleep between
// passes and still stop at once: stop() sets the flag and cancels every sleep in progress, so a
// graceful shutdown does not wait out a poll interval. Thread-safe; hold it by shared_ptr, as
// the loops may outlive their owner by one wake-up.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tekser::net {

class StopSignal {
 public:
  bool stopped() const { return stopped_.load(); }

  void stop() {
    std::lock_guard lock(mutex_);
    stopped_.store(true);
    for (auto& [executor, weak] : sleeping_)
      if (auto timer = weak.lock())
        boost::asio::post(executor, [timer] { timer->cancel(); });  // on the timer's strand
    sleeping_.clear();
  }

  // Sleeps `duration` on the calling coroutine's executor, or less if stop() comes; false when
  // stopped.
  boost::asio::awaitable<bool> sleep(std::chrono::milliseconds duration) {
    auto executor = co_await boost::asio::this_coro::executor;
    auto timer = std::make_shared<boost::asio::steady_timer>(executor, duration);
    {
      std::lock_guard lock(mutex_);
      if (stopped_.load()) co_return false;
      sleeping_.emplace_back(executor, timer);
    }
    co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    {
      std::lock_guard lock(mutex_);
      std::erase_if(sleeping_, [&](const auto& entry) { return entry.second.lock() == timer; });
    }
    co_return !stopped_.load();
  }

 private:
  std::atomic<bool> stopped_{false};
  std::mutex mutex_;
  std::vector<std::pair<boost::asio::any_io_executor, std::weak_ptr<boost::asio::steady_timer>>>
      sleeping_;
};

}  // namespace tekser::net
