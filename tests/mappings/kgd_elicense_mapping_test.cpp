// KGD (KGD_TaxpayerStatus) and e-licensing (ELICENSE_LicensesByBiin) — ASSUMED contracts — reply
// -> facts on golden replies (the mock emulators' output for the fixtures, and hand-edited
// variants: prefixed / default namespace, unknown codes, left-out elements), and their request
// builders against the assumed XSDs.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/elicense/request.hpp"
#include "adapters/kgd/request.hpp"
#include "common/xml/ns.hpp"
#include "common/xsd/validator.hpp"
#include "mappings/elicense/elicense.hpp"
#include "mappings/kgd/kgd.hpp"
#include "tests/mappings/support.hpp"

#ifndef TEKSER_KGD_EL_ASSUMED_DIR
#error "TEKSER_KGD_EL_ASSUMED_DIR must name the contracts/assumed folder"
#endif

namespace {

namespace facts = tekser::facts;
namespace kgd = tekser::mappings::kgd;
namespace elicense = tekser::mappings::elicense;
using tekser::mappings::MappedReply;
using tekser::test::count;
using tekser::test::fact;
using tekser::test::json;

const facts::Provenance& kgd_prov() {
  static const auto p = tekser::test::provenance(kgd::kSystem, kgd::kServiceId);
  return p;
}
const facts::Provenance& el_prov() {
  static const auto p = tekser::test::provenance(elicense::kSystem, elicense::kServiceId);
  return p;
}

MappedReply map_kgd(std::string_view golden_name) {
  const auto reply = tekser::test::golden(golden_name);
  return kgd::map_reply(reply.data, kgd_prov());
}
MappedReply map_el(std::string_view golden_name) {
  const auto reply = tekser::test::golden(golden_name);
  return elicense::map_reply(reply.data, el_prov());
}

constexpr const char* kNoLists = R"({
  "bankrupt": false, "inactive": false, "invalid_registration": false, "wrong_address": false,
  "pseudo_company": false, "liquidation_in_progress": false, "entries": []})";

// ================================================================== KGD

