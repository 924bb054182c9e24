// Hostile input against the real gateway and mocks (issue 6, part 6): what a hostile client sends
// the API (oversize body or header, invalid UTF-8, JSON nested deep, a NUL, a client dribbling its
// header — slowloris), what a hostile state system replies (billion laughs, XXE, nesting 100 000
// deep, a flood of elements, invalid UTF-8, a NUL — injected with the mocks' custom_body fault)
// and what a hostile sender puts on the mock bus. Each is refused with a clear 4xx (the API: the
// field and the reason; the mock bus: a SOAP fault), or makes the source unavailable with the
// cause; never a block, a crash or a hang, and the processes serve on. Waits are deadlines.
#include <array>
#include <chrono>
#include <functional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

using Clock = std::chrono::steady_clock;

// ТОО «Көмек Тифлотехника»: in ГБД ЮЛ, KGD, e-licensing; asked of goszakup and Samruk-Kazyna.
constexpr const char* kSupplier = "161140118765";
// An individual entrepreneur (IIN) for the consent token.
constexpr const char* kIndividual = "800304403774";
constexpr auto kReadTimeout = std::chrono::milliseconds(1500);

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](std::size_t k) {
      return k < bytes.size() ? static_cast<unsigned>(static_cast<unsigned char>(bytes[k])) : 0u;
    };
    const unsigned bits = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(bits >> 18) & 63];
    out += kAlphabet[(bits >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(bits >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[bits & 63] : '=';
  }
  return out;
}

std::string nested(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += "<a>";
  for (std::size_t i = 0; i < depth; ++i) out += "</a>";
  return out;
}

// A SendMessageResponse (SCSS001) whose data is `data`, as a hostile bus could send it.
std::string soap_reply(const std::string& data, const std::string& prolog = {}) {
  return prolog +
         "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
         "<typ:SendMessageResponse xmlns:typ=\"http://bip.bee.kz/SyncChannel/v10/Types\">"
         "<response><responseInfo><messageId>m</messageId><responseDate>2026-01-15T10:00:00+05:00"
         "</responseDate><status><code>SCSS001</code><message>ok</message></status>"
         "</responseInfo><responseData><data>" +
         data +
         "</data></responseData></response></typ:SendMessageResponse></soap:Body>"
         "</soap:Envelope>";
}

const std::string kBillionLaughs =
    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>";

class HostileInputTest : public GatewayTest {
 protected:
  HostileInputTest() {
    resilience_yaml_ = kOneAttemptNoBreaker;  // one exchange per source: its cause is the fault's
    listen_extra_yaml_ = ", read_timeout_ms: " + std::to_string(kReadTimeout.count());
  }

  void add_fault(const json::object& rule) {
    const auto reply = mocks_admin(http::verb::post, "/admin/faults", json::serialize(rule));
    ASSERT_EQ(reply.status, 200u) << json::serialize(reply.body);
  }

  // Verifies kSupplier with `system` answering `rule`'s body: that source is unavailable with a
  // cause that mentions `cause_mentions`, gives no fact, the others answered, and the gateway is
  // still serving.
  void expect_unavailable(const std::string& system, const json::object& rule,
                          const std::string& cause_mentions) {
    json::object full = rule;
    full["system"] = system;
    full["mode"] = "custom_body";
    add_fault(full);
    ASSERT_EQ(put(kSupplier, R"({"categories":["technical_aids"]})").status, 201u);
    const auto started = Clock::now();
    const auto verified = verify(kSupplier);
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(6)) << "never a hang";
    ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
    bool seen = false;
    for (const auto& a : verified.body.at("verification").at("asked").as_array()) {
      const auto name = a.at("system").as_string();
      if (name == system) {
        seen = true;
        EXPECT_TRUE(is_text(a.at("outcome"), "unavailable")) << json::serialize(a);
        const std::string cause(a.at("cause").as_string());
        EXPECT_NE(cause.find(cause_mentions), std::string::npos) << cause;
        EXPECT_EQ(a.at("facts").as_int64(), 0);
      } else if (name == "kgd" || name == "gbd_ul") {
        EXPECT_TRUE(is_text(a.at("outcome"), "data")) << json::serialize(a);
      }
    }
    EXPECT_TRUE(seen) << system << " was not asked";
    for (const auto& f : verified.body.at("facts").as_array())
      EXPECT_FALSE(is_text(f.at("system"), system)) << json::serialize(f);
    // Never a block from a source that said nothing readable.
    const auto verdict =
        call(port_, http::verb::get, std::string("/v1/suppliers/") + kSupplier + "/eligibility");
    ASSERT_EQ(verdict.status, 200u);
    EXPECT_EQ(call(port_, http::verb::get, "/healthz").status, 200u);
  }

  void expect_400(const JsonReply& reply, const std::string& field, const std::string& mentions) {
    ASSERT_EQ(reply.status, 400u) << json::serialize(reply.body);
    const auto& error = reply.body.at("error");
    EXPECT_TRUE(is_text(error.at("field"), field)) << json::serialize(reply.body);
    const std::string reason(error.at("reason").as_string());
    EXPECT_NE(reason.find(mentions), std::string::npos) << reason;
  }
};

