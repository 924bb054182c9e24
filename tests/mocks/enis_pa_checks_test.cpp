// The mock ЕНИС and personal-assistant checks (assumed contracts): every fixture's reply through
// the SyncChannel validates against SHEP + the assumed XSDs and carries the fixture's values; the
// fixture loaders refuse broken files naming the entry and the field.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mocks/enis/emulator.hpp"
#include "mocks/pa_checks/emulator.hpp"
#include "mocks/shep_server/sync_channel.hpp"
#include "test_support.hpp"

namespace tekser::mocks {
namespace {

using namespace testing;

std::filesystem::path assumed_dir() {
  return std::filesystem::weakly_canonical(TEKSER_ASSUMED_CONTRACTS_DIR);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const enis::Register& enis_fixtures() {
  static const auto reg =
      enis::load(std::filesystem::path(TEKSER_MOCKS_FIXTURES_DIR) / "enis.json");
  return reg;
}

const pa_checks::Register& pa_fixtures() {
  static const auto reg =
      pa_checks::load(std::filesystem::path(TEKSER_MOCKS_FIXTURES_DIR) / "pa_checks.json");
  return reg;
}

// SHEP + both assumed payload namespaces.
const xsd::Validator& validator() {
  static const xsd::Validator v(contracts_dir(), [] {
    auto bundle = xsd::shep_namespaces();
    for (const auto& ns : enis::EnisEmulator(enis_fixtures(), assumed_dir()).schemas())
      bundle.push_back(ns);
    for (const auto& ns : pa_checks::PaChecksEmulator(pa_fixtures(), assumed_dir()).schemas())
      bundle.push_back(ns);
    return bundle;
  }());
  return v;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string enis_request(const std::string& principal, const std::string& representative,
                         const std::string& number, const std::string& message_id = "enis-1") {
  return shep::build_request(
      request_info(std::string(enis::kServiceId), message_id),
      shep::Payload{std::string(enis::kNamespace), "Request",
                    "<RequestorBIN>210440099998</RequestorBIN><PrincipalId>" + principal +
                        "</PrincipalId><RepresentativeIIN>" + representative +
                        "</RepresentativeIIN><PoaNumber>" + number + "</PoaNumber>"});
}

std::string pa_request(const std::string& iin, const std::string& message_id = "pa-1") {
  return shep::build_request(
      request_info(std::string(pa_checks::kServiceId), message_id),
      shep::Payload{std::string(pa_checks::kNamespace), "Request",
                    "<RequestorBIN>210440099998</RequestorBIN><IIN>" + iin + "</IIN>"});
}

class EnisPaChecksChannelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(std::make_unique<enis::EnisEmulator>(enis_fixtures(), assumed_dir()));
    emulators.push_back(
        std::make_unique<pa_checks::PaChecksEmulator>(pa_fixtures(), assumed_dir()));
    faults_ = std::make_unique<FaultSwitch>();
    journal_ = std::make_unique<Journal>();
    channel_ =
        std::make_unique<SyncChannel>(contracts_dir(), std::move(emulators), *faults_, *journal_);
  }
  static void TearDownTestSuite() {
    channel_.reset();
    journal_.reset();
    faults_.reset();
  }
  void SetUp() override { journal_->clear(); }

  // A valid SCSS001 reply; returns its data.
  static pugi::xml_node success(const std::string& request, shep::ParsedReply& parsed) {
    const auto reply = channel_->handle(request);
    EXPECT_EQ(reply.http_status, 200u) << reply.body;
    EXPECT_EQ(joined(validator().validate_soap_body(reply.body)), "") << reply.body;
    parsed = shep::parse_reply(reply.body);
    EXPECT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
    EXPECT_EQ(parsed.info.status_code, shep::kSuccessCode);
    EXPECT_EQ(xml::namespace_uri(parsed.data.first_child()), "");  // children unqualified
    return parsed.data;
  }

  static inline std::unique_ptr<FaultSwitch> faults_;
  static inline std::unique_ptr<Journal> journal_;
  static inline std::unique_ptr<SyncChannel> channel_;
};

// ---- ЕНИС ----

TEST_F(EnisPaChecksChannelTest, EveryPowerOfAttorneyReplyValidatesAndCarriesTheDocument) {
  ASSERT_EQ(enis_fixtures().powers_of_attorney.size(), 5u);
  for (const auto& poa : enis_fixtures().powers_of_attorney) {
    SCOPED_TRACE(poa.id);
    shep::ParsedReply parsed;
    const auto data =
        success(enis_request(poa.principal_id, poa.representative_iin, poa.number), parsed);
    EXPECT_EQ(text_at(data, {"Result", "Code"}), "FOUND");
    EXPECT_EQ(text_at(data, {"PowerOfAttorney", "Number"}), poa.number);
    EXPECT_EQ(text_at(data, {"PowerOfAttorney", "Principal", "Id"}), poa.principal_id);
    EXPECT_EQ(text_at(data, {"PowerOfAttorney", "Representative", "Id"}), poa.representative_iin);
    EXPECT_EQ(text_at(data, {"PowerOfAttorney", "IssueDate"}), poa.issued);
    EXPECT_EQ(text_at(data, {"PowerOfAttorney", "Revoked"}), poa.revoked_on ? "true" : "false");
    EXPECT_EQ(text_at(data, {"PowerOfAttorney", "Scope", "Power", "Code"}), poa.scope.front());
  }
}

TEST_F(EnisPaChecksChannelTest, EnisStatesShowInTheirOwnElements) {
  shep::ParsedReply a, b, c, d, e;
  const auto expired = success(enis_request("150340012340", "850614300301", "ДВ-2024-001988"), a);
  EXPECT_EQ(text_at(expired, {"PowerOfAttorney", "ValidUntil"}), "2025-06-30");
  const auto revoked = success(enis_request("840512401230", "880722400403", "ДВ-2025-000733"), b);
  EXPECT_EQ(text_at(revoked, {"PowerOfAttorney", "RevocationDate"}), "2025-10-01");
  const auto no_end = success(enis_request("840512401230", "920925400502", "ДВ-2025-001350"), c);
  EXPECT_FALSE(has_child(no_end.child("PowerOfAttorney"), "ValidUntil"));
  EXPECT_FALSE(has_child(no_end.child("PowerOfAttorney"), "RevocationDate"));
  const auto courts = success(enis_request("150340012340", "770315300200", "ДВ-2025-001102"), d);
  EXPECT_EQ(text_at(courts, {"PowerOfAttorney", "Scope", "Power", "TextRu"}),
            "Представлять интересы в судах");
  const auto absent = success(enis_request("150340012340", "800304403774", "ДВ-2025-999999"), e);
  EXPECT_EQ(text_at(absent, {"Result", "Code"}), "NOT_FOUND");
  EXPECT_FALSE(has_child(absent, "PowerOfAttorney"));
  EXPECT_EQ(enis_fixtures().absent.at(0).number, "ДВ-2025-999999");
}

TEST_F(EnisPaChecksChannelTest, EnisAnswersTheRegisteredDocumentWhoeverIsNamed) {
  shep::ParsedReply parsed;
  const auto data = success(enis_request("840512401230", "800304403774", "ДВ-2025-000417"), parsed);
  EXPECT_EQ(text_at(data, {"PowerOfAttorney", "Principal", "Id"}), "150340012340");
  const auto entries = journal_->find({});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].subject, "840512401230");
  EXPECT_EQ(entries[0].outcome, "found");
  EXPECT_EQ(entries[0].validation, "valid");
}

