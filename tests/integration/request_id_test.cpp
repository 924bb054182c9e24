// Issue 17, item 6: one request id end to end. The caller's X-Request-Id (or the trace id of its
// traceparent, or one the gateway makes) comes back in the response, is on the request's log
// line, and is kept with every audit row and message-log row of the exchanges the request caused,
// beside SHEP's messageId: GET /v1/audit?request_id= finds exactly those.
#include <set>

#include "tests/integration/run_ctl.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kActiveBin = "150340012340";  // ТОО «Мейірім Медтехника»
constexpr const char* kAliveIin = "840512401230";   // IE, alive

std::string text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

bool is_hex32(const std::string& s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class RequestIdTest : public GatewayTest {
 protected:
  JsonReply verify_with(const std::string& id, HttpHeaders extra) {
    extra.emplace_back("Authorization", bearer(kTestToken));
    return call_with(port_, http::verb::post, "/v1/suppliers/" + id + "/verify", "", extra);
  }

  static std::string returned_id(const JsonReply& reply) {
    const auto found = reply.headers.find("X-Request-Id");
    return found == reply.headers.end() ? "" : std::string(found->value());
  }

  json::array audit_of(const std::string& request_id) {
    const auto reply = call(port_, http::verb::get, "/v1/audit?request_id=" + request_id);
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    return reply.status == 200 ? reply.body.at("entries").as_array() : json::array{};
  }

  // The message log's (message id -> request id) of `subject`.
  std::map<std::string, std::string> logged(const std::string& subject) {
    auto connection = db();
    pqxx::work txn(*connection);
    std::map<std::string, std::string> out;
    for (const auto& row : txn.exec_params(
             "SELECT message_id, coalesce(request_id, '') FROM message_log WHERE supplier_id = $1",
             subject))
      out[row[0].as<std::string>()] = row[1].as<std::string>();
    return out;
  }
};

TEST_F(RequestIdTest, TheCallersIdComesBackIsLoggedAndFindsTheExchangesItCaused) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  ASSERT_EQ(put(kAliveIin, R"({"categories":["invataxi"]})").status, 201u);
  const std::string mine = "portal-7f3a:application/42";
  const auto verified = verify_with(kActiveBin, {{"X-Request-Id", mine}});
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  EXPECT_EQ(returned_id(verified), mine);
  // Another call's exchanges, with an id of its own, must not be found under this one.
  const auto other = verify_with(kAliveIin, {{"X-Request-Id", "portal-other-call"}});
  ASSERT_EQ(other.status, 200u);

  std::set<std::string> asked;
  for (const auto& a : verified.body.at("verification").at("asked").as_array())
    asked.insert(text(a.at("system")));
  ASSERT_FALSE(asked.empty());

  const auto rows = audit_of(mine);
  ASSERT_EQ(rows.size(), asked.size()) << json::serialize(rows);
  const auto messages = logged(kActiveBin);
  std::set<std::string> audited;
  for (const auto& row : rows) {
    SCOPED_TRACE(json::serialize(row));
    audited.insert(text(row.at("system")));
    EXPECT_EQ(text(row.at("request_id")), mine);
    EXPECT_EQ(text(row.at("subject")), kActiveBin);
    // Beside SHEP's messageId: the message log's row of the same exchange has the same id.
    const auto message_id = text(row.at("message_id"));
    ASSERT_TRUE(messages.contains(message_id));
    EXPECT_EQ(messages.at(message_id), mine);
  }
  EXPECT_EQ(audited, asked);

  // The exchanges API shows it too.
  const auto exchanges =
      call(port_, http::verb::get, std::string("/v1/exchanges?subject=") + kActiveBin);
  ASSERT_EQ(exchanges.status, 200u) << json::serialize(exchanges.body);
  for (const auto& e : exchanges.body.at("exchanges").as_array())
    EXPECT_EQ(text(e.at("request_id")), mine) << json::serialize(e);

  // tekser-ctl finds them too.
  const auto ctl = run_ctl({"--url", "http://127.0.0.1:" + std::to_string(port_), "--json", "audit",
                            "--request-id", mine});
  ASSERT_EQ(ctl.exit_code, 0) << ctl.err;
  EXPECT_EQ(json::parse(ctl.out).at("entries").as_array().size(), asked.size()) << ctl.out;

  // The request's log line carries it.
  wait_until("the verify's log line", [&] {
    return gateway_->stderr_text().find(R"("request_id":")" + mine + "\"") != std::string::npos;
  });
}

