// Contract conformance: every envelope the SHEP codec writes for the two services validates
// against the public XSDs (contracts/shep, contracts/gbd-ul, contracts/gbd-fl), and the validator
// does catch violations, so a green run means something.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/shep/envelope.hpp"
#include "common/time/xsd_time.hpp"
#include "common/xml/ns.hpp"
#include "common/xsd/validator.hpp"
#include "tests/unit/reference_id.hpp"

#ifndef TEKSER_CONTRACTS_DIR
#error "TEKSER_CONTRACTS_DIR must name the contracts folder"
#endif

namespace {

namespace shep = tekser::shep;
namespace xsd = tekser::xsd;
namespace xml = tekser::xml;
using tekser::test::ref_make;

constexpr std::string_view kGbdUlNs = "http://gbdulinfobybin_v2.egp.gbdul.tamur.kz";
constexpr std::string_view kGbdFlNs = "http://message.persistence.interactive.nat";
constexpr const char* kSessionId = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}";
// Every letter of the Kazakh alphabet outside Russian's, in both cases, in a real phrase.
constexpr const char* kKazakh =
    "Әлеуметтік көрсетілетін қызметтер порталы: ә ғ қ ң ө ұ ү һ і / Ә Ғ Қ Ң Ө Ұ Ү Һ І";

std::vector<xsd::NamespaceFiles> join(std::vector<xsd::NamespaceFiles> a,
                                      const std::vector<xsd::NamespaceFiles>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += "\n  " + e;
  return out;
}

class XsdConformance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shep_only_ = std::make_unique<xsd::Validator>(TEKSER_CONTRACTS_DIR, xsd::shep_namespaces());
    gbd_ul_ = std::make_unique<xsd::Validator>(
        TEKSER_CONTRACTS_DIR, join(xsd::shep_namespaces(), xsd::gbd_ul_namespaces()));
    gbd_fl_ = std::make_unique<xsd::Validator>(
        TEKSER_CONTRACTS_DIR, join(xsd::shep_namespaces(), xsd::gbd_fl_namespaces()));
  }
  static void TearDownTestSuite() {
    shep_only_.reset();
    gbd_ul_.reset();
    gbd_fl_.reset();
  }

  static shep::RequestInfo info(std::string service_id) {
    shep::RequestInfo i;
    i.message_id = "6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e8a01";
    i.service_id = std::move(service_id);
    i.message_date = tekser::xsd_time::format_datetime(
        tekser::xsd_time::parse_datetime("2026-11-22T09:03:07.125Z").value());
    i.sender_id = "tekser";
    i.password = "secret";
    return i;
  }

  // ГБД ЮЛ GbdulInfoByBin_v2: Request{RequestorBIN, BIN}, children unqualified.
  static shep::Payload gbd_ul_payload(const std::string& requestor, const std::string& bin) {
    return {std::string(kGbdUlNs), "Request",
            "<RequestorBIN>" + requestor + "</RequestorBIN><BIN>" + bin + "</BIN>"};
  }

  // ГБД ФЛ (consent-token variant): Request in XSD order.
  static shep::Payload gbd_fl_payload(const std::string& iin) {
    return {std::string(kGbdFlNs), "Request",
            "<messageId>fl-0001</messageId><messageDate>2026-11-22T14:03:07.125+05:00</messageDate>"
            "<senderCode>TEKSER</senderCode><iin>" +
                iin +
                "</iin><kdpToken>kdp-token-value</kdpToken><publicKey>MIIBIjANBgkqh</publicKey>"};
  }

  static inline std::unique_ptr<xsd::Validator> shep_only_;
  static inline std::unique_ptr<xsd::Validator> gbd_ul_;
  static inline std::unique_ptr<xsd::Validator> gbd_fl_;
};

// Removes the first element named `local` (unqualified) from a document.
std::string without(const std::string& text, const char* local) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(text.c_str()));
  auto node = xml::find_descendant(doc, {"", local});
  EXPECT_TRUE(node) << local;
  node.parent().remove_child(node);
  return xml::to_string(doc);
}

// ---------------------------------------------------------------- the two services

TEST_F(XsdConformance, GbdUlRequestValidates) {
  const auto requestor = ref_make("050440");
  const auto bin = ref_make("121140");
  const auto text = shep::build_request(info("GBDUL_InfoByBin_v2"), gbd_ul_payload(requestor, bin));
  EXPECT_EQ(joined(gbd_ul_->validate_soap_body(text)), "") << text;
}

