// The mock portal (contracts/portal): the webhook signature, the body checks field by field,
// idempotency, per-supplier order, the injected faults and the admin API in process; then the
// real tekser-mocks binary over a socket. Deliveries are signed here with OpenSSL's HMAC directly,
// not with the mock's code, so that a bug in the mock's signing cannot hide itself. Nothing
// sleeps: the process tests wait on sockets with deadlines and poll the admin API with one.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/time/xsd_time.hpp"
#include "mocks/portal/faults.hpp"
#include "mocks/portal/portal.hpp"
#include "mocks/portal/secret.hpp"
#include "mocks/portal/signature.hpp"
#include "mocks/portal/trigger.hpp"
#include "tests/support/process.hpp"

namespace tekser::mocks::portal {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kSecret = "test-portal-secret-3f9a61c0d2e84b7f";
constexpr std::string_view kExamples[] = {"block", "deregister", "unblock", "warning", "review"};

std::string example_text(std::string_view name) {
  return tekser::testing::read_file(fs::path(TEKSER_PORTAL_CONTRACT_DIR) / "examples" /
                                    (std::string(name) + ".json"));
}

json::object example(std::string_view name) {
  return json::parse(example_text(name)).as_object();
}

xsd_time::TimePoint at(std::string_view datetime) {
  return xsd_time::parse_datetime(datetime, true).value();
}

std::string unix_text(xsd_time::TimePoint t) {
  return std::to_string(std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count());
}

// "v1=" + HMAC-SHA256(secret, timestamp "." body), computed with OpenSSL here and now.
std::string openssl_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body) {
  const std::string message = std::string(timestamp) + "." + std::string(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  std::ostringstream hex;
  for (unsigned int i = 0; i < length; ++i) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex << kDigits[mac[i] >> 4] << kDigits[mac[i] & 0x0f];
  }
  return "v1=" + hex.str();
}

struct Delivery {
  Delivery(std::string body, std::string secret = std::string(kSecret),
           std::optional<std::string> timestamp = std::nullopt,
           std::optional<std::string> idempotency_key = std::nullopt)
      : body(std::move(body)),
        secret(std::move(secret)),
        timestamp(std::move(timestamp)),
        idempotency_key(std::move(idempotency_key)) {}

  std::string body;
  std::string secret;
  std::optional<std::string> timestamp;        // default: the clock's now
  std::optional<std::string> idempotency_key;  // default: the body's trigger_id
  std::string content_type = "application/json";
};

std::string text(const json::value& value) {
  return std::string(value.as_string());
}

HttpRequest signed_request(const Delivery& delivery, xsd_time::TimePoint now) {
  HttpRequest request{http::verb::post, std::string(kWebhookPath), 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, delivery.content_type);
  const auto timestamp = delivery.timestamp.value_or(unix_text(now));
  request.set(kTimestampHeader, timestamp);
  request.set(kSignatureHeader, openssl_signature(delivery.secret, timestamp, delivery.body));
  auto key = delivery.idempotency_key;
  if (!key) {
    boost::system::error_code ec;
    const auto parsed = json::parse(delivery.body, ec);
    if (!ec && parsed.is_object() && parsed.as_object().contains("trigger_id") &&
        parsed.at("trigger_id").is_string())
      key = std::string(parsed.at("trigger_id").as_string());
  }
  if (key) request.set(kIdempotencyHeader, *key);
  request.body() = delivery.body;
  request.prepare_payload();
  return request;
}

json::value body_of(const HttpAction& action) {
  return json::parse(action.response.body());
}

// A trigger of the example "block" with another id, supplier and sequence.
json::object block_for(std::string trigger_id, std::string bin, std::int64_t sequence) {
  auto body = example("block");
  body["trigger_id"] = trigger_id;
  body["supplier"] = json::object{{"id", bin}, {"bin", bin}};
  body["sequence"] = sequence;
  return body;
}

class PortalTest : public ::testing::Test {
 protected:
  HttpAction deliver(Delivery delivery) { return portal_.handle(signed_request(delivery, now_)); }
  HttpAction deliver(const json::object& body) { return deliver(Delivery{json::serialize(body)}); }
  HttpAction deliver_example(std::string_view name) {
    return deliver(Delivery{example_text(name)});
  }

  HttpAction admin(http::verb method, std::string target, std::string body = {}) {
    HttpRequest request{method, target, 11};
    request.body() = std::move(body);
    request.prepare_payload();
    return portal_.handle_admin(request);
  }
  json::value admin_json(http::verb method, std::string target, std::string body = {}) {
    const auto action = admin(method, std::move(target), std::move(body));
    EXPECT_EQ(action.response.result_int(), 200) << action.response.body();
    return body_of(action);
  }
  std::int64_t count(std::string query = {}) {
    return admin_json(http::verb::get, "/admin/portal/triggers/count" + query)
        .at("count")
        .as_int64();
  }
  void add_fault(std::string_view rule) {
    const auto action = admin(http::verb::post, "/admin/portal/faults", std::string(rule));
    ASSERT_EQ(action.response.result_int(), 200) << action.response.body();
  }

  std::ostringstream log_text_;
  JsonLog log_{log_text_};
  // Five seconds after the example "block" was created.
  xsd_time::TimePoint now_ = at("2026-01-15T10:00:05+05:00");
  MockPortal portal_{std::string(kSecret), log_, [this] { return now_; }};
};

// ---------------------------------------------------------------- signature (pure)

