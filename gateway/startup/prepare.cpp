#include "gateway/startup/prepare.hpp"

#include <libpq-fe.h>

#include <fstream>
#include <stdexcept>

#include <boost/json.hpp>

#include "common/net/serve.hpp"
#include "common/shep/services.hpp"
#include "common/xmlsig/xmlsig.hpp"
#include "gateway/eligibility/eligibility.hpp"

namespace tekser::startup {
namespace {

using config::ConfigError;

shep::ReplySignaturePolicy to_shep(config::ReplySignature::Policy policy) {
  switch (policy) {
    case config::ReplySignature::Policy::ignore:
      return shep::ReplySignaturePolicy::ignore;
    case config::ReplySignature::Policy::verify_if_present:
      return shep::ReplySignaturePolicy::verify_if_present;
    case config::ReplySignature::Policy::require:
      return shep::ReplySignaturePolicy::require;
  }
  return shep::ReplySignaturePolicy::require;
}

net::TlsVersion to_net(const std::string& min_version) {
  return min_version == "1.3" ? net::TlsVersion::tls1_3 : net::TlsVersion::tls1_2;
}

// The TLS client settings of an https destination (shep/goszakup/samruk/portal.tls); without the
// section: the system's CA store, host name checked, no client certificate.
net::TlsClientConfig to_net(const std::optional<config::TlsClient>& tls) {
  net::TlsClientConfig out;
  if (!tls) return out;
  out.ca_file = tls->ca_file;
  out.ca_dir = tls->ca_dir;
  out.certificate = tls->certificate;
  out.key = tls->key;
  out.pkcs12 = tls->pkcs12;
  out.password = tls->password.value_or("");
  if (!tls->ciphers.empty()) out.ciphers = tls->ciphers;
  out.min_version = to_net(tls->min_version);
  out.verify_host = tls->verify_host;
  return out;
}

std::optional<net::TlsServerConfig> to_net(const std::optional<config::ApiTls>& tls) {
  if (!tls) return std::nullopt;
  net::TlsServerConfig out;
  out.certificate = tls->certificate;
  out.key = tls->key;
  out.password = tls->password.value_or("");
  out.client_ca = tls->client_ca;
  switch (tls->client_certificate) {
    case config::ApiTls::ClientCertificate::none:
      out.client_certificate = net::ClientCertificateMode::none;
      break;
    case config::ApiTls::ClientCertificate::optional:
      out.client_certificate = net::ClientCertificateMode::optional;
      break;
    case config::ApiTls::ClientCertificate::require:
      out.client_certificate = net::ClientCertificateMode::require;
      break;
  }
  if (!tls->ciphers.empty()) out.ciphers = tls->ciphers;
  out.min_version = to_net(tls->min_version);
  return out;
}

// Loads the TLS files of an https destination, so that a bad one stops start-up with the key's
// path ("shep.tls.key: ...") instead of failing every request; logs what the destination is
// trusted by.
void check_tls_client(const std::string& key, const std::string& url,
                      const net::TlsClientConfig& tls, logging::JsonLog& log) {
  try {
    net::make_client_context(tls);
  } catch (const net::TlsError& e) {
    throw ConfigError(key + ".tls." + e.what());
  }
  const bool has_certificate = !tls.certificate.empty() || !tls.pkcs12.empty();
  log.info("tls_client", {{"system", key},
                          {"url", url},
                          {"trust", tls.ca_file.empty() && tls.ca_dir.empty()
                                        ? std::string("system CA store")
                                        : (tls.ca_file.string() + (tls.ca_dir.empty() ? "" : " ") +
                                           tls.ca_dir.string())},
                          {"client_certificate", has_certificate},
                          {"verify_host", tls.verify_host}});
  if (!tls.verify_host)
    log.write("warn", "tls_host_not_verified",
              {{"message", key +
                               ".tls.verify_host is false: any certificate the trusted CAs "
                               "issued is accepted for " +
                               url}});
}

// The API listener's TLS (api.tls), its files loaded like the destinations'.
std::optional<net::TlsServerConfig> api_listener_tls(const config::Config& cfg,
                                                     logging::JsonLog& log) {
  auto tls = to_net(cfg.api.tls);
  if (!tls) return tls;
  try {
    net::make_server_context(*tls);
  } catch (const net::TlsError& e) {
    throw ConfigError(std::string("api.tls.") + e.what());
  }
  log.info("api_tls", {{"certificate", tls->certificate.string()},
                       {"client_certificate", net::to_string(tls->client_certificate)}});
  return tls;
}

boost::asio::ip::tcp::endpoint listen_endpoint(const config::Listen& listen) {
  try {
    return net::parse_listen(listen.host + ":" + std::to_string(listen.port));
  } catch (const std::invalid_argument& e) {
    // "listen: 'localhost' is not an IP address" -> "listen.host: ..."
    const std::string what = e.what();
    throw ConfigError("listen.host: " + what.substr(what.find(": ") + 2));
  }
}

// libpq parses the connection string the same way when the pool connects; a string it cannot
// parse would otherwise stop start-up only after the listener's checks.
void check_database_url(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options) {
    PQconninfoFree(options);
    return;
  }
  std::string why = error ? error : "not a libpq connection string or URI";
  if (error) PQfreemem(error);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  throw ConfigError("database.url: " + why);
}

shep::ClientOptions shep_options(const config::Config& cfg, const shep::Endpoint& endpoint,
                                 logging::JsonLog& log) {
  shep::ClientOptions options;
  options.connect_timeout = cfg.shep.connect_timeout;
  options.read_timeout = cfg.shep.read_timeout;
  options.total_timeout = cfg.shep.total_timeout;
  options.max_concurrent = cfg.shep.max_concurrent;
  options.max_idle_connections = cfg.shep.max_concurrent;
  options.sender_id = cfg.shep.sender_id;
  options.sender_password = cfg.shep.password;
  for (const auto& [system, shape] : cfg.sources.payload_styles)
    if (const auto service = shep::service_by_system(system))
      options.payload_shapes[std::string(service->service_id)] = shape;
  // WS-Security on SHEP's replies: the policy and the certificates they may be signed with.
  const auto& reply_signature = cfg.shep.reply_signature;
  options.reply_signature = to_shep(reply_signature.policy);
  try {
    options.trusted_signers = xmlsig::TrustStore::load(reply_signature.trusted_certificates);
  } catch (const xmlsig::Error& e) {
    throw ConfigError(std::string("shep.reply_signature.trusted_certificates: ") + e.what());
  }
  if (const auto& signing = cfg.shep.request_signing) {
    try {
      options.request_signing_key =
          signing->pkcs12.empty()
              ? xmlsig::SigningKey::load_pem(signing->key, signing->certificate,
                                             signing->password.value_or(""))
              : xmlsig::SigningKey::load_pkcs12(signing->pkcs12, signing->password.value_or(""));
    } catch (const xmlsig::Error& e) {
      throw ConfigError(std::string("shep.request_signing: ") + e.what());
    }
    log.info("request_signing",
             {{"subject", options.request_signing_key->certificate().subject},
              {"sha256", options.request_signing_key->certificate().sha256_fingerprint}});
  }
  boost::json::array trusted;
  for (const auto& c : options.trusted_signers.certificates())
    trusted.push_back(
        boost::json::object{{"subject", c.subject}, {"sha256", c.sha256_fingerprint}});
  if (reply_signature.policy == config::ReplySignature::Policy::ignore)
    log.write("warn", "reply_signatures_not_checked",
              {{"message",
                "shep.reply_signature.policy is ignore: facts carry signature "
                "not_checked"}});
  else
    log.info("reply_signature", {{"policy", config::to_string(reply_signature.policy)},
                                 {"trusted", std::move(trusted)}});
  options.tls = to_net(cfg.shep.tls);
  if (endpoint.tls) check_tls_client("shep", endpoint.url(), options.tls, log);
  return options;
}

// A REST register's endpoint and client options; its requests share SHEP's timeouts and bound.
RestTarget rest_target(const config::Config& cfg, const config::RestRegister& reg,
                       const std::string& key, logging::JsonLog& log) {
  std::string error;
  auto endpoint = net::HttpEndpoint::parse(reg.url, error);
  if (!endpoint) throw ConfigError(key + ".url: " + error);
  RestTarget out{*endpoint, {}, endpoint->target == "/" ? "" : endpoint->target};
  if (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  out.options.connect_timeout = cfg.shep.connect_timeout;
  out.options.read_timeout = cfg.shep.read_timeout;
  out.options.total_timeout = cfg.shep.total_timeout;
  out.options.max_concurrent = cfg.shep.max_concurrent;
  out.options.max_idle_connections = cfg.shep.max_concurrent;
  out.options.tls = to_net(reg.tls);
  if (endpoint->tls) check_tls_client(key, endpoint->url(), out.options.tls, log);
  return out;
}

PortalTarget portal_target(const config::Portal& portal, logging::JsonLog& log) {
  std::string error;
  auto webhook = net::HttpEndpoint::parse(portal.webhook_url, error);
  if (!webhook) throw ConfigError("portal.webhook_url: " + error);
  std::string secret = portal.secret.value_or("");
  if (portal.secret_file) {
    std::ifstream in(*portal.secret_file);
    if (!in) throw ConfigError("portal.secret_file: cannot read " + portal.secret_file->string());
    std::getline(in, secret);
  }
  if (secret.empty())
    throw ConfigError(
        portal.secret_file
            ? "portal.secret_file: " + portal.secret_file->string() + " holds no secret"
            : "portal.secret: required (or secret_file, or TEKSER_PORTAL_SECRET in the "
              "environment)");
  PortalTarget out{*webhook, {}, std::move(secret)};
  out.options.connect_timeout = portal.connect_timeout;
  out.options.read_timeout = portal.total_timeout;
  out.options.total_timeout = portal.total_timeout;
  out.options.max_concurrent = static_cast<std::size_t>(portal.workers);
  out.options.max_idle_connections = static_cast<std::size_t>(portal.workers);
  out.options.tls = to_net(portal.tls);
  if (webhook->tls) check_tls_client("portal", webhook->url(), out.options.tls, log);
  return out;
}

calendar::WorkingCalendar working_calendar(const config::Refresh& refresh,
                                           const std::filesystem::path& default_dir) {
  const auto dir = refresh.calendar_dir.value_or(default_dir);
  const std::string key = refresh.calendar_dir ? "refresh.calendar_dir"
                                               : "refresh.calendar_dir (not set: the shipped " +
                                                     default_dir.string() + ")";
  try {
    auto calendar = calendar::WorkingCalendar::load_dir(dir);
    // An empty folder is most likely a wrong one: every deadline would be an estimate.
    if (calendar.years().empty()) throw ConfigError(key + ": no kz-YYYY.json in " + dir.string());
    return calendar;
  } catch (const calendar::CalendarError& e) {
    throw ConfigError(key + ": " + e.what());
  }
}

// The deregistration policy named must exist in every shipped rule set with triggers: the trigger
// decision of a rule set without it would fail for every supplier on the day that set comes into
// force.
void check_deregister_policy(const std::string& policy) {
  if (policy.empty()) return;
  for (const auto& rules : eligibility::shipped_rule_sets()) {
    if (!rules.triggers) continue;
    const auto& known = rules.triggers->deregister_policies;
    if (known.count(policy)) continue;
    std::string names;
    for (const auto& [name, _] : known) names += (names.empty() ? "" : ", ") + name;
    throw ConfigError("refresh.deregister_policy: rule set " + rules.id +
                      " has no deregistration policy '" + policy + "' (it has: " + names + ")");
  }
}

}  // namespace

std::shared_ptr<const api::access::Gatekeeper> load_gatekeeper(const config::Config& cfg) {
  const auto& auth = cfg.api.auth.value();
  if (auth.mode == config::ApiAuth::Mode::open)
    return std::make_shared<const api::access::Gatekeeper>(api::access::Gatekeeper::open());
  try {
    // Client certificates identify clients only on a TLS listener: it sets their fingerprint
    // header only for a certificate it verified, and drops the clients' own.
    return std::make_shared<const api::access::Gatekeeper>(
        api::access::load_clients(auth.clients_file), cfg.api.tls.has_value());
  } catch (const api::access::ClientsError& e) {
    throw ConfigError(std::string("api.auth.clients_file: ") + e.what());
  }
}

void log_access(const api::access::Gatekeeper& gatekeeper, logging::JsonLog& log,
                std::string_view event) {
  if (gatekeeper.is_open()) {
    log.write("warn", "api_open",
              {{"message",
                "api.auth.mode is open: the API answers ANYONE without credentials, as client "
                "'anonymous'. Never run like this outside a developer's machine."}});
    return;
  }
  boost::json::array clients;
  for (const auto& c : gatekeeper.clients()) {
    boost::json::array scopes;
    for (auto s : c.scopes) scopes.push_back(boost::json::string(api::access::to_string(s)));
    clients.push_back(boost::json::object{{"id", c.id},
                                          {"token", c.token_sha256.has_value()},
                                          {"certificate", c.certificate_sha256.has_value()},
                                          {"scopes", std::move(scopes)}});
  }
  log.info(event, {{"clients", std::move(clients)},
                   {"certificate_identity", gatekeeper.certificate_identity()}});
}

Prepared prepare(const config::Config& cfg, const std::filesystem::path& default_calendar_dir,
                 logging::JsonLog& log) {
  // In the order of the configuration's sections, so that the first refusal is the first key.
  auto gatekeeper = load_gatekeeper(cfg);
  log_access(*gatekeeper, log, "api_access");
  const auto listen = listen_endpoint(cfg.listen);
  auto api_tls = api_listener_tls(cfg, log);
  check_database_url(cfg.database.url);

  std::string error;
  auto shep_endpoint = shep::Endpoint::parse(cfg.shep.url, error);
  if (!shep_endpoint) throw ConfigError("shep.url: " + error);
  auto shep = shep_options(cfg, *shep_endpoint, log);

  std::optional<RestTarget> goszakup;
  if (cfg.goszakup) goszakup = rest_target(cfg, *cfg.goszakup, "goszakup", log);
  std::optional<RestTarget> samruk;
  if (cfg.samruk) samruk = rest_target(cfg, *cfg.samruk, "samruk", log);

  auto calendar = working_calendar(cfg.refresh, default_calendar_dir);
  refresh::Schedule schedule;
  try {
    schedule = refresh::Schedule::parse(cfg.refresh.schedule);
  } catch (const refresh::ScheduleError& e) {
    throw ConfigError(std::string("refresh.schedule: ") + e.what());
  }
  schedule.catch_up = cfg.refresh.catch_up;
  check_deregister_policy(cfg.refresh.deregister_policy);

  std::optional<PortalTarget> portal;
  if (cfg.portal)
    portal = portal_target(*cfg.portal, log);
  else
    log.write("warn", "no_portal_webhook",
              {{"message", "portal.webhook_url is not set: triggers wait for GET /v1/triggers"}});

  return Prepared{std::move(gatekeeper), listen,
                  std::move(api_tls),    std::move(*shep_endpoint),
                  std::move(shep),       std::move(goszakup),
                  std::move(samruk),     std::move(portal),
                  std::move(calendar),   schedule};
}

}  // namespace tekser::startup
