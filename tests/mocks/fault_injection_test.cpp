// Fault injection without sockets: what each mode does to a SOAP reply (with a fake reply signer
// standing in for the real XMLDSig one), the REST systems behind mount_system(), the admin API
// that sets the rules, and the journal that records it all.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "mocks/shep_server/fault_admin.hpp"
#include "mocks/shep_server/fault_replies.hpp"
#include "mocks/shep_server/routes.hpp"
#include "test_support.hpp"

namespace tekser::mocks {
namespace {

using namespace testing;
using namespace std::chrono_literals;
namespace http = boost::beast::http;
namespace json = boost::json;

constexpr const char* kActiveBin = "150340012340";
constexpr const char* kOtherBin = "161140118765";

// ---- A fake reply signer: a header carrying a hash of the Body's bytes ----

constexpr std::string_view kFakeSignatureNs = "urn:tekser:test:fake-signature";

std::string_view body_bytes(std::string_view envelope) {
  const auto from = envelope.find("<soap:Body");
  const auto to = envelope.find("</soap:Body>");
  if (from == std::string_view::npos || to == std::string_view::npos) return {};
  return envelope.substr(from, to + std::string_view("</soap:Body>").size() - from);
}

std::string fake_sign(std::string_view envelope) {
  const auto digest = std::to_string(std::hash<std::string_view>{}(body_bytes(envelope)));
  std::string out(envelope);
  const auto at = out.find('>', out.find("<soap:Envelope")) + 1;
  out.insert(at, "<soap:Header><sig:Signature xmlns:sig=\"" + std::string(kFakeSignatureNs) +
                     "\">" + digest + "</sig:Signature></soap:Header>");
  return out;
}

enum class Signature { absent, valid, invalid };

Signature fake_verify(std::string_view envelope) {
  const auto open = envelope.find("<sig:Signature");
  if (open == std::string_view::npos) return Signature::absent;
  const auto from = envelope.find('>', open) + 1;
  const auto to = envelope.find("</sig:Signature>", from);
  const auto digest = std::to_string(std::hash<std::string_view>{}(body_bytes(envelope)));
  return envelope.substr(from, to - from) == digest ? Signature::valid : Signature::invalid;
}

bool well_formed(std::string_view text) {
  pugi::xml_document doc;
  return static_cast<bool>(doc.load_buffer(text.data(), text.size()));
}

bool is_json(std::string_view text) {
  boost::system::error_code ec;
  json::parse(text, ec);
  return !ec;
}

// ---- The bus, its routes and a REST system, in-process ----

class FaultInjectionTest : public ::testing::Test {
 protected:
  FaultInjectionTest() : log_(log_text_) {
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(shipped_fixtures()));
    emulators.push_back(std::make_unique<gbd_fl::GbdFlEmulator>(shipped_fixtures()));
    channel_ =
        std::make_unique<SyncChannel>(contracts_dir(), std::move(emulators), faults_, journal_);
    routes_ = std::make_unique<MockRoutes>(*channel_, faults_, journal_, log_);
    // A REST register that lists nobody, in the goszakup shape.
    routes_->mount_system("/v3/rnu", "goszakup", [](const HttpRequest& request) {
      HttpResponse response{http::status::ok, request.version()};
      if (request[http::field::authorization].empty()) {
        response.result(http::status::unauthorized);
        response.body() = R"({"error":"unauthorized","message":"a bearer token is required"})";
        return response;
      }
      response.set(http::field::content_type, "application/json");
      response.body() =
          R"({"total":0,"limit":50,"next_page":"","items":[],"note":"a reply long enough to cut"})";
      return response;
    });
  }

  void sign_replies() {
    channel_->set_reply_signer([](std::string_view envelope) { return fake_sign(envelope); });
  }