TEST_F(EnisPaChecksChannelTest, AnInvalidEnisRequestIsASchemaFault) {
  const auto reply = channel_->handle(enis_request("15034001234", "800304403774", "X"));
  EXPECT_EQ(reply.http_status, 500u);
  const auto parsed = shep::parse_reply(reply.body);
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error->code, kErrorSchemaViolation);
  EXPECT_NE(parsed.error->message.find("PrincipalId"), std::string::npos) << parsed.error->message;
}

// ---- personal-assistant checks ----

TEST_F(EnisPaChecksChannelTest, EveryPersonReplyValidatesAndTheJournalHoldsNoRegisterData) {
  ASSERT_EQ(pa_fixtures().persons.size(), 7u);
  for (const auto& person : pa_fixtures().persons) {
    SCOPED_TRACE(person.id);
    shep::ParsedReply parsed;
    const auto data = success(pa_request(person.iin), parsed);
    EXPECT_EQ(text_at(data, {"Result", "Code"}), "OK");
    EXPECT_EQ(text_at(data, {"IIN"}), person.iin);
    EXPECT_TRUE(has_child(data, "PsychiatricRegistration"));
    EXPECT_TRUE(has_child(data, "CriminalRecord"));
    EXPECT_TRUE(has_child(data, "Incapacity"));
  }
  for (const auto& entry : journal_->find({})) EXPECT_EQ(entry.outcome, "answered");
}