TEST(PortalSignature, TheSharedSignerMatchesOpenSslAndRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(webhook::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // printf '%s' '1768453205.{"trigger_id":"x"}' | openssl dgst -sha256 -hmac test-portal-secret
  EXPECT_EQ(webhook::sign("test-portal-secret", "1768453205", R"({"trigger_id":"x"})"),
            "v1=de1c7487f4448fd44977569708435f7fae307a260526cca46aeaacc57fc4062b");
}

TEST(PortalSignature, AcceptsAGoodSignature) {
  const std::string body = R"({"a":1})";
  const auto check = verify(kSecret, "1768453205", openssl_signature(kSecret, "1768453205", body),
                            body, 1768453205);
  EXPECT_TRUE(check.ok()) << check.reason;
}

TEST(PortalSignature, RefusesAWrongSecret) {
  const std::string body = R"({"a":1})";
  const auto check =
      verify(kSecret, "1768453205", openssl_signature("another-secret", "1768453205", body), body,
             1768453205);
  EXPECT_EQ(check.status, SignatureStatus::mismatch);
  EXPECT_EQ(check.header, kSignatureHeader);
}

TEST(PortalSignature, RefusesATamperedBody) {
  const auto signature = openssl_signature(kSecret, "1768453205", R"({"sequence":3})");
  EXPECT_EQ(verify(kSecret, "1768453205", signature, R"({"sequence":4})", 1768453205).status,
            SignatureStatus::mismatch);
  EXPECT_EQ(verify(kSecret, "1768453205", signature, R"({"sequence":3} )", 1768453205).status,
            SignatureStatus::mismatch);
}

TEST(PortalSignature, TheTimestampIsSignedSoAReplayCannotRefreshIt) {
  const std::string body = R"({"a":1})";
  const auto old_signature = openssl_signature(kSecret, "1768450000", body);
  EXPECT_EQ(verify(kSecret, "1768453205", old_signature, body, 1768453205).status,
            SignatureStatus::mismatch);
}

TEST(PortalSignature, RefusesATimestampOutsideThe300SecondWindow) {
  const std::string body = R"({"a":1})";
  const std::int64_t now = 1768453205;
  for (const std::int64_t skew : {-300, 0, 300}) {
    const auto sent = std::to_string(now + skew);
    EXPECT_TRUE(verify(kSecret, sent, openssl_signature(kSecret, sent, body), body, now).ok())
        << skew;
  }
  for (const std::int64_t skew : {-301, 301, -86400}) {
    const auto sent = std::to_string(now + skew);
    const auto check = verify(kSecret, sent, openssl_signature(kSecret, sent, body), body, now);
    EXPECT_EQ(check.status, SignatureStatus::stale_timestamp) << skew;
    EXPECT_EQ(check.header, kTimestampHeader);
  }
}

TEST(PortalSignature, RefusesMissingOrMalformedHeaders) {
  const std::string body = R"({"a":1})";
  const std::string ts = "1768453205";
  const auto good = openssl_signature(kSecret, ts, body);
  EXPECT_EQ(verify(kSecret, std::nullopt, good, body, 1768453205).status,
            SignatureStatus::missing_timestamp);
  EXPECT_EQ(verify(kSecret, ts, std::nullopt, body, 1768453205).status,
            SignatureStatus::missing_signature);
  for (const std::string_view timestamp :
       {"", "1768453205.5", "-1768453205", "abc", "+1768453205", "1768453205000000"})
    EXPECT_EQ(verify(kSecret, timestamp, good, body, 1768453205).status,
              SignatureStatus::malformed_timestamp)
        << timestamp;
  std::string upper = good;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.replace(0, 3, "v1=");
  for (const std::string& signature :
       {std::string(), std::string("v1="), good.substr(3), "sha256=" + good.substr(3), upper,
        good.substr(0, good.size() - 2), good + ",", std::string("v2=abc")})
    EXPECT_EQ(verify(kSecret, ts, signature, body, 1768453205).status,
              SignatureStatus::malformed_signature)
        << signature;
}

TEST(PortalSignature, AcceptsAnyMatchingV1EntryWhileTheSecretRotates) {
  const std::string body = R"({"a":1})";
  const std::string ts = "1768453205";
  const auto old_secret = openssl_signature("old-secret", ts, body);
  const auto new_secret = openssl_signature(kSecret, ts, body);
  EXPECT_TRUE(verify(kSecret, ts, old_secret + "," + new_secret, body, 1768453205).ok());
  EXPECT_TRUE(verify(kSecret, ts, new_secret + ", " + old_secret, body, 1768453205).ok());
  EXPECT_TRUE(verify(kSecret, ts, "v2=future-scheme," + new_secret, body, 1768453205).ok());
  EXPECT_EQ(verify(kSecret, ts, old_secret, body, 1768453205).status, SignatureStatus::mismatch);
}

// ---------------------------------------------------------------- delivery checks

TEST_F(PortalTest, AcceptsEveryContractExampleOnce) {
  for (const auto name : kExamples) {
    const auto action = deliver_example(name);
    EXPECT_EQ(action.response.result_int(), 202) << name << ": " << action.response.body();
    EXPECT_EQ(body_of(action).at("trigger_id"), example(name).at("trigger_id"));
    EXPECT_EQ(body_of(action).at("duplicate"), false);
  }
  EXPECT_EQ(count(), 5);
  const auto stored = portal_.triggers();
  ASSERT_EQ(stored.size(), 5u);
  EXPECT_EQ(stored[0].body, example("block"));
  EXPECT_EQ(stored[4].position, 5u);
  EXPECT_EQ(stored[4].kind, TriggerKind::review);
}

TEST_F(PortalTest, RefusesEveryBadSignatureWith401NamingTheHeader) {
  const auto body = example_text("block");
  struct Case {
    std::string name;
    std::function<HttpRequest()> request;
    std::string field;
    std::string recorded;
  };
  const std::vector<Case> cases{
      {"wrong secret",
       [&] {
         return signed_request({body, "not-the-secret"}, now_);
       },
       "X-Tekser-Signature", "mismatch"},
      {"tampered body",
       [&] {
         auto request = signed_request({body}, now_);
         request.body() = body.substr(0, body.size() - 3) + " }\n";
         request.prepare_payload();
         return request;
       },
       "X-Tekser-Signature", "mismatch"},
      {"stale timestamp",
       [&] {
         return signed_request({body, std::string(kSecret), unix_text(now_ - 301s)}, now_);
       },
       "X-Tekser-Timestamp", "stale_timestamp"},
      {"missing timestamp",
       [&] {
         auto request = signed_request({body}, now_);
         request.erase(kTimestampHeader);
         return request;
       },
       "X-Tekser-Timestamp", "missing_timestamp"},
      {"missing signature",
       [&] {
         auto request = signed_request({body}, now_);
         request.erase(kSignatureHeader);
         return request;
       },
       "X-Tekser-Signature", "missing_signature"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto action = portal_.handle(c.request());
    ASSERT_EQ(action.response.result_int(), 401) << action.response.body();
    const auto error = body_of(action).at("error");
    EXPECT_EQ(error.at("code"), "unauthorized");
    EXPECT_EQ(text(error.at("field")), c.field);
    EXPECT_FALSE(error.at("reason").as_string().empty());
    const auto record = portal_.deliveries().back();
    EXPECT_EQ(record.signature, c.recorded);
    EXPECT_EQ(record.outcome, "unauthorized");
    EXPECT_EQ(record.status, 401);
    EXPECT_FALSE(record.trigger_id);  // an unauthenticated body is never read
  }
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(portal_.deliveries().size(), cases.size());
}

TEST_F(PortalTest, RefusesAnotherContentTypeWith415) {
  Delivery delivery{example_text("block")};
  delivery.content_type = "text/plain";
  const auto action = deliver(delivery);
  EXPECT_EQ(action.response.result_int(), 415);
  EXPECT_EQ(body_of(action).at("error").at("field"), "Content-Type");
  delivery.content_type = "Application/JSON; charset=utf-8";
  EXPECT_EQ(deliver(delivery).response.result_int(), 202);
}

TEST_F(PortalTest, RefusesABodyOverTheLimitWith413) {
  auto body = example("warning");
  body["grounds"].as_array()[0].as_object()["text_ru"] = std::string(kMaxBodyBytes, 'x');
  const auto action = deliver(body);
  EXPECT_EQ(action.response.result_int(), 413);
  EXPECT_EQ(body_of(action).at("error").at("field"), "body");
}

TEST_F(PortalTest, RefusesAMissingOrForeignIdempotencyKey) {
  const auto body = example_text("block");
  auto request = signed_request({body}, now_);
  request.erase(kIdempotencyHeader);
  auto action = portal_.handle(request);
  EXPECT_EQ(action.response.result_int(), 400);
  EXPECT_EQ(body_of(action).at("error").at("field"), "Idempotency-Key");

  Delivery foreign{body};
  foreign.idempotency_key = "00000000-0000-4000-8000-000000000000";
  action = deliver(foreign);
  EXPECT_EQ(action.response.result_int(), 400);
  EXPECT_EQ(body_of(action).at("error").at("field"), "Idempotency-Key");
  EXPECT_NE(body_of(action).at("error").at("reason").as_string().find("trigger_id"),
            std::string::npos);
  EXPECT_EQ(count(), 0);
}

TEST_F(PortalTest, AnswersOnlyPostOnTheWebhookPath) {
  HttpRequest get{http::verb::get, std::string(kWebhookPath), 11};
  EXPECT_EQ(portal_.handle(get).response.result_int(), 405);
  HttpRequest elsewhere{http::verb::post, "/portal/api/v1/other", 11};
  EXPECT_EQ(portal_.handle(elsewhere).response.result_int(), 404);
  EXPECT_TRUE(portal_.deliveries().empty());
}

TEST_F(PortalTest, NotesATriggerAcceptedAfterItsDeadline) {
  deliver_example("review");  // deadline 2026-01-22T23:59:59.999+05:00
  now_ = at("2026-01-23T00:00:00+05:00");
  auto late = example("review");
  late["trigger_id"] = "c3e8f1a2-7b4d-4e9a-8c5f-1d2b3a4c5e70";
  late["sequence"] = 5;
  deliver(late);
  // A block has no deadline (p.16 names none): never late, however long after.
  now_ = at("2027-01-23T00:00:00+05:00");
  deliver_example("block");
  const auto stored = portal_.triggers();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_FALSE(stored[0].late);
  EXPECT_TRUE(stored[1].late);
  EXPECT_FALSE(stored[2].late);
  EXPECT_FALSE(stored[2].deadline);
}

// Deadlines come with the steps the law gives, both or neither, each after the one before.
TEST_F(PortalTest, RefusesDeadlinesThatAreNotTheLawsStepsNamingTheField) {
  struct Case {
    std::string field;
    std::function<void(json::object&)> mutate;
  };
  auto step = [](json::object& b, std::size_t i) -> json::object& {
    return b["deadlines"].as_array()[i].as_object();
  };
  const std::vector<Case> cases{
      {"deadlines", [](auto& b) { b.erase("deadlines"); }},
      {"deadline", [](auto& b) { b.erase("deadline"); }},
      {"deadline", [](auto& b) { b["deadline"] = "2026-01-23T23:59:59.999+05:00"; }},
      {"deadlines", [](auto& b) { b["deadlines"] = json::array{}; }},
      {"deadlines[1].due", [&](auto& b) { step(b, 1)["due"] = "2026-01-21T23:59:59+05:00"; }},
      {"deadlines[0].due", [&](auto& b) { step(b, 0)["due"] = "2026-01-14T23:59:59+05:00"; }},
      {"deadlines[0].working_days", [&](auto& b) { step(b, 0)["working_days"] = 0; }},
      {"deadlines[0].working_days", [&](auto& b) { step(b, 0)["working_days"] = "5"; }},
      {"deadlines[0].step", [&](auto& b) { step(b, 0)["step"] = "Commission review"; }},
      {"deadlines[0].reference", [&](auto& b) { step(b, 0).erase("reference"); }},
      {"deadlines[0].estimate", [&](auto& b) { step(b, 0)["estimate"] = "yes"; }},
      {"deadlines[0].when", [&](auto& b) { step(b, 0)["when"] = "soon"; }},
      {"grounds[0].code",
       [](auto& b) { b["grounds"].as_array()[0].as_object()["code"] = "p15.3"; }},
  };
  for (const auto& c : cases) {
    auto body = example("review");
    c.mutate(body);
    const auto action = deliver(Delivery{json::serialize(body), std::string(kSecret), std::nullopt,
                                         "c3e8f1a2-7b4d-4e9a-8c5f-1d2b3a4c5e6f"});
    ASSERT_EQ(action.response.result_int(), 400) << c.field << ": " << action.response.body();
    EXPECT_EQ(text(body_of(action).at("error").at("field")), c.field)
        << body_of(action).at("error").at("reason");
  }
  EXPECT_EQ(count(), 0);
}

// ---------------------------------------------------------------- body validation

TEST_F(PortalTest, RefusesEachBrokenFieldNamingItAndTheReason) {
  struct Case {
    std::string field;
    std::function<void(json::object&)> mutate;
  };
  auto ground = [](json::object& b) -> json::object& {
    return b["grounds"].as_array()[0].as_object();
  };
  auto evidence = [](json::object& b) -> json::object& {
    return b["evidence"].as_array()[0].as_object();
  };
  const std::vector<Case> cases{
      {"trigger_id", [](auto& b) { b.erase("trigger_id"); }},
      {"trigger_id", [](auto& b) { b["trigger_id"] = "6F1C2E0A-3B9D-4C1E-9A7F-2D4B8E6C1A03"; }},
      {"trigger_id", [](auto& b) { b["trigger_id"] = 42; }},
      {"kind", [](auto& b) { b["kind"] = "suspend"; }},
      {"kindd", [](auto& b) { b["kindd"] = b["kind"]; }},
      {"supplier", [](auto& b) { b["supplier"] = "080940003154"; }},
      {"supplier", [](auto& b) { b["supplier"].as_object().erase("bin"); }},
      {"supplier", [](auto& b) { b["supplier"].as_object()["iin"] = "840512401230"; }},
      {"supplier.id", [](auto& b) { b["supplier"].as_object().erase("id"); }},
      {"supplier.id", [](auto& b) { b["supplier"].as_object()["id"] = "has space"; }},
      {"supplier.bin", [](auto& b) { b["supplier"].as_object()["bin"] = "080940003150"; }},
      {"supplier.bin", [](auto& b) { b["supplier"].as_object()["bin"] = "08094000315"; }},
      {"supplier.iin",
       [](auto& b) {
         b["supplier"] = json::object{{"id", "080940003154"}, {"iin", "080940003154"}};
       }},
      {"supplier.name", [](auto& b) { b["supplier"].as_object()["name"] = "ТОО"; }},
      {"sequence", [](auto& b) { b["sequence"] = 0; }},
      {"sequence", [](auto& b) { b["sequence"] = 1.5; }},
      {"sequence", [](auto& b) { b["sequence"] = "3"; }},
      {"sequence", [](auto& b) { b["sequence"] = 9007199254740992; }},
      {"supersedes", [](auto& b) { b["supersedes"] = b["trigger_id"]; }},
      {"supersedes", [](auto& b) { b["supersedes"] = "block-1"; }},
      {"grounds", [](auto& b) { b["grounds"] = json::array{}; }},
      {"grounds", [](auto& b) { b["grounds"] = json::object{}; }},
      {"grounds[0].code", [&](auto& b) { ground(b)["code"] = "p3.4"; }},
      {"grounds[0].code", [&](auto& b) { ground(b)["code"] = "15.2"; }},
      {"grounds[1].code",
       [&](auto& b) {
         json::value twin = ground(b);
         b["grounds"].as_array().push_back(std::move(twin));
       }},
      {"grounds[0].text_ru", [&](auto& b) { ground(b)["text_ru"] = ""; }},
      {"grounds[0].text_ru", [&](auto& b) { ground(b).erase("text_ru"); }},
      {"grounds[0].reason_kk", [&](auto& b) { ground(b)["reason_kk"] = nullptr; }},
      {"grounds[0].note", [&](auto& b) { ground(b)["note"] = "x"; }},
      {"evidence", [](auto& b) { b["evidence"] = json::array{}; }},
      {"evidence[0].system", [&](auto& b) { evidence(b)["system"] = "egov"; }},
      {"evidence[0].service_id", [&](auto& b) { evidence(b)["service_id"] = "Gbdul Info"; }},
      {"evidence[0].message_id", [&](auto& b) { evidence(b)["message_id"] = ""; }},
      {"evidence[0].received_at",
       [&](auto& b) { evidence(b)["received_at"] = "2026-01-15T10:00:02.417"; }},
      {"evidence[0].reply_sha256", [&](auto& b) { evidence(b)["reply_sha256"] = "ABCDEF"; }},
      {"evidence[0].fact", [&](auto& b) { evidence(b)["fact"] = "liquidated"; }},
      {"evidence[0].fact.value", [&](auto& b) { evidence(b)["fact"].as_object().erase("value"); }},
      {"evidence[0].fact.name", [&](auto& b) { evidence(b)["fact"].as_object()["name"] = "St"; }},
      {"rule_set", [](auto& b) { b["rule_set"] = ""; }},
      {"created_at", [](auto& b) { b["created_at"] = "2026-01-15 10:00:03"; }},
      {"created_at", [](auto& b) { b["created_at"] = "2026-13-15T10:00:03+05:00"; }},
      {"created_at", [](auto& b) { b["created_at"] = "2026-01-15T10:00:02+05:00"; }},
      {"data_received_at", [](auto& b) { b.erase("data_received_at"); }},
      // a block has no deadline; one given alone lacks its steps
      {"deadlines", [](auto& b) { b["deadline"] = "2026-01-16T23:59:59+05:00"; }},
  };
  for (const auto& c : cases) {
    auto body = example("block");
    c.mutate(body);
    const auto action = deliver(Delivery{json::serialize(body), std::string(kSecret), std::nullopt,
                                         "6f1c2e0a-3b9d-4c1e-9a7f-2d4b8e6c1a03"});
    ASSERT_EQ(action.response.result_int(), 400) << c.field << ": " << action.response.body();
    const auto error = body_of(action).at("error");
    EXPECT_EQ(error.at("code"), "invalid_body") << c.field;
    EXPECT_EQ(text(error.at("field")), c.field) << error.at("reason");
    EXPECT_FALSE(error.at("reason").as_string().empty());
    EXPECT_EQ(portal_.deliveries().back().outcome, "invalid_body");
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(PortalTest, KindDecidesWhichGroundsATriggerMayRestOn) {
  auto unblock = example("unblock");
  unblock["grounds"].as_array()[0].as_object()["code"] = "p15.2";  // final: never lifted
  auto action = deliver(unblock);
  ASSERT_EQ(action.response.result_int(), 400);
  EXPECT_EQ(body_of(action).at("error").at("field"), "grounds[0].code");

  auto warning = example("warning");
  warning["grounds"].as_array().push_back(
      json::object{{"code", "p15.3"}, {"text_ru", "РНУ госзакупок"}});
  EXPECT_EQ(deliver(warning).response.result_int(), 202);  // a warning may name any ground
}

TEST_F(PortalTest, RefusesABodyThatIsNotAJsonObject) {
  for (const std::string body : {"", "{", "[]", "\"trigger\"", "{\"a\":1,}"}) {
    const auto action = deliver(
        Delivery{body, std::string(kSecret), std::nullopt, "6f1c2e0a-3b9d-4c1e-9a7f-2d4b8e6c1a03"});
    ASSERT_EQ(action.response.result_int(), 400) << body;
    EXPECT_EQ(body_of(action).at("error").at("field"), "body") << body;
  }
}

TEST_F(PortalTest, OptionalFieldsMayBeLeftOut) {
  auto body = example("block");
  auto& ground = body["grounds"].as_array()[0].as_object();
  for (const auto* key : {"text_kk", "reason_ru", "reason_kk", "reference"}) ground.erase(key);
  const auto action = deliver(body);
  EXPECT_EQ(action.response.result_int(), 202) << action.response.body();
}

// ---------------------------------------------------------------- idempotency and order

TEST_F(PortalTest, ARetriedDuplicateIsAnswered200AndAcceptedOnce) {
  EXPECT_EQ(deliver_example("block").response.result_int(), 202);
  now_ += 30s;  // the retry carries a fresh timestamp and signature over the same bytes
  const auto retry = deliver_example("block");
  EXPECT_EQ(retry.response.result_int(), 200);
  EXPECT_EQ(body_of(retry).at("duplicate"), true);
  EXPECT_EQ(body_of(retry).at("accepted_at"), "2026-01-15T05:00:05.000Z");
  EXPECT_EQ(count(), 1);

  const auto attempts =
      admin_json(http::verb::get,
                 "/admin/portal/deliveries?idempotency_key=6f1c2e0a-3b9d-4c1e-9a7f-2d4b8e6c1a03");
  ASSERT_EQ(attempts.as_array().size(), 2u);
  EXPECT_EQ(attempts.at(0).at("outcome"), "accepted");
  EXPECT_EQ(attempts.at(1).at("outcome"), "duplicate");
  EXPECT_EQ(attempts.at(1).at("status"), 200);
  EXPECT_NE(attempts.at(0).at("timestamp"), attempts.at(1).at("timestamp"));
  EXPECT_EQ(attempts.at(0).at("body_sha256"), attempts.at(1).at("body_sha256"));
}

TEST_F(PortalTest, TheSameKeyWithAnotherBodyIs409AndKeepsTheFirst) {
  deliver_example("block");
  auto changed = example("block");
  changed["sequence"] = 4;
  const auto action = deliver(changed);
  EXPECT_EQ(action.response.result_int(), 409);
  EXPECT_EQ(body_of(action).at("error").at("code"), "idempotency_conflict");
  EXPECT_EQ(body_of(action).at("error").at("field"), "Idempotency-Key");
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(portal_.triggers()[0].sequence, 3);
  EXPECT_EQ(portal_.deliveries().back().outcome, "conflict");
}

TEST_F(PortalTest, ARefusedDeliveryDoesNotTakeTheKey) {
  EXPECT_EQ(
      portal_.handle(signed_request({example_text("block"), "wrong"}, now_)).response.result_int(),
      401);
  EXPECT_EQ(deliver_example("block").response.result_int(), 202);
  EXPECT_EQ(count(), 1);
}

TEST_F(PortalTest, ConcurrentDuplicatesAreAcceptedOnce) {
  const auto request = signed_request({example_text("block")}, now_);
  std::atomic<int> accepted = 0;
  std::atomic<int> duplicates = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 25; ++j) {
        const auto status = portal_.handle(request).response.result_int();
        if (status == 202) ++accepted;
        if (status == 200) ++duplicates;
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted, 1);
  EXPECT_EQ(duplicates, 8 * 25 - 1);
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(portal_.deliveries().size(), 200u);
}

TEST_F(PortalTest, ALowerSequenceForTheSameSupplierIsAcceptedAndNotedAsAViolation) {
  deliver(block_for("00000000-0000-4000-8000-000000000005", "080940003154", 5));
  deliver(block_for("00000000-0000-4000-8000-000000000003", "080940003154", 3));
  deliver(block_for("00000000-0000-4000-8000-000000000013", "080940003154", 5));  // reused
  deliver(block_for("00000000-0000-4000-8000-000000000006", "080940003154", 6));
  const auto stored = portal_.triggers();
  ASSERT_EQ(stored.size(), 4u);
  EXPECT_FALSE(stored[0].order_violation);
  EXPECT_FALSE(stored[0].highest_sequence_before);
  EXPECT_TRUE(stored[1].order_violation);
  EXPECT_EQ(stored[1].highest_sequence_before, 5);
  EXPECT_TRUE(stored[2].order_violation);
  EXPECT_FALSE(stored[3].order_violation);
  EXPECT_EQ(stored[3].highest_sequence_before, 5);
  const auto listed = admin_json(http::verb::get, "/admin/portal/triggers");
  EXPECT_EQ(listed.at(1).at("order_violation"), true);
  EXPECT_EQ(listed.at(1).at("highest_sequence_before"), 5);
}

TEST_F(PortalTest, SequencesCountPerSupplier) {
  deliver(block_for("00000000-0000-4000-8000-000000000005", "080940003154", 5));
  deliver(block_for("00000000-0000-4000-8000-000000000001", "170440012348", 1));
  const auto stored = portal_.triggers();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_FALSE(stored[1].order_violation);
  EXPECT_FALSE(stored[1].highest_sequence_before);
}

// ---------------------------------------------------------------- injected faults

TEST_F(PortalTest, StatusFaultAnswersExactlyNDeliveriesThenAcceptsTheRetry) {
  add_fault(R"({"mode":"status","status":503,"count":2,"retry_after_s":7})");
  for (int i = 0; i < 2; ++i) {
    const auto action = deliver_example("block");
    EXPECT_EQ(action.response.result_int(), 503);
    EXPECT_EQ(action.response[http::field::retry_after], "7");
    EXPECT_EQ(action.kind, HttpAction::Kind::respond);
  }
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(deliver_example("block").response.result_int(), 202);
  EXPECT_EQ(count(), 1);
  const auto attempts = portal_.deliveries();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].outcome, "injected_status");
  EXPECT_EQ(attempts[0].fault, "status");
  EXPECT_EQ(attempts[0].status, 503);
  EXPECT_EQ(attempts[0].signature, "valid");  // checked and recorded even when failed on purpose
  EXPECT_EQ(attempts[2].outcome, "accepted");
  EXPECT_TRUE(admin_json(http::verb::get, "/admin/portal/faults").at("faults").as_array().empty());
}

TEST_F(PortalTest, DelayFaultProcessesNormallyAndAnswersLateForExactlyN) {
  add_fault(R"({"mode":"delay","delay_ms":3000,"count":1})");
  const auto slow = deliver_example("block");
  EXPECT_EQ(slow.kind, HttpAction::Kind::respond);
  EXPECT_EQ(slow.delay, 3000ms);
  EXPECT_EQ(slow.response.result_int(), 202);
  EXPECT_EQ(count(), 1);  // accepted although a client that gave up early never saw it
  EXPECT_EQ(portal_.deliveries().back().fault, "delay");
  const auto fast = deliver_example("warning");
  EXPECT_EQ(fast.delay, 0ms);
  EXPECT_EQ(fast.response.result_int(), 202);
}

TEST_F(PortalTest, ResetTimeoutAndCloseAnswerNothingAndAcceptNothing) {
  const std::pair<std::string_view, HttpAction::Kind> modes[] = {
      {"reset", HttpAction::Kind::reset},
      {"timeout", HttpAction::Kind::hold},
      {"close", HttpAction::Kind::close}};
  for (const auto& [mode, kind] : modes) {
    SCOPED_TRACE(mode);
    add_fault(R"({"mode":")" + std::string(mode) + R"(","count":1})");
    EXPECT_EQ(deliver_example("block").kind, kind);
    EXPECT_EQ(count(), 0);
    const auto record = portal_.deliveries().back();
    EXPECT_EQ(record.outcome, "injected_" + std::string(mode));
    EXPECT_FALSE(record.status);
  }
  EXPECT_EQ(deliver_example("block").response.result_int(), 202);
  EXPECT_EQ(count(), 1);
}

TEST_F(PortalTest, FaultRulesApplyInTheOrderTheyWereAdded) {
  add_fault(R"({"mode":"status","status":500,"count":1})");
  add_fault(R"({"mode":"reset","count":1})");
  EXPECT_EQ(deliver_example("block").response.result_int(), 500);
  EXPECT_EQ(deliver_example("block").kind, HttpAction::Kind::reset);
  EXPECT_EQ(deliver_example("block").response.result_int(), 202);
}

TEST_F(PortalTest, AFaultWithoutCountLastsUntilCleared) {
  add_fault(R"({"mode":"status","status":502})");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(deliver_example("block").response.result_int(), 502);
  EXPECT_EQ(admin_json(http::verb::delete_, "/admin/portal/faults").at("cleared"), 1);
  EXPECT_EQ(deliver_example("block").response.result_int(), 202);
}

TEST_F(PortalTest, ProbabilityFaultsWithASeedAreReproducible) {
  auto run = [&] {
    add_fault(R"({"mode":"status","status":503,"probability":0.5,"seed":42})");
    std::string pattern;
    for (int i = 0; i < 64; ++i)
      pattern += deliver_example("block").response.result_int() == 503 ? 'x' : '.';
    admin(http::verb::delete_, "/admin/portal");
    return pattern;
  };
  const auto first = run();
  EXPECT_EQ(run(), first);
  const auto injected = std::count(first.begin(), first.end(), 'x');
  EXPECT_GT(injected, 16) << first;
  EXPECT_LT(injected, 48) << first;

  add_fault(R"({"mode":"status","status":503,"probability":1,"count":3})");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(deliver_example("block").response.result_int(), 503);
  EXPECT_EQ(deliver_example("block").response.result_int(), 202);
}

// ---------------------------------------------------------------- admin API

TEST_F(PortalTest, AdminFiltersTriggersBySupplierKindAndPosition) {
  for (const auto name : kExamples) deliver_example(name);
  auto listed = admin_json(http::verb::get, "/admin/portal/triggers");
  ASSERT_EQ(listed.as_array().size(), 5u);
  EXPECT_EQ(listed.at(0).at("kind"), "block");
  EXPECT_EQ(listed.at(0).at("trigger"), example("block"));
  EXPECT_EQ(listed.at(0).at("supplier").at("bin"), "080940003154");
  EXPECT_EQ(listed.at(4).at("position"), 5);

  EXPECT_EQ(
      admin_json(http::verb::get, "/admin/portal/triggers?supplier=170440012348").at(0).at("kind"),
      "deregister");
  EXPECT_EQ(count("?supplier=840512401230"), 1);  // by IIN
  EXPECT_EQ(count("?kind=warning"), 1);
  EXPECT_EQ(count("?supplier=080940003154&kind=warning"), 0);
  EXPECT_EQ(count("?supplier=080940003154&kind=review"), 1);
  listed = admin_json(http::verb::get, "/admin/portal/triggers?after=2");
  ASSERT_EQ(listed.as_array().size(), 3u);
  EXPECT_EQ(listed.at(0).at("kind"), "unblock");
}

TEST_F(PortalTest, AdminDeleteForgetsEverythingButPositionsGoOn) {
  deliver_example("block");
  add_fault(R"({"mode":"reset"})");
  const auto cleared = admin_json(http::verb::delete_, "/admin/portal").at("cleared");
  EXPECT_EQ(cleared.at("deliveries"), 1);
  EXPECT_EQ(cleared.at("triggers"), 1);
  EXPECT_EQ(cleared.at("faults"), 1);
  EXPECT_EQ(count(), 0);
  EXPECT_TRUE(portal_.deliveries().empty());

  const auto again = deliver_example("block");
  EXPECT_EQ(again.response.result_int(), 202);  // the key was forgotten too
  EXPECT_EQ(portal_.triggers().at(0).position, 2u);
  EXPECT_EQ(portal_.deliveries().at(0).attempt, 2u);
}

TEST_F(PortalTest, AdminRefusesBadInputNamingTheField) {
  struct Case {
    http::verb method;
    std::string target;
    std::string body;
    std::string named;  // a word the error must contain
  };
  const std::vector<Case> cases{
      {http::verb::post, "/admin/portal/faults", R"({"mode":"status","count":0})", "count"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"status","status":200})", "status"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"delay"})", "delay_ms"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"reset","delay_ms":5})", "delay_ms"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"reset","status":503})", "status"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"status","colour":1})", "colour"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"status","probability":1.5})",
       "probability"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"status","seed":1})", "seed"},
      {http::verb::post, "/admin/portal/faults", R"({"mode":"crash"})", "mode"},
      {http::verb::post, "/admin/portal/faults", R"({"count":1})", "mode"},
      {http::verb::post, "/admin/portal/faults", "not json", "JSON"},
      {http::verb::get, "/admin/portal/triggers?suplier=1", "", "suplier"},
      {http::verb::get, "/admin/portal/triggers?after=-1", "", "after"},
      {http::verb::get, "/admin/portal/triggers?kind=blok", "", "kind"},
      {http::verb::get, "/admin/portal/triggers?kind=block&kind=warning", "", "kind"},
      {http::verb::get, "/admin/portal/triggers/count?after=1", "", "after"},
      {http::verb::get, "/admin/portal/deliveries?supplier=1", "", "supplier"},
  };
  for (const auto& c : cases) {
    const auto action = admin(c.method, c.target, c.body);
    ASSERT_EQ(action.response.result_int(), 400) << c.target << " " << c.body;
    const auto error = std::string(body_of(action).at("error").as_string());
    EXPECT_NE(error.find(c.named), std::string::npos) << error;
  }
  EXPECT_EQ(admin(http::verb::get, "/admin/portal/nothing").response.result_int(), 404);
  EXPECT_EQ(admin(http::verb::post, "/admin/portal/triggers").response.result_int(), 405);
  EXPECT_EQ(admin(http::verb::get, "/admin/portal").response.result_int(), 405);
}