  HttpAction call(http::verb method, const std::string& target, const std::string& body = {},
                  bool token = true) {
    HttpRequest request{method, target, 11};
    if (token) request.set(http::field::authorization, "Bearer t");
    request.set("X-Request-Id", "req-1");
    request.body() = body;
    request.prepare_payload();
    return routes_->handle(request);
  }

  json::value admin(http::verb method, const std::string& target, const std::string& body = {},
                    unsigned expected_status = 200) {
    const auto action = call(method, target, body);
    EXPECT_EQ(action.response.result_int(), expected_status)
        << target << " " << body << " -> " << action.response.body();
    return json::parse(action.response.body());
  }

  std::string add_fault(const std::string& body) {
    return std::string(admin(http::verb::post, "/admin/faults", body).at("id").as_string());
  }

  // The admin API's refusal of `body`: its field and its message.
  std::pair<std::string, std::string> refused(const std::string& body) {
    const auto reply = admin(http::verb::post, "/admin/faults", body, 400);
    return {std::string(reply.at("field").as_string()), std::string(reply.at("error").as_string())};
  }

  SoapReply soap(const std::string& bin = kActiveBin) {
    return channel_->handle(gbd_ul_request(bin));
  }

  JournalEntry last_entry() {
    const auto entries = journal_.find({});
    EXPECT_FALSE(entries.empty());
    return entries.empty() ? JournalEntry{} : entries.back();
  }

  std::ostringstream log_text_;
  JsonLog log_;
  FaultSwitch faults_;
  Journal journal_;
  std::unique_ptr<SyncChannel> channel_;
  std::unique_ptr<MockRoutes> routes_;
};

// ---- SOAP modes ----

TEST_F(FaultInjectionTest, WithoutASignerRepliesGoUnsigned) {
  EXPECT_FALSE(channel_->has_reply_signer());
  EXPECT_EQ(fake_verify(soap().body), Signature::absent);
}

TEST_F(FaultInjectionTest, RepliesPassThroughTheSignerAndFaultsDoNot) {
  sign_replies();
  const auto reply = soap();
  EXPECT_EQ(fake_verify(reply.body), Signature::valid) << reply.body;
  EXPECT_EQ(shep::parse_reply(reply.body).info.status_code, shep::kSuccessCode);

  auto invalid = gbd_ul_request(kActiveBin);
  invalid.replace(invalid.find("<BIN>"), 5, "<Bin>");
  invalid.replace(invalid.find("</BIN>"), 6, "</Bin>");
  EXPECT_EQ(fake_verify(channel_->handle(invalid).body), Signature::absent);

  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::status_error, 1));
  EXPECT_EQ(fake_verify(soap().body), Signature::valid) << "a reply with a status is signed";
  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::soap_fault, 1));
  EXPECT_EQ(fake_verify(soap().body), Signature::absent);
}

TEST_F(FaultInjectionTest, MissingSignatureSkipsTheSigner) {
  sign_replies();
  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::missing_signature, 1));
  const auto reply = soap();
  EXPECT_EQ(reply.http_status, 200u);
  EXPECT_EQ(fake_verify(reply.body), Signature::absent);
  EXPECT_EQ(shep::parse_reply(reply.body).info.status_code, shep::kSuccessCode);
  EXPECT_EQ(reply.outcome, "injected_missing_signature");
  EXPECT_EQ(fake_verify(soap().body), Signature::valid) << "counted: signed again";
}

TEST_F(FaultInjectionTest, InvalidSignatureSignsThenAltersTheBody) {
  sign_replies();
  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::invalid_signature, 1));
  const auto reply = soap();
  EXPECT_EQ(reply.http_status, 200u);
  EXPECT_EQ(fake_verify(reply.body), Signature::invalid) << reply.body;
  EXPECT_TRUE(well_formed(reply.body));
  // Still a SyncChannel reply with the register's data: only a character of the Body changed.
  const auto parsed = shep::parse_reply(reply.body);
  ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
  EXPECT_EQ(text_at(parsed.data, {"Organization", "ShortNameRu"}), "ТОО «Мейірім Медтехника»");
  EXPECT_EQ(reply.outcome, "injected_invalid_signature");
}

