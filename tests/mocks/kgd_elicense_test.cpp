// The mock KGD and e-licensing (ASSUMED contracts, contracts/assumed): their fixture loaders
// (the shipped files, and broken entries refused naming the entry and the field) and their
// emulators behind the SyncChannel (every reply valid against SHEP + the assumed XSD, one
// outcome per fixture story, invalid requests refused by the bus).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "mocks/elicense/emulator.hpp"
#include "mocks/kgd/emulator.hpp"
#include "mocks/shep_server/sync_channel.hpp"
#include "test_support.hpp"

#ifndef TEKSER_KGD_EL_ASSUMED_DIR
#error "TEKSER_KGD_EL_ASSUMED_DIR must name the contracts/assumed folder"
#endif
#ifndef TEKSER_KGD_EL_FIXTURES_DIR
#error "TEKSER_KGD_EL_FIXTURES_DIR must name mocks/fixtures"
#endif

namespace tekser::mocks {
namespace {

using testing::contracts_dir;
using testing::text_at;

const kgd::Register& kgd_fixtures() {
  static const auto reg = kgd::load(std::string(TEKSER_KGD_EL_FIXTURES_DIR) + "/kgd.json");
  return reg;
}
const elicense::Register& el_fixtures() {
  static const auto reg =
      elicense::load(std::string(TEKSER_KGD_EL_FIXTURES_DIR) + "/elicense.json");
  return reg;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Expects parse() to refuse `json` with a message containing `expected`.
template <typename Parse>
void expect_refused(Parse parse, const std::string& json, const std::string& expected) {
  try {
    parse(json, "broken.json");
    ADD_FAILURE() << "accepted: " << json;
  } catch (const fixtures::FixtureError& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << expected;
  }
}

// ================================================================== KGD fixtures

TEST(KgdFixtures, ShippedFileLoadsWithEveryStory) {
  const auto& reg = kgd_fixtures();
  EXPECT_EQ(reg.taxpayers.size(), 10u);
  ASSERT_EQ(reg.absent.size(), 1u);
  EXPECT_EQ(reg.absent[0].identifier, "210440099998");
  const auto* debt = reg.find("170540022190");
  ASSERT_NE(debt, nullptr);
  EXPECT_EQ(debt->total(kgd::Levy::tax), 498352315);  // tiyn
  EXPECT_EQ(debt->total(kgd::Levy::pension), 0);
  const auto* social = reg.find("191040033683");
  ASSERT_NE(social, nullptr);
  EXPECT_EQ(social->total(kgd::Levy::tax), 0);
  EXPECT_EQ(social->total(kgd::Levy::pension), 18615075);
  EXPECT_EQ(social->total(kgd::Levy::social), 6201610);
  EXPECT_EQ(social->total(kgd::Levy::health), 3723000);
  EXPECT_EQ(social->total(), 28539685);
  EXPECT_EQ(reg.find("161140118765")->lists.at(0).list, "bankrupt");
  EXPECT_EQ(reg.find("120740023454")->lists.at(0).list, "liquidation_in_progress");
  EXPECT_EQ(reg.find("210440099998"), nullptr);
}

const char* kTaxpayerHead = R"({"taxpayers": [{"id": "t1", "description": "d", "biin": )";

TEST(KgdFixtures, BrokenEntriesAreRefusedNamingEntryAndField) {
  const auto parse = [](const std::string& text, std::string_view source) {
    return kgd::parse(text, source);
  };
  expect_refused(parse, std::string(kTaxpayerHead) + R"("150340012341", "name_ru": "x"}]})",
                 R"(broken.json: taxpayers[0] (id "t1"): field "biin": '150340012341')");
  expect_refused(
      parse, std::string(kTaxpayerHead) + R"("150340012340", "name_ru": "x", "nmae_kk": "y"}]})",
      R"(taxpayers[0] (id "t1"): field "nmae_kk" is not a known fixture field)");
  expect_refused(
      parse,
      std::string(kTaxpayerHead) +
          R"("150340012340", "name_ru": "x", "offices": [{"code": "6001", "name_ru": "a", "name_kk": "b",
                      "lines": [{"kbk": "999999", "tax": 1}]}]}]})",
      R"(taxpayers[0] (id "t1").offices[0].lines[0]: field "kbk": budget code '999999')");
  expect_refused(
      parse,
      std::string(kTaxpayerHead) +
          R"("150340012340", "name_ru": "x", "offices": [{"code": "6001", "name_ru": "a", "name_kk": "b",
                      "lines": [{"kbk": "101110", "tax": -5}]}]}]})",
      R"(lines[0]: field "tax": must not be negative)");
  expect_refused(
      parse,
      std::string(kTaxpayerHead) +
          R"("150340012340", "name_ru": "x", "offices": [{"code": "6001", "name_ru": "a", "name_kk": "b",
                      "lines": [{"kbk": "101110", "tax": 1.005}]}]}]})",
      R"(field "tax": must have at most two decimals)");
  expect_refused(
      parse,
      std::string(kTaxpayerHead) +
          R"("150340012340", "name_ru": "x", "lists": [{"list": "blacklisted"}]}]})",
      R"(taxpayers[0] (id "t1").lists[0]: field "list": 'blacklisted' is not a published list)");
  expect_refused(
      parse,
      std::string(kTaxpayerHead) +
          R"("150340012340", "name_ru": "x", "lists": [{"list": "inactive"}, {"list": "inactive"}]}]})",
      R"(lists[1]: field "list": 'inactive' is listed twice)");
  expect_refused(
      parse,
      std::string(kTaxpayerHead) +
          R"("150340012340", "name_ru": "x", "lists": [{"list": "inactive", "included_on": "2025-02-30"}]}]})",
      R"(field "included_on": '2025-02-30' is not a date)");
  expect_refused(
      parse,
      R"({"taxpayers": [{"id": "t1", "description": "d", "biin": "150340012340", "name_ru": "x"}],
                     "absent": [{"id": "t1", "description": "d", "identifier": "210440099998"}]})",
      R"(absent[0] (id "t1"): field "id": 't1' is used by another entry)");
  expect_refused(
      parse,
      R"({"taxpayers": [{"id": "t1", "description": "d", "biin": "150340012340", "name_ru": "x"}],
                     "absent": [{"id": "a1", "description": "d", "identifier": "150340012340"}]})",
      R"(field "identifier": '150340012340' is already used by another entry)");
  expect_refused(parse, "{", "broken.json: not valid JSON");
}

