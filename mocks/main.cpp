// tekser-mocks: the mock SHEP bus with the ГБД ЮЛ and ГБД ФЛ emulators behind it, for testing
// the portal and the gateway without the closed government network. main() only assembles the
// parts; see mocks/README.md.
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include "common/net/serve.hpp"
#include "mocks/elicense/emulator.hpp"
#include "mocks/enis/emulator.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/gbd_fl/emulator.hpp"
#include "mocks/gbd_ul/emulator.hpp"
#include "mocks/goszakup/register.hpp"
#include "mocks/kgd/emulator.hpp"
#include "mocks/pa_checks/emulator.hpp"
#include "mocks/population/population.hpp"
#include "mocks/portal/portal.hpp"
#include "mocks/portal/secret.hpp"
#include "mocks/samruk/register.hpp"
#include "mocks/shep_server/routes.hpp"
#include "mocks/signing/reply_signing.hpp"
#include "mocks/signing/request_verification.hpp"
#include "mocks/state/admin.hpp"
#include "mocks/state/live_world.hpp"
#include "mocks/wsdl/contract_site.hpp"

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace tekser::mocks;

struct Options {
  std::string listen;
  std::string port_file;
  std::string fixtures;
  std::string contracts;
  std::string assumed_contracts;
  std::string fixtures_dir;
  std::string goszakup_fixtures;
  std::size_t goszakup_synthetic = goszakup::kDefaultSynthetic;
  population::Config population;  // --population, --population-seed, --population-shares
  std::string samruk_fixtures;
  std::string portal_secret_file;
  unsigned threads = 1;
  std::string signing_key;
  std::string signing_cert;
  std::string signing_p12;
  std::string signing_cert_out;
  bool no_signing = false;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string tls_client_certificate = "require";
  std::string request_signature = "ignore";
  std::vector<std::string> trusted_request_certs;
  std::vector<std::string> payload_shapes;   // [SERVICE=]typed|declared|jaxb|untyped
  std::vector<std::string> envelope_styles;  // [SERVICE=]prefixed|default-ns|rebound
  std::vector<std::string> replay_dirs;
};

// --tls-cert/--tls-key: the listening port speaks TLS; --tls-client-ca: clients must (or, with
// --tls-client-certificate optional, may) present a certificate that CA issued.
std::optional<tekser::net::TlsServerConfig> tls_settings(const Options& options) {
  if (options.tls_cert.empty() && options.tls_key.empty()) {
    if (!options.tls_client_ca.empty())
      throw std::invalid_argument("--tls-client-ca needs --tls-cert and --tls-key");
    return std::nullopt;
  }
  if (options.tls_cert.empty() || options.tls_key.empty())
    throw std::invalid_argument("--tls-cert and --tls-key go together");
  tekser::net::TlsServerConfig tls;
  tls.certificate = options.tls_cert;
  tls.key = options.tls_key;
  if (!options.tls_client_ca.empty()) {
    tls.client_ca = options.tls_client_ca;
    if (options.tls_client_certificate == "require")
      tls.client_certificate = tekser::net::ClientCertificateMode::require;
    else if (options.tls_client_certificate == "optional")
      tls.client_certificate = tekser::net::ClientCertificateMode::optional;
    else
      throw std::invalid_argument("--tls-client-certificate must be require or optional, got '" +
                                  options.tls_client_certificate + "'");
  }
  return tls;
}

