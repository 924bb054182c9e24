// tekser-gateway: the portal API in front of the state systems. main() only assembles the parts:
// gateway/startup prepares what the configuration names (and refuses what it must, for a start
// and for --check-config alike), then the store and its pool, the SHEP client, one adapter per
// state system, the verifier, the refresh, the delivery and the HTTP API.
#include <unistd.h>
#include <iostream>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>

#include "adapters/enis/checker.hpp"
#include "adapters/goszakup/source.hpp"
#include "adapters/samruk/source.hpp"
#include "adapters/shep/client.hpp"
#include "adapters/shep_source.hpp"
#include "common/net/http_client.hpp"
#include "common/net/serve.hpp"
#include "common/net/tls.hpp"
#include "gateway/api/access.hpp"
#include "gateway/api/operations.hpp"
#include "gateway/api/portal_api.hpp"
#include "gateway/calendar/working_calendar.hpp"
#include "gateway/config/config.hpp"
#include "gateway/delivery/dispatcher.hpp"
#include "gateway/refresh/runner.hpp"
#include "gateway/refresh/scheduler.hpp"
#include "gateway/resilience/health.hpp"
#include "gateway/startup/prepare.hpp"
#include "gateway/store/change_listener.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/store.hpp"
#include "gateway/verify/interrupted_exchanges.hpp"
#include "gateway/verify/verifier.hpp"