TEST_F(XsdConformance, GbdUlRequestWithEveryOptionalFieldValidates) {
  auto i = info("GBDUL_InfoByBin_v2");
  i.correlation_id = "chain-1";
  i.route_id = "route-1";
  i.properties = {{"region", "Алматы"}, {std::string(30, 'k'), std::string(500, 'v')}};
  i.session_id = kSessionId;
  const auto text = shep::build_request(i, gbd_ul_payload(ref_make("050440"), ref_make("121140")));
  EXPECT_EQ(joined(gbd_ul_->validate_soap_body(text)), "") << text;
}

TEST_F(XsdConformance, GbdFlRequestValidates) {
  const auto text =
      shep::build_request(info("GBDFL_UniversalServiceSync"), gbd_fl_payload(ref_make("9005143")));
  EXPECT_EQ(joined(gbd_fl_->validate_soap_body(text)), "") << text;
}

// ---------------------------------------------------------------- the validator catches

TEST_F(XsdConformance, EnvelopeMissingServiceIdIsInvalid) {
  const auto text = shep::build_request(info("GBDUL_InfoByBin_v2"),
                                        gbd_ul_payload(ref_make("050440"), ref_make("121140")));
  const auto broken = without(text, "serviceId");
  ASSERT_EQ(broken.find("serviceId"), std::string::npos);
  const auto errors = gbd_ul_->validate_soap_body(broken);
  EXPECT_FALSE(errors.empty()) << broken;
  EXPECT_NE(joined(errors).find("serviceId"), std::string::npos) << joined(errors);
}

TEST_F(XsdConformance, EnvelopeMissingSenderIsInvalid) {
  const auto text = shep::build_request(info("GBDUL_InfoByBin_v2"),
                                        gbd_ul_payload(ref_make("050440"), ref_make("121140")));
  EXPECT_FALSE(gbd_ul_->validate_soap_body(without(text, "sender")).empty());
}

TEST_F(XsdConformance, GbdUlPayloadMissingBinIsInvalid) {
  const shep::Payload payload{std::string(kGbdUlNs), "Request",
                              "<RequestorBIN>" + ref_make("050440") + "</RequestorBIN>"};
  const auto text = shep::build_request(info("GBDUL_InfoByBin_v2"), payload);
  const auto errors = gbd_ul_->validate_soap_body(text);
  EXPECT_FALSE(errors.empty()) << text;
  EXPECT_NE(joined(errors).find("BIN"), std::string::npos) << joined(errors);
}

TEST_F(XsdConformance, GbdUlPayloadWithQualifiedChildrenIsInvalid) {
  // The payload's local elements are unqualified; putting them in the target namespace is wrong.
  const shep::Payload payload{std::string(kGbdUlNs), "Request",
                              "<p:RequestorBIN xmlns:p=\"" + std::string(kGbdUlNs) + "\">" +
                                  ref_make("050440") + "</p:RequestorBIN><p:BIN xmlns:p=\"" +
                                  std::string(kGbdUlNs) + "\">" + ref_make("121140") + "</p:BIN>"};
  const auto text = shep::build_request(info("GBDUL_InfoByBin_v2"), payload);
  EXPECT_FALSE(gbd_ul_->validate_soap_body(text).empty()) << text;
}

TEST_F(XsdConformance, GbdFlPayloadOutOfXsdOrderIsInvalid) {
  const shep::Payload payload{
      std::string(kGbdFlNs), "Request",
      "<messageId>fl-0001</messageId><messageDate>2026-11-22T14:03:07+05:00</messageDate>"
      "<senderCode>TEKSER</senderCode><kdpToken>t</kdpToken><iin>" +
          ref_make("9005143") + "</iin><publicKey>k</publicKey>"};
  const auto text = shep::build_request(info("GBDFL_UniversalServiceSync"), payload);
  EXPECT_FALSE(gbd_fl_->validate_soap_body(text).empty()) << text;
}

TEST_F(XsdConformance, GbdFlPayloadMissingKdpTokenIsInvalid) {
  const auto text =
      shep::build_request(info("GBDFL_UniversalServiceSync"), gbd_fl_payload(ref_make("9005143")));
  EXPECT_FALSE(gbd_fl_->validate_soap_body(without(text, "kdpToken")).empty());
}

