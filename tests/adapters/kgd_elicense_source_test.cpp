// The KGD and e-licensing Sources (ASSUMED contracts) over real loopback sockets, against the
// mock bus assembled in-process with the mock KGD and e-licensing: data, no_data, refused (the
// service's own rejection and a bus fault), unavailable and malformed for each system, with the
// provenance of the exchange and the request the mock received.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "adapters/shep/client.hpp"
#include "adapters/shep_source.hpp"
#include "common/digest/sha256.hpp"
#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"
#include "mocks/elicense/emulator.hpp"
#include "mocks/kgd/emulator.hpp"
#include "mocks/shep_server/routes.hpp"
#include "tests/adapters/mock_bus.hpp"
#include "tests/mocks/test_support.hpp"

#ifndef TEKSER_KGD_EL_ASSUMED_DIR
#error "TEKSER_KGD_EL_ASSUMED_DIR must name the contracts/assumed folder"
#endif
#ifndef TEKSER_KGD_EL_FIXTURES_DIR
#error "TEKSER_KGD_EL_FIXTURES_DIR must name mocks/fixtures"
#endif

namespace tekser::adapters {
namespace {

using testing::MockBus;

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using facts::Outcome;

constexpr const char* kRequestorBin = "210440099998";

const mocks::kgd::Register& kgd_fixtures() {
  static const auto reg =
      mocks::kgd::load(std::filesystem::path(TEKSER_KGD_EL_FIXTURES_DIR) / "kgd.json");
  return reg;
}
const mocks::elicense::Register& el_fixtures() {
  static const auto reg =
      mocks::elicense::load(std::filesystem::path(TEKSER_KGD_EL_FIXTURES_DIR) / "elicense.json");
  return reg;
}

// The mock bus with the KGD and e-licensing emulators, on its own thread.
std::unique_ptr<MockBus> start_bus() {
  std::vector<std::unique_ptr<mocks::Emulator>> emulators;
  emulators.push_back(
      std::make_unique<mocks::kgd::KgdEmulator>(kgd_fixtures(), TEKSER_KGD_EL_ASSUMED_DIR));
  emulators.push_back(std::make_unique<mocks::elicense::ElicenseEmulator>(
      el_fixtures(), TEKSER_KGD_EL_ASSUMED_DIR));
  return std::make_unique<MockBus>(std::move(emulators));
}

class KgdElicenseSourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { bus_ = start_bus(); }
  static void TearDownTestSuite() { bus_.reset(); }
  void SetUp() override {
    shep::Endpoint endpoint;
    endpoint.host = "127.0.0.1";
    endpoint.port = std::to_string(bus_->port());
    shep::ClientOptions options;
    options.read_timeout = 10s;
    options.total_timeout = 15s;
    options.sender_password = "not-a-secret";
    client_ = std::make_unique<shep::Client>(io_.get_executor(), endpoint, options);
  }
  void TearDown() override {
    bus_->faults().clear();
    bus_->journal().clear();
  }

  QueryResult run(Source& source, const Subject& subject) {
    auto future = asio::co_spawn(io_, source.query(subject), asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }
  QueryResult ask_kgd(const Subject& subject) {
    ShepSource source(*client_, *find_shep_service("kgd"),
                      SourceSettings{kRequestorBin, {}, std::chrono::hours(24 * 7)});
    return run(source, subject);
  }
  QueryResult ask_el(const Subject& subject) {
    ShepSource source(*client_, *find_shep_service("elicense"),
                      SourceSettings{kRequestorBin, {}, std::chrono::hours(24 * 7)});
    return run(source, subject);
  }

  static Subject bin(std::string id) {
    Subject s;
    s.id = std::move(id);
    s.kind = identity::SubjectKind::legal_entity;
    return s;
  }
  static Subject iin(std::string id) {
    Subject s;
    s.id = std::move(id);
    s.kind = identity::SubjectKind::individual;
    return s;
  }

  static boost::json::value fact(const QueryResult& r, std::string_view name) {
    for (const auto& f : r.result.facts) {
      if (f.name == name) return f.value;
    }
    return boost::json::value("<missing fact " + std::string(name) + ">");
  }

  // The exchange happened, the mock validated our request and recorded it under the subject.
  static void expect_asked(const QueryResult& r, std::string_view service_id,
                           const std::string& subject) {
    ASSERT_TRUE(r.exchange);
    mocks::JournalFilter filter;
    filter.subject = subject;
    filter.service_id = std::string(service_id);
    const auto entries = bus_->journal().find(filter);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].validation, "valid");
    EXPECT_EQ(entries[0].message_id, r.result.provenance.message_id);
  }