// ================================================================== e-licensing fixtures

TEST(ElicenseFixtures, ShippedFileLoadsWithEveryStory) {
  const auto& reg = el_fixtures();
  EXPECT_EQ(reg.subjects.size(), 8u);
  ASSERT_EQ(reg.absent.size(), 1u);
  EXPECT_EQ(reg.find("040640001879")->licences.at(0).subtypes.at(0), "MED_SANATORIUM");
  EXPECT_FALSE(reg.find("040640001879")->licences.at(0).expires.has_value());
  EXPECT_EQ(reg.find("190240005877")->licences.at(0).expires, "2025-06-30");
  EXPECT_EQ(reg.find("170540022190")->licences.at(0).status, "suspended");
  EXPECT_EQ(reg.find("161140118765")->licences.at(0).status, "revoked");
  EXPECT_TRUE(reg.find("840512401230")->licences.empty());
  EXPECT_TRUE(reg.find("840512401230")->notifications.empty());
  EXPECT_EQ(reg.find("220340015529")->notifications.at(0).kind, "TAXI");
  EXPECT_EQ(reg.find("220340015529")->notifications.at(0).status, "valid");
  EXPECT_EQ(reg.find("080940003154")->notifications.at(0).status, "terminated");
  EXPECT_EQ(reg.find("210440099998"), nullptr);
}

const char* kSubjectHead =
    R"({"subjects": [{"id": "s1", "description": "d", "biin": "150340012340", "name_ru": "x", )";
