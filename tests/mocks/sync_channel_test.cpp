#include <gtest/gtest.h>

#include "common/shep/services.hpp"
#include "mocks/fixtures/codes.hpp"
#include "mocks/shep_server/sync_channel.hpp"
#include "test_support.hpp"

namespace tekser::mocks {
namespace {

using namespace testing;

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Every payload shape × every namespace spelling.
std::vector<shep::WireStyle> every_wire_style() {
  std::vector<shep::WireStyle> out;
  for (const auto shape : {shep::PayloadShape::typed, shep::PayloadShape::declared,
                           shep::PayloadShape::undeclared, shep::PayloadShape::untyped})
    for (const auto envelope : {shep::EnvelopeStyle::prefixed, shep::EnvelopeStyle::default_ns,
                                shep::EnvelopeStyle::rebound})
      out.push_back({shape, envelope});
  return out;
}

class SyncChannelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(shipped_fixtures()));
    emulators.push_back(std::make_unique<gbd_fl::GbdFlEmulator>(shipped_fixtures()));
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
  void SetUp() override {
    faults_->clear();
    journal_->clear();
  }

  // A successful reply: valid against the contracts, SCSS001, correlated; returns its data.
  static pugi::xml_node expect_success(const SoapReply& reply, const std::string& message_id,
                                       shep::ParsedReply& parsed) {
    EXPECT_EQ(reply.http_status, 200u) << reply.body;
    EXPECT_EQ(joined(reply_validator().validate_soap_body(reply.body)), "") << reply.body;
    parsed = shep::parse_reply(reply.body);
    EXPECT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
    EXPECT_EQ(parsed.info.status_code, shep::kSuccessCode);
    EXPECT_EQ(parsed.info.correlation_id, message_id);
    EXPECT_FALSE(parsed.info.message_id.empty());
    EXPECT_NE(parsed.info.message_id, message_id);
    EXPECT_TRUE(parsed.info.response_date.ends_with("+05:00")) << parsed.info.response_date;
    EXPECT_TRUE(parsed.info.session_id && shep::is_braced_guid(*parsed.info.session_id));
    return parsed.data;
  }

  // A fault: HTTP 500, valid ErrorInfo detail, the expected code, a message naming the problem.
  static void expect_fault(const SoapReply& reply, std::string_view code, std::string_view names) {
    EXPECT_EQ(reply.http_status, 500u);
    EXPECT_EQ(joined(shep_validator().validate_soap_body(reply.body)), "") << reply.body;
    const auto parsed = shep::parse_reply(reply.body);
    ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::fault) << reply.body;
    EXPECT_EQ(parsed.fault_code, "soap:Client");
    ASSERT_TRUE(parsed.error);
    EXPECT_EQ(parsed.error->code, code);
    EXPECT_NE(parsed.error->message.find(names), std::string::npos) << parsed.error->message;
    EXPECT_TRUE(parsed.error->session_id && shep::is_braced_guid(*parsed.error->session_id));
  }

  static inline std::unique_ptr<FaultSwitch> faults_;
  static inline std::unique_ptr<Journal> journal_;
  static inline std::unique_ptr<SyncChannel> channel_;
};

// ---- ГБД ЮЛ ----

TEST_F(SyncChannelTest, EveryLegalEntityReplyValidatesAndCarriesTheOrganization) {
  for (const auto& entity : shipped_fixtures().legal_entities) {
    SCOPED_TRACE(entity.id);
    shep::ParsedReply parsed;
    const auto data = expect_success(channel_->handle(gbd_ul_request(entity.bin, "m-" + entity.id)),
                                     "m-" + entity.id, parsed);
    EXPECT_EQ(text_at(data, {"Status", "Code"}), codes::kUlFound);
    EXPECT_EQ(text_at(data, {"Status", "NameKz"}), "Мәліметтер табылды");
    EXPECT_EQ(text_at(data, {"Organization", "BIN"}), entity.bin);
    EXPECT_EQ(text_at(data, {"Organization", "RegStatus", "Code"}), entity.reg_status_code);
    EXPECT_EQ(text_at(data, {"Organization", "FullNameKz"}), entity.full_name_kz);
    EXPECT_EQ(text_at(data, {"Organization", "TaxOrgStatus"}),
              entity.tax_inactive ? "true" : "false");
  }
}

