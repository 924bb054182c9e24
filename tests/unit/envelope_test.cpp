// SHEP SyncChannel v10 envelopes (BRIEF.md §3, contracts/shep): what the gateway sends, what
// the mock SHEP reads, and how any reply is classified as response, fault or malformed.
#include "common/shep/envelope.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/xml/ns.hpp"

namespace {

namespace shep = tekser::shep;
namespace xml = tekser::xml;
using Kind = shep::ParsedReply::Kind;

constexpr const char* kSessionId = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}";

shep::RequestInfo full_request_info() {
  shep::RequestInfo info;
  info.message_id = "6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e8a01";
  info.correlation_id = "chain-42";
  info.service_id = "GBDUL_InfoByBin_v2";
  info.message_date = "2026-11-22T14:03:07.125+05:00";
  info.route_id = "route-7";
  info.sender_id = "tekser";
  info.password = "s3cr&t<pw>";
  info.properties = {{"region", "Алматы"}, {"purpose", "supplier-check"}};
  info.session_id = kSessionId;
  return info;
}

shep::RequestInfo minimal_request_info() {
  shep::RequestInfo info;
  info.message_id = "m-1";
  info.service_id = "GBDFL_UniversalServiceSync";
  info.message_date = "2026-01-05T09:00:00+05:00";
  info.sender_id = "tekser";
  return info;
}

// ---------------------------------------------------------------- requests

TEST(ShepRequest, RoundTripKeepsEveryField) {
  const auto info = full_request_info();
  const auto xml_text = shep::build_request(
      info, {"urn:test:payload", "Request", "<RequestorBIN>1</RequestorBIN><BIN>2</BIN>"});
  const auto parsed = shep::parse_request(xml_text);
  ASSERT_TRUE(parsed.ok) << parsed.problem << "\n" << xml_text;
  EXPECT_TRUE(parsed.problem.empty());
  EXPECT_EQ(parsed.info.message_id, info.message_id);
  EXPECT_EQ(parsed.info.correlation_id, info.correlation_id);
  EXPECT_EQ(parsed.info.service_id, info.service_id);
  EXPECT_EQ(parsed.info.message_date, info.message_date);
  EXPECT_EQ(parsed.info.route_id, info.route_id);
  EXPECT_EQ(parsed.info.sender_id, info.sender_id);
  EXPECT_EQ(parsed.info.password, info.password);
  EXPECT_EQ(parsed.info.session_id, info.session_id);
  ASSERT_EQ(parsed.info.properties.size(), 2u);
  EXPECT_EQ(parsed.info.properties[0].key, "region");
  EXPECT_EQ(parsed.info.properties[0].value, "Алматы");
  EXPECT_EQ(parsed.info.properties[1].key, "purpose");
  EXPECT_EQ(parsed.info.properties[1].value, "supplier-check");

  ASSERT_TRUE(parsed.data);
  EXPECT_EQ(xml::text(xml::child(parsed.data, {"", "RequestorBIN"})), "1");
  EXPECT_EQ(xml::text(xml::child(parsed.data, {"", "BIN"})), "2");
  std::string storage;
  const auto type =
      xml::resolve_qname(parsed.data, parsed.data.attribute("xsi:type").value(), storage);
  ASSERT_TRUE(type);
  EXPECT_EQ(type->ns, "urn:test:payload");
  EXPECT_EQ(type->local, "Request");
}

TEST(ShepRequest, RoundTripLeavesOptionalFieldsAbsent) {
  const auto parsed = shep::parse_request(shep::build_request(minimal_request_info(), {}));
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  EXPECT_FALSE(parsed.info.correlation_id);
  EXPECT_FALSE(parsed.info.route_id);
  EXPECT_FALSE(parsed.info.password);
  EXPECT_FALSE(parsed.info.session_id);
  EXPECT_TRUE(parsed.info.properties.empty());
}

