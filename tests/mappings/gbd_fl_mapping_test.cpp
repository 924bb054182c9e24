// ГБД ФЛ GBDFL_UniversalServiceSync reply -> facts, on golden replies (the mock emulator's output
// for the fixtures, and hand-edited variants of it).
#include <gtest/gtest.h>

#include "mappings/gbd_fl/gbd_fl.hpp"
#include "tests/mappings/support.hpp"

namespace {

namespace facts = tekser::facts;
namespace gbd_fl = tekser::mappings::gbd_fl;
using tekser::test::fact;
using tekser::test::json;

const facts::Provenance& prov() {
  static const auto p = tekser::test::provenance(gbd_fl::kSystem, gbd_fl::kServiceId);
  return p;
}

tekser::mappings::MappedReply map(std::string_view golden_name) {
  const auto reply = tekser::test::golden(golden_name);
  return gbd_fl::map_reply(reply.data, prov());
}

constexpr const char* kAliveAddress = R"({
  "country_code": "398",
  "region_code": "7500", "region_ru": "город Алматы", "region_kk": "Алматы қаласы",
  "district_code": "7513", "district_ru": "Бостандыкский район", "district_kk": "Бостандық ауданы",
  "city": "Алматы", "street": "проспект Әл-Фараби", "building": "77/8", "corpus": null,
  "flat": "41", "registered_since": "2014-09-01", "ar_code": "0201000123456789",
  "text_ru": "город Алматы, Бостандыкский район, проспект Әл-Фараби, дом 77/8, кв. 41"})";

void expect_alive_ie(const tekser::mappings::MappedReply& r) {
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "kind"), json(R"("individual")"));
  EXPECT_EQ(fact(r, "identifier"), json(R"("840512401230")"));
  EXPECT_EQ(fact(r, "names"),
            json(R"({"surname": "Омарова", "name": "Жанар", "patronymic": "Серікқызы"})"));
  EXPECT_EQ(fact(r, "birth_date"), json(R"("1984-05-12")"));
  EXPECT_EQ(fact(r, "legal_address"), json(kAliveAddress));
  EXPECT_EQ(fact(r, "status"), json(R"({"death_date": null, "life_status_code": "1",
                                        "life_status_ru": "Живой", "value": "alive"})"));
}

TEST(GbdFlMapping, LivingEntrepreneurGivesEveryFact) {
  const auto r = map("fl_alive_ie.xml");
  expect_alive_ie(r);
  EXPECT_EQ(r.facts.size(), 6u);
  EXPECT_FALSE(r.error_code.has_value());
}

TEST(GbdFlMapping, EveryFactCarriesTheProvenancePassedIn) {
  const auto r = map("fl_alive_ie.xml");
  ASSERT_FALSE(r.facts.empty());
  for (const auto& f : r.facts) EXPECT_TRUE(tekser::test::same(f.provenance, prov())) << f.name;
}