TEST_F(EnisPaChecksChannelTest, EachRegisterShowsItsOwnRecord) {
  shep::ParsedReply a, b, c, d, e, f;
  for (const char* iin : {"911103304560", "020715601127"}) {
    const auto clean = success(pa_request(iin), a);
    EXPECT_EQ(text_at(clean, {"PsychiatricRegistration", "Status", "Code"}), "ANSWERED");
    EXPECT_EQ(text_at(clean, {"PsychiatricRegistration", "Registered"}), "false");
    EXPECT_EQ(text_at(clean, {"CriminalRecord", "HasUnexpungedRecord"}), "false");
    EXPECT_FALSE(has_child(clean.child("CriminalRecord"), "Article"));
    EXPECT_EQ(text_at(clean, {"Incapacity", "DeclaredIncapable"}), "false");
  }
  const auto psych = success(pa_request("951108300601"), b);
  EXPECT_EQ(text_at(psych, {"PsychiatricRegistration", "Registered"}), "true");
  EXPECT_EQ(text_at(psych, {"PsychiatricRegistration", "RegisteredSince"}), "2016-05-12");
  const auto record = success(pa_request("690517300101"), c);
  EXPECT_EQ(text_at(record, {"CriminalRecord", "HasUnexpungedRecord"}), "true");
  EXPECT_EQ(text_at(record, {"CriminalRecord", "Article", "Code"}), "188.2");
  const auto incapable = success(pa_request("821220400204"), d);
  EXPECT_EQ(text_at(incapable, {"Incapacity", "DeclaredIncapable"}), "true");
  EXPECT_EQ(text_at(incapable, {"Incapacity", "CourtDecisionDate"}), "2021-02-11");
  EXPECT_EQ(text_at(incapable, {"Incapacity", "LimitedCapacity"}), "false");
  shep::ParsedReply g;
  const auto limited = success(pa_request("870914301007"), g);
  EXPECT_EQ(text_at(limited, {"Incapacity", "DeclaredIncapable"}), "false");
  EXPECT_EQ(text_at(limited, {"Incapacity", "LimitedCapacity"}), "true");
  EXPECT_EQ(text_at(limited, {"Incapacity", "LimitedCapacityDecisionDate"}), "2023-06-05");
  const auto down = success(pa_request("990412300708"), e);
  EXPECT_EQ(text_at(down, {"CriminalRecord", "Status", "Code"}), "UNAVAILABLE");
  EXPECT_FALSE(has_child(down.child("CriminalRecord"), "HasUnexpungedRecord"));
  EXPECT_EQ(text_at(down, {"Incapacity", "Status", "Code"}), "ANSWERED");
  const auto unknown = success(pa_request("780815300507"), f);
  EXPECT_EQ(text_at(unknown, {"Result", "Code"}), "PERSON_NOT_FOUND");
  EXPECT_FALSE(has_child(unknown, "PsychiatricRegistration"));
  EXPECT_EQ(journal_->find({}).back().outcome, "person_not_found");
}

// ---- fixture loaders ----

std::string broken(const std::string& file, const std::string& good, const std::string& bad) {
  auto text = read_text(std::filesystem::path(TEKSER_MOCKS_FIXTURES_DIR) / file);
  const auto at = text.find(good);
  EXPECT_NE(at, std::string::npos) << good;
  if (at != std::string::npos) text.replace(at, good.size(), bad);
  return text;
}