TEST(ShepRequest, IsSendMessageWithUnqualifiedChildren) {
  const auto text = shep::build_request(minimal_request_info(), {});
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(text.c_str()));
  const auto send = xml::find_path(doc.document_element(),
                                   {{shep::kSoapNs, "Body"}, {shep::kTypesNs, "SendMessage"}});
  ASSERT_TRUE(send) << text;
  // The wrapper is qualified; request and everything below it are not (contract: unqualified).
  const auto request = xml::child(send, {"", "request"});
  ASSERT_TRUE(request) << text;
  EXPECT_TRUE(xml::find_path(request, {{"", "requestInfo"}, {"", "sender"}, {"", "senderId"}}));
  EXPECT_TRUE(xml::child(request, {"", "requestData"}));
}

TEST(ShepRequest, WritesRequestInfoInContractOrder) {
  const auto text = shep::build_request(full_request_info(), {});
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(text.c_str()));
  const auto info = xml::find_descendant(doc, {"", "requestInfo"});
  ASSERT_TRUE(info);
  std::string order;
  for (auto c = info.first_child(); c; c = c.next_sibling()) order += std::string(c.name()) + " ";
  EXPECT_EQ(order,
            "messageId correlationId serviceId messageDate routeId sender properties properties "
            "sessionId ");
}

TEST(ShepRequest, RejectsPayloadThatIsNotXml) {
  EXPECT_THROW(shep::build_request(minimal_request_info(), {"", "", "<BIN>1</RequestorBIN>"}),
               std::invalid_argument);
}

// Removes the first element named `local` from a built request (a sender that forgot it).
std::string without(const std::string& text, const char* local) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(text.c_str()));
  auto node = xml::find_descendant(doc, {"", local});
  EXPECT_TRUE(node) << local;
  node.parent().remove_child(node);
  return xml::to_string(doc);
}

TEST(ShepRequest, ParseRequestNamesTheMissingField) {
  const auto text = shep::build_request(full_request_info(), {});
  struct Case {
    const char* removed;
    const char* named;
  };
  for (const Case c : {Case{"messageId", "messageId"}, Case{"serviceId", "serviceId"},
                       Case{"messageDate", "messageDate"}, Case{"senderId", "sender/senderId"},
                       Case{"sender", "sender/senderId"}, Case{"requestInfo", "requestInfo"},
                       Case{"requestData", "requestData"}}) {
    const auto parsed = shep::parse_request(without(text, c.removed));
    EXPECT_FALSE(parsed.ok) << c.removed;
    EXPECT_NE(parsed.problem.find(c.named), std::string::npos)
        << c.removed << " -> " << parsed.problem;
  }
}

TEST(ShepRequest, ParseRequestTreatsBlankFieldAsMissing) {
  auto info = minimal_request_info();
  info.service_id = "   ";
  const auto parsed = shep::parse_request(shep::build_request(info, {}));
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(parsed.problem.find("serviceId"), std::string::npos) << parsed.problem;
}

TEST(ShepRequest, ParseRequestRejectsMessageDateWithoutOffset) {
  auto info = minimal_request_info();
  info.message_date = "2026-01-05T09:00:00";
  const auto parsed = shep::parse_request(shep::build_request(info, {}));
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(parsed.problem.find("messageDate"), std::string::npos) << parsed.problem;
  EXPECT_NE(parsed.problem.find("offset"), std::string::npos) << parsed.problem;
}

TEST(ShepRequest, ParseRequestRejectsMessageDateThatIsNoDate) {
  auto info = minimal_request_info();
  info.message_date = "2025-02-29T09:00:00+05:00";
  const auto parsed = shep::parse_request(shep::build_request(info, {}));
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(parsed.problem.find("messageDate"), std::string::npos) << parsed.problem;
}