  void fault(std::string_view service_id, mocks::FaultMode mode) {
    bus_->faults().set(mocks::FaultRule{std::string(service_id), mode, std::optional<int>(1)});
  }

  static inline std::unique_ptr<MockBus> bus_;
  asio::io_context io_;
  std::unique_ptr<shep::Client> client_;
};

// ================================================================== KGD

TEST_F(KgdElicenseSourceTest, KgdAppliesToBinsAndIinsAndNamesItself) {
  ShepSource source(*client_, *find_shep_service("kgd"),
                    SourceSettings{kRequestorBin, {}, std::chrono::hours(24 * 7)});
  EXPECT_EQ(source.system(), "kgd");
  EXPECT_EQ(source.service_id(), "KGD_TaxpayerStatus");
  EXPECT_TRUE(source.applies_to(bin("150340012340")));
  EXPECT_TRUE(source.applies_to(iin("840512401230")));
}

TEST_F(KgdElicenseSourceTest, KgdTaxDebtIsDataWithProvenance) {
  const auto before = xsd_time::now_ms();
  const auto r = ask_kgd(bin("170540022190"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(r.result.system, "kgd");
  EXPECT_EQ(r.result.service_id, "KGD_TaxpayerStatus");
  ASSERT_EQ(r.result.facts.size(), 2u);
  const auto debt = fact(r, "tax_debt");
  EXPECT_EQ(debt.at("has_tax_debt"), boost::json::value(true));
  EXPECT_EQ(debt.at("has_social_debt"), boost::json::value(false));
  EXPECT_EQ(debt.at("tax_arrear"), boost::json::value(4983523.15));
  EXPECT_EQ(debt.at("offices").as_array().size(), 2u);
  EXPECT_EQ(debt.at("offices").at(1).at("lines").at(0).at("kbk"), boost::json::value("104402"));
  EXPECT_EQ(fact(r, "kgd_lists").at("bankrupt"), boost::json::value(false));

  const auto& p = r.result.provenance;
  EXPECT_EQ(p.system, "kgd");
  EXPECT_EQ(p.message_id.size(), 36u);
  EXPECT_FALSE(p.reply_message_id.empty());
  ASSERT_TRUE(r.exchange && r.exchange->response_body);
  EXPECT_EQ(p.reply_sha256, digest::sha256_hex(*r.exchange->response_body));
  EXPECT_GE(p.retrieved_at, before);
  EXPECT_EQ(p.valid_until - p.retrieved_at, std::chrono::hours(24 * 7));
  for (const auto& f : r.result.facts) EXPECT_EQ(f.provenance.message_id, p.message_id);
  // as_of is the date KGD stamped on the reply (sendTime, +05:00).
  EXPECT_EQ(debt.at("as_of").as_string().size(), 10u);
  expect_asked(r, "KGD_TaxpayerStatus", "170540022190");
}

TEST_F(KgdElicenseSourceTest, KgdIndividualEntrepreneurByIinIsClean) {
  const auto r = ask_kgd(iin("840512401230"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(fact(r, "tax_debt").at("has_tax_debt"), boost::json::value(false));
  EXPECT_EQ(fact(r, "tax_debt").at("has_social_debt"), boost::json::value(false));
  EXPECT_EQ(fact(r, "tax_debt").at("total_arrear"), boost::json::value(0.0));
  EXPECT_EQ(fact(r, "kgd_lists").at("entries"), boost::json::array());
  expect_asked(r, "KGD_TaxpayerStatus", "840512401230");
}

TEST_F(KgdElicenseSourceTest, KgdSocialDebtAndLists) {
  const auto social = ask_kgd(bin("191040033683"));
  ASSERT_EQ(social.result.outcome, Outcome::data) << social.result.cause;
  EXPECT_EQ(fact(social, "tax_debt").at("has_tax_debt"), boost::json::value(false));
  EXPECT_EQ(fact(social, "tax_debt").at("has_social_debt"), boost::json::value(true));
  EXPECT_EQ(fact(social, "tax_debt").at("pension_arrear"), boost::json::value(186150.75));

  const auto bankrupt = ask_kgd(bin("161140118765"));
  ASSERT_EQ(bankrupt.result.outcome, Outcome::data) << bankrupt.result.cause;
  EXPECT_EQ(fact(bankrupt, "kgd_lists").at("bankrupt"), boost::json::value(true));
  EXPECT_EQ(fact(bankrupt, "kgd_lists").at("entries").at(0).at("included_on"),
            boost::json::value("2025-05-06"));

  const auto inactive = ask_kgd(bin("190240005877"));
  EXPECT_EQ(fact(inactive, "kgd_lists").at("inactive"), boost::json::value(true));
  EXPECT_EQ(fact(inactive, "kgd_lists").at("wrong_address"), boost::json::value(true));

  const auto pseudo = ask_kgd(bin("230840044710"));
  EXPECT_EQ(fact(pseudo, "kgd_lists").at("pseudo_company"), boost::json::value(true));
  EXPECT_EQ(fact(pseudo, "kgd_lists").at("invalid_registration"), boost::json::value(true));

  const auto liquidating = ask_kgd(bin("120740023454"));
  EXPECT_EQ(fact(liquidating, "kgd_lists").at("liquidation_in_progress"), boost::json::value(true));
}

TEST_F(KgdElicenseSourceTest, KgdUnknownTaxpayerIsNoData) {
  const auto r = ask_kgd(bin("210440099998"));
  EXPECT_EQ(r.result.outcome, Outcome::no_data);
  EXPECT_EQ(r.result.error_code, "01");
  EXPECT_TRUE(r.result.facts.empty());
  EXPECT_EQ(r.result.provenance.reply_sha256.size(), 64u);
  expect_asked(r, "KGD_TaxpayerStatus", "210440099998");
}

TEST_F(KgdElicenseSourceTest, KgdServiceRejectionAndBusFaultAreRefused) {
  // 12 digits pass the XSD; the wrong check digit is the service's to reject.
  const auto rejected = ask_kgd(bin("150340012341"));
  EXPECT_EQ(rejected.result.outcome, Outcome::refused);
  EXPECT_EQ(rejected.result.error_code, "02");

  fault("KGD_TaxpayerStatus", mocks::FaultMode::soap_fault);
  const auto r = ask_kgd(bin("150340012340"));
  EXPECT_EQ(r.result.outcome, Outcome::refused) << r.result.cause;
  EXPECT_EQ(r.result.error_code, "SE_PROVIDER_UNAVAILABLE");
  EXPECT_TRUE(r.result.facts.empty());
}

TEST_F(KgdElicenseSourceTest, KgdDownIsUnavailableAndGarbageMalformed) {
  fault("KGD_TaxpayerStatus", mocks::FaultMode::http_503);
  const auto down = ask_kgd(bin("150340012340"));
  EXPECT_EQ(down.result.outcome, Outcome::unavailable);
  EXPECT_NE(down.result.cause.find("503"), std::string::npos) << down.result.cause;
  EXPECT_TRUE(down.result.facts.empty());

  fault("KGD_TaxpayerStatus", mocks::FaultMode::malformed);
  const auto garbage = ask_kgd(bin("150340012340"));
  EXPECT_EQ(garbage.result.outcome, Outcome::malformed);

  // The fault was counted: the next request is answered again.
  EXPECT_EQ(ask_kgd(bin("150340012340")).result.outcome, Outcome::data);
}

// ================================================================== e-licensing

TEST_F(KgdElicenseSourceTest, ElicenseAppliesToBinsAndIinsAndNamesItself) {
  ShepSource source(*client_, *find_shep_service("elicense"),
                    SourceSettings{kRequestorBin, {}, std::chrono::hours(24 * 7)});
  EXPECT_EQ(source.system(), "elicense");
  EXPECT_EQ(source.service_id(), "ELICENSE_LicensesByBiin");
  EXPECT_TRUE(source.applies_to(bin("220340015529")));
  EXPECT_TRUE(source.applies_to(iin("840512401230")));
}

TEST_F(KgdElicenseSourceTest, ElicenseValidSanatoriumLicenceIsData) {
  const auto r = ask_el(bin("040640001879"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(r.result.system, "elicense");
  ASSERT_EQ(r.result.facts.size(), 2u);
  const auto licences = fact(r, "licences");
  ASSERT_EQ(licences.as_array().size(), 1u);
  EXPECT_EQ(licences.at(0).at("number"), boost::json::value("KZ71LAA00014562"));
  EXPECT_EQ(licences.at(0).at("activity_code"), boost::json::value("MED"));
  EXPECT_EQ(licences.at(0).at("subtypes").at(0).at("code"), boost::json::value("MED_SANATORIUM"));
  EXPECT_EQ(licences.at(0).at("status"), boost::json::value("valid"));
  EXPECT_TRUE(licences.at(0).at("expires").is_null());
  EXPECT_EQ(fact(r, "notifications"), boost::json::array());
  expect_asked(r, "ELICENSE_LicensesByBiin", "040640001879");
}

TEST_F(KgdElicenseSourceTest, ElicenseStatusesAsTheRegisterSays) {
  const auto expired = ask_el(bin("190240005877"));
  EXPECT_EQ(fact(expired, "licences").at(0).at("status"), boost::json::value("valid"));
  EXPECT_EQ(fact(expired, "licences").at(0).at("expires"), boost::json::value("2025-06-30"));
  EXPECT_EQ(fact(ask_el(bin("170540022190")), "licences").at(0).at("status"),
            boost::json::value("suspended"));
  EXPECT_EQ(fact(ask_el(bin("161140118765")), "licences").at(0).at("status"),
            boost::json::value("revoked"));
}

TEST_F(KgdElicenseSourceTest, ElicenseKnownWithoutLicencesIsDataNotNoData) {
  const auto r = ask_el(iin("840512401230"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(fact(r, "licences"), boost::json::array());
  EXPECT_EQ(fact(r, "notifications"), boost::json::array());
}

TEST_F(KgdElicenseSourceTest, ElicenseTaxiCarrierNotifications) {
  const auto valid = ask_el(bin("220340015529"));
  ASSERT_EQ(valid.result.outcome, Outcome::data) << valid.result.cause;
  EXPECT_EQ(fact(valid, "notifications").at(0).at("kind"), boost::json::value("taxi_carrier"));
  EXPECT_EQ(fact(valid, "notifications").at(0).at("status"), boost::json::value("valid"));
  EXPECT_EQ(fact(valid, "notifications").at(0).at("date"), boost::json::value("2022-04-11"));

  const auto terminated = ask_el(bin("080940003154"));
  EXPECT_EQ(fact(terminated, "notifications").at(0).at("kind"), boost::json::value("taxi_carrier"));
  EXPECT_EQ(fact(terminated, "notifications").at(0).at("status"), boost::json::value("terminated"));
}

TEST_F(KgdElicenseSourceTest, ElicenseUnknownSubjectIsNoData) {
  const auto r = ask_el(bin("210440099998"));
  EXPECT_EQ(r.result.outcome, Outcome::no_data);
  EXPECT_EQ(r.result.error_code, "01");
  EXPECT_TRUE(r.result.facts.empty());
  expect_asked(r, "ELICENSE_LicensesByBiin", "210440099998");
}

TEST_F(KgdElicenseSourceTest, ElicenseBusStatusErrorIsRefusedAndResetUnavailable) {
  fault("ELICENSE_LicensesByBiin", mocks::FaultMode::status_error);
  const auto refused = ask_el(bin("040640001879"));
  EXPECT_EQ(refused.result.outcome, Outcome::refused) << refused.result.cause;
  EXPECT_EQ(refused.result.error_code, "SE_PROVIDER_ERROR");

  // Until cleared: the client's one retry of a reset kept-alive connection is reset as well.
  bus_->faults().set(mocks::FaultRule{"ELICENSE_LicensesByBiin", mocks::FaultMode::reset, {}});
  const auto reset = ask_el(bin("040640001879"));
  EXPECT_EQ(reset.result.outcome, Outcome::unavailable) << reset.result.cause;
  EXPECT_TRUE(reset.result.facts.empty());
  bus_->faults().clear();

  // A fault on one service leaves the other alone.
  fault("ELICENSE_LicensesByBiin", mocks::FaultMode::http_503);
  EXPECT_EQ(ask_kgd(bin("150340012340")).result.outcome, Outcome::data);
  EXPECT_EQ(ask_el(bin("040640001879")).result.outcome, Outcome::unavailable);
}

}  // namespace
}  // namespace tekser::adapters