TEST_F(RequestIdTest, WithoutOneTheGatewayMakesOneAndATraceparentGivesItsTraceId) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  const auto made = verify_with(kActiveBin, {});
  ASSERT_EQ(made.status, 200u);
  const auto made_id = returned_id(made);
  EXPECT_TRUE(is_hex32(made_id)) << made_id;
  EXPECT_FALSE(audit_of(made_id).empty());
  // Every response has one, errors and unauthenticated calls included, each its own.
  const auto missing = call(port_, http::verb::get, std::string("/v1/suppliers/") + kAliveIin);
  EXPECT_EQ(missing.status, 404u);
  const auto anonymous = call_anonymous(port_, http::verb::get, "/v1/audit");
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_TRUE(is_hex32(returned_id(missing)));
  EXPECT_TRUE(is_hex32(returned_id(anonymous)));
  EXPECT_NE(returned_id(missing), returned_id(anonymous));
  EXPECT_NE(returned_id(missing), made_id);

  const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  const auto traced =
      verify_with(kActiveBin, {{"traceparent", "00-" + trace_id + "-00f067aa0ba902b7-01"}});
  ASSERT_EQ(traced.status, 200u);
  EXPECT_EQ(returned_id(traced), trace_id);
  EXPECT_FALSE(audit_of(trace_id).empty());
  // A malformed traceparent is ignored (W3C Trace Context), not refused.
  const auto bad_trace = verify_with(
      kActiveBin, {{"traceparent", "00-" + std::string(32, '0') + "-00f067aa0ba902b7-01"}});
  ASSERT_EQ(bad_trace.status, 200u);
  EXPECT_TRUE(is_hex32(returned_id(bad_trace)));
  EXPECT_NE(returned_id(bad_trace), std::string(32, '0'));
  // X-Request-Id wins over traceparent.
  const auto both = verify_with(
      kActiveBin,
      {{"X-Request-Id", "mine-1"}, {"traceparent", "00-" + trace_id + "-00f067aa0ba902b7-01"}});
  EXPECT_EQ(returned_id(both), "mine-1");
}

TEST_F(RequestIdTest, AMalformedIdIsRefusedNamingTheHeaderBeforeAnyoneIsAsked) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  const auto audited_before =
      call(port_, http::verb::get, "/v1/audit").body.at("entries").as_array().size();
  for (const std::string& bad : {std::string("has space"), std::string(129, 'a'),
                                 std::string("a\"b"), std::string("кириллица")}) {
    SCOPED_TRACE(bad);
    const auto refused = verify_with(kActiveBin, {{"X-Request-Id", bad}});
    EXPECT_EQ(refused.status, 400u) << json::serialize(refused.body);
    EXPECT_EQ(text(refused.body.at("error").at("field")), "X-Request-Id");
    EXPECT_FALSE(text(refused.body.at("error").at("reason")).empty());
    // Still answered with an id of its own, so that the refusal can be found in the log.
    EXPECT_TRUE(is_hex32(returned_id(refused))) << returned_id(refused);
  }
  EXPECT_EQ(call(port_, http::verb::get, "/v1/audit").body.at("entries").as_array().size(),
            audited_before);
  // The audit's filter takes the same ids, and says which parameter it refuses.
  const auto bad_filter = call(port_, http::verb::get, "/v1/audit?request_id=a%20b");
  EXPECT_EQ(bad_filter.status, 400u);
  EXPECT_EQ(text(bad_filter.body.at("error").at("field")), "request_id");
}

}  // namespace
}  // namespace tekser::integration