TEST(ShepRequest, ParseRequestAcceptsOtherPrefixes) {
  const std::string text = R"(<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">
  <S:Header/>
  <S:Body>
    <SendMessage xmlns="http://bip.bee.kz/SyncChannel/v10/Types">
      <request xmlns="">
        <requestInfo>
          <messageId>m-9</messageId>
          <serviceId>GBDUL_InfoByBin_v2</serviceId>
          <messageDate>2026-03-01T10:00:00Z</messageDate>
          <sender><senderId>portal</senderId></sender>
        </requestInfo>
        <requestData><data><x>1</x></data></requestData>
      </request>
    </SendMessage>
  </S:Body>
</S:Envelope>)";
  const auto parsed = shep::parse_request(text);
  ASSERT_TRUE(parsed.ok) << parsed.problem;
  EXPECT_EQ(parsed.info.message_id, "m-9");
  EXPECT_EQ(parsed.info.sender_id, "portal");
  EXPECT_EQ(xml::text(xml::child(parsed.data, {"", "x"})), "1");
}

TEST(ShepRequest, ParseRequestRejectsOtherBodyElement) {
  const auto response = shep::build_response(
      {"r-1", std::nullopt, "2026-01-05T09:00:01+05:00", "SCSS001", "OK", std::nullopt},
      std::nullopt);
  const auto parsed = shep::parse_request(response);
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(parsed.problem.find("SendMessage"), std::string::npos) << parsed.problem;
}

TEST(ShepRequest, ParseRequestReportsMalformedInputs) {
  for (const char* text :
       {"", "garbage", "<a>", "<html><body/></html>",
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>"}) {
    const auto parsed = shep::parse_request(text);
    EXPECT_FALSE(parsed.ok) << text;
    EXPECT_FALSE(parsed.problem.empty()) << text;
  }
}

// ---------------------------------------------------------------- replies

TEST(ShepReply, ResponseRoundTrip) {
  const shep::ResponseInfo info{
      "r-77",    "chain-42", "2026-11-22T14:03:08.001+05:00", "SCSS001", "Сообщение обработано",
      kSessionId};
  const auto text = shep::build_response(
      info, shep::Payload{"urn:test:payload", "Response", "<Status>1</Status>"});
  const auto reply = shep::parse_reply(text);
  ASSERT_EQ(reply.kind, Kind::response) << reply.problem << "\n" << text;
  EXPECT_EQ(reply.info.message_id, info.message_id);
  EXPECT_EQ(reply.info.correlation_id, info.correlation_id);
  EXPECT_EQ(reply.info.response_date, info.response_date);
  EXPECT_EQ(reply.info.status_code, shep::kSuccessCode);
  EXPECT_EQ(reply.info.status_message, info.status_message);
  EXPECT_EQ(reply.info.session_id, info.session_id);
  ASSERT_TRUE(reply.data);
  EXPECT_EQ(xml::text(xml::child(reply.data, {"", "Status"})), "1");
  EXPECT_TRUE(reply.problem.empty());
}

TEST(ShepReply, ResponseWithoutPayloadHasNoData) {
  const auto reply = shep::parse_reply(shep::build_response(
      {"r-1", std::nullopt, "2026-01-05T09:00:01+05:00", "SCSS001", "OK", std::nullopt},
      std::nullopt));
  ASSERT_EQ(reply.kind, Kind::response) << reply.problem;
  EXPECT_FALSE(reply.data);
  EXPECT_FALSE(reply.info.correlation_id);
  EXPECT_FALSE(reply.info.session_id);
}

TEST(ShepReply, DataStaysValidAfterTheReplyIsMoved) {
  auto reply = shep::parse_reply(shep::build_response(
      {"r-1", std::nullopt, "2026-01-05T09:00:01+05:00", "SCSS001", "OK", std::nullopt},
      shep::Payload{"", "", "<v>kept</v>"}));
  const auto moved = std::move(reply);
  ASSERT_EQ(moved.kind, Kind::response);
  EXPECT_EQ(xml::text(xml::child(moved.data, {"", "v"})), "kept");
}

// The same reply as our builder writes it, hand-written the way other SOAP stacks do.
const char* kReplyNs2 = R"(<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">
  <S:Body>
    <ns2:SendMessageResponse xmlns:ns2="http://bip.bee.kz/SyncChannel/v10/Types">
      <response>
        <responseInfo>
          <messageId>r-77</messageId>
          <correlationId>chain-42</correlationId>
          <responseDate>2026-11-22T14:03:08.001+05:00</responseDate>
          <status><code>SCSS001</code><message>Сообщение обработано</message></status>
          <sessionId>{3F2504E0-4F89-11D3-9A0C-0305E82C3301}</sessionId>
        </responseInfo>
        <responseData>
          <data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xmlns:ns3="urn:test:payload" xsi:type="ns3:Response"><Status>1</Status></data>
        </responseData>
      </response>
    </ns2:SendMessageResponse>
  </S:Body>
</S:Envelope>)";