TEST_F(SyncChannelTest, LegalEntityStatesShowInTheirOwnElements) {
  auto data_of = [](std::string_view bin, shep::ParsedReply& parsed) {
    return expect_success(channel_->handle(gbd_ul_request(std::string(bin))), "ul-request-0001",
                          parsed);
  };
  shep::ParsedReply a, b, c, d, e;
  const auto active = data_of("150340012340", a);
  EXPECT_EQ(text_at(active, {"Organization", "Address", "KATO"}), "751110000");
  EXPECT_EQ(text_at(active, {"Organization", "OrganizationLeader", "IIN"}), "750918302111");
  EXPECT_EQ(text_at(active, {"Organization", "FoundersUL", "BIN"}), "040640002311");
  EXPECT_EQ(text_at(active, {"Organization", "FoundersFL", "IIN"}), "750918302111");
  EXPECT_FALSE(has_child(active.child("Organization"), "Liquidation"));

  const auto liquidating = data_of("120740023454", b);
  EXPECT_EQ(text_at(liquidating, {"Organization", "RegStatus", "NameRu"}), "В процессе ликвидации");
  EXPECT_EQ(text_at(liquidating, {"Organization", "Liquidation", "LiqBase", "Code"}), "1");
  EXPECT_EQ(text_at(liquidating, {"Organization", "Liquidation", "LiqDecisionDate"}), "2025-09-15");

  const auto liquidated = data_of("080940003154", c);
  EXPECT_EQ(text_at(liquidated, {"Organization", "RegStatus", "Code"}), "3");
  EXPECT_EQ(text_at(liquidated, {"Organization", "LiquidationDate"}), "2024-11-29");

  const auto bankrupt = data_of("161140118765", d);
  EXPECT_EQ(text_at(bankrupt, {"Organization", "Liquidation", "LiqBase", "Code"}), "4");
  EXPECT_EQ(text_at(bankrupt, {"Organization", "Liquidation", "LiqBase", "NameKz"}),
            "Банкрот деп тану туралы сот шешімі");

  const auto inactive = data_of("190240005877", e);
  EXPECT_EQ(text_at(inactive, {"Organization", "TaxOrgStatus"}), "true");
  EXPECT_EQ(text_at(inactive, {"Organization", "RegStatus", "Code"}), "1");
}

TEST_F(SyncChannelTest, UnknownBinIsNotFoundWithoutOrganization) {
  shep::ParsedReply parsed;
  const auto data =
      expect_success(channel_->handle(gbd_ul_request("210440099998")), "ul-request-0001", parsed);
  EXPECT_EQ(text_at(data, {"Status", "Code"}), codes::kUlNotFound);
  EXPECT_EQ(text_at(data, {"Status", "NameRu"}), "Сведения не найдены");
  EXPECT_EQ(text_at(data, {"Status", "NameKz"}), "Мәліметтер табылмады");
  EXPECT_FALSE(has_child(data, "Organization"));
}

TEST_F(SyncChannelTest, PayloadWithEnvelopedSignatureIsAccepted) {
  auto request = gbd_ul_request("150340012340");
  const std::string signature =
      "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo/>"
      "<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>";
  request.insert(request.find("</data>"), signature);
  shep::ParsedReply parsed;
  const auto data = expect_success(channel_->handle(request), "ul-request-0001", parsed);
  EXPECT_EQ(text_at(data, {"Status", "Code"}), codes::kUlFound);
}

// ---- ГБД ФЛ ----

