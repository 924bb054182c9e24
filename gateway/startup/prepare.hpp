// Start-up's refusals in one place. prepare() turns the configuration into what the gateway runs
// with — the clients' access rules, the listener, the TLS contexts' settings, the trust stores,
// the signing key, the state systems' and the portal's endpoints, the calendar, the schedule —
// loading every file and parsing every URL on the way. `tekser-gateway --check-config` calls it
// and stops; a start calls it and then connects to the database. So --check-config fails exactly
// when start-up would, with the same message, short of the database being reachable.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "adapters/shep/client.hpp"
#include "common/log/json_log.hpp"
#include "common/net/http_client.hpp"
#include "common/net/tls.hpp"
#include "gateway/api/access.hpp"
#include "gateway/calendar/working_calendar.hpp"
#include "gateway/config/config.hpp"
#include "gateway/refresh/schedule.hpp"

namespace tekser::startup {

// A REST register (goszakup, samruk) as the gateway reaches it.
struct RestTarget {
  net::HttpEndpoint endpoint;
  net::HttpClientOptions options;
  std::string base_path;  // the URL's path without its trailing '/': "" for the root
};

// The portal's webhook, with the secret its deliveries are signed with.
struct PortalTarget {
  net::HttpEndpoint webhook;
  net::HttpClientOptions options;
  std::string secret;
};

struct Prepared {
  std::shared_ptr<const api::access::Gatekeeper> gatekeeper;
  boost::asio::ip::tcp::endpoint listen;
  std::optional<net::TlsServerConfig> api_tls;
  shep::Endpoint shep_endpoint;
  shep::ClientOptions shep_options;
  std::optional<RestTarget> goszakup;
  std::optional<RestTarget> samruk;
  std::optional<PortalTarget> portal;
  calendar::WorkingCalendar calendar;
  refresh::Schedule schedule;
};

// Throws config::ConfigError naming the key and the reason ("shep.tls.ca_file: ...") for the
// first thing start-up would refuse. Logs what it loaded (who may call, what each destination is
// trusted by, the signing certificate) and the warnings an operator must see (an open API,
// replies not checked, a host name not verified). `default_calendar_dir` is used unless
// refresh.calendar_dir is set.
Prepared prepare(const config::Config& cfg, const std::filesystem::path& default_calendar_dir,
                 logging::JsonLog& log);

// The access rules of api.auth: the clients file read anew (SIGHUP), or nobody checked (open).
// Throws config::ConfigError naming api.auth.clients_file.
std::shared_ptr<const api::access::Gatekeeper> load_gatekeeper(const config::Config& cfg);

// Logs who may call (or, loudly, that anyone may) under `event`.
void log_access(const api::access::Gatekeeper& gatekeeper, logging::JsonLog& log,
                std::string_view event);

}  // namespace tekser::startup