namespace {

namespace asio = boost::asio;
namespace po = boost::program_options;
using namespace tekser;

// resilience.default / resilience.systems.<system>; the deadline defaults to the SHEP client's
// total timeout (one attempt's worth: retries then fit only after quick failures).
resilience::SystemPolicy to_policy(const config::ResiliencePolicy& p,
                                   std::chrono::milliseconds default_deadline) {
  resilience::SystemPolicy out;
  out.breaker.failure_threshold = p.failure_threshold;
  out.breaker.failure_ratio = p.failure_rate_percent / 100.0;
  out.breaker.window = p.window;
  out.breaker.open_for = p.open;
  out.retry.max_attempts = p.max_attempts;
  out.retry.backoff_base = p.backoff_base;
  out.retry.backoff_cap = p.backoff_cap;
  out.retry.deadline = p.deadline.value_or(default_deadline);
  return out;
}

int run(const config::Config& cfg, startup::Prepared prepared, logging::JsonLog& log) {
  store::DbPool db(cfg.database.url, cfg.database.pool_size,
                   {cfg.database.statement_timeout, cfg.database.wait_timeout});
  // /readyz's own connection: never queued behind refresh work in the main pool.
  store::DbPool readiness_db(cfg.database.url, 1,
                             {cfg.database.readiness_timeout, cfg.database.readiness_timeout});
  const auto applied =
      db.run_blocking([](pqxx::connection& c) { return store::Store(c).migrate(); });
  boost::json::array versions;
  for (int v : applied) versions.push_back(v);
  log.info("migrated", {{"applied", versions}});

  asio::io_context io(static_cast<int>(cfg.io_threads));
  const auto& endpoint = prepared.shep_endpoint;
  shep::Client shep_client(io.get_executor(), endpoint, prepared.shep_options);

  const auto valid_for =
      std::chrono::duration_cast<std::chrono::seconds>(cfg.sources.facts_valid_for);
  std::vector<std::shared_ptr<adapters::Source>> sources;
  const adapters::SourceSettings settings{cfg.sources.requestor_bin, cfg.sources.gbd_fl_sender_code,
                                          valid_for};
  for (const auto& service : adapters::shep_services())
    sources.push_back(std::make_shared<adapters::ShepSource>(shep_client, service, settings));

  // The REST registers, each with its own connection pool; absent from the config: not asked.
  std::vector<std::unique_ptr<net::HttpClient>> rest_clients;
  auto rest_client = [&](const startup::RestTarget& target) -> net::HttpClient& {
    rest_clients.push_back(
        std::make_unique<net::HttpClient>(io.get_executor(), target.endpoint, target.options));
    return *rest_clients.back();
  };
  // The refresh reads goszakup РНУ from one mirror of the whole register per run.
  refresh::MirrorFetcher goszakup_mirror;
  if (prepared.goszakup) {
    adapters::goszakup::Options options;
    options.token = cfg.goszakup->token.value_or("");
    options.valid_for = valid_for;
    options.base_path = prepared.goszakup->base_path;
    auto& client = rest_client(*prepared.goszakup);
    sources.push_back(std::make_shared<adapters::goszakup::RnuSource>(client, options));
    goszakup_mirror = [client = &client, options](
                          std::string message_id,
                          refresh::MirrorPageSink sink) -> asio::awaitable<refresh::MirrorFetch> {
      refresh::MirrorFetch out;
      out.message_id = std::move(message_id);
      long long position = 0;
      // Each page goes to the store as it arrives, every row numbered in register order (a row
      // without a supplier_biin lists nobody and is not kept; the digest still covers it).
      adapters::goszakup::PageCallback on_page =
          [&sink, &position](const boost::json::array& items) -> asio::awaitable<void> {
        std::vector<store::MirrorRow> rows;
        rows.reserve(items.size());
        for (const auto& item : items) {
          const auto* biin =
              item.is_object() ? item.as_object().if_contains("supplier_biin") : nullptr;
          if (biin && biin->is_string())
            rows.push_back(
                {position, std::string(biin->as_string()), boost::json::serialize(item)});
          ++position;
        }
        co_await sink(std::move(rows));
      };
      auto mirrored = co_await adapters::goszakup::mirror(*client, options, on_page);
      out.complete = mirrored.complete;
      out.cause = mirrored.cause;
      out.sha256 = mirrored.sha256;
      out.rows = mirrored.count;
      out.retrieved_at = xsd_time::now_ms();
      co_return out;
    };
  }
  if (prepared.samruk) {
    adapters::samruk::Options options;
    options.token = cfg.samruk->token.value_or("");
    options.valid_for = valid_for;
    options.base_path = prepared.samruk->base_path;
    auto& client = rest_client(*prepared.samruk);
    sources.push_back(std::make_shared<adapters::samruk::UnreliableSource>(client, options));
  }

  verify::Verifier verifier(sources, db);
  adapters::enis::PowerOfAttorneyChecker poa_checker(
      shep_client, adapters::enis::Options{cfg.sources.requestor_bin});
  api::PortalApi portal(db, verifier, &poa_checker, prepared.gatekeeper, log);
  portal.set_facts_valid_for(valid_for);
  portal.set_readiness_db(&readiness_db);
  // Supplier views served from memory while PostgreSQL's change notices are heard (migration
  // 0150); the listener has a connection and a thread of its own.
  api::SupplierViewCache view_cache(cfg.api.view_cache_entries);
  std::unique_ptr<store::ChangeListener> change_listener;
  if (cfg.api.view_cache_entries > 0) {
    portal.set_view_cache(&view_cache);
    store::ChangeListener::Handlers on_change;
    // The handlers run on the listener's thread only. A database away is logged once, not at
    // every attempt to connect again.
    auto deaf = std::make_shared<bool>(false);
    on_change.listening = [&view_cache, &log, deaf] {
      view_cache.listening();
      *deaf = false;
      log.info("view_cache_listening", {{"channel", api::kSupplierChangedChannel}});
    };
    on_change.notice = [&view_cache](const std::string& id) { view_cache.forget(id); };
    on_change.lost = [&view_cache, &log, deaf](const std::string& why) {
      view_cache.deaf();
      if (*deaf) return;
      *deaf = true;
      log.error("view_cache_deaf", {{"error", why}});
    };
    change_listener = std::make_unique<store::ChangeListener>(
        cfg.database.url, api::kSupplierChangedChannel, std::move(on_change));
  }

  // SIGHUP reloads the clients file; a bad file keeps the rules in force.
  asio::signal_set reload_signal(io, SIGHUP);
  std::function<void()> await_reload = [&] {
    reload_signal.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      try {
        auto reloaded = startup::load_gatekeeper(cfg);
        startup::log_access(*reloaded, log, "api_access_reloaded");
        portal.set_gatekeeper(std::move(reloaded));
      } catch (const std::exception& e) {
        log.error("api_access_reload_failed",
                  {{"error", e.what()}, {"message", "the previous clients stay in force"}});
      }
      await_reload();
    });
  };
  await_reload();

  // The weekly refresh, its triggers and their delivery to the portal.
  const auto replica = cfg.refresh.replica.empty()
                           ? [] {
                               char host[256] = "gateway";
                               gethostname(host, sizeof host - 1);
                               return std::string(host) + "-" + std::to_string(getpid());
                             }()
                           : cfg.refresh.replica;
  const auto& calendar = prepared.calendar;
  const auto& schedule = prepared.schedule;
  std::map<std::string, verify::SystemLimit> limits;
  for (const auto& [system, limit] : cfg.refresh.limits)
    limits[system] = {limit.max_concurrent, limit.rate_per_second, limit.max_wait};
  verify::SystemLimiter limiter(
      limits, {cfg.refresh.default_limit.max_concurrent, cfg.refresh.default_limit.rate_per_second,
               cfg.refresh.default_limit.max_wait});
  refresh::RunnerOptions runner_options;
  runner_options.owner = replica;
  runner_options.workers = cfg.refresh.workers;
  runner_options.batch = cfg.refresh.batch;
  runner_options.lease = cfg.refresh.lease;
  runner_options.max_attempts = cfg.refresh.max_attempts;
  runner_options.mirror_valid_for = valid_for;
  runner_options.limiter = &limiter;
  runner_options.written = [&view_cache](const std::string& id) { view_cache.forget(id); };
  // One breaker, retry policy and bulkhead per state system, shared by the portal's verify and
  // the refresh.
  std::map<std::string, resilience::SystemPolicy> policies;
  for (const auto& [system, policy] : cfg.resilience.systems)
    policies[system] = to_policy(policy, cfg.shep.total_timeout);
  const auto& codes = cfg.resilience.unavailable_codes;
  resilience::SourceHealth source_health(
      policies, to_policy(cfg.resilience.defaults, cfg.shep.total_timeout),
      codes.empty() ? resilience::default_unavailable_codes()
                    : std::set<std::string>(codes.begin(), codes.end()));
  verifier.set_guards({&limiter, &source_health});
  // One trigger decision for the refresh, the portal's verify and the commission's decisions.
  const triggers::TriggerQueue trigger_queue(calendar, cfg.refresh.deregister_policy);
  verifier.set_trigger_queue(&trigger_queue);
  refresh::RefreshRunner runner(io.get_executor(), db, verifier, goszakup_mirror, trigger_queue,
                                runner_options, log);
  refresh::RefreshScheduler scheduler(io.get_executor(), db, schedule, log);
  verify::InterruptedExchangeSweep audit_sweep(io.get_executor(), db, log,
                                               cfg.audit.interrupted_after, cfg.audit.sweep_every);

  std::unique_ptr<net::HttpClient> portal_client;
  std::unique_ptr<delivery::Dispatcher> dispatcher;
  if (prepared.portal) {
    const auto& webhook = prepared.portal->webhook;
    portal_client =
        std::make_unique<net::HttpClient>(io.get_executor(), webhook, prepared.portal->options);
    delivery::DispatcherOptions dispatcher_options;
    dispatcher_options.owner = replica;
    dispatcher_options.secret = prepared.portal->secret;
    dispatcher_options.target = webhook.target;
    dispatcher_options.backoff.max_attempts = cfg.portal->max_attempts;
    dispatcher_options.backoff.initial = cfg.portal->backoff_initial;
    dispatcher_options.backoff.max = cfg.portal->backoff_max;
    // An attempt ends within total_timeout: twice that (10 s at least) covers it and the
    // database's marking, and bounds how long a killed replica's delivery waits to be retried.
    dispatcher_options.lease = std::max<std::chrono::milliseconds>(2 * cfg.portal->total_timeout,
                                                                   std::chrono::seconds(10));
    dispatcher_options.workers = cfg.portal->workers;
    dispatcher = std::make_unique<delivery::Dispatcher>(io.get_executor(), db, *portal_client,
                                                        dispatcher_options, log);
  }
  api::OperationsApi operations(db, schedule, &runner, dispatcher.get());
  portal.set_operations(&operations);
  operations.set_source_health(&source_health);
  if (cfg.api.view_cache_entries > 0) operations.set_view_cache(&view_cache);

  net::HttpLimits http_limits;
  http_limits.read_timeout = cfg.listen.read_timeout;
  http_limits.max_connections = cfg.listen.max_connections;
  net::HttpServer server(io, prepared.listen, http_limits,
                         net::AsyncHttpHandler([&portal](net::HttpRequest request) {
                           return portal.handle(std::move(request));
                         }),
                         log, prepared.api_tls);
  runner.start();
  scheduler.start();
  audit_sweep.start();
  if (dispatcher) dispatcher->start();
  log.info("ready", {{"shep", endpoint.url()},
                     {"replica", replica},
                     {"io_threads", cfg.io_threads},
                     {"db_pool", cfg.database.pool_size}});
  net::run_until_signalled(io, server, static_cast<unsigned>(cfg.io_threads),
                           cfg.port_file.value_or(""), log, [&] {
                             reload_signal.cancel();
                             runner.stop();
                             scheduler.stop();
                             audit_sweep.stop();
                             if (dispatcher) dispatcher->stop();
                             if (portal_client) portal_client->close();
                             shep_client.close();
                             for (auto& c : rest_clients) c->close();
                           });
  if (change_listener) change_listener->stop();
  db.stop();
  readiness_db.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_file;
  std::string port_file;
  po::options_description described("tekser-gateway: the portal API in front of the state systems");
  described.add_options()("help,h", "show this help")(
      "config,c", po::value(&config_file)->required(), "YAML configuration file")(
      "port-file", po::value(&port_file), "write the bound port here (overrides port_file)")(
      "check-config", "load and check the configuration, then exit");
  logging::JsonLog log(std::cerr);
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, described), vm);
    if (vm.count("help")) {
      std::cout << described << '\n';
      return 0;
    }
    po::notify(vm);
    auto cfg = config::load(config_file);
    if (!port_file.empty()) cfg.port_file = port_file;
    // The same refusals for a start and for --check-config, named like load()'s: "FILE: key: why".
    auto prepared = [&] {
      try {
        return startup::prepare(cfg, TEKSER_DEFAULT_CALENDAR_DIR, log);
      } catch (const config::ConfigError& e) {
        throw config::ConfigError(config_file + ": " + e.what());
      }
    }();
    if (vm.count("check-config")) {
      std::cout << config_file << ": ok\n";
      return 0;
    }
    return run(cfg, std::move(prepared), log);
  } catch (const std::exception& e) {
    log.write("fatal", "startup_failed", {{"error", e.what()}});
    return 2;
  }
}