// The lying modes: a true, valid and signed answer — about another subject, or to another message.
TEST_F(FaultInjectionTest, OtherSubjectAnswersAboutTheNamedSubjectSignedAsUsual) {
  sign_replies();
  FaultRule rule(std::string(gbd_ul::kServiceId), FaultMode::other_subject, 1);
  rule.answer_subject = kOtherBin;
  faults_.add(rule);
  const auto reply = soap(kActiveBin);
  EXPECT_EQ(reply.http_status, 200u);
  EXPECT_EQ(fake_verify(reply.body), Signature::valid);
  const auto parsed = shep::parse_reply(reply.body);
  ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
  EXPECT_EQ(text_at(parsed.data, {"Organization", "BIN"}), kOtherBin);
  EXPECT_EQ(reply.outcome, "injected_other_subject");
  EXPECT_EQ(last_entry().subject, kActiveBin) << "the journal keeps whom the request asked about";
  EXPECT_EQ(text_at(shep::parse_reply(soap(kActiveBin).body).data, {"Organization", "BIN"}),
            kActiveBin)
      << "counted: the truth again";
}

TEST_F(FaultInjectionTest, WrongCorrelationAnswersWithAnotherMessagesId) {
  sign_replies();
  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::wrong_correlation, 1));
  const auto request = gbd_ul_request(kActiveBin);
  const auto asked = shep::parse_request(request).info.message_id;
  const auto reply = channel_->handle(request);
  EXPECT_EQ(fake_verify(reply.body), Signature::valid);
  const auto parsed = shep::parse_reply(reply.body);
  ASSERT_EQ(parsed.kind, shep::ParsedReply::Kind::response) << parsed.problem;
  ASSERT_TRUE(parsed.info.correlation_id);
  EXPECT_NE(*parsed.info.correlation_id, asked);
  EXPECT_EQ(text_at(parsed.data, {"Organization", "BIN"}), kActiveBin) << "the content is true";
  const auto honest = channel_->handle(request);
  EXPECT_EQ(shep::parse_reply(honest.body).info.correlation_id, asked);
}

TEST_F(FaultInjectionTest, TimeoutResetAndEmptyAreConnectionActions) {
  const std::pair<FaultMode, SoapReply::Action> cases[] = {
      {FaultMode::timeout, SoapReply::Action::hold},
      {FaultMode::reset, SoapReply::Action::reset},
      {FaultMode::empty, SoapReply::Action::close}};
  for (const auto& [mode, action] : cases) {
    faults_.add(FaultRule(std::string(gbd_ul::kServiceId), mode, 1));
    const auto reply = soap();
    EXPECT_EQ(reply.action, action) << to_string(mode);
    EXPECT_TRUE(reply.body.empty());
    EXPECT_EQ(reply.outcome, "injected_" + std::string(to_string(mode)));
  }
}

TEST_F(FaultInjectionTest, BrokenBodiesAreWhatTheirNamesSay) {
  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::empty_body, 1));
  const auto empty = soap();
  EXPECT_EQ(empty.http_status, 200u);
  EXPECT_TRUE(empty.body.empty());

  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::truncated, 1));
  const auto truncated = soap();
  EXPECT_EQ(truncated.http_status, 200u);
  EXPECT_FALSE(well_formed(truncated.body));
  EXPECT_NE(truncated.body.find("SendMessageResponse"), std::string::npos) << "a real reply, cut";
  EXPECT_EQ(truncated.body.back(), truncated.body[truncated.body.rfind('<') + 1]);

  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::malformed, 1));
  const auto garbage = soap();
  EXPECT_EQ(garbage.http_status, 200u);
  EXPECT_FALSE(well_formed(garbage.body));

  faults_.add(FaultRule(std::string(gbd_ul::kServiceId), FaultMode::http_500, 1));
  const auto crashed = soap();
  EXPECT_EQ(crashed.http_status, 500u);
  EXPECT_NE(shep::parse_reply(crashed.body).kind, shep::ParsedReply::Kind::fault)
      << "no SOAP fault: the client must not read an ErrorInfo";
}