// ------------------------------------------------------------------ the API's limits

TEST_F(HostileInputTest, OversizeBodyIs413) {
  const std::string body(2 * 1024 * 1024, 'x');
  const auto result = http_call(port_, http::verb::put, std::string("/v1/suppliers/") + kSupplier,
                                body, 20s, "application/json");
  ASSERT_FALSE(result.error) << result.error.message();
  EXPECT_EQ(result.response.result_int(), 413u);
  const auto error = json::parse(result.response.body()).at("error");
  EXPECT_TRUE(is_text(error.at("field"), "body")) << result.response.body();
  EXPECT_NE(std::string(error.at("reason").as_string()).find("exceeds"), std::string::npos);
  EXPECT_EQ(call(port_, http::verb::get, "/healthz").status, 200u);
}

TEST_F(HostileInputTest, OversizeHeaderIs431) {
  // 32 KiB of header in fields of 8 KiB (the limit is 16 KiB), written raw.
  std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 4; ++i)
    request += "X-Padding-" + std::to_string(i) + ": " + std::string(8192, 'a') + "\r\n";
  request += "\r\n";
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(20s);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  asio::write(stream, asio::buffer(request));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  beast::error_code ec;
  http::read(stream, buffer, response, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(response.result_int(), 431u);
  const auto error = json::parse(response.body()).at("error");
  EXPECT_TRUE(is_text(error.at("field"), "header")) << response.body();
  EXPECT_NE(std::string(error.at("reason").as_string()).find("request header exceeds"),
            std::string::npos);
  EXPECT_EQ(call(port_, http::verb::get, "/healthz").status, 200u);
}

TEST_F(HostileInputTest, InvalidUtf8JsonIs400NamingTheBody) {
  expect_400(put(kSupplier, "{\"categories\":[\"invataxi\xff\"]}"), "body", "not valid UTF-8");
  expect_400(put(kSupplier, "{\"categ\xc0\xafories\":[\"invataxi\"]}"), "body", "not valid UTF-8");
}