TEST_F(SyncChannelTest, EveryPersonReplyValidatesAndCarriesThePerson) {
  for (const auto& person : shipped_fixtures().individuals) {
    SCOPED_TRACE(person.id);
    shep::ParsedReply parsed;
    const auto data =
        expect_success(channel_->handle(gbd_fl_request(person.iin, "token", "m-" + person.id)),
                       "m-" + person.id, parsed);
    EXPECT_EQ(text_at(data, {"requestId"}), "m-" + person.id);
    EXPECT_EQ(text_at(data, {"messageResult", "code"}), codes::kFlProcessed);
    EXPECT_EQ(text_at(data, {"messageResult", "nameRu"}), "Запрос успешно обработан");
    EXPECT_EQ(text_at(data, {"persons", "person", "iin"}), person.iin);
    EXPECT_EQ(text_at(data, {"persons", "person", "birthDate"}), person.birth_date);
    EXPECT_EQ(text_at(data, {"persons", "person", "lifeStatus", "code"}),
              person.death_date ? codes::kLifeDeceased : codes::kLifeAlive);
    EXPECT_EQ(text_at(data, {"persons", "person", "regAddress", "city"}),
              *person.reg_address->city);
  }
}

TEST_F(SyncChannelTest, DeceasedPersonHasDeathDateAndCertificate) {
  shep::ParsedReply parsed;
  const auto data =
      expect_success(channel_->handle(gbd_fl_request("580220307895")), "fl-request-0001", parsed);
  EXPECT_EQ(text_at(data, {"persons", "person", "deathDate"}), "2025-06-14");
  EXPECT_EQ(text_at(data, {"persons", "person", "lifeStatus", "nameKz"}), "Қайтыс болған");
  EXPECT_EQ(text_at(data, {"persons", "person", "deathCertificate", "number"}), "2025-3510-004417");

  const auto alive =
      expect_success(channel_->handle(gbd_fl_request("840512401230")), "fl-request-0001", parsed);
  EXPECT_FALSE(has_child(alive.child("persons").child("person"), "deathDate"));
  EXPECT_EQ(text_at(alive, {"persons", "person", "lifeStatus", "nameRu"}), "Живой");
}

TEST_F(SyncChannelTest, UnknownIinIsProcessedWithNoPersonsElement) {
  shep::ParsedReply parsed;
  const auto data =
      expect_success(channel_->handle(gbd_fl_request("870101309994")), "fl-request-0001", parsed);
  EXPECT_EQ(text_at(data, {"messageResult", "code"}), codes::kFlProcessed);
  EXPECT_FALSE(has_child(data, "persons"));
}

TEST_F(SyncChannelTest, EmptyKdpTokenIsRefusedWithoutPersons) {
  shep::ParsedReply parsed;
  const auto data = expect_success(channel_->handle(gbd_fl_request("840512401230", "")),
                                   "fl-request-0001", parsed);
  EXPECT_EQ(text_at(data, {"messageResult", "code"}), codes::kFlKdpTokenInvalid);
  EXPECT_EQ(text_at(data, {"messageResult", "nameRu"}),
            "Отсутствует согласие субъекта (токен КДП)");
  EXPECT_FALSE(has_child(data, "persons"));
}

// ---- Invalid requests ----

TEST_F(SyncChannelTest, MissingServiceIdIsAnInvalidRequest) {
  auto request = gbd_ul_request("150340012340");
  request.erase(request.find("<serviceId>"),
                std::string("<serviceId>GbdulInfoByBin_v2</serviceId>").size());
  expect_fault(channel_->handle(request), kErrorRequestInvalid, "serviceId");
}

TEST_F(SyncChannelTest, MessageDateWithoutOffsetIsAnInvalidRequest) {
  auto request = gbd_ul_request("150340012340");
  const std::string date = "2026-01-15T10:00:00.000+05:00";
  request.replace(request.find(date), date.size(), "2026-01-15T10:00:00");
  expect_fault(channel_->handle(request), kErrorRequestInvalid, "messageDate");
}

TEST_F(SyncChannelTest, PayloadWithoutBinIsASchemaViolation) {
  auto request = gbd_ul_request("150340012340");
  request.erase(request.find("<BIN>"), std::string("<BIN>150340012340</BIN>").size());
  const auto reply = channel_->handle(request);
  expect_fault(reply, kErrorSchemaViolation, "BIN");
  const auto parsed = shep::parse_reply(reply.body);
  ASSERT_TRUE(parsed.error && parsed.error->data);
  EXPECT_NE(parsed.error->data->find("BIN"), std::string::npos);
}