TEST_F(FaultInjectionTest, SoapFaultAndStatusErrorCarryTheConfiguredCodes) {
  add_fault(
      R"({"service_id":"GbdulInfoByBin_v2","mode":"soap_fault","error_code":"SE_TIMEOUT","count":1})");
  const auto fault = shep::parse_reply(soap().body);
  ASSERT_EQ(fault.kind, shep::ParsedReply::Kind::fault);
  EXPECT_EQ(fault.fault_code, "soap:Server");
  EXPECT_EQ(fault.error->code, "SE_TIMEOUT");

  add_fault(R"({"system":"gbd_ul","mode":"status_error","status_code":"SE_QUEUE_FULL","count":1})");
  const auto status = soap();
  EXPECT_EQ(shep::parse_reply(status.body).info.status_code, "SE_QUEUE_FULL");
  EXPECT_EQ(status.outcome, "injected_status_error");
}

TEST_F(FaultInjectionTest, LatencyDelaysTheRealAnswerAndIsJournaled) {
  const auto id = add_fault(R"({"system":"gbd_ul","mode":"latency","latency_ms":350})");
  const auto reply = soap();
  EXPECT_EQ(reply.delay, 350ms);
  EXPECT_EQ(reply.http_status, 200u);
  EXPECT_EQ(reply.outcome, "found") << "the answer itself is the register's";
  const auto entry = last_entry();
  EXPECT_EQ(entry.fault_id, id);
  EXPECT_EQ(entry.fault_mode, "latency");
  EXPECT_EQ(entry.latency_ms, 350);
  EXPECT_EQ(entry.validation, "valid");

  const auto action = call(http::verb::post, "/bip-sync-wss-gost/", gbd_ul_request(kActiveBin));
  EXPECT_EQ(action.delay, 350ms);
  EXPECT_EQ(action.kind, HttpAction::Kind::respond);
}

TEST_F(FaultInjectionTest, LatencyComesBeforeAnyOtherMode) {
  add_fault(R"({"system":"gbd_ul","mode":"reset","latency_ms":200})");
  const auto action = call(http::verb::post, "/bip-sync-wss-gost/", gbd_ul_request(kActiveBin));
  EXPECT_EQ(action.kind, HttpAction::Kind::reset);
  EXPECT_EQ(action.delay, 200ms);
  EXPECT_EQ(last_entry().outcome, "injected_reset");
  EXPECT_EQ(last_entry().latency_ms, 200);
}

TEST_F(FaultInjectionTest, ASupplierRuleLeavesOtherSuppliersAlone) {
  add_fault(R"({"system":"gbd_ul","subject":"150340012340","mode":"http_503"})");
  EXPECT_EQ(soap(kActiveBin).http_status, 503u);
  EXPECT_EQ(soap(kOtherBin).http_status, 200u);
  EXPECT_EQ(channel_->handle(gbd_fl_request("840512401230")).http_status, 200u);
}

TEST_F(FaultInjectionTest, TheWholeBusRuleHitsEveryService) {
  add_fault(R"({"system":"shep","mode":"http_503"})");
  EXPECT_EQ(soap().http_status, 503u);
  EXPECT_EQ(channel_->handle(gbd_fl_request("840512401230")).http_status, 503u);
  const auto rest = call(http::verb::get, "/v3/rnu?supplier_biin=150340012340");
  EXPECT_EQ(rest.response.result_int(), 200u) << "REST systems are not on the bus";
}

// ---- REST systems ----