template <typename Parse>
std::string error_of(Parse parse, const std::string& text) {
  try {
    parse(text, "x.json");
  } catch (const fixtures::FixtureError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(EnisFixtures, LoaderNamesTheEntryAndTheField) {
  const auto parse = [](const std::string& t, std::string_view s) { return enis::parse(t, s); };
  const auto error = error_of(
      parse, broken("enis.json", "\"iin\": \"800304403774\"", "\"iin\": \"800304403775\""));
  EXPECT_NE(error.find("x.json: powers_of_attorney[0] (id \"poa-valid\").representative: "
                       "field \"iin\": IIN '800304403775'"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("check digit"), std::string::npos) << error;
}

TEST(EnisFixtures, RefusesUnknownFieldsBadDatesCodesAndDuplicates) {
  const auto parse = [](const std::string& t, std::string_view s) { return enis::parse(t, s); };
  EXPECT_NE(
      error_of(parse, broken("enis.json", "\"registry_number\": \"250300417120001\"",
                             "\"registry_number\": \"250300417120001\", \"registry_no\": \"1\""))
          .find("(id \"poa-valid\"): field \"registry_no\" is not a known fixture field"),
      std::string::npos);
  EXPECT_NE(error_of(parse, broken("enis.json", "\"valid_until\": \"2025-06-30\"",
                                   "\"valid_until\": \"2024-06-30\""))
                .find("(id \"poa-expired\"): field \"valid_until\": is before issued"),
            std::string::npos);
  EXPECT_NE(error_of(parse, broken("enis.json", "\"scope\": [\"SSP_REPRESENT\"]",
                                   "\"scope\": [\"SSP_REPRESENTS\"]"))
                .find("(id \"poa-no-end-date\"): field \"scope\": power code 'SSP_REPRESENTS'"),
            std::string::npos);
  EXPECT_NE(error_of(parse, broken("enis.json", "\"number\": \"ДВ-2025-999999\"",
                                   "\"number\": \"ДВ-2025-000417\""))
                .find("(id \"poa-absent\"): field \"number\": 'ДВ-2025-000417' is already used"),
            std::string::npos);
  EXPECT_NE(error_of(parse, broken("enis.json", "\"issued\": \"2025-03-12\"",
                                   "\"issued\": \"12.03.2025\""))
                .find("field \"issued\": '12.03.2025' is not a date YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(error_of(parse, "{").find("x.json: not valid JSON"), std::string::npos);
}

TEST(PaChecksFixtures, LoaderNamesTheEntryAndTheField) {
  const auto parse = [](const std::string& t, std::string_view s) {
    return pa_checks::parse(t, s);
  };
  EXPECT_NE(error_of(parse, broken("pa_checks.json", "\"iin\": \"951108300601\"",
                                   "\"iin\": \"951108300602\""))
                .find("x.json: persons[2] (id \"pa-psychiatric\"): field \"iin\": IIN "
                      "'951108300602'"),
            std::string::npos);
  EXPECT_NE(error_of(parse, broken("pa_checks.json", "\"articles\": [\"188.2\", \"293.1\"]",
                                   "\"articles\": [\"кража\"]"))
                .find("(id \"pa-criminal-record\").criminal_record: field \"articles\": 'кража' "
                      "is not an article code"),
            std::string::npos);
  EXPECT_NE(error_of(parse, broken("pa_checks.json", "\"unavailable\": [\"criminal_record\"]",
                                   "\"unavailable\": [\"criminal_records\"]"))
                .find("(id \"pa-records-down\"): field \"unavailable\": 'criminal_records' is not "
                      "a section"),
            std::string::npos);
  EXPECT_NE(error_of(parse, broken("pa_checks.json", "\"since\": \"2016-05-12\"",
                                   "\"since\": \"2016-05-12\", \"diagnosis\": \"F20\""))
                .find("psychiatric_registration: field \"diagnosis\" is not a known fixture field"),
            std::string::npos);
  EXPECT_NE(error_of(parse, broken("pa_checks.json", "\"iin\": \"780815300507\"",
                                   "\"iin\": \"911103304560\""))
                .find("(id \"pa-unknown\"): field \"iin\": '911103304560' is already used"),
            std::string::npos);
}

}  // namespace
}  // namespace tekser::mocks