TEST_F(SyncChannelTest, GbdFlPayloadWithoutKdpTokenElementIsASchemaViolation) {
  auto request = gbd_fl_request("840512401230");
  request.erase(request.find("<kdpToken>"), std::string("<kdpToken>kdp-token-1</kdpToken>").size());
  expect_fault(channel_->handle(request), kErrorSchemaViolation, "kdpToken");
}

// Every request shape the contract allows in requestData/data (xsd:anyType) is served: typed,
// the declared sendMessageRequest, a JAXB-style root in the service's namespace, untyped — in
// every namespace spelling. Each is validated as the Request type and answered alike.
TEST_F(SyncChannelTest, EveryRequestShapeTheContractAllowsIsServed) {
  for (const auto& [shape, envelope] : every_wire_style()) {
    SCOPED_TRACE(std::string(shep::to_string(shape)) + "/" +
                 std::string(shep::to_string(envelope)));
    journal_->clear();
    const auto request = shep::build_request(
        request_info(std::string(gbd_ul::kServiceId), "ul-shape-1"),
        shep::Payload{std::string(gbd_ul::kNamespace), "Request",
                      "<RequestorBIN>210440099998</RequestorBIN><BIN>150340012340</BIN>"},
        shep::WireStyle{shape, envelope});
    shep::ParsedReply parsed;
    const auto data = expect_success(channel_->handle(request), "ul-shape-1", parsed);
    EXPECT_EQ(text_at(data, {"Organization", "BIN"}), "150340012340");
    const auto entries = journal_->find({});
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].validation, "valid");
    EXPECT_EQ(entries[0].subject, "150340012340");
    EXPECT_EQ(entries[0].payload_shape, shep::to_string(shape));
    // What the contract does not declare is served with a warning in the journal.
    const bool warned =
        shape == shep::PayloadShape::undeclared || shape == shep::PayloadShape::untyped;
    EXPECT_EQ(entries[0].warnings.empty(), !warned);
  }
}

// A zeep or node-soap client writes the declared element with its own prefixes: also served.
TEST_F(SyncChannelTest, DeclaredElementAsASoapToolkitWritesItIsServed) {
  const std::string request =
      R"(<?xml version="1.0" encoding="utf-8"?>)"
      R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" )"
      R"(xmlns:v10="http://bip.bee.kz/SyncChannel/v10/Types" xmlns:sb="http://smartbridge.b10.kz">)"
      R"(<soapenv:Header/><soapenv:Body><v10:SendMessage><request><requestInfo>)"
      R"(<messageId>node-soap-1</messageId><serviceId>GbdulInfoByBin_v2</serviceId>)"
      R"(<messageDate>2026-01-15T10:00:00+05:00</messageDate><sender><senderId>tekser</senderId>)"
      R"(</sender></requestInfo><requestData><data><sb:sendMessageRequest>)"
      R"(<RequestorBIN>210440099998</RequestorBIN><BIN>150340012340</BIN>)"
      R"(</sb:sendMessageRequest></data></requestData></request></v10:SendMessage>)"
      R"(</soapenv:Body></soapenv:Envelope>)";
  shep::ParsedReply parsed;
  const auto data = expect_success(channel_->handle(request), "node-soap-1", parsed);
  EXPECT_EQ(text_at(data, {"Organization", "BIN"}), "150340012340");
}

// data typed as what the contract declares it, xsd:anyType, with the fields inside: served, and
// the fields still validated as the Request type.
TEST_F(SyncChannelTest, DataTypedAnyTypeIsValidatedAsTheRequest) {
  auto request = gbd_ul_request("150340012340");
  const std::string type = "xsi:type=\"pl:Request\"";
  request.replace(request.find(type), type.size(),
                  "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xsi:type=\"xs:anyType\"");
  shep::ParsedReply parsed;
  expect_success(channel_->handle(request), "ul-request-0001", parsed);
  ASSERT_EQ(journal_->find({}).size(), 1u);
  EXPECT_FALSE(journal_->find({})[0].warnings.empty());
  // Without its required BIN it is refused, named.
  auto missing = request;
  const auto bin = missing.find("<BIN>");
  missing.erase(bin, missing.find("</BIN>") + 6 - bin);
  expect_fault(channel_->handle(missing), kErrorSchemaViolation, "BIN");
}

