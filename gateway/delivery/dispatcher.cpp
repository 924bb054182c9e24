#include "gateway/delivery/dispatcher.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include "common/identity/identity.hpp"
#include "common/webhook/signature.hpp"

namespace tekser::delivery {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

long long unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Dispatcher::Dispatcher(asio::any_io_executor executor, store::DbPool& db, net::HttpClient& portal,
                       DispatcherOptions options, logging::JsonLog& log)
    : executor_(std::move(executor)),
      db_(db),
      portal_(portal),
      options_(std::move(options)),
      log_(log),
      stop_(std::make_shared<net::StopSignal>()),
      stats_(std::make_shared<DispatcherStats>()) {}

Dispatcher::~Dispatcher() {
  stop();
}

void Dispatcher::start() {
  for (int i = 0; i < std::max(1, options_.workers); ++i)
    asio::co_spawn(asio::make_strand(executor_), worker(), asio::detached);
}

void Dispatcher::stop() {
  stop_->stop();
}

asio::awaitable<void> Dispatcher::worker() {
  const auto stop = stop_;  // outlives a Dispatcher destroyed while this sleeps
  while (!stop->stopped()) {
    int attempted = 0;
    try {
      attempted = co_await run_once();
    } catch (const std::exception& e) {
      log_.error("delivery_pass_failed", {{"error", e.what()}});
    }
    if (attempted == 0 && !co_await stop->sleep(options_.idle_poll)) break;
  }
}

asio::awaitable<int> Dispatcher::run_once() {
  const auto owner = options_.owner;
  const auto lease = options_.lease;
  const int batch = options_.batch;
  auto lease_work = [owner, lease, batch](pqxx::connection& c) {
    return store::RefreshStore(c).lease_deliveries(owner, lease, batch);
  };
  const auto leased = co_await db_.run(lease_work);
  for (const auto& trigger : leased) {
    if (stop_->stopped()) break;
    co_await attempt(trigger);
  }
  co_return static_cast<int>(leased.size());
}

asio::awaitable<void> Dispatcher::attempt(const store::TriggerRow& trigger) {
  const auto timestamp = std::to_string(unix_seconds_now());
  net::OutgoingRequest request;
  request.method = boost::beast::http::verb::post;
  request.target = options_.target;
  request.headers = {{"Content-Type", "application/json"},
                     {std::string(webhook::kIdempotencyHeader), trigger.id},
                     {std::string(webhook::kTimestampHeader), timestamp},
                     {std::string(webhook::kSignatureHeader),
                      webhook::sign(options_.secret, timestamp, trigger.body)}};
  request.body = trigger.body;
  ++stats_->attempts;
  const auto reply = co_await portal_.request(std::move(request));
  const auto verdict = judge(reply, trigger.attempts, options_.backoff);

  const auto owner = options_.owner;
  const auto id = trigger.id;
  boost::json::object fields{{"trigger_id", trigger.id},
                             {"supplier", identity::mask(trigger.supplier_id)},
                             {"kind", trigger.kind},
                             {"sequence", trigger.sequence},
                             {"attempt", trigger.attempts + 1}};
  if (verdict.status) fields["status"] = *verdict.status;
  if (verdict.kind == AttemptVerdict::Kind::delivered) {
    const int status = verdict.status.value_or(200);
    auto work = [id, owner, status](pqxx::connection& c) {
      return store::RefreshStore(c).mark_delivered(id, owner, status);
    };
    const bool marked = co_await db_.run(work);
    ++stats_->delivered;
    fields["marked"] = marked;  // false: our lease ran out meanwhile; the portal deduplicates
    log_.info("trigger_delivered", std::move(fields));
    co_return;
  }
  const bool dead = verdict.kind == AttemptVerdict::Kind::dead;
  // Workers run on several threads: each has its own generator.
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto delay = retry_delay(options_.backoff, trigger.attempts + 1, unit(random));
  if (verdict.retry_after) delay = std::max<std::chrono::milliseconds>(delay, *verdict.retry_after);
  const auto next = xsd_time::now_ms() + delay;
  const auto error = verdict.error;
  const auto status = verdict.status;
  auto work = [id, owner, error, status, next, dead](pqxx::connection& c) {
    return store::RefreshStore(c).mark_failed(id, owner, error, status, next, dead);
  };
  co_await db_.run(work);
  fields["error"] = verdict.error;
  if (dead) {
    ++stats_->dead;
    log_.error("trigger_dead_letter", std::move(fields));
  } else {
    ++stats_->retried;
    fields["retry_in_ms"] = delay.count();
    log_.write("warn", "trigger_delivery_failed", std::move(fields));
  }
}

}  // namespace tekser::delivery