// ---------------------------------------------------------------- secret

TEST(PortalSecret, TheEnvironmentOverridesTheFile) {
  const auto dir = tekser::testing::make_temp_dir();
  std::ofstream(dir / "secret") << "from-the-file\n";
  const auto secret = resolve_secret("from-the-environment", (dir / "secret").string());
  EXPECT_EQ(secret.value, "from-the-environment");
  EXPECT_EQ(secret.source, "environment");
  EXPECT_FALSE(secret.is_development_default);
  fs::remove_all(dir);
}

TEST(PortalSecret, AFileIsReadWithoutItsTrailingNewline) {
  const auto dir = tekser::testing::make_temp_dir();
  std::ofstream(dir / "secret") << "  s3cr3t-from-file \r\n";
  const auto secret = resolve_secret(std::nullopt, (dir / "secret").string());
  EXPECT_EQ(secret.value, "s3cr3t-from-file");
  EXPECT_FALSE(secret.is_development_default);
  fs::remove_all(dir);
}

TEST(PortalSecret, WithoutEitherTheDevelopmentDefaultIsUsedAndFlagged) {
  const auto secret = resolve_secret(std::nullopt, "");
  EXPECT_EQ(secret.value, kDevelopmentSecret);
  EXPECT_TRUE(secret.is_development_default);
}