const char* kReplyDefaultNs =
    R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body><SendMessageResponse xmlns="http://bip.bee.kz/SyncChannel/v10/Types"><response xmlns=""><responseInfo><messageId>r-77</messageId><correlationId>chain-42</correlationId><responseDate>2026-11-22T14:03:08.001+05:00</responseDate><status><code>SCSS001</code><message>Сообщение обработано</message></status><sessionId>{3F2504E0-4F89-11D3-9A0C-0305E82C3301}</sessionId></responseInfo><responseData><data><Status>1</Status></data></responseData></response></SendMessageResponse></soapenv:Body></soapenv:Envelope>)";

TEST(ShepReply, OtherPrefixesAndDefaultNamespaceParseTheSame) {
  // The hand-written replies hold exactly these values; our own builder's output must read the
  // same as theirs.
  const shep::ResponseInfo info{
      "r-77",    "chain-42", "2026-11-22T14:03:08.001+05:00", "SCSS001", "Сообщение обработано",
      kSessionId};
  const auto ours = shep::build_response(info, shep::Payload{"", "", "<Status>1</Status>"});
  for (const std::string& text : {std::string(kReplyNs2), std::string(kReplyDefaultNs), ours}) {
    const auto reply = shep::parse_reply(text);
    ASSERT_EQ(reply.kind, Kind::response) << reply.problem << "\n" << text;
    EXPECT_EQ(reply.info.message_id, info.message_id);
    EXPECT_EQ(reply.info.correlation_id, info.correlation_id);
    EXPECT_EQ(reply.info.response_date, info.response_date);
    EXPECT_EQ(reply.info.status_code, info.status_code);
    EXPECT_EQ(reply.info.status_message, info.status_message);
    EXPECT_EQ(reply.info.session_id, info.session_id);
    EXPECT_EQ(xml::text(xml::child(reply.data, {"", "Status"})), "1");
  }
}

TEST(ShepReply, NonSuccessStatusIsStillAResponse) {
  const auto reply = shep::parse_reply(shep::build_response(
      {"r-2", std::nullopt, "2026-01-05T09:00:01+05:00", "ERR002", "Нет данных", std::nullopt},
      std::nullopt));
  ASSERT_EQ(reply.kind, Kind::response) << reply.problem;
  EXPECT_EQ(reply.info.status_code, "ERR002");
  EXPECT_NE(reply.info.status_code, shep::kSuccessCode);
}

// ---------------------------------------------------------------- faults

shep::ErrorInfo nested_error() {
  auto inner = std::make_shared<shep::ErrorInfo>();
  inner->code = "GBDUL-404";
  inner->message = "Организация не найдена";
  inner->date = "2026-11-22T14:03:08+05:00";
  shep::ErrorInfo outer;
  outer.code = "SE001";
  outer.message = "Ошибка вызова сервиса";
  outer.data = "endpoint timeout";
  outer.date = "2026-11-22T14:03:09+05:00";
  outer.sub_error = inner;
  outer.session_id = kSessionId;
  return outer;
}

TEST(ShepFault, RoundTripWithNestedSubError) {
  const auto error = nested_error();
  const auto reply = shep::parse_reply(shep::build_fault("soap:Server", "Service error", error));
  ASSERT_EQ(reply.kind, Kind::fault) << reply.problem;
  EXPECT_EQ(reply.fault_code, "soap:Server");
  EXPECT_EQ(reply.fault_string, "Service error");
  ASSERT_TRUE(reply.error);
  EXPECT_EQ(reply.error->code, "SE001");
  EXPECT_EQ(reply.error->message, error.message);
  EXPECT_EQ(reply.error->data, "endpoint timeout");
  EXPECT_EQ(reply.error->date, error.date);
  EXPECT_EQ(reply.error->session_id, kSessionId);
  ASSERT_TRUE(reply.error->sub_error);
  EXPECT_EQ(reply.error->sub_error->code, "GBDUL-404");
  EXPECT_EQ(reply.error->sub_error->message, "Организация не найдена");
  EXPECT_FALSE(reply.error->sub_error->data);
  EXPECT_FALSE(reply.error->sub_error->sub_error);
}