const char* kLicensor = R"("licensor": {"code": "L", "name_ru": "a", "name_kk": "b"})";

TEST(ElicenseFixtures, BrokenEntriesAreRefusedNamingEntryAndField) {
  const auto parse = [](const std::string& text, std::string_view source) {
    return elicense::parse(text, source);
  };
  const auto licence = [](const std::string& fields) {
    return std::string(kSubjectHead) + R"("licences": [{"number": "N1", )" + fields + "}]}]}";
  };
  expect_refused(parse, licence(R"("activity": "MED", "status": "valid", "issued": "2020-01-01")"),
                 R"(subjects[0] (id "s1").licences[0]: field "licensor": is required)");
  expect_refused(
      parse,
      licence(R"("activity": "TAXI", "status": "valid", "issued": "2020-01-01", )" +
              std::string(kLicensor)),
      R"(licences[0]: field "activity": 'TAXI' is not an activity code (MED, PHARM, MEDDEV))");
  expect_refused(
      parse,
      licence(
          R"("activity": "PHARM", "subtypes": ["MED_SANATORIUM"], "status": "valid", "issued": "2020-01-01", )" +
          std::string(kLicensor)),
      R"(field "subtypes": 'MED_SANATORIUM' is a subtype of MED, not of PHARM)");
  expect_refused(
      parse,
      licence(R"("activity": "MED", "status": "expired", "issued": "2020-01-01", )" +
              std::string(kLicensor)),
      R"(field "status": 'expired' is not a status (valid, suspended, revoked, terminated))");
  expect_refused(
      parse,
      licence(
          R"("activity": "MED", "status": "valid", "issued": "2020-01-01", "expires": "2019-12-31", )" +
          std::string(kLicensor)),
      R"(field "expires": '2019-12-31' is not after the issue date 2020-01-01)");
  expect_refused(
      parse,
      std::string(kSubjectHead) +
          R"("notifications": [{"number": "N2", "kind": "TAXI", "status": "revoked", "date": "2022-01-01"}]}]})",
      R"(subjects[0] (id "s1").notifications[0]: field "status": a notification cannot be revoked)");
  expect_refused(
      parse,
      std::string(kSubjectHead) +
          R"("notifications": [{"number": "N2", "kind": "TAXI", "status": "valid", "date": "2022-01-01"},
                                          {"number": "N2", "kind": "TAXI", "status": "valid", "date": "2022-01-02"}]}]})",
      R"(notifications[1]: field "number": 'N2' is already used by another entry)");
  expect_refused(parse, std::string(kSubjectHead) + R"("licenses": []}]})",
                 R"(subjects[0] (id "s1"): field "licenses" is not a known fixture field)");
  expect_refused(
      parse,
      R"({"subjects": [{"id": "s1", "description": "d", "biin": "15034001234", "name_ru": "x"}]})",
      R"(subjects[0] (id "s1"): field "biin": '15034001234')");
}

// ================================================================== emulators behind the bus

class KgdElicenseChannelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(
        std::make_unique<kgd::KgdEmulator>(kgd_fixtures(), TEKSER_KGD_EL_ASSUMED_DIR));
    emulators.push_back(
        std::make_unique<elicense::ElicenseEmulator>(el_fixtures(), TEKSER_KGD_EL_ASSUMED_DIR));
    faults_ = std::make_unique<FaultSwitch>();
    journal_ = std::make_unique<Journal>();
    channel_ =
        std::make_unique<SyncChannel>(contracts_dir(), std::move(emulators), *faults_, *journal_);
    auto bundle = xsd::shep_namespaces();
    bundle.push_back(kgd::schema(TEKSER_KGD_EL_ASSUMED_DIR));
    bundle.push_back(elicense::schema(TEKSER_KGD_EL_ASSUMED_DIR));
    validator_ = std::make_unique<xsd::Validator>(contracts_dir(), bundle);
  }
  static void TearDownTestSuite() {
    channel_.reset();
    journal_.reset();
    faults_.reset();
    validator_.reset();
  }

  static std::string request(std::string_view service, std::string_view ns, const std::string& biin,
                             const std::string& message_id) {
    return shep::build_request(
        testing::request_info(std::string(service), message_id),
        shep::Payload{std::string(ns), "Request",
                      "<requestorBin>210440099998</requestorBin><biin>" + biin + "</biin>"});
  }

  // A successful reply, valid against SHEP + both assumed XSDs; returns its data.
  static pugi::xml_node ask(std::string_view service, std::string_view ns, const std::string& biin,
                            shep::ParsedReply& parsed) {
    const auto message_id = "m-" + biin;
    const auto reply = channel_->handle(request(service, ns, biin, message_id));
    EXPECT_EQ(reply.http_status, 200u) << reply.body;
    EXPECT_EQ(joined(validator_->validate_soap_body(reply.body)), "") << reply.body;
    parsed = shep::parse_reply(reply.body);
    EXPECT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
    EXPECT_EQ(parsed.info.status_code, shep::kSuccessCode);
    EXPECT_EQ(parsed.info.correlation_id, message_id);
    std::string type_ns;
    const auto type =
        xml::resolve_qname(parsed.data, parsed.data.attribute("xsi:type").as_string(), type_ns);
    EXPECT_TRUE(type && type->ns == ns && type->local == "Response");
    return parsed.data;
  }
  static pugi::xml_node ask_kgd(const std::string& biin, shep::ParsedReply& parsed) {
    return ask(kgd::kServiceId, kgd::kNamespace, biin, parsed);
  }
  static pugi::xml_node ask_el(const std::string& biin, shep::ParsedReply& parsed) {
    return ask(elicense::kServiceId, elicense::kNamespace, biin, parsed);
  }

  static inline std::unique_ptr<FaultSwitch> faults_;
  static inline std::unique_ptr<Journal> journal_;
  static inline std::unique_ptr<SyncChannel> channel_;
  static inline std::unique_ptr<xsd::Validator> validator_;
};

TEST_F(KgdElicenseChannelTest, ServesBothServiceIds) {
  EXPECT_TRUE(channel_->serves("KGD_TaxpayerStatus"));
  EXPECT_TRUE(channel_->serves("ELICENSE_LicensesByBiin"));
}

TEST_F(KgdElicenseChannelTest, EveryTaxpayerReplyValidatesWithTotalsFromItsLines) {
  for (const auto& t : kgd_fixtures().taxpayers) {
    SCOPED_TRACE(t.id);
    shep::ParsedReply parsed;
    const auto data = ask_kgd(t.biin, parsed);
    EXPECT_EQ(text_at(data, {"result", "code"}), "00");
    EXPECT_EQ(text_at(data, {"taxpayer", "biin"}), t.biin);
    EXPECT_EQ(text_at(data, {"taxpayer", "nameRu"}), t.name_ru);
    EXPECT_EQ(text_at(data, {"taxpayer", "arrears", "totalArrear"}), kgd::format_amount(t.total()));
    EXPECT_EQ(text_at(data, {"taxpayer", "arrears", "totalTaxArrear"}),
              kgd::format_amount(t.total(kgd::Levy::tax)));
    EXPECT_TRUE(text_at(data, {"taxpayer", "arrears", "sendTime"}).ends_with("+05:00"));
  }
}