TEST(PortalSecret, AnEmptyOrUnreadableSecretStopsStartUp) {
  const auto dir = tekser::testing::make_temp_dir();
  std::ofstream(dir / "empty") << "\n";
  EXPECT_THROW(resolve_secret(std::nullopt, (dir / "empty").string()), std::runtime_error);
  EXPECT_THROW(resolve_secret(std::nullopt, (dir / "absent").string()), std::runtime_error);
  EXPECT_THROW(resolve_secret(std::string(), ""), std::runtime_error);
  fs::remove_all(dir);
}

// ---------------------------------------------------------------- the real binary

using tekser::testing::ChildProcess;
using tekser::testing::http_call;
using tekser::testing::HttpResult;

// One request over a fresh connection, with a deadline on everything (http_call cannot set the
// signature headers).
HttpResult exchange(unsigned short port, HttpRequest request, std::chrono::milliseconds deadline) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  asio::io_context io;
  beast::tcp_stream stream(io);
  HttpResult result;
  beast::flat_buffer buffer;
  stream.expires_after(deadline);
  stream.async_connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
      [&](beast::error_code ec) {
        if (ec) {
          result.error = ec;
          return;
        }
        http::async_write(stream, request, [&](beast::error_code wec, std::size_t) {
          if (wec) {
            result.error = wec;
            return;
          }
          http::async_read(stream, buffer, result.response,
                           [&](beast::error_code rec, std::size_t) { result.error = rec; });
        });
      });
  io.run();
  return result;
}

