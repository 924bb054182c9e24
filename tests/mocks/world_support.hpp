// The mocks as tekser-mocks assembles them, in process: every fixture file, a synthetic
// population, the world with its state, the five subject emulators behind the SyncChannel, the
// REST registers and the population/state admin API on the routes. Requests as the gateway sends
// them, and one validator of SHEP + every payload contract.
#pragma once

#include <memory>
#include <sstream>
#include <string>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "mocks/elicense/emulator.hpp"
#include "mocks/goszakup/register.hpp"
#include "mocks/kgd/emulator.hpp"
#include "mocks/pa_checks/emulator.hpp"
#include "mocks/samruk/register.hpp"
#include "mocks/shep_server/routes.hpp"
#include "mocks/state/admin.hpp"
#include "mocks/state/live_world.hpp"
#include "test_support.hpp"

namespace tekser::mocks::testing {

namespace http = boost::beast::http;

inline std::filesystem::path assumed_dir() {
  return std::filesystem::weakly_canonical(TEKSER_ASSUMED_CONTRACTS_DIR);
}

// The fixture files as tekser-mocks loads them.
struct AllFixtures {
  fixtures::Register suppliers = fixtures::load(TEKSER_MOCKS_FIXTURES);
  kgd::Register kgd = kgd::load(std::string(TEKSER_MOCKS_FIXTURES_DIR) + "/kgd.json");
  elicense::Register elicense =
      elicense::load(std::string(TEKSER_MOCKS_FIXTURES_DIR) + "/elicense.json");
  pa_checks::Register pa =
      pa_checks::load(std::string(TEKSER_MOCKS_FIXTURES_DIR) + "/pa_checks.json");
  goszakup::RnuRegister rnu = goszakup::RnuRegister::load(TEKSER_MOCKS_GOSZAKUP_FIXTURES, 0);
  samruk::UnreliableRegister samruk =
      samruk::UnreliableRegister::load(TEKSER_MOCKS_SAMRUK_FIXTURES);

  state::Sources sources() const {
    return state::Sources{.suppliers = &suppliers,
                          .kgd = &kgd,
                          .elicense = &elicense,
                          .pa_checks = &pa,
                          .rnu = &rnu,
                          .samruk = &samruk};
  }
};

inline const AllFixtures& all_fixtures() {
  static const AllFixtures fixtures;
  return fixtures;
}

// SHEP + ГБД ЮЛ + ГБД ФЛ + KGD + e-licensing + personal-assistant checks.
inline const xsd::Validator& every_contract() {
  static const xsd::Validator validator = [] {
    auto bundle =
        concat(concat(xsd::shep_namespaces(), xsd::gbd_ul_namespaces()), xsd::gbd_fl_namespaces());
    bundle.push_back(kgd::schema(assumed_dir()));
    bundle.push_back(elicense::schema(assumed_dir()));
    bundle.push_back({std::string(pa_checks::kNamespace),
                      {(assumed_dir() / pa_checks::kSchemaFile).lexically_normal().string()}});
    return xsd::Validator(contracts_dir(), bundle);
  }();
  return validator;
}

inline std::string biin_request(std::string_view service, std::string_view ns,
                                const std::string& biin, const std::string& message_id) {
  return shep::build_request(
      request_info(std::string(service), message_id),
      shep::Payload{std::string(ns), "Request",
                    "<requestorBin>210440099998</requestorBin><biin>" + biin + "</biin>"});
}
inline std::string kgd_request(const std::string& biin, const std::string& id = "kgd-1") {
  return biin_request(kgd::kServiceId, kgd::kNamespace, biin, id);
}
inline std::string elicense_request(const std::string& biin, const std::string& id = "el-1") {
  return biin_request(elicense::kServiceId, elicense::kNamespace, biin, id);
}
inline std::string pa_checks_request(const std::string& iin, const std::string& id = "pa-1") {
  return shep::build_request(
      request_info(std::string(pa_checks::kServiceId), id),
      shep::Payload{std::string(pa_checks::kNamespace), "Request",
                    "<RequestorBIN>210440099998</RequestorBIN><IIN>" + iin + "</IIN>"});
}

class MocksWorld {
 public:
  explicit MocksWorld(population::Config config)
      : log_(log_text_),
        population_(config, state::fixture_identifiers(all_fixtures().sources())),
        world_(sources(), state_),
        admin_(world_, state_, faults_, journal_, log_) {
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(world_));
    emulators.push_back(std::make_unique<gbd_fl::GbdFlEmulator>(world_));
    emulators.push_back(std::make_unique<kgd::KgdEmulator>(world_, assumed_dir()));
    emulators.push_back(std::make_unique<elicense::ElicenseEmulator>(world_, assumed_dir()));
    emulators.push_back(std::make_unique<pa_checks::PaChecksEmulator>(world_, assumed_dir()));
    channel_ =
        std::make_unique<SyncChannel>(contracts_dir(), std::move(emulators), faults_, journal_);
    routes_ = std::make_unique<MockRoutes>(*channel_, faults_, journal_, log_);
    admin_.mount(*routes_);
    routes_->mount_rest(std::string(goszakup::kRnuPath), [this](const HttpRequest& request) {
      return all_fixtures().rnu.handle(request, world_);
    });
    routes_->mount_rest(std::string(samruk::kPath), [this](const HttpRequest& request) {
      return all_fixtures().samruk.handle(request, world_);
    });
  }

  const population::Population& population() const { return population_; }
  const state::LiveWorld& world() const { return world_; }
  state::State& state() { return state_; }
  Journal& journal() { return journal_; }
  FaultSwitch& faults() { return faults_; }

  HttpResponse call(http::verb method, const std::string& target, std::string body = {}) {
    HttpRequest request{method, target, 11};
    request.set(http::field::authorization, "Bearer test-token");
    request.body() = std::move(body);
    request.prepare_payload();
    return routes_->handle(request).response;
  }
  boost::json::value call_json(http::verb method, const std::string& target,
                               std::string body = {}) {
    return boost::json::parse(call(method, target, std::move(body)).body());
  }

  // A SOAP request through the routes: a successful reply valid against every contract; its
  // data (kept alive in `parsed`).
  pugi::xml_node ask(const std::string& envelope, shep::ParsedReply& parsed) {
    const auto response = call(http::verb::post, "/bip-sync-wss-gost/", envelope);
    EXPECT_EQ(response.result(), http::status::ok) << response.body();
    std::string problems;
    for (const auto& v : every_contract().validate_soap_body(response.body())) problems += v + "\n";
    EXPECT_EQ(problems, "") << response.body();
    parsed = shep::parse_reply(response.body());
    EXPECT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
    return parsed.data;
  }

 private:
  state::Sources sources() {
    auto s = all_fixtures().sources();
    s.population = &population_;
    return s;
  }

  std::ostringstream log_text_;
  JsonLog log_;
  population::Population population_;
  state::State state_;
  state::LiveWorld world_;
  FaultSwitch faults_;
  Journal journal_;
  state::AdminApi admin_;
  std::unique_ptr<SyncChannel> channel_;
  std::unique_ptr<MockRoutes> routes_;
};

}  // namespace tekser::mocks::testing
