// The ЕНИС checker and the personal-assistant checks Source over real loopback sockets, against
// the mock bus assembled in-process with the mock ЕНИС and personal-assistant registers: every
// outcome the fixtures cover, the query-match guard, mock faults, and who the Source applies to.
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
#include <boost/json/parse.hpp>

#include "adapters/enis/checker.hpp"
#include "adapters/shep/client.hpp"
#include "adapters/shep_source.hpp"
#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"
#include "mocks/enis/emulator.hpp"
#include "mocks/pa_checks/emulator.hpp"
#include "mocks/shep_server/routes.hpp"
#include "tests/adapters/mock_bus.hpp"
#include "tests/mocks/test_support.hpp"

namespace tekser::adapters {
namespace {

using testing::MockBus;

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using facts::Outcome;

constexpr const char* kRequestorBin = "210440099998";

const mocks::enis::Register& enis_fixtures() {
  static const auto reg =
      mocks::enis::load(std::filesystem::path(TEKSER_MOCKS_FIXTURES_DIR) / "enis.json");
  return reg;
}
const mocks::pa_checks::Register& pa_fixtures() {
  static const auto reg =
      mocks::pa_checks::load(std::filesystem::path(TEKSER_MOCKS_FIXTURES_DIR) / "pa_checks.json");
  return reg;
}

// The mock bus with the two assumed-contract emulators, on its own thread.
std::unique_ptr<MockBus> start_bus() {
  std::vector<std::unique_ptr<mocks::Emulator>> emulators;
  emulators.push_back(
      std::make_unique<mocks::enis::EnisEmulator>(enis_fixtures(), TEKSER_ASSUMED_CONTRACTS_DIR));
  emulators.push_back(std::make_unique<mocks::pa_checks::PaChecksEmulator>(
      pa_fixtures(), TEKSER_ASSUMED_CONTRACTS_DIR));
  return std::make_unique<MockBus>(std::move(emulators));
}

class EnisPaChecksTest : public ::testing::Test {
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

