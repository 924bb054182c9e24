// goszakup РНУ (OWS v3 items) and the Samruk-Kazyna / quasi-public lists (assumed contract) ->
// facts, on golden JSON replies (the mocks' output for the fixtures, and hand-edited variants).
// "today" is an argument: the same reply reads differently on different days.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>

#include "mappings/goszakup/goszakup.hpp"
#include "mappings/samruk/samruk.hpp"
#include "tests/mappings/support.hpp"

namespace {

namespace facts = tekser::facts;
namespace json = boost::json;
namespace goszakup = tekser::mappings::goszakup;
namespace samruk = tekser::mappings::samruk;
using tekser::test::fact;

json::value golden_json(std::string_view name) {
  std::ifstream in(std::string(TEKSER_MAPPINGS_GOLDEN_DIR) + "/" + std::string(name));
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

const facts::Provenance& rnu_prov() {
  static const auto p = tekser::test::provenance(goszakup::kSystem, goszakup::kServiceId);
  return p;
}
const facts::Provenance& sk_prov() {
  static const auto p = tekser::test::provenance(samruk::kSystem, samruk::kServiceId);
  return p;
}

tekser::mappings::MappedReply rnu(std::string_view golden, std::string_view biin,
                                  std::string_view today = "2026-01-15") {
  return goszakup::map_rnu(golden_json(golden), biin, today, rnu_prov());
}

// ------------------------------------------------------------------ goszakup

TEST(GoszakupMapping, ActiveAndExpiredEntriesInIdOrder) {
  const auto reply = rnu("goszakup_relisted.json", "210340045678");
  ASSERT_EQ(reply.outcome, facts::Outcome::data) << reply.cause;
  ASSERT_EQ(reply.facts.size(), 1u);
  EXPECT_EQ(reply.facts[0].name, "goszakup_rnu");
  EXPECT_TRUE(tekser::test::same(reply.facts[0].provenance, rnu_prov()));
  EXPECT_EQ(fact(reply, goszakup::kFactRnu), json::parse(R"({"listed": true, "entries": [
    {"id": 52010, "index_date": "2019-04-12", "start_date": "2019-04-10",
     "end_date": "2021-04-10", "reason_ru": "Непредставление обеспечения исполнения договора",
     "active": false},
    {"id": 140033, "index_date": "2025-11-05", "start_date": "2025-11-03",
     "end_date": "2027-11-03",
     "reason_ru": "Представление недостоверной информации по квалификационным требованиям",
     "active": true}]})"));
}

TEST(GoszakupMapping, TheEndDateIsTheFirstFreeDay) {
  // Active up to the day before the end date; on and after it the ban is over.
  const auto before = rnu("goszakup_relisted.json", "210340045678", "2027-11-02");
  EXPECT_EQ(fact(before, goszakup::kFactRnu).at("listed"), true);
  const auto on = rnu("goszakup_relisted.json", "210340045678", "2027-11-03");
  EXPECT_EQ(fact(on, goszakup::kFactRnu).at("listed"), false);
  EXPECT_EQ(fact(on, goszakup::kFactRnu).at("entries").at(1).at("active"), false);
  EXPECT_EQ(fact(on, goszakup::kFactRnu).at("entries").as_array().size(), 2u);
}

TEST(GoszakupMapping, NoEndDateIsActiveWhateverTheDay) {
  for (const auto* today : {"2024-06-18", "2026-01-15", "2099-12-31"}) {
    const auto reply = rnu("goszakup_open_ended.json", "170440012348", today);
    ASSERT_EQ(reply.outcome, facts::Outcome::data) << reply.cause;
    EXPECT_EQ(fact(reply, goszakup::kFactRnu), json::parse(R"({"listed": true, "entries": [
      {"id": 104417, "index_date": "2024-06-20", "start_date": "2024-06-18", "end_date": null,
       "reason_ru": "Решение суда о признании поставщика недобросовестным участником государственных закупок",
       "active": true}]})"))
        << today;
  }
}

TEST(GoszakupMapping, NoEntriesIsDataSayingNotListed) {
  const auto reply = rnu("goszakup_empty.json", "150340012340");
  EXPECT_EQ(reply.outcome, facts::Outcome::data);
  EXPECT_EQ(fact(reply, goszakup::kFactRnu), json::parse(R"({"listed": false, "entries": []})"));
}

TEST(GoszakupMapping, RowsOfOtherSuppliersAreLeftOut) {
  const auto reply = rnu("goszakup_relisted.json", "150340012340");
  EXPECT_EQ(reply.outcome, facts::Outcome::data);
  EXPECT_EQ(fact(reply, goszakup::kFactRnu), json::parse(R"({"listed": false, "entries": []})"));
}