TEST(ShepFault, HandWrittenFaultWithOtherPrefixesAndNestedSubError) {
  const char* text = R"(<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
  <env:Body>
    <env:Fault>
      <faultcode>env:Client</faultcode>
      <faultstring>Bad request</faultstring>
      <detail>
        <t:SendMessageFault1_SendMessageFault xmlns:t="http://bip.bee.kz/SyncChannel/v10/Types">
          <errorCode>E1</errorCode><errorMessage>outer</errorMessage>
          <errorDate>2026-01-01T00:00:00Z</errorDate>
          <subError><errorCode>E2</errorCode><errorMessage>middle</errorMessage>
            <errorDate>2026-01-01T00:00:00Z</errorDate>
            <subError><errorCode>E3</errorCode><errorMessage>inner</errorMessage>
              <errorDate>2026-01-01T00:00:00Z</errorDate></subError>
          </subError>
        </t:SendMessageFault1_SendMessageFault>
      </detail>
    </env:Fault>
  </env:Body>
</env:Envelope>)";
  const auto reply = shep::parse_reply(text);
  ASSERT_EQ(reply.kind, Kind::fault) << reply.problem;
  EXPECT_EQ(reply.fault_code, "env:Client");
  ASSERT_TRUE(reply.error);
  EXPECT_EQ(reply.error->code, "E1");
  ASSERT_TRUE(reply.error->sub_error);
  EXPECT_EQ(reply.error->sub_error->code, "E2");
  ASSERT_TRUE(reply.error->sub_error->sub_error);
  EXPECT_EQ(reply.error->sub_error->sub_error->code, "E3");
  EXPECT_EQ(reply.error->sub_error->sub_error->message, "inner");
}

TEST(ShepFault, LowerCaseLegacyCommonNamespaceIsTolerated) {
  const char* text = R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body><soap:Fault>
    <faultcode>soap:Server</faultcode><faultstring>legacy</faultstring>
    <detail>
      <ns1:ErrorInfo xmlns:ns1="http://bip.bee.kz/common/v10/types">
        <errorCode>LEG-1</errorCode><errorMessage>old style</errorMessage>
        <errorDate>2023-10-26T10:00:00+06:00</errorDate>
        <subError><errorCode>LEG-2</errorCode><errorMessage>inner</errorMessage>
          <errorDate>2023-10-26T10:00:00+06:00</errorDate></subError>
      </ns1:ErrorInfo>
    </detail>
  </soap:Fault></soap:Body></soap:Envelope>)";
  const auto reply = shep::parse_reply(text);
  ASSERT_EQ(reply.kind, Kind::fault) << reply.problem;
  ASSERT_TRUE(reply.error);
  EXPECT_EQ(reply.error->code, "LEG-1");
  EXPECT_EQ(reply.error->message, "old style");
  ASSERT_TRUE(reply.error->sub_error);
  EXPECT_EQ(reply.error->sub_error->code, "LEG-2");
}

TEST(ShepFault, ErrorInfoFieldsQualifiedWithLegacyNamespaceAreRead) {
  const char* text = R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body><soap:Fault>
    <faultcode>soap:Server</faultcode><faultstring>legacy</faultstring>
    <detail>
      <t:SendMessageFault1_SendMessageFault xmlns:t="http://bip.bee.kz/SyncChannel/v10/Types"
          xmlns:c="http://bip.bee.kz/common/v10/types">
        <c:errorCode>LEG-3</c:errorCode><c:errorMessage>qualified</c:errorMessage>
        <c:errorDate>2023-10-26T10:00:00+06:00</c:errorDate>
      </t:SendMessageFault1_SendMessageFault>
    </detail>
  </soap:Fault></soap:Body></soap:Envelope>)";
  const auto reply = shep::parse_reply(text);
  ASSERT_EQ(reply.kind, Kind::fault) << reply.problem;
  ASSERT_TRUE(reply.error);
  EXPECT_EQ(reply.error->code, "LEG-3");
  EXPECT_EQ(reply.error->message, "qualified");
}

