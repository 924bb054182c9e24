// ЕНИС ENIS_PoaVerification (assumed contract) reply -> the power_of_attorney fact, on golden
// replies (the mock emulator's output for mocks/fixtures/enis.json, and hand-edited variants),
// and the pure judgement of the fact on a day.
#include <gtest/gtest.h>

#include "mappings/enis/enis.hpp"
#include "tests/mappings/support.hpp"

namespace {

namespace facts = tekser::facts;
namespace enis = tekser::mappings::enis;
using tekser::test::count;
using tekser::test::fact;
using tekser::test::json;

const facts::Provenance& prov() {
  static const auto p = tekser::test::provenance(enis::kSystem, enis::kServiceId);
  return p;
}

const enis::PoaQuery kValidQuery{"150340012340", "800304403774", "ДВ-2025-000417"};

tekser::mappings::MappedReply map(std::string_view golden_name, const enis::PoaQuery& query) {
  const auto reply = tekser::test::golden(golden_name);
  return enis::map_reply(reply.data, query, prov());
}

constexpr const char* kValidPoa = R"({
  "number": "ДВ-2025-000417", "registry_number": "250300417120001",
  "principal_id": "150340012340", "principal_name": "ТОО «Мейірім Медтехника»",
  "representative_iin": "800304403774", "representative_name": "Нұрпейісова Айгүл Сағатқызы",
  "issued": "2025-03-12", "valid_until": "2026-12-31", "revoked": false, "revoked_on": null,
  "scope": [
    {"code": "SSP_REPRESENT", "text_ru": "Представлять интересы на портале социальных услуг"},
    {"code": "SIGN_APPLICATIONS", "text_ru": "Подписывать и подавать заявления"},
    {"code": "RECEIVE_PAYMENTS", "text_ru": "Получать причитающиеся денежные средства"}],
  "notary_ru": "Сейткалиева Айнур Бахытовна, частный нотариус нотариального округа города Алматы, лицензия № 0001234"})";

TEST(EnisMapping, ValidPowerOfAttorneyGivesTheWholeFact) {
  const auto r = map("enis_valid.xml", kValidQuery);
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(fact(r, "power_of_attorney"), json(kValidPoa));
  EXPECT_TRUE(tekser::test::same(r.facts.at(0).provenance, prov()));
  EXPECT_FALSE(r.error_code.has_value());
  EXPECT_TRUE(r.cause.empty());
}

TEST(EnisMapping, PrefixedServiceNamespaceReadsTheSame) {
  const auto r = map("enis_valid_prefixed.xml", kValidQuery);
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "power_of_attorney"), json(kValidPoa));
}

TEST(EnisMapping, RevokedCarriesTheFlagAndTheDate) {
  const auto r = map("enis_revoked.xml", {"840512401230", "880722400403", "ДВ-2025-000733"});
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto poa = fact(r, "power_of_attorney");
  EXPECT_EQ(poa.at("revoked"), json("true"));
  EXPECT_EQ(poa.at("revoked_on"), json(R"("2025-10-01")"));
  EXPECT_EQ(poa.at("valid_until"), json(R"("2027-05-20")"));
  EXPECT_EQ(poa.at("principal_name"), json(R"("ИП Омарова Жанар Серікқызы")"));
}

TEST(EnisMapping, ARevocationDateIsARevocationWhateverTheFlagSays) {
  // Hand-edited: <Revoked>false</Revoked> with a RevocationDate.
  const auto r =
      map("enis_revocation_date_only.xml", {"840512401230", "880722400403", "ДВ-2025-000733"});
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "power_of_attorney").at("revoked"), json("true"));
  EXPECT_FALSE(enis::assess(fact(r, "power_of_attorney"), "2025-09-01").valid);
}

TEST(EnisMapping, ExpiredCarriesValidUntilForTheCallerToJudge) {
  const auto r = map("enis_expired.xml", {"150340012340", "850614300301", "ДВ-2024-001988"});
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto poa = fact(r, "power_of_attorney");
  EXPECT_EQ(poa.at("valid_until"), json(R"("2025-06-30")"));
  EXPECT_EQ(poa.at("revoked"), json("false"));
  EXPECT_EQ(poa.at("scope").as_array().size(), 2u);
}

TEST(EnisMapping, NoEndDateIsNull) {
  const auto r = map("enis_no_end_date.xml", {"840512401230", "920925400502", "ДВ-2025-001350"});
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_TRUE(fact(r, "power_of_attorney").at("valid_until").is_null());
}