TEST_F(FaultInjectionTest, RestRequestsAreJournaledWithTheirSubject) {
  ASSERT_EQ(
      call(http::verb::get, "/v3/rnu?supplier_biin=150340012340&limit=200").response.result_int(),
      200u);
  call(http::verb::get, "/v3/rnu?supplier_biin=150340012340", {}, false);
  const auto entries = journal_.find({});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].system, "goszakup");
  EXPECT_EQ(entries[0].service_id, "goszakup");
  EXPECT_EQ(entries[0].path, "/v3/rnu");
  EXPECT_EQ(entries[0].subject, kActiveBin);
  EXPECT_EQ(entries[0].message_id, "req-1");
  EXPECT_EQ(entries[0].validation, "valid");
  EXPECT_EQ(entries[0].outcome, "answered");
  EXPECT_EQ(entries[1].validation, "invalid");
  EXPECT_EQ(entries[1].outcome, "unauthorized");
  EXPECT_EQ(entries[1].violations, std::vector<std::string>{"a bearer token is required"});
}

TEST_F(FaultInjectionTest, EveryRestModeDoesWhatItsNameSays) {
  auto with = [&](const std::string& mode) {
    add_fault(R"({"system":"goszakup","mode":")" + mode + R"(","count":1})");
    auto action = call(http::verb::get, "/v3/rnu?supplier_biin=150340012340");
    EXPECT_EQ(last_entry().outcome, "injected_" + mode);
    EXPECT_EQ(last_entry().subject, kActiveBin);
    return action;
  };
  EXPECT_EQ(with("timeout").kind, HttpAction::Kind::hold);
  EXPECT_EQ(with("reset").kind, HttpAction::Kind::reset);
  EXPECT_EQ(with("empty").kind, HttpAction::Kind::close);
  const auto empty_body = with("empty_body");
  EXPECT_EQ(empty_body.response.result_int(), 200u);
  EXPECT_TRUE(empty_body.response.body().empty());
  const auto truncated = with("truncated");
  EXPECT_EQ(truncated.response.result_int(), 200u);
  EXPECT_FALSE(is_json(truncated.response.body()));
  EXPECT_TRUE(truncated.response.body().starts_with(R"({"total":0)"));
  const auto garbage = with("malformed");
  EXPECT_EQ(garbage.response.result_int(), 200u);
  EXPECT_FALSE(is_json(garbage.response.body()));
  EXPECT_EQ(with("http_500").response.result_int(), 500u);
  const auto unavailable = with("http_503");
  EXPECT_EQ(unavailable.response.result_int(), 503u);
  EXPECT_FALSE(is_json(unavailable.response.body()));

  add_fault(R"({"service_id":"goszakup","mode":"latency","latency_ms":120,"count":1})");
  const auto late = call(http::verb::get, "/v3/rnu?supplier_biin=150340012340");
  EXPECT_EQ(late.delay, 120ms);
  EXPECT_TRUE(is_json(late.response.body()));
  EXPECT_EQ(last_entry().outcome, "answered");
  EXPECT_EQ(last_entry().latency_ms, 120);

  EXPECT_EQ(call(http::verb::get, "/v3/rnu?supplier_biin=150340012340").response.result_int(),
            200u);
}

// ---- The admin API ----

TEST_F(FaultInjectionTest, RulesAreAddedListedAndRemovedById) {
  const auto first = add_fault(R"({"system":"gbd_ul","mode":"timeout"})");
  const auto second = add_fault(
      R"({"service_id":"GBDFL_UniversalServiceSync","subject":"840512401230","mode":"reset",)"
      R"("probability":0.25,"seed":9,"count":4})");
  EXPECT_NE(first, second);

  const auto listed = admin(http::verb::get, "/admin/faults").at("faults").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].at("id"), json::value(first));
  EXPECT_EQ(listed[0].at("system"), "gbd_ul");
  EXPECT_TRUE(listed[0].at("service_id").is_null());
  EXPECT_TRUE(listed[0].at("count").is_null());
  EXPECT_EQ(listed[1].at("subject"), "840512401230");
  EXPECT_EQ(listed[1].at("probability"), 0.25);
  EXPECT_EQ(listed[1].at("seed"), 9);
  EXPECT_EQ(listed[1].at("count"), 4);

  EXPECT_EQ(admin(http::verb::delete_, "/admin/faults/" + first).at("cleared"), 1);
  admin(http::verb::delete_, "/admin/faults/" + first, {}, 404);
  ASSERT_EQ(faults_.rules().size(), 1u);
  EXPECT_EQ(faults_.rules()[0].id, second);
}

