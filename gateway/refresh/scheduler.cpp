#include "gateway/refresh/scheduler.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/eligibility/eligibility.hpp"
#include "gateway/store/refresh_store.hpp"

namespace tekser::refresh {

namespace asio = boost::asio;

void RefreshScheduler::start() {
  if (!schedule_.enabled) {
    log_.info("refresh_schedule", {{"schedule", "off"}});
    return;
  }
  log_.info("refresh_schedule", {{"schedule", schedule_.to_string()}});
  asio::co_spawn(asio::make_strand(executor_), loop(), asio::detached);
}

asio::awaitable<bool> RefreshScheduler::check(xsd_time::TimePoint now) {
  const auto slot = schedule_.due_slot(now);
  if (!slot) co_return false;
  const auto today = xsd_time::format_datetime(now).substr(0, 10);
  const auto* rules = eligibility::rule_set_for(eligibility::shipped_rule_sets(), today);
  if (!rules) co_return false;
  const auto rule_set = rules->id;
  const auto at = *slot;
  auto start = [at, rule_set](pqxx::connection& c) {
    return store::RefreshStore(c).start_run("schedule", at, rule_set);
  };
  const auto started = co_await db_.run(start);
  if (started.created)
    log_.info("refresh_run_started", {{"run", started.run.id},
                                      {"requested_by", "schedule"},
                                      {"slot", xsd_time::format_datetime(at)},
                                      {"total", started.run.total}});
  co_return started.created;
}

asio::awaitable<void> RefreshScheduler::loop() {
  const auto stop = stop_;
  while (!stop->stopped()) {
    try {
      co_await check(xsd_time::now_ms());
    } catch (const std::exception& e) {
      log_.error("refresh_schedule_failed", {{"error", e.what()}});
    }
    if (!co_await stop->sleep(tick_)) break;
  }
}

}  // namespace tekser::refresh