json::value get_json(unsigned short port, const std::string& target) {
  const auto result = http_call(port, http::verb::get, target);
  EXPECT_FALSE(result.error) << result.error.message();
  return json::parse(result.response.body());
}

// Polls the admin API until `done` holds or the deadline passes.
bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds deadline = 5s) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until)
    if (done()) return true;
  return done();
}

// tekser-mocks on port 0 with the secret in a file of its own folder.
class PortalProcess : public ChildProcess {
 public:
  explicit PortalProcess(std::string file_secret, bool with_file = true)
      : ChildProcess(
            [&](const fs::path& dir) {
              std::vector<std::string> args{
                  TEKSER_MOCKS_BINARY,     "--listen",    "127.0.0.1:0",       "--port-file",
                  (dir / "port").string(), "--contracts", TEKSER_CONTRACTS_DIR};
              if (with_file) {
                std::ofstream(dir / "portal-secret") << file_secret << '\n';
                args.insert(args.end(), {"--portal-secret-file", (dir / "portal-secret").string()});
              }
              return args;
            },
            "mocks") {}
};

HttpRequest live_request(const std::string& body, std::string_view secret) {
  return signed_request({body, std::string(secret)}, xsd_time::now_ms());
}

class PortalProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    process_ = std::make_unique<PortalProcess>(std::string(kSecret));
    port_ = process_->wait_listening();
  }
  static void TearDownTestSuite() {
    if (process_) {
      EXPECT_EQ(process_->stop(SIGTERM, 15s), 0) << process_->stderr_text();
      process_.reset();
    }
  }
  void SetUp() override { http_call(port_, http::verb::delete_, "/admin/portal"); }

  static HttpResult post_fault(const std::string& rule) {
    return http_call(port_, http::verb::post, "/admin/portal/faults", rule, 10s,
                     "application/json");
  }

  static inline std::unique_ptr<PortalProcess> process_;
  static inline unsigned short port_ = 0;
};

