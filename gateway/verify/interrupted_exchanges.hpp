// Calls `interrupted` the exchanges whose end the gateway never saw (migration 0090): every
// replica, now and then, sweeps the audit rows still `pending` long past the longest an exchange
// can last — the gateway was killed or lost the database while the request was out. The row
// stays (the request may have reached the system); a late answer still completes it.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/log/json_log.hpp"
#include "common/net/stop_signal.hpp"
#include "gateway/store/db_pool.hpp"

namespace tekser::verify {

class InterruptedExchangeSweep {
 public:
  // `after`: how long a row may stay pending (audit.interrupted_after_ms); `every`: how often
  // this replica looks (audit.sweep_every_ms).
  InterruptedExchangeSweep(boost::asio::any_io_executor executor, store::DbPool& db,
                           logging::JsonLog& log, std::chrono::milliseconds after,
                           std::chrono::milliseconds every)
      : executor_(std::move(executor)),
        db_(db),
        log_(log),
        after_(after),
        every_(every),
        stop_(std::make_shared<net::StopSignal>()) {}
  ~InterruptedExchangeSweep() { stop(); }

  void start();
  void stop() { stop_->stop(); }

  // One sweep; the number of rows it called interrupted.
  boost::asio::awaitable<long long> sweep();

 private:
  boost::asio::awaitable<void> loop();

  boost::asio::any_io_executor executor_;
  store::DbPool& db_;
  logging::JsonLog& log_;
  std::chrono::milliseconds after_;
  std::chrono::milliseconds every_;
  std::shared_ptr<net::StopSignal> stop_;
};

}  // namespace tekser::verify