TEST_F(SyncChannelTest, PayloadTypedAsAnotherTypeIsASchemaViolation) {
  auto request = gbd_ul_request("150340012340");
  const std::string type = "xsi:type=\"pl:Request\"";
  request.replace(request.find(type), type.size(), "xsi:type=\"pl:Response\"");
  expect_fault(channel_->handle(request), kErrorSchemaViolation, "xsi:type");
}

TEST_F(SyncChannelTest, RootInAForeignNamespaceIsASchemaViolation) {
  auto request = shep::build_request(
      request_info(std::string(gbd_ul::kServiceId), "ul-foreign-1"),
      shep::Payload{"urn:example:not-gbdul", "Request",
                    "<RequestorBIN>210440099998</RequestorBIN><BIN>150340012340</BIN>"},
      shep::WireStyle{shep::PayloadShape::undeclared, shep::EnvelopeStyle::prefixed});
  expect_fault(channel_->handle(request), kErrorSchemaViolation, "urn:example:not-gbdul");
}

TEST_F(SyncChannelTest, DeclaredElementWithoutItsRequiredFieldIsASchemaViolation) {
  auto request = shep::build_request(
      request_info(std::string(gbd_ul::kServiceId), "ul-declared-2"),
      shep::Payload{std::string(gbd_ul::kNamespace), "Request",
                    "<RequestorBIN>210440099998</RequestorBIN>"},
      shep::WireStyle{shep::PayloadShape::declared, shep::EnvelopeStyle::prefixed});
  expect_fault(channel_->handle(request), kErrorSchemaViolation, "BIN");
}

// The bus answers in the shape a tester asks for: for one subject, for the next N replies.
TEST_F(SyncChannelTest, RepliesComeInTheShapeAskedForAndStayValid) {
  for (const auto& [shape, envelope] : every_wire_style()) {
    SCOPED_TRACE(std::string(shep::to_string(shape)) + "/" +
                 std::string(shep::to_string(envelope)));
    channel_->wire_styles().add(
        {"", std::string(gbd_ul::kServiceId), "150340012340", shep::WireStyle{shape, envelope}, 1});
    shep::ParsedReply parsed;
    const auto data =
        expect_success(channel_->handle(gbd_ul_request("150340012340")), "ul-request-0001", parsed);
    const auto located =
        shep::locate_payload(data, shep::service_by_id(gbd_ul::kServiceId)->response_fields);
    EXPECT_EQ(located.shape, shape);
    EXPECT_EQ(text_at(located.fields, {"Organization", "BIN"}), "150340012340");
  }
  // Used up: the next reply is typed again.
  shep::ParsedReply parsed;
  const auto data =
      expect_success(channel_->handle(gbd_ul_request("150340012340")), "ul-request-0001", parsed);
  EXPECT_TRUE(shep::xsi_type(data));
}

TEST_F(SyncChannelTest, UnknownServiceIsNotFound) {
  auto request = gbd_ul_request("150340012340");
  const std::string service = "GbdulInfoByBin_v2";
  request.replace(request.find(service), service.size(), "KgdTaxArrears_v1");
  expect_fault(channel_->handle(request), kErrorServiceNotFound, "KgdTaxArrears_v1");
}

TEST_F(SyncChannelTest, NotXmlIsAnInvalidRequest) {
  expect_fault(channel_->handle("this is not XML"), kErrorRequestInvalid, "not well-formed XML");
  expect_fault(channel_->handle("<a><b></a>"), kErrorRequestInvalid, "not well-formed XML");
  expect_fault(channel_->handle(""), kErrorRequestInvalid, "XML");
}

TEST_F(SyncChannelTest, NeverThrowsOnGarbage) {
  const std::vector<std::string> garbage{
      std::string("\0\xff\xfe<", 4),
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>",
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
      "<x:SendMessage "
      "xmlns:x=\"http://bip.bee.kz/SyncChannel/v10/Types\"/></soap:Body></soap:Envelope>",
      "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>",
      std::string(100000, '<'),
      gbd_ul_request("150340012340").substr(0, 300),
  };
  for (const auto& body : garbage) {
    SoapReply reply;
    ASSERT_NO_THROW(reply = channel_->handle(body));
    EXPECT_EQ(reply.http_status, 500u);
    EXPECT_EQ(joined(shep_validator().validate_soap_body(reply.body)), "");
  }
}