int run(const Options& options, JsonLog& log) {
  // The fixture files of every system.
  const auto fixtures = fixtures::load(options.fixtures);
  log.info("fixtures_loaded", {{"file", options.fixtures},
                               {"legal_entities", fixtures.legal_entities.size()},
                               {"individuals", fixtures.individuals.size()}});
  // ЕНИС, the personal-assistant checks, KGD and e-licensing (assumed contracts): enis.json,
  // pa_checks.json, kgd.json and elicense.json in --fixtures-dir.
  const fs::path fixtures_dir = options.fixtures_dir;
  const auto enis_fixtures = enis::load(fixtures_dir / "enis.json");
  const auto pa_fixtures = pa_checks::load(fixtures_dir / "pa_checks.json");
  log.info("fixtures_loaded", {{"file", (fixtures_dir / "enis.json").string()},
                               {"powers_of_attorney", enis_fixtures.powers_of_attorney.size()}});
  log.info("fixtures_loaded", {{"file", (fixtures_dir / "pa_checks.json").string()},
                               {"persons", pa_fixtures.persons.size()}});
  const auto kgd_fixtures = kgd::load(fixtures_dir / "kgd.json");
  const auto elicense_fixtures = elicense::load(fixtures_dir / "elicense.json");
  log.info("fixtures_loaded", {{"file", (fixtures_dir / "kgd.json").string()},
                               {"taxpayers", kgd_fixtures.taxpayers.size()}});
  log.info("fixtures_loaded", {{"file", (fixtures_dir / "elicense.json").string()},
                               {"subjects", elicense_fixtures.subjects.size()}});
  // The procurement blacklists (REST/JSON beside the bus): goszakup OWS v3 РНУ and Samruk-Kazyna.
  // A population brings its own listed suppliers in place of the synthetic РНУ filler.
  const auto rnu = goszakup::RnuRegister::load(
      options.goszakup_fixtures, options.population.size > 0 ? 0 : options.goszakup_synthetic);
  log.info("fixtures_loaded", {{"file", options.goszakup_fixtures},
                               {"rnu_fixture_rows", rnu.fixture_count()},
                               {"rnu_rows", rnu.items().size()}});
  const auto samruk_lists = samruk::UnreliableRegister::load(options.samruk_fixtures);
  log.info("fixtures_loaded",
           {{"file", options.samruk_fixtures}, {"samruk_rows", samruk_lists.items().size()}});

  // The synthetic population, and the world every register answers from: fixtures first, then
  // the population, then the admin API's state changes, scenarios and mock clock.
  state::Sources sources{.suppliers = &fixtures,
                         .kgd = &kgd_fixtures,
                         .elicense = &elicense_fixtures,
                         .pa_checks = &pa_fixtures,
                         .rnu = &rnu,
                         .samruk = &samruk_lists};
  const population::Population synthetic(options.population, state::fixture_identifiers(sources));
  sources.population = &synthetic;
  log.info("population", {{"size", synthetic.size()},
                          {"seed", synthetic.seed()},
                          {"shares", population::to_string(synthetic.shares())},
                          {"legal_entities", synthetic.counts().legal_entities},
                          {"individual_entrepreneurs", synthetic.counts().individual_entrepreneurs},
                          {"shadowed_by_fixtures", synthetic.counts().shadowed}});
  state::State world_state;
  const state::LiveWorld world(sources, world_state);

  FaultSwitch faults;
  Journal journal;
  std::vector<std::unique_ptr<Emulator>> emulators;
  emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(world));
  emulators.push_back(std::make_unique<gbd_fl::GbdFlEmulator>(world));
  emulators.push_back(
      std::make_unique<enis::EnisEmulator>(enis_fixtures, options.assumed_contracts));
  emulators.push_back(
      std::make_unique<pa_checks::PaChecksEmulator>(world, options.assumed_contracts));
  emulators.push_back(std::make_unique<kgd::KgdEmulator>(world, options.assumed_contracts));
  emulators.push_back(
      std::make_unique<elicense::ElicenseEmulator>(world, options.assumed_contracts));
  SyncChannel channel(options.contracts, std::move(emulators), faults, journal);
  MockRoutes routes(channel, faults, journal, log);
  // How replies go on the wire; a value the styles refuse ends start-up naming the option.
  for (const auto& spec : options.payload_shapes) channel.wire_styles().set_default_shape(spec);
  for (const auto& spec : options.envelope_styles) channel.wire_styles().set_default_envelope(spec);
  log.info("wire_styles", channel.wire_styles().to_json());
  // Replies recorded from the real bus (tekser-ctl exchanges export), served for their
  // (serviceId, subject) instead of the emulators' answers.
  for (const auto& dir : options.replay_dirs) {
    const auto loaded = channel.replay().load(dir);
    log.info("replay_loaded", {{"dir", dir}, {"recordings", loaded}});
  }
  // The bus signs its replies as SHEP does (mocks/signing); the certificate is what the gateway
  // trusts: written to --signing-cert-out before the port file appears, and served over HTTP.
  const auto signing_key = signing::signing_key({.disabled = options.no_signing,
                                                 .key_file = options.signing_key,
                                                 .certificate_file = options.signing_cert,
                                                 .pkcs12_file = options.signing_p12,
                                                 .certificate_out = options.signing_cert_out});
  if (signing_key) {
    channel.set_reply_signer(signing::reply_signer(*signing_key));
    if (!options.signing_cert_out.empty())
      signing::write_certificate(*signing_key, options.signing_cert_out);
    log.info("reply_signing", {{"subject", signing_key->certificate().subject},
                               {"sha256", signing_key->certificate().sha256_fingerprint},
                               {"certificate_out", options.signing_cert_out}});
  } else {
    log.info("reply_signing", {{"enabled", false}});
  }
  // The gateway's request signatures, checked as SHEP does when --request-signature asks.
  std::vector<fs::path> trusted_request_certs(options.trusted_request_certs.begin(),
                                              options.trusted_request_certs.end());
  const auto request_verification = signing::request_verification(
      {.policy = options.request_signature, .trusted_certificates = trusted_request_certs});
  channel.set_request_verification(request_verification.policy, request_verification.verifier);
  {
    boost::json::array trusted;
    for (const auto& certificate : request_verification.trusted.certificates())
      trusted.push_back(boost::json::object{{"subject", certificate.subject},
                                            {"sha256", certificate.sha256_fingerprint}});
    log.info("request_signature",
             {{"policy", to_string(request_verification.policy)}, {"trusted", std::move(trusted)}});
  }
  routes.mount_rest(std::string(signing::kCertificatePath),
                    [&signing_key](const HttpRequest& request) {
                      return signing::certificate_response(signing_key, request);
                    });
  // The WSDL and the XSDs it imports, for SOAP toolkits (GET /bip-sync-wss-gost/?wsdl).
  const wsdl::ContractSite contract_site(options.contracts, options.assumed_contracts,
                                         std::string(kSyncChannelPath));
  routes.serve_wsdl(
      [&contract_site](const HttpRequest& request) { return contract_site.wsdl(request); });
  routes.mount(std::string(wsdl::kContractsPath), [&contract_site](const HttpRequest& request) {
    return contract_site.file(request);
  });
  // The population's and the subjects' state: GET /admin/population…, /admin/state,
  // /admin/scenarios, /admin/clock, POST /admin/reset.
  state::AdminApi state_admin(world, world_state, faults, journal, log);
  state_admin.mount(routes);
  // Journaled and open to the fault switch as the systems "goszakup" and "samruk".
  routes.mount_system(
      std::string(goszakup::kRnuPath), "goszakup",
      [&rnu, &world](const HttpRequest& request) { return rnu.handle(request, world); });
  routes.mount_system(std::string(samruk::kPath), "samruk",
                      [&samruk_lists, &world](const HttpRequest& request) {
                        return samruk_lists.handle(request, world);
                      });
  // The mock portal (contracts/portal): the webhook that receives tekser's supplier triggers,
  // and its admin API. The secret never reaches the log, only where it came from.
  const auto portal_secret =
      portal::resolve_secret(portal::secret_from_environment(), options.portal_secret_file);
  if (portal_secret.is_development_default)
    log.write("warn", "portal_secret_default",
              {{"message",
                "no --portal-secret-file and no TEKSER_PORTAL_SECRET: the mock portal "
                "checks signatures with the published development secret"}});
  else
    log.info("portal_secret", {{"source", portal_secret.source}});
  portal::MockPortal mock_portal(portal_secret.value, log);
  routes.mount(std::string(portal::kPortalMount),
               [&mock_portal](const HttpRequest& request) { return mock_portal.handle(request); });
  routes.mount(std::string(portal::kAdminMount), [&mock_portal](const HttpRequest& request) {
    return mock_portal.handle_admin(request);
  });

  asio::io_context io(static_cast<int>(options.threads));
  const auto tls = tls_settings(options);
  if (tls)
    log.info("tls", {{"certificate", options.tls_cert},
                     {"client_certificate", tekser::net::to_string(tls->client_certificate)},
                     {"client_ca", options.tls_client_ca}});
  HttpServer server(
      io, tekser::net::parse_listen(options.listen), HttpLimits{},
      [&routes](const HttpRequest& request) { return routes.handle(request); }, log, tls);
  tekser::net::run_until_signalled(io, server, options.threads, options.port_file, log);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  po::options_description described("tekser-mocks: mock SHEP bus with ГБД ЮЛ and ГБД ФЛ");
  described.add_options()("help,h", "show this help")(
      "listen", po::value(&options.listen)->default_value("127.0.0.1:0"),
      "HOST:PORT to listen on; port 0 picks a free port")(
      "port-file", po::value(&options.port_file),
      "write the bound port to this file once listening")(
      "fixtures", po::value(&options.fixtures)->default_value(TEKSER_MOCKS_DEFAULT_FIXTURES),
      "JSON file of the subjects the registers know")(
      "fixtures-dir",
      po::value(&options.fixtures_dir)->default_value(TEKSER_MOCKS_DEFAULT_FIXTURES_DIR),
      "folder of the other fixture files (enis.json, pa_checks.json, kgd.json, elicense.json)")(
      "contracts", po::value(&options.contracts)->default_value(TEKSER_MOCKS_DEFAULT_CONTRACTS),
      "folder of the state-system WSDL/XSDs (contracts/official)")(
      "assumed-contracts",
      po::value(&options.assumed_contracts)->default_value(TEKSER_MOCKS_DEFAULT_ASSUMED_CONTRACTS),
      "folder of the project's assumed contracts (contracts/assumed)")(
      "goszakup-fixtures",
      po::value(&options.goszakup_fixtures)->default_value(TEKSER_MOCKS_DEFAULT_GOSZAKUP_FIXTURES),
      "JSON file of the goszakup РНУ entries (GET /v3/rnu)")(
      "goszakup-synthetic",
      po::value(&options.goszakup_synthetic)->default_value(goszakup::kDefaultSynthetic),
      "synthetic РНУ rows added to the fixture entries (deterministic; none with --population)")(
      "population", po::value(&options.population.size)->default_value(0),
      "synthetic subjects every register serves (0..1000000)")(
      "population-seed", po::value(&options.population.seed)->default_value(1),
      "seed of the synthetic population: the same seed, the same subjects")(
      "population-shares", po::value<std::string>(),
      "trait shares, e.g. \"individual_entrepreneur=0.3,bankrupt=0.02,liquidated=0.01,rnu=0.01,"
      "quasi_rnu=0.005,deceased=0.005,tax_debt=0.05,unlicensed=0.03\" (these are the defaults; "
      "keys left out keep theirs)")(
      "samruk-fixtures",
      po::value(&options.samruk_fixtures)->default_value(TEKSER_MOCKS_DEFAULT_SAMRUK_FIXTURES),
      "JSON file of the Samruk-Kazyna / quasi-public entries (GET /api/unreliable-suppliers)")(
      "portal-secret-file", po::value(&options.portal_secret_file),
      "file holding the mock portal's HMAC secret (TEKSER_PORTAL_SECRET overrides it)")(
      "signing-key", po::value(&options.signing_key),
      "PEM private key the bus signs its replies with (with --signing-cert)")(
      "signing-cert", po::value(&options.signing_cert), "PEM certificate of --signing-key")(
      "signing-p12", po::value(&options.signing_p12),
      "PKCS#12 file with the signing key and certificate (password: env "
      "TEKSER_MOCKS_SIGNING_P12_PASSWORD)")(
      "signing-cert-out", po::value(&options.signing_cert_out),
      "write the signing certificate (PEM) here; without a key option it is an ephemeral one")(
      "no-signing", po::bool_switch(&options.no_signing), "send replies unsigned")(
      "tls-cert", po::value(&options.tls_cert),
      "PEM certificate (chain): serve HTTPS on the listening port (with --tls-key)")(
      "tls-key", po::value(&options.tls_key), "PEM private key of --tls-cert")(
      "tls-client-ca", po::value(&options.tls_client_ca),
      "PEM CA bundle: mutual TLS, clients present a certificate it issued")(
      "tls-client-certificate", po::value(&options.tls_client_certificate),
      "with --tls-client-ca: require (default) or optional")(
      "request-signature", po::value(&options.request_signature)->default_value("ignore"),
      "what the bus demands of the requests' signatures (WS-Security over the Body; for ГБД ЮЛ "
      "also the enveloped signature of the request data): require | verify_if_present | ignore")(
      "trusted-request-cert", po::value(&options.trusted_request_certs),
      "PEM file of a certificate the requests may be signed with, or of its CA (repeatable; "
      "required unless --request-signature is ignore)")(
      "payload-shape", po::value(&options.payload_shapes),
      "how replies carry the payload in responseData/data: typed (xsi:type, the default), "
      "declared (the contract's sendMessageResponse element), jaxb (an undeclared root in the "
      "service's namespace) or untyped; SERVICE=SHAPE for one service (serviceId or system "
      "name); repeatable")(
      "envelope-style", po::value(&options.envelope_styles),
      "how replies spell namespaces: prefixed (default), default-ns, or rebound (the payload "
      "rebinds the envelope's prefix); SERVICE=STYLE for one service; repeatable")(
      "replay", po::value(&options.replay_dirs),
      "folder of replies recorded from the real bus (tekser-ctl exchanges export): served for "
      "their serviceId and subject, newest first (repeatable)")(
      "threads", po::value(&options.threads)->default_value(1), "I/O threads");
  JsonLog log(std::cerr);
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, described), vm);
    if (vm.count("help")) {
      std::cout << described << '\n';
      return 0;
    }
    po::notify(vm);
    if (options.threads < 1 || options.threads > 64)
      throw std::invalid_argument("--threads must be 1..64");
    if (options.population.size > population::kMaxSize)
      throw std::invalid_argument("--population must be 0.." +
                                  std::to_string(population::kMaxSize));
    if (vm.count("population-shares"))
      options.population.shares =
          population::parse_shares(vm["population-shares"].as<std::string>());
    if (options.population.size > 0 && !vm["goszakup-synthetic"].defaulted())
      throw std::invalid_argument(
          "--goszakup-synthetic and --population exclude each other: the population's listed "
          "suppliers replace the synthetic РНУ rows");
    return run(options, log);
  } catch (const std::exception& e) {
    log.write("fatal", "startup_failed", {{"error", e.what()}});
    return 2;
  }
}