TEST_F(FaultInjectionTest, ARuleWithoutASeedReportsTheOnePicked) {
  const auto reply = admin(http::verb::post, "/admin/faults",
                           R"({"system":"gbd_ul","mode":"reset","probability":0.5})");
  EXPECT_TRUE(reply.at("seed").is_number());
}

TEST_F(FaultInjectionTest, LatencyRulesEchoTheirShape) {
  const auto fixed = admin(http::verb::post, "/admin/faults",
                           R"({"system":"gbd_ul","mode":"latency","latency_ms":300})");
  EXPECT_EQ(fixed.at("latency_ms"), 300);
  const auto spread =
      admin(http::verb::post, "/admin/faults",
            R"({"system":"gbd_ul","mode":"timeout","latency":{"median_ms":800,"sigma":0.5}})");
  EXPECT_EQ(spread.at("latency").at("median_ms"), 800);
  EXPECT_EQ(spread.at("latency").at("sigma"), 0.5);
}

TEST_F(FaultInjectionTest, ClearingByServiceOrSystemLeavesTheOthers) {
  add_fault(R"({"service_id":"GbdulInfoByBin_v2","mode":"timeout"})");
  add_fault(R"({"service_id":"GBDFL_UniversalServiceSync","mode":"timeout"})");
  add_fault(R"({"system":"goszakup","mode":"timeout"})");
  EXPECT_EQ(admin(http::verb::delete_, "/admin/faults?service_id=GbdulInfoByBin_v2").at("cleared"),
            1);
  EXPECT_EQ(admin(http::verb::delete_, "/admin/faults?system=goszakup").at("cleared"), 1);
  admin(http::verb::delete_, "/admin/faults?colour=red", {}, 400);
  EXPECT_EQ(admin(http::verb::delete_, "/admin/faults").at("cleared"), 1);
}