TEST(ShepFault, FaultWithoutDetailIsAFaultWithoutErrorInfo) {
  const char* text =
      R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>down</faultstring></s:Fault></s:Body></s:Envelope>)";
  const auto reply = shep::parse_reply(text);
  EXPECT_EQ(reply.kind, Kind::fault);
  EXPECT_EQ(reply.fault_string, "down");
  EXPECT_FALSE(reply.error);
}

TEST(ShepFault, DeeplyNestedSubErrorsDoNotCrash) {
  // As deep as the screen of untrusted XML lets through (64 levels); read_error_info stops at 8.
  constexpr int kDepth = 55;
  std::string errors;
  for (int i = 0; i < kDepth; ++i)
    errors += "<subError><errorCode>E" + std::to_string(i) +
              "</errorCode><errorMessage>m</errorMessage><errorDate>2026-01-01T00:00:00Z</"
              "errorDate>";
  for (int i = 0; i < kDepth; ++i) errors += "</subError>";
  const std::string text =
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
      "<faultcode>s:Server</faultcode><faultstring>x</faultstring><detail>"
      "<t:SendMessageFault1_SendMessageFault xmlns:t=\"http://bip.bee.kz/SyncChannel/v10/Types\">"
      "<errorCode>TOP</errorCode><errorMessage>m</errorMessage>"
      "<errorDate>2026-01-01T00:00:00Z</errorDate>" +
      errors + "</t:SendMessageFault1_SendMessageFault></detail></s:Fault></s:Body></s:Envelope>";
  const auto reply = shep::parse_reply(text);
  ASSERT_EQ(reply.kind, Kind::fault);
  ASSERT_TRUE(reply.error);
  EXPECT_EQ(reply.error->code, "TOP");
  ASSERT_TRUE(reply.error->sub_error);
  EXPECT_EQ(reply.error->sub_error->code, "E0");
}

TEST(ShepFault, HostileDeeplyNestedDetailDoesNotCrash) {
  // No ErrorInfo wrapper, but 200 000 nested elements for the search to walk through.
  constexpr int kDepth = 200'000;
  std::string text =
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
      "<faultcode>s:Server</faultcode><faultstring>x</faultstring><detail>";
  for (int i = 0; i < kDepth; ++i) text += "<d>";
  for (int i = 0; i < kDepth; ++i) text += "</d>";
  text += "</detail></s:Fault></s:Body></s:Envelope>";
  // Over the screen's depth (common/xml/untrusted.hpp) but otherwise safe: the fault keeps its
  // code and string, read by bounded child steps; the detail is never walked.
  const auto reply = shep::parse_reply(text);
  EXPECT_EQ(reply.kind, Kind::fault);
  EXPECT_EQ(reply.fault_code, "s:Server");
  EXPECT_EQ(reply.fault_string, "x");
  EXPECT_FALSE(reply.unsafe);
  EXPECT_NE(reply.problem.find("its detail was not read: elements nested deeper than"),
            std::string::npos)
      << reply.problem;
  EXPECT_FALSE(reply.error);
  // With a DTD as well it is refused unread, as any hostile document is.
  const auto hostile = shep::parse_reply("<!DOCTYPE s [<!ENTITY e \"e\">]>" + text);
  EXPECT_EQ(hostile.kind, Kind::malformed);
  EXPECT_TRUE(hostile.unsafe);
}

// ---------------------------------------------------------------- malformed