// ---- Journal and fault switch ----

TEST_F(SyncChannelTest, JournalRecordsSubjectServiceAndValidation) {
  channel_->handle(gbd_ul_request("150340012340", "j-1"));
  auto invalid = gbd_ul_request("150340012340", "j-2");
  invalid.replace(invalid.find("<RequestorBIN>"), std::string("<RequestorBIN>").size(),
                  "<Requestor>");
  invalid.replace(invalid.find("</RequestorBIN>"), std::string("</RequestorBIN>").size(),
                  "</Requestor>");
  channel_->handle(invalid);
  channel_->handle(gbd_fl_request("840512401230"));

  JournalFilter by_subject;
  by_subject.subject = "150340012340";
  const auto entries = journal_->find(by_subject);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].message_id, "j-1");
  EXPECT_EQ(entries[0].service_id, gbd_ul::kServiceId);
  EXPECT_EQ(entries[0].validation, "valid");
  EXPECT_EQ(entries[0].outcome, "found");
  EXPECT_EQ(entries[1].validation, "invalid");
  EXPECT_FALSE(entries[1].violations.empty());
  JournalFilter by_service;
  by_service.service_id = std::string(gbd_fl::kServiceId);
  EXPECT_EQ(journal_->count(by_service), 1u);
  EXPECT_EQ(entries[0].system, "gbd_ul");
  EXPECT_EQ(entries[0].path, "/bip-sync-wss-gost/");
  EXPECT_TRUE(entries[0].fault_id.empty());
}

TEST_F(SyncChannelTest, CountedSoapFaultHitsOnlyItsServiceThenClears) {
  faults_->set({std::string(gbd_ul::kServiceId), FaultMode::soap_fault, 1});
  shep::ParsedReply parsed;
  expect_success(channel_->handle(gbd_fl_request("840512401230")), "fl-request-0001", parsed);

  const auto faulted = channel_->handle(gbd_ul_request("150340012340"));
  EXPECT_EQ(faulted.http_status, 500u);
  EXPECT_EQ(joined(shep_validator().validate_soap_body(faulted.body)), "");
  const auto fault = shep::parse_reply(faulted.body);
  ASSERT_EQ(fault.kind, shep::ParsedReply::Kind::fault);
  EXPECT_EQ(fault.fault_code, "soap:Server");
  EXPECT_EQ(fault.error->code, kErrorProviderUnavailable);
  EXPECT_EQ(faulted.outcome, "injected_soap_fault");

  expect_success(channel_->handle(gbd_ul_request("150340012340")), "ul-request-0001", parsed);
}

TEST_F(SyncChannelTest, EachFaultModeMisbehavesAsNamed) {
  const auto request = gbd_ul_request("150340012340");
  auto with = [&](FaultMode mode) {
    faults_->set({std::string(gbd_ul::kServiceId), mode, std::nullopt});
    return channel_->handle(request);
  };
  const auto unavailable = with(FaultMode::http_503);
  EXPECT_EQ(unavailable.http_status, 503u);

  const auto status = with(FaultMode::status_error);
  EXPECT_EQ(status.http_status, 200u);
  EXPECT_EQ(joined(reply_validator().validate_soap_body(status.body)), "");
  const auto parsed = shep::parse_reply(status.body);
  ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::response);
  EXPECT_EQ(parsed.info.status_code, kStatusProviderError);
  EXPECT_FALSE(parsed.data);

  EXPECT_EQ(shep::parse_reply(with(FaultMode::malformed).body).kind,
            shep::ParsedReply::Kind::malformed);
  EXPECT_EQ(with(FaultMode::timeout).action, SoapReply::Action::hold);
  EXPECT_EQ(with(FaultMode::reset).action, SoapReply::Action::reset);

  // Until cleared: still failing.
  EXPECT_EQ(channel_->handle(request).action, SoapReply::Action::reset);
  faults_->clear();
  EXPECT_EQ(channel_->handle(request).http_status, 200u);
}

}  // namespace
}  // namespace tekser::mocks