TEST(KgdMapping, NoDebtNoListsGivesBothFactsWithZeros) {
  const auto r = map_kgd("kgd_no_debt.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_FALSE(r.error_code.has_value());
  EXPECT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(count(r, "tax_debt"), 1u);
  EXPECT_EQ(count(r, "kgd_lists"), 1u);
  EXPECT_EQ(fact(r, "tax_debt"), json(R"({
    "has_tax_debt": false, "has_social_debt": false,
    "total_arrear": 0.0, "tax_arrear": 0.0, "pension_arrear": 0.0, "social_arrear": 0.0,
    "health_insurance_arrear": 0.0, "as_of": "2026-01-15",
    "offices": [{"code": "6001",
      "name_ru": "Управление государственных доходов по Алмалинскому району Департамента государственных доходов по городу Алматы",
      "name_kk": "Алматы қаласы бойынша Мемлекеттік кірістер департаментінің Алмалы ауданы бойынша мемлекеттік кірістер басқармасы",
      "lines": []}]})"));
  EXPECT_EQ(fact(r, "kgd_lists"), json(kNoLists));
  for (const auto& f : r.facts) EXPECT_TRUE(tekser::test::same(f.provenance, kgd_prov())) << f.name;
}

TEST(KgdMapping, IndividualEntrepreneurWithoutOfficesIsClean) {
  const auto r = map_kgd("kgd_ie_no_debt.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "tax_debt"), json(R"({
    "has_tax_debt": false, "has_social_debt": false,
    "total_arrear": 0.0, "tax_arrear": 0.0, "pension_arrear": 0.0, "social_arrear": 0.0,
    "health_insurance_arrear": 0.0, "as_of": "2026-01-15", "offices": []})"));
  EXPECT_EQ(fact(r, "kgd_lists"), json(kNoLists));
}

// p.15 sub-item 2: the entrepreneur registration, a fact of its own only when the reply carries
// it (kgd_ie_no_debt.xml has none: two facts, as before).
TEST(KgdMapping, AnEntrepreneursRegistrationIsAFactOfItsOwn) {
  EXPECT_EQ(count(map_kgd("kgd_ie_no_debt.xml"), "entrepreneur_registration"), 0u);
  auto r = map_kgd("kgd_ie_registered.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(r.facts.size(), 3u);
  EXPECT_EQ(fact(r, "entrepreneur_registration"), json(R"({
    "status": "registered", "code": "1", "registered_on": "2012-03-15", "deregistered_on": null,
    "suspended_from": null, "suspended_until": null, "reason_ru": null})"));
  r = map_kgd("kgd_ie_deregistered.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "entrepreneur_registration"), json(R"({
    "status": "deregistered", "code": "2", "registered_on": "2012-03-15",
    "deregistered_on": "2026-01-12", "suspended_from": null, "suspended_until": null,
    "reason_ru": "Прекращение деятельности по заявлению индивидуального предпринимателя"})"));
  // A code the table does not know is no status (the check says unknown), and the rest of the
  // reply is still read.
  r = map_kgd("kgd_ie_registration_unknown_code.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "entrepreneur_registration").at("status"), nullptr);
  EXPECT_EQ(fact(r, "entrepreneur_registration").at("code"), "7");
  EXPECT_EQ(count(r, "tax_debt"), 1u);
}

TEST(KgdMapping, TaxDebtPerOfficeAndBudgetCode) {
  const auto r = map_kgd("kgd_tax_debt.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "tax_debt"), json(R"({
    "has_tax_debt": true, "has_social_debt": false,
    "total_arrear": 4983523.15, "tax_arrear": 4983523.15, "pension_arrear": 0.0,
    "social_arrear": 0.0, "health_insurance_arrear": 0.0, "as_of": "2026-01-15",
    "offices": [
      {"code": "6205",
       "name_ru": "Управление государственных доходов по району Сарыарка Департамента государственных доходов по городу Астане",
       "name_kk": "Астана қаласы бойынша Мемлекеттік кірістер департаментінің Сарыарқа ауданы бойынша мемлекеттік кірістер басқармасы",
       "lines": [{"kbk": "101110", "tax": 1250000.0, "penalty": 48210.5, "fine": 0.0},
                 {"kbk": "105101", "tax": 3400000.0, "penalty": 96500.25, "fine": 170000.0}]},
      {"code": "6206",
       "name_ru": "Управление государственных доходов по району Алматы Департамента государственных доходов по городу Астане",
       "name_kk": "Астана қаласы бойынша Мемлекеттік кірістер департаментінің Алматы ауданы бойынша мемлекеттік кірістер басқармасы",
       "lines": [{"kbk": "104402", "tax": 18500.0, "penalty": 312.4, "fine": 0.0}]}]})"));
  EXPECT_EQ(fact(r, "kgd_lists"), json(kNoLists));
}

void expect_social_debt_only(const MappedReply& r) {
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto debt = fact(r, "tax_debt");
  ASSERT_TRUE(debt.is_object()) << debt;
  const auto& d = debt.as_object();
  EXPECT_EQ(d.at("has_tax_debt"), json("false"));
  EXPECT_EQ(d.at("has_social_debt"), json("true"));
  EXPECT_EQ(d.at("total_arrear"), json("285396.85"));
  EXPECT_EQ(d.at("tax_arrear"), json("0.0"));
  EXPECT_EQ(d.at("pension_arrear"), json("186150.75"));
  EXPECT_EQ(d.at("social_arrear"), json("62016.1"));
  EXPECT_EQ(d.at("health_insurance_arrear"), json("37230.0"));
  EXPECT_EQ(d.at("as_of"), json(R"("2026-01-15")"));
  EXPECT_EQ(d.at("offices").at(0).at("code"), json(R"("3020")"));
  EXPECT_EQ(d.at("offices").at(0).at("lines"), json(R"([
    {"kbk": "901101", "tax": 184000.0, "penalty": 2150.75, "fine": 0.0},
    {"kbk": "902101", "tax": 61300.0, "penalty": 716.1, "fine": 0.0},
    {"kbk": "904101", "tax": 36800.0, "penalty": 430.0, "fine": 0.0}])"));
  EXPECT_EQ(fact(r, "kgd_lists"), json(kNoLists));
}

TEST(KgdMapping, SocialPaymentsDebtOnly) {
  expect_social_debt_only(map_kgd("kgd_social_debt.xml"));
}

TEST(KgdMapping, PrefixedOrDefaultNamespaceReadsTheSame) {
  expect_social_debt_only(map_kgd("kgd_prefixed.xml"));
  expect_social_debt_only(map_kgd("kgd_default_ns.xml"));
}

TEST(KgdMapping, BankruptListWithTaxDebt) {
  const auto r = map_kgd("kgd_bankrupt.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto debt = fact(r, "tax_debt");
  EXPECT_EQ(debt.at("has_tax_debt"), json("true"));
  EXPECT_EQ(debt.at("has_social_debt"), json("false"));
  EXPECT_EQ(debt.at("tax_arrear"), json("3797000.0"));
  EXPECT_EQ(fact(r, "kgd_lists"), json(R"({
    "bankrupt": true, "inactive": false, "invalid_registration": false, "wrong_address": false,
    "pseudo_company": false, "liquidation_in_progress": false,
    "entries": [{"list": "bankrupt", "included_on": "2025-05-06", "decision": "2-1456/2025",
      "reason_ru": "Решение Специализированного межрайонного экономического суда города Шымкента о признании банкротом от 22.04.2025"}]})"));
}

TEST(KgdMapping, InactiveAndAbsentAtTheLegalAddress) {
  const auto r = map_kgd("kgd_inactive.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "tax_debt").at("has_tax_debt"), json("false"));
  EXPECT_EQ(fact(r, "kgd_lists"), json(R"({
    "bankrupt": false, "inactive": true, "invalid_registration": false, "wrong_address": true,
    "pseudo_company": false, "liquidation_in_progress": false,
    "entries": [
      {"list": "inactive", "included_on": "2025-08-01", "decision": "Приказ № 318",
       "reason_ru": "Непредставление налоговой отчётности более одного года"},
      {"list": "wrong_address", "included_on": "2025-09-10", "decision": "Акт обследования № 77",
       "reason_ru": "Отсутствие по месту нахождения, указанному в регистрационных данных"}]})"));
}

TEST(KgdMapping, PseudoCompanyWithInvalidRegistration) {
  const auto r = map_kgd("kgd_pseudo.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto lists = fact(r, "kgd_lists");
  EXPECT_EQ(lists.at("pseudo_company"), json("true"));
  EXPECT_EQ(lists.at("invalid_registration"), json("true"));
  EXPECT_EQ(lists.at("bankrupt"), json("false"));
  EXPECT_EQ(lists.at("entries").at(0).at("list"), json(R"("pseudo_company")"));
  EXPECT_EQ(lists.at("entries").at(0).at("included_on"), json(R"("2025-03-18")"));
  EXPECT_EQ(lists.at("entries").at(1).at("list"), json(R"("invalid_registration")"));
  EXPECT_EQ(lists.at("entries").at(1).at("decision"), json(R"("2-877/2025")"));
}

TEST(KgdMapping, LiquidationInProgressWithoutADecisionNumber) {
  const auto r = map_kgd("kgd_liquidation.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "kgd_lists"), json(R"({
    "bankrupt": false, "inactive": false, "invalid_registration": false, "wrong_address": false,
    "pseudo_company": false, "liquidation_in_progress": true,
    "entries": [{"list": "liquidation_in_progress", "included_on": "2025-09-22", "decision": null,
      "reason_ru": "Решение учредителей о добровольной ликвидации от 15.09.2025"}]})"));
}

TEST(KgdMapping, NotATaxpayerIsNoData) {
  const auto r = map_kgd("kgd_not_found.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::no_data);
  EXPECT_EQ(r.error_code, "01");
  EXPECT_EQ(r.cause,
            "KGD holds no taxpayer for the IIN/BIN (result 01 «Налогоплательщик не найден»)");
  EXPECT_TRUE(r.facts.empty());
}

TEST(KgdMapping, RejectedRequestIsRefused) {
  const auto r = map_kgd("kgd_rejected.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::refused);
  EXPECT_EQ(r.error_code, "02");
  EXPECT_NE(r.cause.find("Некорректный запрос"), std::string::npos) << r.cause;
  EXPECT_TRUE(r.facts.empty());
}

TEST(KgdMapping, UnknownListCodeIsMalformedNamingTheCode) {
  const auto r = map_kgd("kgd_unknown_list.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_EQ(r.cause,
            "KGD_TaxpayerStatus: listEntry/list/code '9' is not in the assumed list table");
  EXPECT_TRUE(r.facts.empty());
}

TEST(KgdMapping, ArrearsLeftOutReadAsUnknownNotAsClean) {
  const auto r = map_kgd("kgd_missing_arrears.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "tax_debt"), json(R"({
    "has_tax_debt": null, "has_social_debt": null,
    "total_arrear": null, "tax_arrear": null, "pension_arrear": null, "social_arrear": null,
    "health_insurance_arrear": null, "as_of": null, "offices": []})"));
  EXPECT_EQ(fact(r, "kgd_lists").at("pseudo_company"), json("true"));
}

TEST(KgdMapping, NoResultIsMalformed) {
  const auto r = map_kgd("kgd_garbage.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_EQ(r.cause, "KGD_TaxpayerStatus: the payload is not a Response: no result/code");
  const auto none = kgd::map_reply(pugi::xml_node{}, kgd_prov());
  EXPECT_EQ(none.outcome, facts::Outcome::malformed);
}

// ================================================================== e-licensing

constexpr const char* kSanatoriumLicences = R"([{
  "number": "KZ71LAA00014562", "activity_code": "MED",
  "activity_ru": "Медицинская деятельность", "activity_kk": "Медициналық қызмет",
  "subtypes": [
    {"code": "MED_SANATORIUM", "name_ru": "Санаторно-курортная помощь",
     "name_kk": "Санаторийлік-курорттық көмек"},
    {"code": "MED_REHAB", "name_ru": "Медицинская реабилитация", "name_kk": "Медициналық оңалту"}],
  "status": "valid", "issued": "2019-04-02", "expires": null,
  "licensor_ru": "Управление здравоохранения Алматинской области"}])";

TEST(ElicenseMapping, ValidPerpetualSanatoriumLicence) {
  const auto r = map_el("el_sanatorium_valid.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(fact(r, "licences"), json(kSanatoriumLicences));
  EXPECT_EQ(fact(r, "notifications"), json("[]"));
  for (const auto& f : r.facts) EXPECT_TRUE(tekser::test::same(f.provenance, el_prov())) << f.name;
}

TEST(ElicenseMapping, LicenceAndMedicalDevicesNotification) {
  const auto r = map_el("el_prosthetic_valid.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "licences"), json(R"([{
    "number": "KZ18LAA00009871", "activity_code": "MED",
    "activity_ru": "Медицинская деятельность", "activity_kk": "Медициналық қызмет",
    "subtypes": [{"code": "MED_PROSTHETIC", "name_ru": "Протезно-ортопедическая помощь",
                  "name_kk": "Протездік-ортопедиялық көмек"}],
    "status": "valid", "issued": "2016-02-11", "expires": null,
    "licensor_ru": "Управление общественного здравоохранения города Алматы"}])"));
  EXPECT_EQ(fact(r, "notifications"), json(R"([{
    "number": "KZ44UBW00031207", "kind": "MEDDEV_RETAIL",
    "kind_ru": "Уведомление о начале деятельности по розничной реализации медицинских изделий",
    "status": "valid", "date": "2015-05-20"}])"));
}

TEST(ElicenseMapping, ExpiredLicenceKeepsTheRegistersStatusAndItsExpiry) {
  const auto r = map_el("el_expired.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto licences = fact(r, "licences");
  ASSERT_EQ(licences.as_array().size(), 1u);
  EXPECT_EQ(licences.at(0).at("number"), json(R"("KZ90LAA00007314")"));
  EXPECT_EQ(licences.at(0).at("status"), json(R"("valid")"));
  EXPECT_EQ(licences.at(0).at("issued"), json(R"("2020-07-01")"));
  EXPECT_EQ(licences.at(0).at("expires"), json(R"("2025-06-30")"));
}

TEST(ElicenseMapping, SuspendedAndRevokedLicences) {
  const auto suspended = map_el("el_suspended.xml");
  ASSERT_EQ(suspended.outcome, facts::Outcome::data) << suspended.cause;
  EXPECT_EQ(fact(suspended, "licences").at(0).at("status"), json(R"("suspended")"));
  EXPECT_EQ(fact(suspended, "licences").at(0).at("activity_code"), json(R"("PHARM")"));
  EXPECT_EQ(fact(suspended, "licences").at(0).at("subtypes").at(0).at("code"),
            json(R"("PHARM_RETAIL")"));

  const auto revoked = map_el("el_revoked.xml");
  ASSERT_EQ(revoked.outcome, facts::Outcome::data) << revoked.cause;
  EXPECT_EQ(fact(revoked, "licences").at(0).at("status"), json(R"("revoked")"));
  EXPECT_EQ(fact(revoked, "licences").at(0).at("activity_code"), json(R"("MEDDEV")"));
  EXPECT_EQ(fact(revoked, "licences").at(0).at("number"), json(R"("KZ05LAA00012440")"));
}

TEST(ElicenseMapping, KnownSubjectWithoutLicencesIsDataWithEmptyLists) {
  const auto r = map_el("el_no_licences.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(fact(r, "licences"), json("[]"));
  EXPECT_EQ(fact(r, "notifications"), json("[]"));
}

constexpr const char* kTaxiValid = R"([{
  "number": "KZ27UCA00020931", "kind": "taxi_carrier",
  "kind_ru": "Уведомление о начале деятельности перевозчика такси",
  "status": "valid", "date": "2022-04-11"}])";

TEST(ElicenseMapping, TaxiCarrierNotificationValid) {
  const auto r = map_el("el_taxi_valid.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "licences"), json("[]"));
  EXPECT_EQ(fact(r, "notifications"), json(kTaxiValid));
}

TEST(ElicenseMapping, PrefixedPayloadReadsTheSame) {
  const auto r = map_el("el_prefixed.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "licences"), json("[]"));
  EXPECT_EQ(fact(r, "notifications"), json(kTaxiValid));
}

TEST(ElicenseMapping, TaxiCarrierNotificationTerminated) {
  const auto r = map_el("el_taxi_terminated.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "notifications"), json(R"([{
    "number": "KZ81UCA00004412", "kind": "taxi_carrier",
    "kind_ru": "Уведомление о начале деятельности перевозчика такси",
    "status": "terminated", "date": "2019-10-03"}])"));
}

TEST(ElicenseMapping, UnknownSubjectIsNoData) {
  const auto r = map_el("el_not_found.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::no_data);
  EXPECT_EQ(r.error_code, "01");
  EXPECT_EQ(r.cause,
            "the e-licensing register does not know the IIN/BIN (result 01 «Субъект не найден в "
            "реестре разрешений и уведомлений»)");
  EXPECT_TRUE(r.facts.empty());
}

TEST(ElicenseMapping, RejectedRequestIsRefused) {
  const auto r = map_el("el_rejected.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::refused);
  EXPECT_EQ(r.error_code, "02");
  EXPECT_TRUE(r.facts.empty());
}

TEST(ElicenseMapping, UnknownStatusCodeIsMalformedNamingTheLicence) {
  const auto r = map_el("el_unknown_status.xml");
  EXPECT_EQ(r.outcome, facts::Outcome::malformed);
  EXPECT_EQ(r.cause,
            "ELICENSE_LicensesByBiin: licence 'KZ63LAA00011098': status code '7' is not in the "
            "assumed status table");
  EXPECT_TRUE(r.facts.empty());
}

TEST(ElicenseMapping, LeftOutActivityNamesComeFromTheTableAndMissingListsAreEmpty) {
  const auto r = map_el("el_missing_optional.xml");
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  EXPECT_EQ(fact(r, "licences").at(0).at("activity_ru"), json(R"("Медицинская деятельность")"));
  EXPECT_EQ(fact(r, "licences").at(0).at("activity_kk"), json(R"("Медициналық қызмет")"));
  EXPECT_EQ(fact(r, "notifications"), json("[]"));
}

// ================================================================== request builders

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += "\n  " + e;
  return out;
}

std::vector<tekser::xsd::NamespaceFiles> bundle(std::string_view ns, std::string_view file) {
  auto b = tekser::xsd::shep_namespaces();
  b.push_back(
      {std::string(ns), {std::string(TEKSER_KGD_EL_ASSUMED_DIR) + "/" + std::string(file)}});
  return b;
}

tekser::shep::RequestInfo request_info(std::string_view service_id) {
  tekser::shep::RequestInfo i;
  i.message_id = "6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e8a01";
  i.service_id = std::string(service_id);
  i.message_date = "2026-01-15T10:00:00.000+05:00";
  i.sender_id = "tekser";
  return i;
}

std::string child_text(const pugi::xml_node& data, const char* local) {
  return tekser::xml::text(tekser::xml::child(data, {"", local})).value_or("<missing>");
}

TEST(KgdElicenseRequests, KgdRequestValidatesWithAndWithoutADate) {
  const tekser::xsd::Validator validator(TEKSER_CONTRACTS_DIR,
                                         bundle(kgd::kPayloadNs, "kgd/KGD_TaxpayerStatus.xsd"));
  const auto plain = tekser::adapters::kgd::build_request("210440099998", "840512401230");
  EXPECT_EQ(plain.type_ns, "http://tekser.kz/assumed/kgd/v1");
  EXPECT_EQ(plain.type_name, "Request");
  const auto envelope = tekser::shep::build_request(request_info(kgd::kServiceId), plain);
  EXPECT_EQ(joined(validator.validate_soap_body(envelope)), "");
  const auto parsed = tekser::shep::parse_request(envelope);
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  EXPECT_EQ(child_text(parsed.data, "requestorBin"), "210440099998");
  EXPECT_EQ(child_text(parsed.data, "biin"), "840512401230");
  EXPECT_EQ(child_text(parsed.data, "asOf"), "<missing>");

  const auto dated = tekser::adapters::kgd::build_request("210440099998", "150340012340",
                                                          std::string("2026-01-15"));
  const auto dated_envelope = tekser::shep::build_request(request_info(kgd::kServiceId), dated);
  EXPECT_EQ(joined(validator.validate_soap_body(dated_envelope)), "");
  EXPECT_EQ(child_text(tekser::shep::parse_request(dated_envelope).data, "asOf"), "2026-01-15");

  // The XSD is strict about the identifier: the builder does not hide a bad one.
  const auto bad = tekser::shep::build_request(
      request_info(kgd::kServiceId),
      tekser::adapters::kgd::build_request("210440099998", "15034001234"));
  EXPECT_NE(joined(validator.validate_soap_body(bad)), "");
}

TEST(KgdElicenseRequests, ElicenseRequestValidatesInTheExchangeNamespace) {
  const tekser::xsd::Validator validator(
      TEKSER_CONTRACTS_DIR, bundle(elicense::kPayloadNs, "elicense/ELICENSE_LicensesByBiin.xsd"));
  const auto payload = tekser::adapters::elicense::build_request("210440099998", "220340015529");
  EXPECT_EQ(payload.type_ns, "http://integration.elicense.kz/eokno/exchangeservice");
  EXPECT_EQ(payload.type_name, "Request");
  const auto envelope = tekser::shep::build_request(request_info(elicense::kServiceId), payload);
  EXPECT_EQ(joined(validator.validate_soap_body(envelope)), "");
  const auto parsed = tekser::shep::parse_request(envelope);
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  EXPECT_EQ(child_text(parsed.data, "requestorBin"), "210440099998");
  EXPECT_EQ(child_text(parsed.data, "biin"), "220340015529");
}

}  // namespace