void expect_malformed(std::string_view text, std::string_view problem_mentions) {
  const auto reply = shep::parse_reply(text);
  EXPECT_EQ(reply.kind, Kind::malformed) << text;
  EXPECT_FALSE(reply.problem.empty()) << text;
  EXPECT_NE(reply.problem.find(problem_mentions), std::string::npos)
      << "problem '" << reply.problem << "' should mention '" << problem_mentions << "'";
  EXPECT_FALSE(reply.data);
  EXPECT_FALSE(reply.error);
}

TEST(ShepMalformed, NotXml) {
  expect_malformed("", "XML");
  expect_malformed("HTTP/1.1 502 Bad Gateway", "XML");
  expect_malformed(
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
      "<soap:Body>",
      "XML");
  expect_malformed(std::string_view("<a>\0</a>", 8), "XML");
}

TEST(ShepMalformed, NotSoap) {
  expect_malformed("<html><body>Service Unavailable</body></html>", "Envelope");
  // SOAP 1.2 is not SOAP 1.1.
  expect_malformed(
      "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body/></e:Envelope>",
      "Envelope");
  // Right local name, prefix never declared.
  expect_malformed("<soap:Envelope><soap:Body/></soap:Envelope>", "Envelope");
}

TEST(ShepMalformed, EnvelopeWithoutOrWithEmptyBody) {
  expect_malformed(
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header/>"
      "</s:Envelope>",
      "Body");
  expect_malformed(
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>  "
      "</s:Body></s:Envelope>",
      "Body");
}

TEST(ShepMalformed, WrongBodyElement) {
  // A request where a response was expected.
  expect_malformed(shep::build_request(minimal_request_info(), {}), "SendMessageResponse");
  // Right local name in the wrong namespace.
  expect_malformed(
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
      "<SendMessageResponse xmlns=\"urn:other\"/></s:Body></s:Envelope>",
      "SendMessageResponse");
}

TEST(ShepMalformed, ResponseWithoutResponseInfo) {
  expect_malformed(
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
      "<t:SendMessageResponse xmlns:t=\"http://bip.bee.kz/SyncChannel/v10/Types\"><response/>"
      "</t:SendMessageResponse></s:Body></s:Envelope>",
      "responseInfo");
}

TEST(ShepMalformed, ResponseWithoutStatusOrCode) {
  const std::string head =
      "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
      "<t:SendMessageResponse xmlns:t=\"http://bip.bee.kz/SyncChannel/v10/Types\"><response>"
      "<responseInfo><messageId>r</messageId><responseDate>2026-01-01T00:00:00Z</responseDate>";
  const std::string tail =
      "</responseInfo><responseData/></response></t:SendMessageResponse>"
      "</s:Body></s:Envelope>";
  expect_malformed(head + tail, "status/code");
  expect_malformed(head + "<status><message>OK</message></status>" + tail, "status/code");
  expect_malformed(head + "<status><code> </code><message>OK</message></status>" + tail,
                   "status/code");
}

// ---------------------------------------------------------------- sessionId

TEST(ShepGuid, AcceptsBracedGuidInEitherCase) {
  EXPECT_TRUE(shep::is_braced_guid(kSessionId));
  EXPECT_TRUE(shep::is_braced_guid("{3f2504e0-4f89-11d3-9a0c-0305e82c3301}"));
  EXPECT_TRUE(shep::is_braced_guid("{00000000-0000-0000-0000-000000000000}"));
}

TEST(ShepGuid, RejectsEverythingElse) {
  for (const char* text :
       {"", "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301",
        "3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "(3F2504E0-4F89-11D3-9A0C-0305E82C3301)",
        "{3F2504E04F89-11D3-9A0C-0305E82C3301-}", "{3F2504E0-4F89-11D3-9A0C-0305E82C330}",
        "{3F2504E0-4F89-11D3-9A0C-0305E82C33011}", "{3F2504E0-4F89-11D3-9A0C-0305E82C330G}",
        "{3F2504E0-4F89-11D3-9A0C 0305E82C3301}", "{{3F2504E0-4F89-11D3-9A0C-0305E82C3301}}"}) {
    EXPECT_FALSE(shep::is_braced_guid(text)) << text;
  }
}

}  // namespace