TEST_F(PortalProcessTest, DeliversASignedTriggerOverARealSocketAndReadsItBack) {
  const auto result = exchange(port_, live_request(example_text("deregister"), kSecret), 10s);
  ASSERT_FALSE(result.error) << result.error.message();
  EXPECT_EQ(result.response.result_int(), 202) << result.response.body();
  EXPECT_EQ(result.response[http::field::content_type], "application/json; charset=utf-8");

  const auto listed = get_json(port_, "/admin/portal/triggers?supplier=170440012348");
  ASSERT_EQ(listed.as_array().size(), 1u);
  EXPECT_EQ(listed.at(0).at("trigger_id"), "a4d7e9b2-58c1-4f0e-b3a6-7c2e9d1f0b84");
  EXPECT_EQ(listed.at(0).at("trigger"), example("deregister"));
  const auto attempts = get_json(
      port_, "/admin/portal/deliveries?idempotency_key=a4d7e9b2-58c1-4f0e-b3a6-7c2e9d1f0b84");
  ASSERT_EQ(attempts.as_array().size(), 1u);
  EXPECT_EQ(attempts.at(0).at("signature"), "valid");
  EXPECT_EQ(attempts.at(0).at("status"), 202);

  const auto forged = exchange(port_, live_request(example_text("warning"), "guessed"), 10s);
  EXPECT_EQ(forged.response.result_int(), 401);
  EXPECT_EQ(get_json(port_, "/admin/portal/triggers/count").at("count"), 1);
}

