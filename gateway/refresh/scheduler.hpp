// Starts the scheduled refresh runs: every replica checks the schedule now and then, and asks
// the store for the due slot's run; the store creates one run per slot however many ask.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/log/json_log.hpp"
#include "common/net/stop_signal.hpp"
#include "gateway/refresh/schedule.hpp"
#include "gateway/store/db_pool.hpp"

namespace tekser::refresh {

class RefreshScheduler {
 public:
  RefreshScheduler(boost::asio::any_io_executor executor, store::DbPool& db, Schedule schedule,
                   logging::JsonLog& log, std::chrono::milliseconds tick = std::chrono::seconds(30))
      : executor_(std::move(executor)),
        db_(db),
        schedule_(schedule),
        log_(log),
        tick_(tick),
        stop_(std::make_shared<net::StopSignal>()) {}
  ~RefreshScheduler() { stop(); }

  void start();
  void stop() { stop_->stop(); }

  // One check: starts the due slot's run if it has none. True when a run was created.
  boost::asio::awaitable<bool> check(xsd_time::TimePoint now);

 private:
  boost::asio::awaitable<void> loop();

  boost::asio::any_io_executor executor_;
  store::DbPool& db_;
  Schedule schedule_;
  logging::JsonLog& log_;
  std::chrono::milliseconds tick_;
  std::shared_ptr<net::StopSignal> stop_;
};

}  // namespace tekser::refresh
