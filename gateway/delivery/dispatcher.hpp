// Delivers the outbox to the portal's webhook (contracts/portal): leases due triggers — the
// next one of each supplier only, so a supplier's triggers arrive in order — POSTs each with
// its Idempotency-Key and HMAC signature, and marks it delivered, retried later (exponential
// backoff with jitter) or dead. At least once: a replica killed mid-delivery leaves a lease
// that expires, and the retry carries the same key, which the portal deduplicates.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/log/json_log.hpp"
#include "common/net/http_client.hpp"
#include "common/net/stop_signal.hpp"
#include "gateway/delivery/policy.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/refresh_store.hpp"

namespace tekser::delivery {

struct DispatcherOptions {
  std::string owner;   // this replica's name, on its leases
  std::string secret;  // the webhook's HMAC secret
  std::string target;  // the webhook's path on the portal endpoint
  BackoffPolicy backoff;
  // Longer than one attempt can take (the portal client's total timeout), and no longer than
  // needed: a replica killed mid-delivery holds its trigger, and the supplier's next ones, that
  // long. main() makes it twice the portal's total timeout.
  std::chrono::milliseconds lease{60'000};
  std::chrono::milliseconds idle_poll{500};  // wait when nothing is due
  // Triggers leased per pass. They are attempted one after the other under one lease, so the
  // lease must cover `batch` attempts: with more than one, a slow portal lets the lease of the
  // last ones run out before they are sent, another worker takes them, and a supplier has two
  // triggers in flight (contracts/portal: at most one).
  int batch = 1;
  int workers = 2;  // passes running side by side
};

struct DispatcherStats {
  std::atomic<long long> attempts{0};
  std::atomic<long long> delivered{0};
  std::atomic<long long> retried{0};
  std::atomic<long long> dead{0};
};

class Dispatcher {
 public:
  Dispatcher(boost::asio::any_io_executor executor, store::DbPool& db, net::HttpClient& portal,
             DispatcherOptions options, logging::JsonLog& log);
  ~Dispatcher();

  // Starts the workers; stop() ends them at their next wake-up.
  void start();
  void stop();

  // One pass: leases due triggers and attempts each. Returns how many were attempted.
  boost::asio::awaitable<int> run_once();

  const DispatcherStats& stats() const { return *stats_; }

 private:
  boost::asio::awaitable<void> worker();
  boost::asio::awaitable<void> attempt(const store::TriggerRow& trigger);

  boost::asio::any_io_executor executor_;
  store::DbPool& db_;
  net::HttpClient& portal_;
  DispatcherOptions options_;
  logging::JsonLog& log_;
  std::shared_ptr<net::StopSignal> stop_;
  std::shared_ptr<DispatcherStats> stats_;
};

}  // namespace tekser::delivery