TEST_F(HostileInputTest, DeepJsonIs400) {
  const std::string deep =
      "{\"categories\":" + std::string(10'000, '[') + std::string(10'000, ']') + "}";
  expect_400(put(kSupplier, deep), "body", "nested deeper than 32");
}

TEST_F(HostileInputTest, NulInAConsentTokenIs400NamingIt) {
  expect_400(
      put(kIndividual,
          R"({"categories":["sanatorium"],"consent":{"kdp_token":"a\u0000b","public_key":"k"}})"),
      "consent.kdp_token", "NUL");
}

TEST_F(HostileInputTest, InvalidUtf8InTheTargetIs400) {
  ASSERT_EQ(put(kSupplier, R"({"categories":["technical_aids"]})").status, 201u);
  expect_400(call(port_, http::verb::post,
                  std::string("/v1/suppliers/") + kSupplier + "/verify?systems=%FF%FE"),
             "systems", "not valid UTF-8");
  expect_400(call(port_, http::verb::get, "/v1/suppliers/%C0%AF/history"), "target",
             "not valid UTF-8");
}

// A client that sends its header a byte at a time is told 408 and cut off once the read timeout
// passes, and others are served meanwhile.
TEST_F(HostileInputTest, SlowlorisClientIsCutOffAndOthersAreServed) {
  asio::io_context io;
  tcp::socket slow(io);
  slow.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  slow.non_blocking(true);
  const std::string header =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(1000, 'z') + "\r\n\r\n";
  const auto started = Clock::now();
  bool cut = false;
  bool others_served = false;
  std::string answer;
  for (std::size_t i = 0; i < header.size() && Clock::now() - started < 20s; ++i) {
    beast::error_code ec;
    slow.write_some(asio::buffer(&header[i], 1), ec);
    char bytes[512];
    const auto n = slow.read_some(asio::buffer(bytes), ec);
    answer.append(bytes, ec ? 0 : n);
    if (ec && ec != asio::error::would_block) {
      cut = true;  // end of stream or reset: the server closed the connection
      break;
    }
    if (!others_served) others_served = call(port_, http::verb::get, "/healthz").status == 200;
    std::this_thread::sleep_for(200ms);  // the dribble's pace (a byte per 200 ms), not a wait
  }
  const auto lasted = Clock::now() - started;
  EXPECT_TRUE(cut) << "the dribbling client was never cut off";
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 408")) << answer;
  EXPECT_GE(lasted, kReadTimeout - 200ms);
  EXPECT_LT(lasted, kReadTimeout + 5s);
  EXPECT_TRUE(others_served);
  EXPECT_EQ(call(port_, http::verb::get, "/healthz").status, 200u);
}

// ------------------------------------------------------------------ HTTP framing (RFC 9112)

// What came back on one connection that was sent `bytes`: everything read until the server
// closed it (or `limit` passed).
struct RawExchange {
  std::string received;
  bool closed = false;  // the server ended the connection (end of stream or reset)
  std::chrono::steady_clock::duration lasted{};

  unsigned status() const {
    return received.size() >= 12 && received.starts_with("HTTP/1.")
               ? static_cast<unsigned>(std::stoi(received.substr(9, 3)))
               : 0u;
  }
  // The first response's body, by its Content-Length; and whether anything came after it.
  std::string first_body() const { return received.substr(body_start(), body_length()); }
  bool more_after_first() const { return received.size() > body_start() + body_length(); }
  json::value error() const {
    boost::system::error_code ec;
    auto parsed = json::parse(first_body(), ec);
    if (ec || !parsed.is_object() || !parsed.as_object().contains("error")) return nullptr;
    return parsed.at("error");
  }

 private:
  std::size_t body_start() const {
    const auto end = received.find("\r\n\r\n");
    return end == std::string::npos ? received.size() : end + 4;
  }
  std::size_t body_length() const {
    const auto head = received.substr(0, body_start());
    const auto at = head.find("Content-Length: ");
    if (at == std::string::npos) return 0;
    return static_cast<std::size_t>(std::stoul(head.substr(at + 16)));
  }
};

RawExchange raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::seconds limit = 15s) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  const auto started = Clock::now();
  asio::write(socket, asio::buffer(bytes));
  RawExchange out;
  std::array<char, 4096> chunk{};
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(chunk), [&](beast::error_code ec, std::size_t n) {
      out.received.append(chunk.data(), n);
      if (ec) {
        out.closed = true;
        out.lasted = Clock::now() - started;
        return;
      }
      read_more();
    });
  };
  read_more();
  io.run_for(limit);
  return out;
}

void expect_refusal(const RawExchange& exchange, unsigned status, const std::string& field,
                    const std::string& mentions) {
  EXPECT_EQ(exchange.status(), status) << exchange.received;
  EXPECT_FALSE(exchange.more_after_first())
      << "one answer, to the one request: " << exchange.received;
  EXPECT_TRUE(exchange.closed) << "the connection is closed after a framing refusal";
  const auto error = exchange.error();
  ASSERT_TRUE(error.is_object()) << exchange.received;
  EXPECT_TRUE(is_text(error.at("field"), field)) << exchange.received;
  EXPECT_NE(std::string(error.at("reason").as_string()).find(mentions), std::string::npos)
      << exchange.received;
}