TEST_F(KgdElicenseChannelTest, KgdStoriesShowInTheirOwnElements) {
  shep::ParsedReply a, b, c, d, e, f, g, h;
  const auto clean = ask_kgd("150340012340", a);
  EXPECT_EQ(text_at(clean, {"taxpayer", "arrears", "totalArrear"}), "0.00");
  EXPECT_EQ(text_at(clean, {"taxpayer", "arrears", "taxOrgInfo", "charCode"}), "6001");
  EXPECT_EQ(text_at(clean, {"taxpayer", "listEntry"}), "<missing>");

  const auto ie = ask_kgd("840512401230", b);
  EXPECT_EQ(text_at(ie, {"taxpayer", "arrears", "totalArrear"}), "0.00");
  EXPECT_EQ(text_at(ie, {"taxpayer", "arrears", "taxOrgInfo"}), "<missing>");

  const auto tax = ask_kgd("170540022190", c);
  EXPECT_EQ(text_at(tax, {"taxpayer", "arrears", "totalTaxArrear"}), "4983523.15");
  EXPECT_EQ(text_at(tax, {"taxpayer", "arrears", "pensionContributionArrear"}), "0.00");
  EXPECT_EQ(text_at(tax, {"taxpayer", "arrears", "taxOrgInfo", "totalArrear"}), "4964710.75");
  EXPECT_EQ(text_at(tax, {"taxpayer", "arrears", "taxOrgInfo", "bccArrearsInfo", "poenaArrear"}),
            "48210.50");

  const auto social = ask_kgd("191040033683", d);
  EXPECT_EQ(text_at(social, {"taxpayer", "arrears", "totalTaxArrear"}), "0.00");
  EXPECT_EQ(text_at(social, {"taxpayer", "arrears", "pensionContributionArrear"}), "186150.75");
  EXPECT_EQ(text_at(social, {"taxpayer", "arrears", "socialContributionArrear"}), "62016.10");
  EXPECT_EQ(text_at(social, {"taxpayer", "arrears", "socialHealthInsuranceArrear"}), "37230.00");

  const auto bankrupt = ask_kgd("161140118765", e);
  EXPECT_EQ(text_at(bankrupt, {"taxpayer", "listEntry", "list", "code"}), "1");
  EXPECT_EQ(text_at(bankrupt, {"taxpayer", "listEntry", "inclusionDate"}), "2025-05-06");

  const auto inactive = ask_kgd("190240005877", f);
  EXPECT_EQ(text_at(inactive, {"taxpayer", "listEntry", "list", "code"}), "2");
  EXPECT_EQ(text_at(inactive, {"taxpayer", "listEntry", "decisionNumber"}), "Приказ № 318");

  const auto pseudo = ask_kgd("230840044710", g);
  EXPECT_EQ(text_at(pseudo, {"taxpayer", "listEntry", "list", "code"}), "5");
  EXPECT_EQ(text_at(pseudo, {"taxpayer", "listEntry", "list", "nameRu"}), "Лжепредприятия");

  const auto liquidation = ask_kgd("120740023454", h);
  EXPECT_EQ(text_at(liquidation, {"taxpayer", "listEntry", "list", "code"}), "6");
}

TEST_F(KgdElicenseChannelTest, KgdUnknownIsNotFoundAndABadCheckDigitRejected) {
  shep::ParsedReply a, b;
  const auto absent = ask_kgd("210440099998", a);
  EXPECT_EQ(text_at(absent, {"result", "code"}), "01");
  EXPECT_EQ(text_at(absent, {"result", "messageRu"}), "Налогоплательщик не найден");
  EXPECT_EQ(text_at(absent, {"taxpayer"}), "<missing>");
  const auto rejected = ask_kgd("150340012341", b);
  EXPECT_EQ(text_at(rejected, {"result", "code"}), "02");
  EXPECT_EQ(text_at(rejected, {"taxpayer"}), "<missing>");
  JournalFilter filter;
  filter.subject = "150340012341";
  filter.service_id = std::string(kgd::kServiceId);
  const auto entries = journal_->find(filter);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome, "rejected");
  EXPECT_EQ(entries[0].validation, "valid");
}

TEST_F(KgdElicenseChannelTest, EverySubjectReplyValidatesWithItsLicencesAndNotifications) {
  for (const auto& s : el_fixtures().subjects) {
    SCOPED_TRACE(s.id);
    shep::ParsedReply parsed;
    const auto data = ask_el(s.biin, parsed);
    EXPECT_EQ(text_at(data, {"result", "code"}), "00");
    EXPECT_EQ(text_at(data, {"subject", "biin"}), s.biin);
    const auto subject = data.child("subject");
    std::size_t licences = 0, notifications = 0;
    for (auto l : subject.child("licenses").children("license")) licences += l ? 1 : 0;
    for (auto n : subject.child("notifications").children("notification"))
      notifications += n ? 1 : 0;
    EXPECT_EQ(licences, s.licences.size());
    EXPECT_EQ(notifications, s.notifications.size());
  }
}