TEST(GoszakupMapping, ABadDateIsMalformedNamingTheItemAndField) {
  const auto reply = rnu("goszakup_bad_date.json", "181040023452");
  EXPECT_EQ(reply.outcome, facts::Outcome::malformed);
  EXPECT_EQ(reply.cause, "items[0] (id 131202): \"end_date\" is not a date");
  EXPECT_TRUE(reply.facts.empty());
}

TEST(GoszakupMapping, NotAPageIsMalformed) {
  EXPECT_EQ(goszakup::map_rnu(json::parse("[]"), "1", "2026-01-15", rnu_prov()).cause,
            "the reply is not a JSON object");
  EXPECT_EQ(goszakup::map_rnu(json::parse(R"({"total":0})"), "1", "2026-01-15", rnu_prov()).cause,
            "the reply has no \"items\" array");
  EXPECT_EQ(goszakup::map_rnu(json::parse(R"({"items":[{"supplier_biin":"1"}]})"), "1",
                              "2026-01-15", rnu_prov())
                .cause,
            "items[0]: no integer \"id\"");
}

TEST(GoszakupMapping, TodayMustBeADate) {
  EXPECT_THROW(rnu("goszakup_empty.json", "150340012340", "15.01.2026"), std::invalid_argument);
  EXPECT_THROW(rnu("goszakup_empty.json", "150340012340", "2026-02-30"), std::invalid_argument);
}

// ------------------------------------------------------------------ Samruk-Kazyna

tekser::mappings::MappedReply sk(std::string_view golden, std::string_view id,
                                 std::string_view today = "2026-01-15") {
  return samruk::map_lists(golden_json(golden), id, today, sk_prov());
}

TEST(SamrukMapping, OneSupplierInBothListsGivesTwoFacts) {
  const auto reply = sk("samruk_both.json", "161140035793");
  ASSERT_EQ(reply.outcome, facts::Outcome::data) << reply.cause;
  ASSERT_EQ(reply.facts.size(), 2u);
  EXPECT_TRUE(tekser::test::same(reply.facts[1].provenance, sk_prov()));
  EXPECT_EQ(fact(reply, samruk::kFactSamrukUnreliable), json::parse(R"({"listed": true,
    "entries": [{"start_date": "2025-06-18", "end_date": "2027-06-18",
                 "reason_ru": "Ненадлежащее исполнение обязательств по договору закупок",
                 "active": true}]})"));
  EXPECT_EQ(fact(reply, samruk::kFactQuasiPublicRnu), json::parse(R"({"listed": false,
    "entries": [{"start_date": "2020-08-28", "end_date": "2022-08-28",
                 "reason_ru": "Уклонение от заключения договора о закупках",
                 "active": false}]})"));
}

TEST(SamrukMapping, OpenEndedQuasiPublicEntry) {
  const auto reply = sk("samruk_quasi_open.json", "200540013576");
  EXPECT_EQ(fact(reply, samruk::kFactSamrukUnreliable),
            json::parse(R"({"listed": false, "entries": []})"));
  EXPECT_EQ(fact(reply, samruk::kFactQuasiPublicRnu), json::parse(R"({"listed": true,
    "entries": [{"start_date": "2025-02-10", "end_date": null,
                 "reason_ru": "Уклонение от заключения договора о закупках", "active": true}]})"));
}

TEST(SamrukMapping, NeverListedIsDataWithBothFactsEmpty) {
  const auto reply = sk("samruk_empty.json", "150340012340");
  EXPECT_EQ(reply.outcome, facts::Outcome::data);
  EXPECT_EQ(fact(reply, samruk::kFactSamrukUnreliable),
            json::parse(R"({"listed": false, "entries": []})"));
  EXPECT_EQ(fact(reply, samruk::kFactQuasiPublicRnu),
            json::parse(R"({"listed": false, "entries": []})"));
}

TEST(SamrukMapping, ExpiredOnTheEndDate) {
  const auto reply = sk("samruk_both.json", "161140035793", "2027-06-18");
  EXPECT_EQ(fact(reply, samruk::kFactSamrukUnreliable).at("listed"), false);
}

TEST(SamrukMapping, AnUnknownListIsMalformed) {
  const auto reply = sk("samruk_unknown_list.json", "140840078914");
  EXPECT_EQ(reply.outcome, facts::Outcome::malformed);
  EXPECT_EQ(reply.cause, "results[0]: unknown list 'nwf_other'");
}

}  // namespace