// A Transfer-Encoding that is not exactly "chunked" would have us read the body as the next
// request while a proxy in front reads it as body (request smuggling): refused, and closed before
// the smuggled request is read.
TEST_F(HostileInputTest, ATransferEncodingOtherThanChunkedIs400AndNothingIsSmuggled) {
  const std::string smuggled =
      "GET /v1/suppliers/" + std::string(kSupplier) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (const std::string encoding :
       {"Transfer-Encoding: xchunked\r\n", "Transfer-Encoding: chunked, identity\r\n",
        "Transfer-Encoding: identity\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"}) {
    SCOPED_TRACE(encoding);
    const auto exchange = raw_exchange(port_, "POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                                  encoding + "\r\n0\r\n\r\n" + smuggled);
    expect_refusal(exchange, 400, "Transfer-Encoding", "");
  }
  expect_refusal(raw_exchange(port_,
                              "POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Transfer-Encoding: xchunked\r\n\r\n" +
                                  smuggled),
                 400, "Transfer-Encoding", "only \"chunked\" is accepted, got \"xchunked\"");
  // With a Content-Length beside it, which of the two frames the body is a guess: refused too.
  expect_refusal(raw_exchange(port_,
                              "POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                                  smuggled),
                 400, "Transfer-Encoding", "");
  // The plain form is served.
  const auto chunked =
      raw_exchange(port_,
                   "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                   "Connection: close\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.status(), 200u) << chunked.received;
  EXPECT_EQ(call(port_, http::verb::get, "/healthz").status, 200u);
}

TEST_F(HostileInputTest, Http11WithoutHostIs400) {
  expect_refusal(raw_exchange(port_, "GET /healthz HTTP/1.1\r\n\r\n"), 400, "Host",
                 "requires a Host header");
  expect_refusal(raw_exchange(port_, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400,
                 "Host", "one is allowed");
  // HTTP/1.0 has no Host requirement.
  EXPECT_EQ(raw_exchange(port_, "GET /healthz HTTP/1.0\r\n\r\n").status(), 200u);
}

// A body shorter than its Content-Length: the client is told 408 once the read deadline passes,
// and the connection closed; no request is made of the half body.
TEST_F(HostileInputTest, ABodyShorterThanItsContentLengthIs408AtTheReadDeadline) {
  const std::string part = R"({"categories":)";
  const auto exchange =
      raw_exchange(port_, "PUT /v1/suppliers/" + std::string(kSupplier) +
                              " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Content-Length: 100\r\n\r\n" +
                              part);
  expect_refusal(exchange, 408, "body",
                 std::to_string(100 - part.size()) + " of the 100 bytes its Content-Length");
  EXPECT_GE(exchange.lasted, kReadTimeout - 100ms);
  EXPECT_LT(exchange.lasted, kReadTimeout + 5s);
  EXPECT_EQ(call(port_, http::verb::get, std::string("/v1/suppliers/") + kSupplier).status, 404u)
      << "nothing was stored of the half request";
}

TEST_F(HostileInputTest, AJsonObjectWithADuplicateKeyIs400NamingTheKey) {
  expect_400(put(kSupplier, R"({"categories":["technical_aids"],"categories":["invataxi"]})"),
             "categories", "duplicate key");
  expect_400(put(kIndividual, R"({"categories":["sanatorium"],)"
                              R"("consent":{"kdp_token":"a","public_key":"k","kdp_token":"b"}})"),
             "consent.kdp_token", "duplicate key");
  EXPECT_EQ(call(port_, http::verb::get, std::string("/v1/suppliers/") + kSupplier).status, 404u);
}

// ------------------------------------------------------------------ hostile state systems

TEST_F(HostileInputTest, BillionLaughsReplyMakesTheSourceUnavailable) {
  expect_unavailable("gbd_ul", {{"body", soap_reply("<x>&lol4;</x>", kBillionLaughs)}},
                     "DOCTYPE (DTD) refused");
}

TEST_F(HostileInputTest, XxeReplyMakesTheSourceUnavailable) {
  expect_unavailable(
      "kgd",
      {{"body",
        soap_reply("<x>&xxe;</x>", "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>")}},
      "no DTDs or entities");
}

TEST_F(HostileInputTest, DeeplyNestedReplyMakesTheSourceUnavailable) {
  expect_unavailable("gbd_ul", {{"body", soap_reply(nested(100'000))}}, "nested deeper than 64");
}

TEST_F(HostileInputTest, FloodOfElementsMakesTheSourceUnavailable) {
  std::string flood;
  for (int i = 0; i < 100'001; ++i) flood += "<e/>";
  expect_unavailable("elicense", {{"body", soap_reply(flood)}}, "more than 100000 elements");
}

TEST_F(HostileInputTest, InvalidUtf8ReplyMakesTheSourceUnavailable) {
  expect_unavailable("gbd_ul", {{"body_base64", base64(soap_reply("<x>\xff\xfe</x>"))}},
                     "not valid UTF-8");
}

TEST_F(HostileInputTest, NulCharacterReferenceMakesTheSourceUnavailable) {
  expect_unavailable("kgd", {{"body", soap_reply("<x>&#0;</x>")}}, "character reference &#0;");
}

TEST_F(HostileInputTest, HostileJsonRegisterRepliesMakeTheRegisterUnavailable) {
  expect_unavailable("goszakup", {{"body", std::string(5000, '[') + std::string(5000, ']')}},
                     "nested deeper than 32");
}

TEST_F(HostileInputTest, InvalidUtf8JsonRegisterReplyMakesTheRegisterUnavailable) {
  expect_unavailable("samruk",
                     {{"body_base64", base64("{\"count\":0,\"results\":[\"\xc0\xaf\"]}")}},
                     "not valid UTF-8");
}

TEST_F(HostileInputTest, NulInAJsonRegisterReplyMakesTheRegisterUnavailable) {
  expect_unavailable("goszakup",
                     {{"body", R"({"total":1,"items":[{"supplier_biin":"161140118765",)"
                               R"("reason_ru":"a\u0000b"}]})"}},
                     "U+0000");
}

// ------------------------------------------------------------------ hostile senders on the bus

TEST_F(HostileInputTest, MockBusRefusesHostileRequestsWithASoapFault) {
  const std::string request =
      kBillionLaughs +
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
      "<typ:SendMessage xmlns:typ=\"http://bip.bee.kz/SyncChannel/v10/Types\"><request>"
      "<requestInfo><messageId>&lol4;</messageId></requestInfo></request></typ:SendMessage>"
      "</soap:Body></soap:Envelope>";
  for (const auto& body : {request, std::string("<r>") + nested(100'000) + "</r>",
                           std::string("<soap:Envelope>\xff</soap:Envelope>")}) {
    const auto result = http_call(mocks_port_, http::verb::post, "/bip-sync-wss-gost/", body);
    ASSERT_FALSE(result.error) << result.error.message();
    EXPECT_EQ(result.response.result_int(), 500u);  // SOAP 1.1 faults travel with HTTP 500
    EXPECT_NE(result.response.body().find("soap:Fault"), std::string::npos);
    EXPECT_NE(result.response.body().find("unsafe XML, not parsed"), std::string::npos)
        << result.response.body();
  }
  // The bus still answers the gateway.
  ASSERT_EQ(put(kSupplier, R"({"categories":["technical_aids"]})").status, 201u);
  const auto verified = verify(kSupplier);
  ASSERT_EQ(verified.status, 200u);
  for (const auto& a : verified.body.at("verification").at("asked").as_array())
    if (is_text(a.at("system"), "gbd_ul")) {
      EXPECT_TRUE(is_text(a.at("outcome"), "data"));
    }
}

}  // namespace
}  // namespace tekser::integration