TEST_F(KgdElicenseChannelTest, ElicenseStoriesShowInTheirOwnElements) {
  shep::ParsedReply a, b, c, d, e, f, g, h;
  const auto sanatorium = ask_el("040640001879", a);
  EXPECT_EQ(text_at(sanatorium, {"subject", "licenses", "license", "activity", "code"}), "MED");
  EXPECT_EQ(text_at(sanatorium, {"subject", "licenses", "license", "subtype", "nameRu"}),
            "Санаторно-курортная помощь");
  EXPECT_EQ(text_at(sanatorium, {"subject", "licenses", "license", "status", "code"}), "1");
  EXPECT_EQ(text_at(sanatorium, {"subject", "licenses", "license", "expiryDate"}), "<missing>");

  const auto expired = ask_el("190240005877", b);
  EXPECT_EQ(text_at(expired, {"subject", "licenses", "license", "expiryDate"}), "2025-06-30");
  EXPECT_EQ(text_at(expired, {"subject", "licenses", "license", "status", "code"}), "1");

  EXPECT_EQ(
      text_at(ask_el("170540022190", c), {"subject", "licenses", "license", "status", "code"}),
      "2");
  EXPECT_EQ(
      text_at(ask_el("161140118765", d), {"subject", "licenses", "license", "status", "code"}),
      "3");

  const auto empty = ask_el("840512401230", e);
  EXPECT_EQ(text_at(empty, {"result", "code"}), "00");
  EXPECT_EQ(text_at(empty, {"subject", "licenses"}), "");
  EXPECT_EQ(text_at(empty, {"subject", "licenses", "license"}), "<missing>");
  EXPECT_EQ(text_at(empty, {"subject", "notifications", "notification"}), "<missing>");

  const auto taxi = ask_el("220340015529", f);
  EXPECT_EQ(text_at(taxi, {"subject", "notifications", "notification", "kind", "code"}), "TAXI");
  EXPECT_EQ(text_at(taxi, {"subject", "notifications", "notification", "status", "code"}), "1");
  EXPECT_EQ(text_at(taxi, {"subject", "notifications", "notification", "date"}), "2022-04-11");

  const auto terminated = ask_el("080940003154", g);
  EXPECT_EQ(text_at(terminated, {"subject", "notifications", "notification", "status", "nameRu"}),
            "Прекращена");

  const auto unknown = ask_el("210440099998", h);
  EXPECT_EQ(text_at(unknown, {"result", "code"}), "01");
  EXPECT_EQ(text_at(unknown, {"subject"}), "<missing>");
}

TEST_F(KgdElicenseChannelTest, RequestsOutsideTheAssumedSchemaAreRefusedByTheBus) {
  // No biin: the bus refuses it against the assumed XSD before the emulator sees it.
  const auto reply = channel_->handle(
      shep::build_request(testing::request_info(std::string(kgd::kServiceId), "m-bad"),
                          shep::Payload{std::string(kgd::kNamespace), "Request",
                                        "<requestorBin>210440099998</requestorBin>"}));
  EXPECT_EQ(reply.http_status, 500u);
  const auto parsed = shep::parse_reply(reply.body);
  ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::fault) << reply.body;
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error->code, kErrorSchemaViolation);

  // An 11-digit biin breaks the Biin pattern of the e-licensing XSD.
  const auto short_biin = channel_->handle(
      request(elicense::kServiceId, elicense::kNamespace, "15034001234", "m-short"));
  EXPECT_EQ(short_biin.http_status, 500u);
  const auto parsed_short = shep::parse_reply(short_biin.body);
  ASSERT_TRUE(parsed_short.error);
  EXPECT_EQ(parsed_short.error->code, kErrorSchemaViolation);
}

}  // namespace
}  // namespace tekser::mocks
