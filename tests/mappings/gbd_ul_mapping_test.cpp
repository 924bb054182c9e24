// ГБД ЮЛ GbdulInfoByBin_v2 reply -> facts, on golden replies (the mock emulator's output for
// the fixtures, and hand-edited variants of it).
#include <gtest/gtest.h>

#include "mappings/gbd_ul/gbd_ul.hpp"
#include "tests/mappings/support.hpp"

namespace {

namespace facts = tekser::facts;
namespace gbd_ul = tekser::mappings::gbd_ul;
using tekser::test::count;
using tekser::test::fact;
using tekser::test::json;

const facts::Provenance& prov() {
  static const auto p = tekser::test::provenance(gbd_ul::kSystem, gbd_ul::kServiceId);
  return p;
}

tekser::mappings::MappedReply map(std::string_view golden_name) {
  const auto reply = tekser::test::golden(golden_name);
  return gbd_ul::map_reply(reply.data, prov());
}

constexpr const char* kActiveNames = R"({
  "full_ru": "Товарищество с ограниченной ответственностью «Мейірім Медтехника»",
  "full_kk": "«Мейірім Медтехника» жауапкершілігі шектеулі серіктестігі",
  "short_ru": "ТОО «Мейірім Медтехника»",
  "short_kk": "«Мейірім Медтехника» ЖШС"})";

constexpr const char* kActiveAddress = R"({
  "kato": "751110000", "ar_code": null, "zip": "050004",
  "region_ru": "город Алматы", "region_kk": "Алматы қаласы",
  "district_ru": "Алмалинский район", "district_kk": "Алмалы ауданы",
  "rural_ru": null, "rural_kk": null,
  "city_ru": "Алматы", "city_kk": "Алматы",
  "street_ru": "улица Толе би", "street_kk": "Төле би көшесі",
  "building": "101", "block": null, "corpus": null, "office": "12", "apartment": null,
  "text_ru": "050004, город Алматы, Алмалинский район, улица Толе би, дом 101, офис 12",
  "text_kk": "050004, Алматы қаласы, Алмалы ауданы, Төле би көшесі, 101 үй, 12 кеңсе"})";

constexpr const char* kActiveHead = R"({
  "iin": "750918302111", "surname": "Қасымов", "name": "Ержан", "middle_name": "Болатұлы",
  "position_code": "1", "position_ru": "Директор", "position_kk": "Директор",
  "appointed": "2015-03-17"})";

constexpr const char* kActiveFounders = R"([
  {"bin": "040640002311", "name_ru": "Акционерное общество «Шипагер Холдинг»",
   "name_kk": "«Шипагер Холдинг» акционерлік қоғамы", "share_percent": 25.0,
   "kind": "legal_entity"},
  {"iin": "750918302111", "surname": "Қасымов", "name": "Ержан", "middle_name": "Болатұлы",
   "share_percent": 60.0, "kind": "individual"},
  {"iin": "800304403774", "surname": "Нұрпейісова", "name": "Айгүл", "middle_name": "Сағатқызы",
   "share_percent": 15.0, "kind": "individual"}])";

constexpr const char* kActiveStatus = R"({
  "value": "active", "since": null,
  "reg_status_code": "1", "reg_status_ru": "Зарегистрирован", "reg_status_kk": "Тіркелген",
  "tax_inactive": false, "liquidation_date": null, "liquidation_decision_date": null,
  "liquidation_base_code": null, "liquidation_base_ru": null, "liquidation_type_code": null,
  "reorganization_type_code": null, "reorganization_type_ru": null, "successor_bin": null,
  "reorganization_bins": null})";

void expect_active_llp(const tekser::mappings::MappedReply& r) {
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "kind"), json(R"("legal_entity")"));
  EXPECT_EQ(fact(r, "identifier"), json(R"("150340012340")"));
  EXPECT_EQ(fact(r, "names"), json(kActiveNames));
  EXPECT_EQ(fact(r, "legal_address"), json(kActiveAddress));
  EXPECT_EQ(fact(r, "registration_date"), json(R"("2015-03-17")"));
  EXPECT_EQ(fact(r, "head"), json(kActiveHead));
  EXPECT_EQ(fact(r, "founders"), json(kActiveFounders));
  EXPECT_EQ(fact(r, "status"), json(kActiveStatus));
}

TEST(GbdUlMapping, ActiveLlpGivesEveryFact) {
  const auto r = map("ul_active.xml");
  expect_active_llp(r);
  EXPECT_FALSE(r.error_code.has_value());
  EXPECT_EQ(r.facts.size(), 8u);
  for (const auto* name : {"kind", "identifier", "names", "legal_address", "registration_date",
                           "head", "founders", "status"})
    EXPECT_EQ(count(r, name), 1u) << name;
}

