#include "gateway/verify/interrupted_exchanges.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>

#include "gateway/store/audit_store.hpp"

namespace tekser::verify {

namespace asio = boost::asio;

void InterruptedExchangeSweep::start() {
  asio::co_spawn(asio::make_strand(executor_), loop(), asio::detached);
}

asio::awaitable<long long> InterruptedExchangeSweep::sweep() {
  const auto after = after_;
  auto mark = [after](pqxx::connection& c) { return store::AuditStore(c).mark_interrupted(after); };
  const auto marked = co_await db_.run(mark);
  if (marked > 0)
    log_.write("warn", "audit_exchanges_interrupted",
               {{"rows", marked},
                {"pending_longer_than_ms", static_cast<long long>(after_.count())},
                {"why", "the gateway never saw their end (killed, or the database away)"}});
  co_return marked;
}

asio::awaitable<void> InterruptedExchangeSweep::loop() {
  const auto stop = stop_;
  while (!stop->stopped()) {
    try {
      co_await sweep();
    } catch (const std::exception& e) {
      // The database away: the rows wait for the next sweep.
      log_.error("audit_sweep_failed", {{"error", e.what()}});
    }
    if (!co_await stop->sleep(every_)) break;
  }
}

}  // namespace tekser::verify