TEST_F(XsdConformance, PayloadTypeFromAnotherServiceIsInvalid) {
  // A ГБД ФЛ payload checked with only the ГБД ЮЛ types loaded: its type cannot be resolved.
  const auto text =
      shep::build_request(info("GBDFL_UniversalServiceSync"), gbd_fl_payload(ref_make("9005143")));
  EXPECT_FALSE(gbd_ul_->validate_soap_body(text).empty());
}

TEST_F(XsdConformance, SessionIdThatIsNotABracedGuidIsInvalid) {
  auto i = info("GBDUL_InfoByBin_v2");
  i.session_id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
  ASSERT_FALSE(shep::is_braced_guid(*i.session_id));
  const auto text = shep::build_request(i, gbd_ul_payload(ref_make("050440"), ref_make("121140")));
  EXPECT_FALSE(gbd_ul_->validate_soap_body(text).empty());
}

TEST_F(XsdConformance, PropertyLongerThanTheContractAllowsIsInvalid) {
  auto i = info("GBDUL_InfoByBin_v2");
  i.properties = {{std::string(31, 'k'), "v"}};
  const auto text = shep::build_request(i, gbd_ul_payload(ref_make("050440"), ref_make("121140")));
  EXPECT_FALSE(gbd_ul_->validate_soap_body(text).empty());
}

TEST_F(XsdConformance, MessageDateThatIsNoDateTimeIsInvalid) {
  auto i = info("GBDUL_InfoByBin_v2");
  i.message_date = "22.11.2026 14:03";
  const auto text = shep::build_request(i, gbd_ul_payload(ref_make("050440"), ref_make("121140")));
  EXPECT_FALSE(gbd_ul_->validate_soap_body(text).empty());
}

TEST_F(XsdConformance, BodyElementTheContractDoesNotDeclareIsInvalid) {
  // Unknown elements are never waved through: only SendMessage & co. are global elements.
  const std::string text =
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
      "<t:SendMessages xmlns:t=\"http://bip.bee.kz/SyncChannel/v10/Types\"/></s:Body>"
      "</s:Envelope>";
  EXPECT_FALSE(shep_only_->validate_soap_body(text).empty());
}

TEST_F(XsdConformance, NonSoapDocumentIsOneViolation) {
  EXPECT_EQ(shep_only_->validate_soap_body("<html/>").size(), 1u);
  EXPECT_EQ(shep_only_->validate_soap_body("not xml").size(), 1u);
}

TEST(XsdBundle, ContractsDirSpelledWithDotSegmentsLoads) {
  // A contracts folder may be given with dot segments (it once defaulted to
  // "<source>/../shared/contracts"). The contracts include each other by relative path, which
  // libxml2 resolves to normalised locations; the bundle must name the same files the same way or
  // they are loaded twice and collide.
  const std::filesystem::path dir(TEKSER_CONTRACTS_DIR);
  for (const auto& spelled : {dir / "shep" / "..", dir / "." / "gbd-ul" / ".." / "."}) {
    EXPECT_NO_THROW(xsd::Validator(spelled, join(xsd::shep_namespaces(), xsd::gbd_ul_namespaces())))
        << spelled;
    EXPECT_NO_THROW(xsd::Validator(spelled, join(xsd::shep_namespaces(), xsd::gbd_fl_namespaces())))
        << spelled;
  }
}

TEST_F(XsdConformance, MissingContractFileIsReportedAtLoad) {
  EXPECT_THROW(xsd::Validator(TEKSER_CONTRACTS_DIR, {{"urn:x", {"no/such/file.xsd"}}}),
               std::runtime_error);
}

// ---------------------------------------------------------------- replies and faults

TEST_F(XsdConformance, ResponseWithoutPayloadValidates) {
  const auto text = shep::build_response(
      {"r-1", "chain-1", "2026-11-22T14:03:08.000+05:00", "SCSS001", "OK", kSessionId},
      std::nullopt);
  EXPECT_EQ(joined(shep_only_->validate_soap_body(text)), "") << text;
}

TEST_F(XsdConformance, GbdUlResponseValidates) {
  const shep::Payload payload{std::string(kGbdUlNs), "Response",
                              "<Status><Code>002</Code><NameRu>Не найдено</NameRu><NameKz>"
                              "Табылмады</NameKz></Status>"};
  const auto text = shep::build_response(
      {"r-2", std::nullopt, "2026-11-22T14:03:08.000+05:00", "SCSS001", "OK", std::nullopt},
      payload);
  EXPECT_EQ(joined(gbd_ul_->validate_soap_body(text)), "") << text;
  // And the same reply missing Status/NameKz is reported (the XSD marks it required).
  EXPECT_FALSE(gbd_ul_->validate_soap_body(without(text, "NameKz")).empty());
}