TEST_F(PortalProcessTest, ResetFaultIsSeenAsAConnectionResetAndTheRetryIsAccepted) {
  ASSERT_EQ(post_fault(R"({"mode":"reset","count":1})").response.result_int(), 200);
  const auto dropped = exchange(port_, live_request(example_text("block"), kSecret), 10s);
  EXPECT_EQ(dropped.error, boost::asio::error::connection_reset) << dropped.error.message();
  EXPECT_TRUE(poll_until(
      [] { return get_json(port_, "/admin/portal/deliveries").as_array().size() == 1; }));
  EXPECT_EQ(get_json(port_, "/admin/portal/deliveries").at(0).at("outcome"), "injected_reset");
  EXPECT_EQ(get_json(port_, "/admin/portal/triggers/count").at("count"), 0);

  const auto retry = exchange(port_, live_request(example_text("block"), kSecret), 10s);
  ASSERT_FALSE(retry.error) << retry.error.message();
  EXPECT_EQ(retry.response.result_int(), 202);
}

TEST_F(PortalProcessTest, DelayFaultIsSeenAsAnAnswerNoSoonerThanTheDelay) {
  ASSERT_EQ(post_fault(R"({"mode":"delay","delay_ms":700,"count":1})").response.result_int(), 200);
  const auto started = std::chrono::steady_clock::now();
  const auto slow = exchange(port_, live_request(example_text("block"), kSecret), 10s);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(slow.error) << slow.error.message();
  EXPECT_EQ(slow.response.result_int(), 202);
  EXPECT_GE(elapsed, 700ms);
}