  QueryResult check(const enis::PoaQuery& query) {
    enis::PowerOfAttorneyChecker checker(*client_, enis::Options{kRequestorBin});
    auto future = asio::co_spawn(io_, checker.check(query), asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }

  QueryResult query(const Subject& subject) {
    ShepSource source(*client_, *find_shep_service("pa_checks"),
                      SourceSettings{kRequestorBin, {}, std::chrono::hours(24 * 7)});
    EXPECT_TRUE(source.applies_to(subject));
    auto future = asio::co_spawn(io_, source.query(subject), asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }

  static Subject assistant(std::string iin) {
    Subject s;
    s.id = std::move(iin);
    s.kind = identity::SubjectKind::individual;
    s.categories = {"technical_aids", "personal_assistant"};
    return s;
  }

  static const facts::Fact* find(const QueryResult& r, std::string_view name) {
    for (const auto& f : r.result.facts) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }

  static inline std::unique_ptr<MockBus> bus_;
  asio::io_context io_;
  std::unique_ptr<shep::Client> client_;
};

// ------------------------------------------------------------------ ЕНИС

TEST_F(EnisPaChecksTest, ValidPowerOfAttorney) {
  const enis::PoaQuery q{"150340012340", "800304403774", "ДВ-2025-000417"};
  const auto r = check(q);
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(r.result.system, "enis");
  EXPECT_EQ(r.result.service_id, "ENIS_PoaVerification");
  ASSERT_EQ(r.result.facts.size(), 1u);
  const auto& fact = r.result.facts[0];
  EXPECT_EQ(fact.name, "power_of_attorney");
  EXPECT_EQ(fact.value.at("number"), "ДВ-2025-000417");
  EXPECT_EQ(fact.value.at("registry_number"), "250300417120001");
  EXPECT_EQ(fact.value.at("representative_name"), "Нұрпейісова Айгүл Сағатқызы");
  EXPECT_EQ(fact.value.at("valid_until"), "2026-12-31");
  EXPECT_EQ(fact.value.at("revoked"), false);
  EXPECT_EQ(fact.value.at("scope").as_array().size(), 3u);
  EXPECT_EQ(fact.provenance.system, "enis");
  EXPECT_EQ(fact.provenance.valid_until - fact.provenance.retrieved_at, 24h);
  EXPECT_EQ(fact.provenance.reply_sha256.size(), 64u);
  ASSERT_TRUE(r.exchange);
  EXPECT_EQ(fact.provenance.message_id,
            shep::parse_request(r.exchange->request_body).info.message_id);

  const auto a = enis::assess(fact.value, "2026-01-15");
  EXPECT_TRUE(a.valid) << a.reason;
  // The mock validated the request against the assumed XSD.
  const auto journal = bus_->journal().find({});
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal[0].validation, "valid");
  EXPECT_EQ(journal[0].outcome, "found");
}

TEST_F(EnisPaChecksTest, RevokedPowerOfAttorneyIsDataThatAssessesInvalid) {
  const auto r = check({"840512401230", "880722400403", "ДВ-2025-000733"});
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  const auto& poa = r.result.facts.at(0).value;
  EXPECT_EQ(poa.at("revoked"), true);
  EXPECT_EQ(poa.at("revoked_on"), "2025-10-01");
  const auto a = enis::assess(poa, "2026-01-15");
  EXPECT_FALSE(a.valid);
  EXPECT_EQ(a.reason, "revoked on 2025-10-01");
}

TEST_F(EnisPaChecksTest, ExpiredPowerOfAttorneyCarriesValidUntil) {
  const auto r = check({"150340012340", "850614300301", "ДВ-2024-001988"});
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  const auto& poa = r.result.facts.at(0).value;
  EXPECT_EQ(poa.at("valid_until"), "2025-06-30");
  EXPECT_TRUE(enis::assess(poa, "2025-06-30").valid);
  const auto a = enis::assess(poa, "2026-01-15");
  EXPECT_FALSE(a.valid);
  EXPECT_EQ(a.reason, "expired on 2025-06-30");
}

TEST_F(EnisPaChecksTest, ScopeWithoutPortalRepresentationAssessesInvalid) {
  const auto r = check({"150340012340", "770315300200", "ДВ-2025-001102"});
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  const auto a = enis::assess(r.result.facts.at(0).value, "2026-01-15");
  EXPECT_FALSE(a.valid);
  EXPECT_NE(a.reason.find("social services portal"), std::string::npos) << a.reason;
}

TEST_F(EnisPaChecksTest, NotFoundIsNoData) {
  const auto r = check({"150340012340", "800304403774", "ДВ-2025-999999"});
  EXPECT_EQ(r.result.outcome, Outcome::no_data) << r.result.cause;
  EXPECT_EQ(r.result.error_code, "NOT_FOUND");
  EXPECT_TRUE(r.result.facts.empty());
}

TEST_F(EnisPaChecksTest, PrincipalMismatchIsMalformed) {
  // A real number, asked for another principal: ЕНИС answers the document as registered.
  const auto r = check({"840512401230", "800304403774", "ДВ-2025-000417"});
  EXPECT_EQ(r.result.outcome, Outcome::malformed);
  EXPECT_TRUE(r.result.facts.empty());
  EXPECT_NE(r.result.cause.find("another principal"), std::string::npos) << r.result.cause;
}

TEST_F(EnisPaChecksTest, MockFaultsAreUnknownNeverData) {
  bus_->faults().set(mocks::FaultRule{std::string(mocks::enis::kServiceId),
                                      mocks::FaultMode::http_503, std::optional<int>(1)});
  const enis::PoaQuery q{"150340012340", "800304403774", "ДВ-2025-000417"};
  auto r = check(q);
  EXPECT_EQ(r.result.outcome, Outcome::unavailable) << r.result.cause;
  EXPECT_TRUE(r.result.facts.empty());

  bus_->faults().set(mocks::FaultRule{std::string(mocks::enis::kServiceId),
                                      mocks::FaultMode::soap_fault, std::optional<int>(1)});
  r = check(q);
  EXPECT_EQ(r.result.outcome, Outcome::refused) << r.result.cause;
  EXPECT_EQ(r.result.error_code, mocks::kErrorProviderUnavailable);

  // The rule is used up: the next request is answered.
  EXPECT_EQ(check(q).result.outcome, Outcome::data);
}

TEST_F(EnisPaChecksTest, AnInvalidQueryIsNotSent) {
  const auto r = check({"150340012341", "800304403774", "ДВ-2025-000417"});
  EXPECT_EQ(r.result.outcome, Outcome::refused);
  EXPECT_EQ(r.result.error_code, enis::kInvalidQuery);
  EXPECT_FALSE(r.exchange);
  EXPECT_NE(r.result.cause.find("principal"), std::string::npos) << r.result.cause;
  EXPECT_EQ(check({"150340012340", "150340012340", "X"}).result.error_code, enis::kInvalidQuery);
  EXPECT_EQ(check({"150340012340", "800304403774", ""}).result.error_code, enis::kInvalidQuery);
  EXPECT_EQ(bus_->journal().count({}), 0u);
}

// ------------------------------------------------------------------ personal-assistant checks

TEST_F(EnisPaChecksTest, CleanAssistantsAreThreeFactsOfAbsence) {
  for (const char* iin : {"911103304560", "020715601127"}) {
    SCOPED_TRACE(iin);
    const auto r = query(assistant(iin));
    ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
    EXPECT_EQ(r.result.system, "pa_checks");
    EXPECT_EQ(r.result.service_id, "PersonalAssistantChecks");
    ASSERT_EQ(r.result.facts.size(), 3u);
    EXPECT_EQ(find(r, "psychiatric_registration")->value,
              boost::json::parse(R"({"registered": false, "since": null})"));
    EXPECT_EQ(find(r, "criminal_record")->value,
              boost::json::parse(R"({"has_unexpunged_record": false, "articles": []})"));
    EXPECT_EQ(find(r, "incapacity")->value,
              boost::json::parse(R"({"declared_incapable": false, "court_decision_date": null,
                                              "limited_capacity": false,
                                              "limited_capacity_decision_date": null})"));
    EXPECT_EQ(r.result.facts[0].provenance.valid_until - r.result.facts[0].provenance.retrieved_at,
              std::chrono::hours(24 * 7));
  }
}

TEST_F(EnisPaChecksTest, EachFlag) {
  auto r = query(assistant("951108300601"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(find(r, "psychiatric_registration")->value,
            boost::json::parse(R"({"registered": true, "since": "2016-05-12"})"));

  r = query(assistant("690517300101"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(
      find(r, "criminal_record")->value,
      boost::json::parse(R"({"has_unexpunged_record": true, "articles": ["188.2", "293.1"]})"));

  r = query(assistant("821220400204"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(find(r, "incapacity")->value,
            boost::json::parse(R"({"declared_incapable": true, "court_decision_date": "2021-02-11",
                             "limited_capacity": false, "limited_capacity_decision_date": null})"));

  r = query(assistant("870914301007"));  // pa-limited-capacity
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(find(r, "incapacity")->value,
            boost::json::parse(R"({"declared_incapable": false, "court_decision_date": null,
                                   "limited_capacity": true,
                                   "limited_capacity_decision_date": "2023-06-05"})"));

  // Neither the mock's log nor its journal carries what the registers hold.
  const auto log = bus_->log_text();
  for (const char* secret : {"188.2", "2016-05-12", "2021-02-11", "690517300101"})
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in " << log;
  for (const auto& entry : bus_->journal().find({})) EXPECT_EQ(entry.outcome, "answered");
}

TEST_F(EnisPaChecksTest, ARegisterDownLeavesItsCheckUnknown) {
  const auto r = query(assistant("990412300708"));
  ASSERT_EQ(r.result.outcome, Outcome::data) << r.result.cause;
  EXPECT_EQ(r.result.facts.size(), 2u);
  EXPECT_EQ(find(r, "criminal_record"), nullptr);
  EXPECT_EQ(r.result.cause, "partly unknown: criminal records register: UNAVAILABLE");
}

TEST_F(EnisPaChecksTest, UnknownPersonIsNoDataAndBusFaultsAreUnknown) {
  auto r = query(assistant("780815300507"));
  EXPECT_EQ(r.result.outcome, Outcome::no_data) << r.result.cause;
  EXPECT_EQ(r.result.error_code, "PERSON_NOT_FOUND");

  bus_->faults().set(mocks::FaultRule{std::string(mocks::pa_checks::kServiceId),
                                      mocks::FaultMode::status_error, std::optional<int>(1)});
  r = query(assistant("911103304560"));
  EXPECT_EQ(r.result.outcome, Outcome::refused) << r.result.cause;
  EXPECT_TRUE(r.result.facts.empty());
}

TEST_F(EnisPaChecksTest, OnlyIndividualPersonalAssistantsAreAsked) {
  ShepSource source(*client_, *find_shep_service("pa_checks"),
                    SourceSettings{kRequestorBin, {}, std::chrono::hours(24 * 7)});
  EXPECT_EQ(source.system(), "pa_checks");
  EXPECT_TRUE(source.applies_to(assistant("911103304560")));

  Subject ie = assistant("840512401230");
  ie.categories = {"sign_language"};
  EXPECT_FALSE(source.applies_to(ie));  // an IIN, but not a personal assistant

  Subject none = assistant("911103304560");
  none.categories.clear();
  EXPECT_FALSE(source.applies_to(none));

  Subject entity;
  entity.id = "150340012340";
  entity.kind = identity::SubjectKind::legal_entity;
  entity.categories = {"personal_assistant"};
  EXPECT_FALSE(source.applies_to(entity));  // a BIN is never asked
}

}  // namespace
}  // namespace tekser::adapters
