// The ГБД ЮЛ / ГБД ФЛ request payloads: wrapped in a SHEP envelope they validate against the SHEP
// XSDs plus the service's XSD (payload checked through xsi:type), and the bus reads back the
// identifiers and the token exactly.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "adapters/gbd_fl/request.hpp"
#include "adapters/gbd_ul/request.hpp"
#include "common/shep/envelope.hpp"
#include "common/xml/ns.hpp"
#include "common/xsd/validator.hpp"

#ifndef TEKSER_CONTRACTS_DIR
#error "TEKSER_CONTRACTS_DIR must name the contracts folder"
#endif

namespace {

namespace shep = tekser::shep;
namespace xsd = tekser::xsd;
namespace xml = tekser::xml;

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

shep::RequestInfo info(std::string service_id) {
  shep::RequestInfo i;
  i.message_id = "6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e8a01";
  i.service_id = std::move(service_id);
  i.message_date = "2026-01-15T10:00:00.000+05:00";
  i.sender_id = "tekser";
  i.password = "secret";
  return i;
}

std::string child_text(const pugi::xml_node& data, const char* local) {
  return xml::text(xml::child(data, {"", local})).value_or("<missing>");
}

class RequestBuilders : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    gbd_ul_ = std::make_unique<xsd::Validator>(
        TEKSER_CONTRACTS_DIR, join(xsd::shep_namespaces(), xsd::gbd_ul_namespaces()));
    gbd_fl_ = std::make_unique<xsd::Validator>(
        TEKSER_CONTRACTS_DIR, join(xsd::shep_namespaces(), xsd::gbd_fl_namespaces()));
  }
  static void TearDownTestSuite() {
    gbd_ul_.reset();
    gbd_fl_.reset();
  }
  static inline std::unique_ptr<xsd::Validator> gbd_ul_;
  static inline std::unique_ptr<xsd::Validator> gbd_fl_;
};

tekser::adapters::gbd_fl::RequestFields fl_fields() {
  return {"fl-6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e",
          "2026-01-15T10:00:00.000+05:00",
          "TEKSER",
          "840512401230",
          "kdp.eyJzdWIiOiI4NDA1MTI0MDEyMzAifQ.sig",
          "MIIBIjANBgkqhkiG9w0BAQEF"};
}

TEST_F(RequestBuilders, GbdUlPayloadIsTheTypedRequest) {
  const auto p = tekser::adapters::gbd_ul::build_request("210440099998", "150340012340");
  EXPECT_EQ(p.type_ns, "http://gbdulinfobybin_v2.egp.gbdul.tamur.kz");
  EXPECT_EQ(p.type_name, "Request");
  EXPECT_EQ(p.content_xml, "<RequestorBIN>210440099998</RequestorBIN><BIN>150340012340</BIN>");
}

TEST_F(RequestBuilders, GbdUlEnvelopeValidatesAndRoundTrips) {
  const auto text =
      shep::build_request(info("GbdulInfoByBin_v2"),
                          tekser::adapters::gbd_ul::build_request("210440099998", "150340012340"));
  EXPECT_EQ(joined(gbd_ul_->validate_soap_body(text)), "") << text;
  // The ГБД ФЛ types cannot account for it: the validator does tell the two apart.
  EXPECT_FALSE(gbd_fl_->validate_soap_body(text).empty());

  const auto parsed = shep::parse_request(text);
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  EXPECT_EQ(child_text(parsed.data, "RequestorBIN"), "210440099998");
  EXPECT_EQ(child_text(parsed.data, "BIN"), "150340012340");
}

TEST_F(RequestBuilders, GbdFlPayloadIsTheTypedRequestInXsdOrder) {
  const auto p = tekser::adapters::gbd_fl::build_request(fl_fields());
  EXPECT_EQ(p.type_ns, "http://message.persistence.interactive.nat");
  EXPECT_EQ(p.type_name, "Request");
  EXPECT_EQ(p.content_xml,
            "<messageId>fl-6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e</messageId>"
            "<messageDate>2026-01-15T10:00:00.000+05:00</messageDate>"
            "<senderCode>TEKSER</senderCode><iin>840512401230</iin>"
            "<kdpToken>kdp.eyJzdWIiOiI4NDA1MTI0MDEyMzAifQ.sig</kdpToken>"
            "<publicKey>MIIBIjANBgkqhkiG9w0BAQEF</publicKey>");
}

TEST_F(RequestBuilders, GbdFlEnvelopeValidatesAndRoundTrips) {
  const auto text = shep::build_request(info("GBDFL_UniversalServiceSync"),
                                        tekser::adapters::gbd_fl::build_request(fl_fields()));
  EXPECT_EQ(joined(gbd_fl_->validate_soap_body(text)), "") << text;
  EXPECT_FALSE(gbd_ul_->validate_soap_body(text).empty());

  const auto parsed = shep::parse_request(text);
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  EXPECT_EQ(child_text(parsed.data, "iin"), "840512401230");
  EXPECT_EQ(child_text(parsed.data, "kdpToken"), "kdp.eyJzdWIiOiI4NDA1MTI0MDEyMzAifQ.sig");
  EXPECT_EQ(child_text(parsed.data, "publicKey"), "MIIBIjANBgkqhkiG9w0BAQEF");
  EXPECT_EQ(child_text(parsed.data, "senderCode"), "TEKSER");
  EXPECT_EQ(child_text(parsed.data, "messageId"), "fl-6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e");
}

TEST_F(RequestBuilders, MarkupInFieldsIsEscapedAndReadsBackExactly) {
  auto fields = fl_fields();
  fields.kdp_token = "a<b>&c\"d'e]]>";
  const auto text = shep::build_request(info("GBDFL_UniversalServiceSync"),
                                        tekser::adapters::gbd_fl::build_request(fields));
  EXPECT_EQ(joined(gbd_fl_->validate_soap_body(text)), "") << text;
  const auto parsed = shep::parse_request(text);
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  EXPECT_EQ(child_text(parsed.data, "kdpToken"), "a<b>&c\"d'e]]>");
  EXPECT_EQ(xml::child(parsed.data, {"", "b"}), pugi::xml_node{});

  const auto ul = shep::build_request(info("GbdulInfoByBin_v2"),
                                      tekser::adapters::gbd_ul::build_request("2104&", "<x/>"));
  const auto ul_parsed = shep::parse_request(ul);
  ASSERT_TRUE(ul_parsed.ok) << ul_parsed.problem;
  EXPECT_EQ(child_text(ul_parsed.data, "RequestorBIN"), "2104&");
  EXPECT_EQ(child_text(ul_parsed.data, "BIN"), "<x/>");
}

TEST_F(RequestBuilders, GbdFlWithoutTokenStillFollowsTheXsd) {
  // The XSD requires kdpToken: an empty one is written (and the service will refuse it).
  auto fields = fl_fields();
  fields.kdp_token.clear();
  const auto p = tekser::adapters::gbd_fl::build_request(fields);
  EXPECT_NE(p.content_xml.find("<kdpToken"), std::string::npos) << p.content_xml;
  const auto text = shep::build_request(info("GBDFL_UniversalServiceSync"), p);
  EXPECT_EQ(joined(gbd_fl_->validate_soap_body(text)), "") << text;
}

}  // namespace