TEST_F(FaultInjectionTest, BadRulesAreRefusedNamingTheFieldAndTheReason) {
  struct Case {
    std::string body;
    std::string field;
    std::string says;
  };
  const Case cases[] = {
      {"not json", "body", "JSON object"},
      {R"({"mode":"timeout"})", "service_id", "names a system or a service_id"},
      {R"({"system":"gbd_ul"})", "mode", "required"},
      {R"({"system":"gbd_ul","mode":"explode"})", "mode", "explode"},
      {R"({"system":"astrology","mode":"reset"})", "system", "astrology"},
      {R"({"service_id":"Nope","mode":"reset"})", "service_id", "Nope"},
      {R"({"system":"gbd_fl","service_id":"GbdulInfoByBin_v2","mode":"reset"})", "system",
       "does not serve"},
      {R"({"system":"gbd_ul","subject":"12345","mode":"reset"})", "subject", "12 digits"},
      {R"({"system":"gbd_ul","mode":"reset","count":0})", "count", "from 1"},
      {R"({"system":"gbd_ul","mode":"reset","count":"2"})", "count", "integer"},
      {R"({"system":"gbd_ul","mode":"reset","probability":1.5})", "probability", "0 to 1"},
      {R"({"system":"gbd_ul","mode":"reset","seed":-1})", "seed", "non-negative"},
      {R"({"system":"gbd_ul","mode":"latency"})", "latency_ms", "needs latency_ms"},
      {R"({"system":"gbd_ul","mode":"latency","latency_ms":-5})", "latency_ms", "from 0"},
      {R"({"system":"gbd_ul","mode":"latency","latency_ms":10,"latency":{"median_ms":5,"sigma":1}})",
       "latency", "not both"},
      {R"({"system":"gbd_ul","mode":"latency","latency":{"median_ms":0,"sigma":1}})",
       "latency.median_ms", "above 0"},
      {R"({"system":"gbd_ul","mode":"latency","latency":{"median_ms":5,"sigma":-1}})",
       "latency.sigma", "from 0"},
      {R"({"system":"gbd_ul","mode":"latency","latency":{"median_ms":5,"sigma":1,"mu":1}})",
       "latency.mu", "unknown field"},
      {R"({"system":"gbd_ul","mode":"reset","error_code":"X"})", "error_code", "soap_fault only"},
      {R"({"system":"gbd_ul","mode":"status_error","status_code":"SCSS001"})", "status_code",
       "success"},
      {R"({"system":"gbd_ul","mode":"reset","cnt":1})", "cnt", "unknown field"},
      {R"({"system":"goszakup","mode":"soap_fault"})", "mode", "only on the SHEP bus"},
      {R"({"service_id":"goszakup","mode":"status_error"})", "mode", "only on the SHEP bus"},
      {R"({"system":"goszakup","mode":"missing_signature"})", "mode", "only on the SHEP bus"},
      {R"({"system":"gbd_ul","mode":"invalid_signature"})", "mode", "no reply signer configured"},
      {R"({"system":"gbd_ul","mode":"other_subject"})", "answer_subject", "needs the BIN or IIN"},
      {R"({"system":"gbd_ul","mode":"other_subject","answer_subject":"123"})", "answer_subject",
       "12 digits"},
      {R"({"system":"gbd_ul","mode":"reset","answer_subject":"150340012340"})", "answer_subject",
       "other_subject only"},
      {R"({"system":"goszakup","mode":"wrong_correlation"})", "mode", "only on the SHEP bus"},
  };
  for (const auto& c : cases) {
    const auto [field, message] = refused(c.body);
    EXPECT_EQ(field, c.field) << c.body;
    EXPECT_NE(message.find(c.says), std::string::npos) << c.body << " -> " << message;
  }
  EXPECT_TRUE(faults_.rules().empty());
}

TEST_F(FaultInjectionTest, InvalidSignatureIsAcceptedOnceASignerIsSet) {
  sign_replies();
  add_fault(R"({"system":"gbd_ul","mode":"invalid_signature"})");
  EXPECT_EQ(fake_verify(soap().body), Signature::invalid);
}

// ---- The journal API ----

TEST_F(FaultInjectionTest, TheJournalIsQueriedBySubjectServiceSystemSinceAndLimit) {
  const auto id = add_fault(R"({"system":"gbd_ul","subject":"161140118765","mode":"http_503"})");
  soap(kActiveBin);
  soap(kOtherBin);
  call(http::verb::get, "/v3/rnu?supplier_biin=150340012340");
  channel_->handle(gbd_fl_request("840512401230"));

  auto count = [&](const std::string& query) {
    return admin(http::verb::get, "/admin/journal/count" + query).at("count").as_int64();
  };
  EXPECT_EQ(count(""), 4);
  EXPECT_EQ(count("?subject=150340012340"), 2);
  EXPECT_EQ(count("?subject=150340012340&system=gbd_ul"), 1);
  EXPECT_EQ(count("?subject=150340012340&service_id=goszakup"), 1);
  EXPECT_EQ(count("?system=gbd_fl"), 1);
  EXPECT_EQ(count("?since=2000-01-01T00:00:00Z"), 4);
  EXPECT_EQ(count("?since=2999-01-01T00:00:00%2B05:00"), 0);

  const auto faulted = admin(http::verb::get, "/admin/journal?subject=161140118765");
  ASSERT_EQ(faulted.as_array().size(), 1u);
  EXPECT_EQ(faulted.at(0).at("fault_id"), json::value(id));
  EXPECT_EQ(faulted.at(0).at("fault_mode"), "http_503");
  EXPECT_EQ(faulted.at(0).at("outcome"), "injected_http_503");
  EXPECT_EQ(faulted.at(0).at("system"), "gbd_ul");

  const auto latest = admin(http::verb::get, "/admin/journal?limit=2").as_array();
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].at("system"), "goszakup") << "the newest two, oldest first";
  EXPECT_EQ(latest[1].at("system"), "gbd_fl");
  EXPECT_TRUE(latest[1].at("fault_id").is_null());

  EXPECT_EQ(admin(http::verb::get, "/admin/journal?since=yesterday", {}, 400).at("field"), "since");
  EXPECT_EQ(admin(http::verb::get, "/admin/journal?limit=0", {}, 400).at("field"), "limit");
  EXPECT_EQ(admin(http::verb::get, "/admin/journal/count?bin=1", {}, 400).at("field"), "bin");
}