TEST(GbdFlMapping, DeceasedWithTheDateOfDeath) {
  const auto r = map("fl_deceased.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "identifier"), json(R"("580220307895")"));
  EXPECT_EQ(fact(r, "names"),
            json(R"({"surname": "Сәрсенбаев", "name": "Ғалым", "patronymic": "Төлегенұлы"})"));
  EXPECT_EQ(fact(r, "birth_date"), json(R"("1958-02-20")"));
  EXPECT_EQ(fact(r, "status"), json(R"({"death_date": "2025-06-14", "life_status_code": "2",
                                        "life_status_ru": "Умерший", "value": "deceased"})"));
  // No raion in this address: the oblast, then the city.
  EXPECT_EQ(fact(r, "legal_address").at("text_ru"),
            json(R"("Карагандинская область, Караганда, улица Ерубаева, дом 42, кв. 15")"));
}

TEST(GbdFlMapping, DeceasedByLifeStatusAloneHasNoDate) {
  const auto r = map("fl_deceased_status_only.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "status").at("value"), json(R"("deceased")"));
  EXPECT_EQ(fact(r, "status").at("death_date"), json("null"));
}

TEST(GbdFlMapping, NotFoundIsNoDataWithTheResultCode) {
  const auto r = map("fl_not_found.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::no_data);
  EXPECT_EQ(r.error_code, std::optional<std::string>("00000"));
  EXPECT_NE(r.cause.find("no person"), std::string::npos) << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(GbdFlMapping, MissingConsentTokenIsRefusedWithTheServiceCode) {
  const auto r = map("fl_consent_refused.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::refused);
  EXPECT_EQ(r.error_code, std::optional<std::string>("KDP_TOKEN_INVALID"));
  EXPECT_NE(r.cause.find("Отсутствует согласие субъекта (токен КДП)"), std::string::npos)
      << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(GbdFlMapping, MissingOptionalFieldsMapToNullsNotFailures) {
  // No regAddress, patronymic, documents, lifeStatus.
  const auto r = map("fl_missing_optional.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "names"),
            json(R"({"surname": "Омарова", "name": "Жанар", "patronymic": null})"));
  EXPECT_EQ(fact(r, "legal_address"), json("null"));
  EXPECT_EQ(fact(r, "status"), json(R"({"death_date": null, "life_status_code": null,
                                        "life_status_ru": null, "value": "alive"})"));
  EXPECT_EQ(r.facts.size(), 6u);
}

TEST(GbdFlMapping, KazakhLettersPassUntouched) {
  const auto r = map("fl_kazakh_text.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "names"), json(R"({"surname": "Әбілқайырұлы-Һүсейін", "name": "Ғабиден",
                                       "patronymic": "Өңгүшұлы"})"));
}

TEST(GbdFlMapping, QualifiedPayloadMapsTheSame) {
  // Message, person and dictionary elements each in their own namespace, with prefixes.
  expect_alive_ie(map("fl_alive_prefixed.xml"));
}

TEST(GbdFlMapping, DefaultNamespacePayloadMapsTheSame) {
  expect_alive_ie(map("fl_alive_default_ns.xml"));
}

TEST(GbdFlMapping, GarbagePayloadIsMalformedNamingWhatIsMissing) {
  const auto r = map("fl_garbage.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("messageResult"), std::string::npos) << r.cause;
  EXPECT_NE(r.cause.find("persons"), std::string::npos) << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(GbdFlMapping, NoPayloadIsMalformed) {
  const auto r = gbd_fl::map_reply(pugi::xml_node{}, prov());
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("responseData/data"), std::string::npos) << r.cause;
}

TEST(GbdFlMapping, PersonWithoutIinIsMalformed) {
  pugi::xml_document doc;
  ASSERT_TRUE(
      doc.load_string("<data><messageResult><code>00000</code></messageResult>"
                      "<persons><person><surname>Омарова</surname></person></persons>"
                      "</data>"));
  const auto r = gbd_fl::map_reply(doc.child("data"), prov());
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("persons/person/iin"), std::string::npos) << r.cause;
}

TEST(GbdFlMapping, PersonInAForeignNamespaceIsMalformed) {
  pugi::xml_document doc;
  ASSERT_TRUE(
      doc.load_string("<data><messageResult><code>00000</code></messageResult>"
                      "<persons><x:person xmlns:x='urn:other'><x:iin>840512401230</x:iin>"
                      "</x:person></persons></data>"));
  const auto r = gbd_fl::map_reply(doc.child("data"), prov());
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_NE(r.cause.find("urn:other"), std::string::npos) << r.cause;
}

TEST(GbdFlMapping, AnotherNonSuccessResultIsRefused) {
  pugi::xml_document doc;
  ASSERT_TRUE(
      doc.load_string("<data><messageResult><code>IIN_REQUIRED</code>"
                      "<nameRu>Не указан ИИН</nameRu></messageResult></data>"));
  const auto r = gbd_fl::map_reply(doc.child("data"), prov());
  EXPECT_EQ(r.outcome, facts::Outcome::refused);
  EXPECT_EQ(r.error_code, std::optional<std::string>("IIN_REQUIRED"));
}

}  // namespace
