// tekser-gateway: the portal API in front of the state systems. main() only assembles the parts
// from the configuration (gateway/config): the store and its pool, the SHEP client, one adapter
// per state system, the verifier and the HTTP API.
#include <iostream>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/program_options.hpp>

#include "adapters/elicense/source.hpp"
#include "adapters/enis/checker.hpp"
#include "adapters/gbd_fl/source.hpp"
#include "adapters/gbd_ul/source.hpp"
#include "adapters/goszakup/source.hpp"
#include "adapters/kgd/source.hpp"
#include "adapters/pa_checks/source.hpp"
#include "adapters/samruk/source.hpp"
#include "adapters/shep/client.hpp"
#include "common/net/http_client.hpp"
#include "common/net/serve.hpp"
#include "gateway/api/portal_api.hpp"
#include "gateway/config/config.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/store.hpp"
#include "gateway/verify/verifier.hpp"

namespace {

namespace asio = boost::asio;
namespace po = boost::program_options;
using namespace tekser;

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

int run(const config::Config& cfg, logging::JsonLog& log) {
  store::DbPool db(cfg.database.url, cfg.database.pool_size);
  const auto applied =
      db.run_blocking([](pqxx::connection& c) { return store::Store(c).migrate(); });
  boost::json::array versions;
  for (int v : applied) versions.push_back(v);
  log.info("migrated", {{"applied", versions}});

  asio::io_context io(static_cast<int>(cfg.io_threads));

  std::string endpoint_error;
  auto endpoint = shep::Endpoint::parse(cfg.shep.url, endpoint_error);
  if (!endpoint) throw config::ConfigError("shep.url: " + endpoint_error);
  shep::ClientOptions client_options;
  client_options.connect_timeout = cfg.shep.connect_timeout;
  client_options.read_timeout = cfg.shep.read_timeout;
  client_options.total_timeout = cfg.shep.total_timeout;
  client_options.max_concurrent = cfg.shep.max_concurrent;
  client_options.max_idle_connections = cfg.shep.max_concurrent;
  client_options.sender_id = cfg.shep.sender_id;
  client_options.sender_password = cfg.shep.password;
  // WS-Security on SHEP's replies: the policy and the certificates they may be signed with.
  const auto& reply_signature = cfg.shep.reply_signature;
  client_options.reply_signature = to_shep(reply_signature.policy);
  try {
    client_options.trusted_signers = xmlsig::TrustStore::load(reply_signature.trusted_certificates);
  } catch (const xmlsig::Error& e) {
    throw config::ConfigError(std::string("shep.reply_signature.trusted_certificates: ") +
                              e.what());
  }
  if (const auto& signing = cfg.shep.request_signing) {
    try {
      client_options.request_signing_key =
          signing->pkcs12.empty()
              ? xmlsig::SigningKey::load_pem(signing->key, signing->certificate,
                                             signing->password.value_or(""))
              : xmlsig::SigningKey::load_pkcs12(signing->pkcs12, signing->password.value_or(""));
    } catch (const xmlsig::Error& e) {
      throw config::ConfigError(std::string("shep.request_signing: ") + e.what());
    }
    log.info("request_signing",
             {{"subject", client_options.request_signing_key->certificate().subject},
              {"sha256", client_options.request_signing_key->certificate().sha256_fingerprint}});
  }
  boost::json::array trusted;
  for (const auto& c : client_options.trusted_signers.certificates())
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
  shep::Client shep_client(io.get_executor(), *endpoint, client_options);

  const auto valid_for =
      std::chrono::duration_cast<std::chrono::seconds>(cfg.sources.facts_valid_for);
  std::vector<std::shared_ptr<adapters::Source>> sources;
  sources.push_back(std::make_shared<adapters::gbd_ul::GbdUlSource>(
      shep_client, adapters::gbd_ul::Options{cfg.sources.requestor_bin, valid_for}));
  sources.push_back(std::make_shared<adapters::gbd_fl::GbdFlSource>(
      shep_client, adapters::gbd_fl::Options{cfg.sources.gbd_fl_sender_code, valid_for}));
  sources.push_back(std::make_shared<adapters::kgd::KgdSource>(
      shep_client, adapters::kgd::Options{cfg.sources.requestor_bin, valid_for}));
  sources.push_back(std::make_shared<adapters::elicense::ElicenseSource>(
      shep_client, adapters::elicense::Options{cfg.sources.requestor_bin, valid_for}));
  sources.push_back(std::make_shared<adapters::pa_checks::PaChecksSource>(
      shep_client, adapters::pa_checks::Options{cfg.sources.requestor_bin, valid_for}));

  // The REST registers, each with its own connection pool; absent from the config: not asked.
  std::vector<std::unique_ptr<net::HttpClient>> rest_clients;
  auto rest_client = [&](const config::RestRegister& reg, const std::string& key,
                         std::string& base_path) -> net::HttpClient& {
    std::string error;
    auto endpoint = net::HttpEndpoint::parse(reg.url, error);
    if (!endpoint) throw config::ConfigError(key + ".url: " + error);
    base_path = endpoint->target == "/" ? "" : endpoint->target;
    if (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
    net::HttpClientOptions options;
    options.connect_timeout = cfg.shep.connect_timeout;
    options.read_timeout = cfg.shep.read_timeout;
    options.total_timeout = cfg.shep.total_timeout;
    options.max_concurrent = cfg.shep.max_concurrent;
    options.max_idle_connections = cfg.shep.max_concurrent;
    rest_clients.push_back(
        std::make_unique<net::HttpClient>(io.get_executor(), *endpoint, options));
    return *rest_clients.back();
  };
  if (cfg.goszakup) {
    adapters::goszakup::Options options;
    options.token = cfg.goszakup->token.value_or("");
    options.valid_for = valid_for;
    auto& client = rest_client(*cfg.goszakup, "goszakup", options.base_path);
    sources.push_back(std::make_shared<adapters::goszakup::RnuSource>(client, options));
  }
  if (cfg.samruk) {
    adapters::samruk::Options options;
    options.token = cfg.samruk->token.value_or("");
    options.valid_for = valid_for;
    auto& client = rest_client(*cfg.samruk, "samruk", options.base_path);
    sources.push_back(std::make_shared<adapters::samruk::UnreliableSource>(client, options));
  }

  verify::Verifier verifier(sources, db);
  adapters::enis::PowerOfAttorneyChecker poa_checker(
      shep_client, adapters::enis::Options{cfg.sources.requestor_bin});
  api::PortalApi portal(db, verifier, &poa_checker, log);

  net::HttpServer server(
      io, net::parse_listen(cfg.listen.host + ":" + std::to_string(cfg.listen.port)),
      net::HttpLimits{}, net::AsyncHttpHandler([&portal](net::HttpRequest request) {
        return portal.handle(std::move(request));
      }),
      log);
  log.info("ready", {{"shep", endpoint->url()},
                     {"io_threads", cfg.io_threads},
                     {"db_pool", cfg.database.pool_size}});
  net::run_until_signalled(io, server, static_cast<unsigned>(cfg.io_threads),
                           cfg.port_file.value_or(""), log, [&] {
                             shep_client.close();
                             for (auto& c : rest_clients) c->close();
                           });
  db.stop();
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
    if (vm.count("check-config")) {
      std::cout << config_file << ": ok\n";
      return 0;
    }
    return run(cfg, log);
  } catch (const std::exception& e) {
    log.write("fatal", "startup_failed", {{"error", e.what()}});
    return 2;
  }
}