TEST(GbdUlMapping, EveryFactCarriesTheProvenancePassedIn) {
  const auto r = map("ul_active.xml");
  ASSERT_FALSE(r.facts.empty());
  for (const auto& f : r.facts) EXPECT_TRUE(tekser::test::same(f.provenance, prov())) << f.name;
}

TEST(GbdUlMapping, InLiquidationSinceTheDecision) {
  const auto r = map("ul_in_liquidation.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "identifier"), json(R"("120740023454")"));
  EXPECT_EQ(fact(r, "status"), json(R"j({
    "value": "in_liquidation", "since": "2025-09-15",
    "reg_status_code": "2", "reg_status_ru": "В процессе ликвидации",
    "reg_status_kk": "Тарату процесінде", "tax_inactive": false,
    "liquidation_date": null, "liquidation_decision_date": "2025-09-15",
    "liquidation_base_code": "1", "liquidation_base_ru": "Решение учредителей (собственника)",
    "liquidation_type_code": null, "reorganization_type_code": null,
    "reorganization_type_ru": null, "successor_bin": null, "reorganization_bins": null})j"));
  EXPECT_EQ(fact(r, "head").at("position_ru"), json(R"("Председатель ликвидационной комиссии")"));
  EXPECT_EQ(fact(r, "legal_address").at("text_ru"),
            json(R"("010000, город Астана, район Есиль, проспект Мәңгілік Ел, дом 24, офис 305")"));
  EXPECT_EQ(fact(r, "founders").as_array().size(), 1u);
}

TEST(GbdUlMapping, LiquidatedSinceTheLiquidationDate) {
  const auto r = map("ul_liquidated.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "identifier"), json(R"("080940003154")"));
  const auto status = fact(r, "status");
  EXPECT_EQ(status.at("value"), json(R"("liquidated")"));
  EXPECT_EQ(status.at("since"), json(R"("2024-11-29")"));
  EXPECT_EQ(status.at("liquidation_decision_date"), json(R"("2024-06-10")"));
  EXPECT_EQ(status.at("reg_status_code"), json(R"("3")"));
  // No RegionRu in this address: the oblast, then the city.
  EXPECT_EQ(fact(r, "legal_address").at("text_ru"),
            json(R"("100000, Карагандинская область, Караганда, проспект Бухар-Жырау, дом 57")"));
  EXPECT_EQ(fact(r, "legal_address").at("text_kk"),
            json(R"("100000, Қарағанды облысы, Қарағанды, Бұқар жырау даңғылы, 57 үй")"));
}

TEST(GbdUlMapping, LiquidatedByRegStatusCodeWhenTheStructureIsSilent) {
  const auto r = map("ul_liquidated_code_only.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto status = fact(r, "status");
  EXPECT_EQ(status.at("value"), json(R"("liquidated")"));
  EXPECT_EQ(status.at("since"), json("null"));
  EXPECT_EQ(status.at("liquidation_base_code"), json("null"));
}

TEST(GbdUlMapping, BankruptByTheLiquidationGround) {
  const auto r = map("ul_bankrupt.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "identifier"), json(R"("161140118765")"));
  const auto status = fact(r, "status");
  EXPECT_EQ(status.at("value"), json(R"("bankrupt")"));
  EXPECT_EQ(status.at("since"), json(R"("2025-04-22")"));
  EXPECT_EQ(status.at("liquidation_base_code"), json(R"("4")"));
  EXPECT_EQ(status.at("reg_status_code"), json(R"("2")"));
  EXPECT_EQ(status.at("tax_inactive"), json("false"));
  EXPECT_EQ(fact(r, "head").at("surname"), json(R"("Әбдірахманов")"));
  EXPECT_EQ(fact(r, "head").at("appointed"), json(R"("2025-05-06")"));
  EXPECT_EQ(fact(r, "legal_address").at("text_ru"),
            json(R"("160012, город Шымкент, Абайский район, улица Жібек жолы, дом 18А")"));
  EXPECT_EQ(fact(r, "founders").as_array().size(), 2u);
}

TEST(GbdUlMapping, InactiveTaxpayerIsAStatusAndAFlag) {
  const auto r = map("ul_inactive_taxpayer.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "identifier"), json(R"("190240005877")"));
  const auto status = fact(r, "status");
  EXPECT_EQ(status.at("value"), json(R"("inactive_taxpayer")"));
  EXPECT_EQ(status.at("tax_inactive"), json("true"));
  EXPECT_EQ(status.at("since"), json("null"));
  EXPECT_EQ(status.at("reg_status_code"), json(R"("1")"));
  EXPECT_EQ(fact(r, "legal_address").at("text_ru"),
            json(R"("140000, Павлодарская область, Павлодар, улица Сәтбаева, дом 63, офис 2")"));
}

TEST(GbdUlMapping, NotFoundBinIsNoDataWithTheServiceCode) {
  const auto r = map("ul_not_found.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::no_data);
  EXPECT_EQ(r.error_code, std::optional<std::string>("004"));
  EXPECT_NE(r.cause.find("004"), std::string::npos) << r.cause;
  EXPECT_NE(r.cause.find("Сведения не найдены"), std::string::npos) << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(GbdUlMapping, MissingOptionalFieldsMapToNullsNotFailures) {
  // No Address, OrganizationLeader, founders, short names, TaxOrgStatus, Status/NameKz.
  const auto r = map("ul_missing_optional.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "identifier"), json(R"("150340012340")"));
  EXPECT_EQ(fact(r, "names"), json(R"({
    "full_ru": "Товарищество с ограниченной ответственностью «Мейірім Медтехника»",
    "full_kk": "«Мейірім Медтехника» жауапкершілігі шектеулі серіктестігі",
    "short_ru": null, "short_kk": null})"));
  EXPECT_EQ(fact(r, "legal_address"), json("null"));
  EXPECT_EQ(fact(r, "head"), json("null"));
  // No founders list and no FoundersCount: not said (null), not "none" ([]).
  EXPECT_EQ(fact(r, "founders"), json("null"));
  EXPECT_EQ(fact(r, "registration_date"), json(R"("2015-03-17")"));
  const auto status = fact(r, "status");
  EXPECT_EQ(status.at("value"), json(R"("active")"));
  EXPECT_EQ(status.at("tax_inactive"), json("null"));
  EXPECT_EQ(r.facts.size(), 8u);
}

TEST(GbdUlMapping, KazakhLettersPassUntouched) {
  const auto r = map("ul_kazakh_text.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(
      fact(r, "names").at("full_kk"),
      json(
          R"("«Әлеуметтік Һүнер: ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І» жауапкершілігі шектеулі серіктестігі")"));
  EXPECT_EQ(fact(r, "head").at("surname"), json(R"("Һәкімұлы-Өңғарбеков")"));
  EXPECT_EQ(
      fact(r, "legal_address").at("text_kk"),
      json(
          R"("050004, Алматы қаласы, Алмалы ауданы, Ұлы Дала Һәм Шұғыла көшесі, 101 үй, 12 кеңсе")"));
}

TEST(GbdUlMapping, PrefixedPayloadMapsTheSame) {
  expect_active_llp(map("ul_active_prefixed.xml"));
}

TEST(GbdUlMapping, DefaultNamespacePayloadMapsTheSame) {
  expect_active_llp(map("ul_active_default_ns.xml"));
}

TEST(GbdUlMapping, OrganizationInAForeignNamespaceIsMalformed) {
  const auto r = map("ul_foreign_ns.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("urn:example:not-gbdul"), std::string::npos) << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(GbdUlMapping, GarbagePayloadIsMalformedNamingWhatIsMissing) {
  const auto r = map("ul_garbage.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("Status"), std::string::npos) << r.cause;
  EXPECT_NE(r.cause.find("Organization"), std::string::npos) << r.cause;
  EXPECT_NE(r.cause.find("IpsNerezident"), std::string::npos) << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(GbdUlMapping, NoPayloadIsMalformed) {
  const auto r = gbd_ul::map_reply(pugi::xml_node{}, prov());
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("responseData/data"), std::string::npos) << r.cause;
}

TEST(GbdUlMapping, OrganizationWithoutBinIsMalformed) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(
      "<data><Status><Code>001</Code></Status><Organization><FullNameRu>ТОО</FullNameRu>"
      "</Organization></data>"));
  const auto r = gbd_ul::map_reply(doc.child("data"), prov());
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("Organization/BIN"), std::string::npos) << r.cause;
}

TEST(GbdUlMapping, LiquidationDateOutranksABankruptcyGround) {
  // A bankrupt that has since been struck off is liquidated.
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(
      "<data><Status><Code>001</Code></Status><Organization><BIN>161140118765</BIN>"
      "<RegStatus><Code>3</Code></RegStatus><RegistrationDate>2016-11-02</RegistrationDate>"
      "<LiquidationDate>2025-12-01</LiquidationDate><FullNameRu>ТОО</FullNameRu>"
      "<TaxOrgStatus>1</TaxOrgStatus><Liquidation><LiqBase><Code>4</Code></LiqBase>"
      "<LiqDecisionDate>2025-04-22</LiqDecisionDate></Liquidation></Organization></data>"));
  const auto r = gbd_ul::map_reply(doc.child("data"), prov());
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "status").at("value"), json(R"("liquidated")"));
  EXPECT_EQ(fact(r, "status").at("since"), json(R"("2025-12-01")"));
  // Liquidated stays liquidated even for a taxpayer the tax authority holds inactive.
  EXPECT_EQ(fact(r, "status").at("tax_inactive"), json("true"));
}

}  // namespace