// ---- The broken bodies ----

TEST(FaultReplies, ACutReplyEndsInsideAnElementName) {
  const auto reply = shep::build_response(
      shep::ResponseInfo{"m-1", "c-1", "2026-01-15T10:00:00.000+05:00", "SCSS001", "ok",
                         "{00000000-0000-0000-0000-000000000000}"},
      shep::Payload{"urn:x", "Response", "<a>1</a><b>2</b><c>3</c>"});
  const auto cut = cut_mid_element(reply);
  EXPECT_TRUE(reply.starts_with(cut));
  EXPECT_GT(cut.size(), reply.size() / 2);
  EXPECT_LT(cut.size(), reply.size());
  EXPECT_EQ(cut[cut.size() - 2], '<');
  EXPECT_FALSE(well_formed(cut));
  EXPECT_FALSE(well_formed(cut_mid_element("<a/>")));
}

TEST(FaultReplies, ACutJsonReplyIsAPrefixAndNotJson) {
  const std::string reply = R"({"total":2,"items":[{"id":1,"name":"x"},{"id":2,"name":"y"}]})";
  const auto cut = cut_mid_json(reply);
  EXPECT_TRUE(reply.starts_with(cut));
  EXPECT_LT(cut.size(), reply.size());
  EXPECT_FALSE(is_json(cut));
}

TEST(FaultReplies, AlteringTheBodyChangesOneCharacterInsideIt) {
  const auto reply = fake_sign(
      shep::build_response(shep::ResponseInfo{"0f3c", "c-1", "2026-01-15T10:00:00.000+05:00",
                                              "SCSS001", "ok", std::nullopt},
                           std::nullopt));
  const auto altered = alter_body_text(reply);
  ASSERT_TRUE(altered);
  ASSERT_EQ(altered->size(), reply.size());
  std::size_t differences = 0;
  std::size_t where = 0;
  for (std::size_t i = 0; i < reply.size(); ++i) {
    if (reply[i] != (*altered)[i]) {
      ++differences;
      where = i;
    }
  }
  EXPECT_EQ(differences, 1u);
  EXPECT_GT(where, reply.find("<soap:Body"));
  EXPECT_NE(altered->find("<messageId>1f3c</messageId>"), std::string::npos) << *altered;
  EXPECT_TRUE(well_formed(*altered));
  EXPECT_EQ(fake_verify(reply), Signature::valid);
  EXPECT_EQ(fake_verify(*altered), Signature::invalid);
  EXPECT_FALSE(alter_body_text("not xml"));
}

TEST(FaultReplies, GarbageIsNeitherXmlNorJson) {
  EXPECT_FALSE(well_formed(garbage_soap_reply()));
  EXPECT_EQ(shep::parse_reply(garbage_soap_reply()).kind, shep::ParsedReply::Kind::malformed);
  EXPECT_FALSE(is_json(garbage_json_reply()));
}

}  // namespace
}  // namespace tekser::mocks