TEST_F(XsdConformance, ResponseMissingStatusCodeIsInvalid) {
  const auto text = shep::build_response(
      {"r-1", std::nullopt, "2026-11-22T14:03:08.000+05:00", "SCSS001", "OK", std::nullopt},
      std::nullopt);
  EXPECT_FALSE(shep_only_->validate_soap_body(without(text, "code")).empty());
}

TEST_F(XsdConformance, FaultWithNestedSubErrorValidates) {
  auto inner = std::make_shared<shep::ErrorInfo>();
  inner->code = "GBDUL-404";
  inner->message = "Ұйым табылмады";
  inner->date = "2026-11-22T14:03:08.000+05:00";
  shep::ErrorInfo error;
  error.code = "SE001";
  error.message = "Қызмет қатесі";
  error.data = "timeout";
  error.date = "2026-11-22T14:03:09.000+05:00";
  error.sub_error = inner;
  error.session_id = kSessionId;
  const auto text = shep::build_fault("soap:Server", "Service error", error);
  EXPECT_EQ(joined(shep_only_->validate_soap_body(text)), "") << text;
  // Without its required errorDate the same fault is invalid.
  EXPECT_FALSE(shep_only_->validate_soap_body(without(text, "errorDate")).empty());
}

// ---------------------------------------------------------------- Kazakh text

TEST_F(XsdConformance, KazakhTextSurvivesRequestRoundTripByteExact) {
  auto i = info("GBDUL_InfoByBin_v2");
  i.properties = {{"атауы", kKazakh}};
  const shep::Payload payload{"", "", std::string("<note>") + kKazakh + "</note>"};
  const auto text = shep::build_request(i, payload);
  EXPECT_NE(text.find(kKazakh), std::string::npos) << "written as raw UTF-8, not escaped";
  EXPECT_EQ(joined(shep_only_->validate_soap_body(text)), "") << text;

  const auto parsed = shep::parse_request(text);
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  ASSERT_EQ(parsed.info.properties.size(), 1u);
  EXPECT_EQ(parsed.info.properties[0].key, "атауы");
  EXPECT_EQ(parsed.info.properties[0].value, kKazakh);
  EXPECT_EQ(xml::text(xml::child(parsed.data, {"", "note"})), kKazakh);
}

TEST_F(XsdConformance, KazakhTextSurvivesReplyAndFaultRoundTripByteExact) {
  const auto response = shep::build_response(
      {"r-1", std::nullopt, "2026-11-22T14:03:08.000+05:00", "SCSS001", kKazakh, std::nullopt},
      std::nullopt);
  EXPECT_EQ(joined(shep_only_->validate_soap_body(response)), "");
  EXPECT_EQ(shep::parse_reply(response).info.status_message, kKazakh);

  shep::ErrorInfo error;
  error.code = "E";
  error.message = kKazakh;
  error.date = "2026-11-22T14:03:09.000+05:00";
  const auto fault = shep::build_fault("soap:Server", kKazakh, error);
  EXPECT_EQ(joined(shep_only_->validate_soap_body(fault)), "");
  const auto reply = shep::parse_reply(fault);
  ASSERT_TRUE(reply.error);
  EXPECT_EQ(reply.error->message, kKazakh);
  EXPECT_EQ(reply.fault_string, kKazakh);
}

TEST_F(XsdConformance, LengthLimitsCountCharactersNotBytes) {
  // 250 Kazakh letters are 500 bytes of UTF-8 but within the 250-character status message limit.
  std::string letters;
  for (int n = 0; n < 250; ++n) letters += "ә";
  ASSERT_EQ(letters.size(), 500u);
  const auto ok = shep::build_response(
      {"r-1", std::nullopt, "2026-11-22T14:03:08.000+05:00", "SCSS001", letters, std::nullopt},
      std::nullopt);
  EXPECT_EQ(joined(shep_only_->validate_soap_body(ok)), "");
  const auto too_long = shep::build_response({"r-1", std::nullopt, "2026-11-22T14:03:08.000+05:00",
                                              "SCSS001", letters + "ә", std::nullopt},
                                             std::nullopt);
  EXPECT_FALSE(shep_only_->validate_soap_body(too_long).empty());
}

}  // namespace