TEST(EnisMapping, NotFoundIsNoData) {
  const auto r = map("enis_not_found.xml", {"150340012340", "800304403774", "ДВ-2025-999999"});
  EXPECT_EQ(r.outcome, facts::Outcome::no_data);
  EXPECT_EQ(r.error_code, "NOT_FOUND");
  EXPECT_NE(r.cause.find("Доверенность не найдена"), std::string::npos) << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(EnisMapping, AccessDeniedIsRefused) {
  const auto r = map("enis_access_denied.xml", kValidQuery);
  EXPECT_EQ(r.outcome, facts::Outcome::refused);
  EXPECT_EQ(r.error_code, "ACCESS_DENIED");
  EXPECT_TRUE(r.facts.empty());
}

TEST(EnisMapping, AnotherPrincipalIsMalformedNeverValid) {
  const auto r = map("enis_valid.xml", {"840512401230", "800304403774", "ДВ-2025-000417"});
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_TRUE(r.facts.empty());
  EXPECT_NE(r.cause.find("another principal (1503******40, asked about 8405******30)"),
            std::string::npos)
      << r.cause;
}

TEST(EnisMapping, AnotherRepresentativeIsMalformed) {
  const auto r = map("enis_valid.xml", {"150340012340", "850614300301", "ДВ-2025-000417"});
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_TRUE(r.facts.empty());
  EXPECT_NE(r.cause.find("another representative"), std::string::npos) << r.cause;
}

TEST(EnisMapping, AnotherNumberIsMalformed) {
  const auto r = map("enis_valid.xml", {"150340012340", "800304403774", "ДВ-2025-000418"});
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("'ДВ-2025-000417', asked about 'ДВ-2025-000418'"), std::string::npos)
      << r.cause;
}

TEST(EnisMapping, FoundWithoutTheDocumentIsMalformed) {
  const auto r = map("enis_found_without_poa.xml", kValidQuery);
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("FOUND without a PowerOfAttorney"), std::string::npos) << r.cause;
}

TEST(EnisMapping, NoPayloadOrAnotherShapeIsMalformed) {
  EXPECT_EQ(enis::map_reply(pugi::xml_node{}, kValidQuery, prov()).outcome,
            facts::Outcome::malformed);
  const auto r = map("ul_active.xml", kValidQuery);  // a ГБД ЮЛ reply
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("no Result/Code"), std::string::npos) << r.cause;
}

// ---------------------------------------------------------------- assess

boost::json::value valid_fact() {
  return json(kValidPoa);
}

TEST(EnisAssess, ValidOnAnyDayFromIssueToValidUntilInclusive) {
  const auto on_issue = enis::assess(valid_fact(), "2025-03-12");
  EXPECT_TRUE(on_issue.valid) << on_issue.reason;
  EXPECT_EQ(on_issue.reason, "valid until 2026-12-31");
  EXPECT_TRUE(enis::assess(valid_fact(), "2026-12-31").valid);
  const auto after = enis::assess(valid_fact(), "2027-01-01");
  EXPECT_FALSE(after.valid);
  EXPECT_EQ(after.reason, "expired on 2026-12-31");
  const auto before = enis::assess(valid_fact(), "2025-03-11");
  EXPECT_FALSE(before.valid);
  EXPECT_EQ(before.reason, "issued on 2025-03-12, after 2025-03-11");
}

TEST(EnisAssess, RevokedIsNeverValid) {
  auto poa = valid_fact();
  poa.as_object()["revoked"] = true;
  poa.as_object()["revoked_on"] = "2025-10-01";
  const auto a = enis::assess(poa, "2026-01-15");
  EXPECT_FALSE(a.valid);
  EXPECT_EQ(a.reason, "revoked on 2025-10-01");
  EXPECT_FALSE(enis::assess(poa, "2025-09-01").valid);  // already recorded as revoked
  poa.as_object()["revoked_on"] = nullptr;
  EXPECT_EQ(enis::assess(poa, "2026-01-15").reason, "revoked (no revocation date given)");
}

TEST(EnisAssess, NoEndDateStaysValid) {
  auto poa = valid_fact();
  poa.as_object()["valid_until"] = nullptr;
  const auto a = enis::assess(poa, "2030-01-01");
  EXPECT_TRUE(a.valid);
  EXPECT_EQ(a.reason, "valid, no end date");
}

TEST(EnisAssess, ScopeWithoutPortalRepresentationIsNotValid) {
  auto poa = valid_fact();
  poa.as_object()["scope"] = json(R"([{"code": "REPRESENT_COURTS", "text_ru": "суды"}])");
  const auto a = enis::assess(poa, "2026-01-15");
  EXPECT_FALSE(a.valid);
  EXPECT_NE(a.reason.find("SSP_REPRESENT"), std::string::npos) << a.reason;
}

TEST(EnisAssess, GarbageIsNotValid) {
  EXPECT_FALSE(enis::assess(json("null"), "2026-01-15").valid);
  EXPECT_FALSE(enis::assess(valid_fact(), "15.01.2026").valid);
  auto poa = valid_fact();
  poa.as_object().erase("revoked");
  EXPECT_FALSE(enis::assess(poa, "2026-01-15").valid);
}

}  // namespace