TEST_F(PortalProcessTest, TimeoutFaultHoldsUntilTheClientGivesUpAndAcceptsNothing) {
  ASSERT_EQ(post_fault(R"({"mode":"timeout","count":1})").response.result_int(), 200);
  const auto started = std::chrono::steady_clock::now();
  const auto held = exchange(port_, live_request(example_text("block"), kSecret), 300ms);
  EXPECT_EQ(held.error, boost::beast::error::timeout) << held.error.message();
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  EXPECT_EQ(get_json(port_, "/admin/portal/triggers/count").at("count"), 0);
  const auto retry = exchange(port_, live_request(example_text("block"), kSecret), 10s);
  EXPECT_EQ(retry.response.result_int(), 202);
}

TEST_F(PortalProcessTest, StatusFaultIsAnsweredOverTheSocket) {
  ASSERT_EQ(post_fault(R"({"mode":"status","status":503,"count":1,"retry_after_s":2})")
                .response.result_int(),
            200);
  const auto refused = exchange(port_, live_request(example_text("warning"), kSecret), 10s);
  ASSERT_FALSE(refused.error) << refused.error.message();
  EXPECT_EQ(refused.response.result_int(), 503);
  EXPECT_EQ(refused.response[http::field::retry_after], "2");
  const auto bad = post_fault(R"({"mode":"status","status":"503"})");
  EXPECT_EQ(bad.response.result_int(), 400);
  EXPECT_NE(bad.response.body().find("status"), std::string::npos);
}

TEST(PortalProcess, TheEnvironmentSecretOverridesTheFileAndNeverReachesTheLog) {
  ::setenv(kSecretEnvironmentVariable, "env-secret-7c1d9e", 1);
  PortalProcess process("file-secret-2b8a4f");
  ::unsetenv(kSecretEnvironmentVariable);
  const auto port = process.wait_listening();
  EXPECT_EQ(exchange(port, live_request(example_text("block"), "file-secret-2b8a4f"), 10s)
                .response.result_int(),
            401);
  EXPECT_EQ(exchange(port, live_request(example_text("block"), "env-secret-7c1d9e"), 10s)
                .response.result_int(),
            202);
  EXPECT_EQ(process.stop(SIGTERM, 15s), 0);
  const auto log = process.stderr_text();
  EXPECT_NE(log.find(R"("event":"portal_secret","source":"environment")"), std::string::npos)
      << log;
  EXPECT_EQ(log.find("env-secret-7c1d9e"), std::string::npos);
  EXPECT_EQ(log.find("file-secret-2b8a4f"), std::string::npos);
}

TEST(PortalProcess, WithoutASecretItWarnsAndUsesTheDevelopmentDefault) {
  PortalProcess process("", false);
  const auto port = process.wait_listening();
  EXPECT_EQ(exchange(port, live_request(example_text("block"), kDevelopmentSecret), 10s)
                .response.result_int(),
            202);
  EXPECT_EQ(process.stop(SIGTERM, 15s), 0);
  const auto log = process.stderr_text();
  EXPECT_NE(log.find(R"("level":"warn","event":"portal_secret_default")"), std::string::npos)
      << log;
}

}  // namespace
}  // namespace tekser::mocks::portal
