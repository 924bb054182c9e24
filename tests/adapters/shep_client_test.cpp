// The SHEP client over real loopback sockets: against the mock bus assembled in-process (data,
// faults, bus status, HTTP 503, malformed, hold) and against small scripted servers for what the
// mock cannot do (no data, truncated, oversized, stale keep-alive, a concurrency gate). Nothing
// here sleeps: waits are socket deadlines or polls with a deadline.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "adapters/shep/client.hpp"
#include "common/digest/sha256.hpp"
#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"
#include "mocks/shep_server/routes.hpp"
#include "tests/adapters/mock_bus.hpp"
#include "tests/mocks/test_support.hpp"

namespace tekser::shep {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Kind = Exchange::Kind;
using namespace std::chrono_literals;
using adapters::testing::MockBus;
using mocks::testing::text_at;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr const char* kFixtureBin = "150340012340";  // ТОО «Мейірім Медтехника»
constexpr const char* kRequestorBin = "210440099998";

Payload gbd_ul_payload(const std::string& bin) {
  return Payload{
      std::string(mocks::gbd_ul::kNamespace), "Request",
      "<RequestorBIN>" + std::string(kRequestorBin) + "</RequestorBIN><BIN>" + bin + "</BIN>"};
}

RequestInfo gbd_ul_info() {
  RequestInfo info;
  info.service_id = std::string(mocks::gbd_ul::kServiceId);
  return info;
}

// Every envelope any test sent, validated at the end against the SHEP + ГБД ЮЛ schemas.
std::mutex sent_mutex;
std::vector<std::string> sent_envelopes;

void remember(const Exchange& ex) {
  std::lock_guard lock(sent_mutex);
  sent_envelopes.push_back(ex.request_body);
}

Endpoint endpoint_at(unsigned short port, std::string target = "/bip-sync-wss-gost/") {
  Endpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = std::to_string(port);
  endpoint.target = std::move(target);
  return endpoint;
}

// Runs one send to completion on `io` (single thread) and returns what it came to.
Exchange send_one(asio::io_context& io, Client& client, const std::string& bin = kFixtureBin) {
  auto future =
      asio::co_spawn(io, client.send(gbd_ul_info(), gbd_ul_payload(bin)), asio::use_future);
  io.restart();
  io.run();
  auto ex = future.get();
  remember(ex);
  return ex;
}

// ------------------------------------------------------------------ scripted raw servers

// Reads one HTTP request; false once the peer has closed.
asio::awaitable<bool> read_request(tcp::socket& socket, beast::flat_buffer& buffer) {
  http::request<http::string_body> request;
  auto [ec, n] = co_await http::async_read(socket, buffer, request, kNoThrow);
  co_return !ec;
}

asio::awaitable<bool> write_text(tcp::socket& socket, const std::string& text) {
  auto [ec, n] = co_await asio::async_write(socket, asio::buffer(text), kNoThrow);
  co_return !ec;
}

// Reads until the peer closes.
asio::awaitable<void> wait_for_close(tcp::socket& socket) {
  char sink[1024];
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(sink), kNoThrow);
    if (ec) co_return;
  }
}

std::string http_text(unsigned status, std::string_view reason, const std::string& body,
                      std::string_view extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + std::string(extra_headers) + "\r\n" + body;
}

std::string response_envelope(const std::optional<Payload>& payload,
                              std::string code = std::string(kSuccessCode)) {
  return build_response(
      ResponseInfo{"r-1", "c-1", "2026-01-15T10:00:01.000+05:00", std::move(code),
                   "Сообщение обработано", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"},
      payload);
}

const Payload kSomeData{"", "", "<Status>1</Status>"};

// A loopback server on its own thread whose every connection runs `session`.
class RawServer {
 public:
  using Session = std::function<asio::awaitable<void>(tcp::socket&)>;

  explicit RawServer(Session session)
      : session_(std::move(session)),
        acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~RawServer() {
    io_.stop();
    thread_.join();
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int accepted() const { return accepted_.load(); }
  asio::io_context& io() { return io_; }

  // Answers every request on a connection with `text`, keeping the connection open.
  static Session answer(std::string text) {
    return [text = std::move(text)](tcp::socket& socket) -> asio::awaitable<void> {
      beast::flat_buffer buffer;
      while (co_await read_request(socket, buffer)) {
        if (!co_await write_text(socket, text)) co_return;
      }
    };
  }

 private:
  static asio::awaitable<void> run_session(Session& session, tcp::socket socket) {
    co_await session(socket);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) co_return;
      ++accepted_;
      asio::co_spawn(io_, run_session(session_, std::move(socket)), [](std::exception_ptr) {});
    }
  }

  Session session_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// A port on which nothing listens: bound, then closed again.
unsigned short closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

// ------------------------------------------------------------------ the mock bus in-process

// The mock bus with the ГБД ЮЛ and ГБД ФЛ emulators over the shipped fixtures.
std::unique_ptr<MockBus> start_bus() {
  std::vector<std::unique_ptr<mocks::Emulator>> emulators;
  emulators.push_back(
      std::make_unique<mocks::gbd_ul::GbdUlEmulator>(mocks::testing::shipped_fixtures()));
  emulators.push_back(
      std::make_unique<mocks::gbd_fl::GbdFlEmulator>(mocks::testing::shipped_fixtures()));
  return std::make_unique<MockBus>(std::move(emulators));
}

class ShepClientMockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { bus_ = start_bus(); }
  static void TearDownTestSuite() { bus_.reset(); }
  void TearDown() override { bus_->faults().clear(); }

  static ClientOptions short_options() {
    ClientOptions options;
    options.connect_timeout = 2s;
    options.read_timeout = 10s;
    options.total_timeout = 15s;
    options.sender_password = "not-a-secret";
    return options;
  }

  void fault_once(mocks::FaultMode mode) {
    bus_->faults().set(
        mocks::FaultRule{std::string(mocks::gbd_ul::kServiceId), mode, std::optional<int>(1)});
  }

  static inline std::unique_ptr<MockBus> bus_;
  asio::io_context io_;
};

// ------------------------------------------------------------------ endpoint

TEST(ShepEndpoint, ParsesHostPortAndPath) {
  std::string error;
  auto endpoint = Endpoint::parse("http://127.0.0.1:8080/bip-sync-wss-gost/", error);
  ASSERT_TRUE(endpoint) << error;
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_EQ(endpoint->port, "8080");
  EXPECT_EQ(endpoint->target, "/bip-sync-wss-gost/");
  EXPECT_EQ(endpoint->url(), "http://127.0.0.1:8080/bip-sync-wss-gost/");

  endpoint = Endpoint::parse("http://shep.example.kz", error);
  ASSERT_TRUE(endpoint) << error;
  EXPECT_EQ(endpoint->host, "shep.example.kz");
  EXPECT_EQ(endpoint->port, "80");
  EXPECT_EQ(endpoint->target, "/");

  endpoint = Endpoint::parse("http://[::1]:9000/SyncChannel", error);
  ASSERT_TRUE(endpoint) << error;
  EXPECT_EQ(endpoint->host, "::1");
  EXPECT_EQ(endpoint->url(), "http://[::1]:9000/SyncChannel");
}

TEST(ShepEndpoint, RejectsWhatItCannotServeNamingTheProblem) {
  std::string error;
  // https is served since the TLS client (issue 6): only schemes it cannot speak are refused.
  EXPECT_TRUE(Endpoint::parse("https://shep.example.kz/bip-sync-wss-gost/", error)) << error;
  EXPECT_FALSE(Endpoint::parse("ftp://shep.example.kz/", error));
  EXPECT_NE(error.find("unsupported scheme 'ftp'"), std::string::npos) << error;
  EXPECT_FALSE(Endpoint::parse("shep.example.kz:80/x", error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(Endpoint::parse("not a url", error));
  EXPECT_NE(error.find("not a url"), std::string::npos) << error;
  EXPECT_FALSE(Endpoint::parse("http://user:pw@shep.example.kz/", error));
  EXPECT_NE(error.find("credentials"), std::string::npos) << error;
  EXPECT_FALSE(Endpoint::parse("http://shep.example.kz:0/", error));
  EXPECT_NE(error.find("port"), std::string::npos) << error;
}

TEST(ShepMessageId, IsAFreshLowerCaseUuidV4) {
  const auto a = new_message_id();
  const auto b = new_message_id();
  EXPECT_NE(a, b);
  ASSERT_EQ(a.size(), 36u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(a[i], '-') << a;
    } else {
      EXPECT_TRUE((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f')) << a;
    }
  }
  EXPECT_EQ(a[14], '4') << a;
  EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos) << a;
}

// ------------------------------------------------------------------ against the mock bus

TEST_F(ShepClientMockTest, FixtureBinComesBackAsData) {
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  const auto before = xsd_time::now_ms();
  const auto ex = send_one(io_, client);
  ASSERT_EQ(ex.kind, Kind::data) << ex.cause << "\n" << ex.response_body.value_or("");
  EXPECT_TRUE(ex.cause.empty());
  EXPECT_EQ(ex.http_status, 200u);
  EXPECT_EQ(text_at(ex.reply.data, {"Organization", "ShortNameRu"}), "ТОО «Мейірім Медтехника»");
  EXPECT_EQ(ex.endpoint,
            "http://127.0.0.1:" + std::to_string(bus_->port()) + "/bip-sync-wss-gost/");
  ASSERT_TRUE(ex.response_body);
  EXPECT_EQ(ex.reply_sha256, digest::sha256_hex(*ex.response_body));
  EXPECT_EQ(ex.reply_sha256.size(), 64u);
  EXPECT_FALSE(ex.reused_connection);
  EXPECT_GE(ex.started_at, before);
  EXPECT_LE(ex.started_at, xsd_time::now_ms());

  // The envelope sent carries a fresh message id, a +05:00 date and the configured sender, and
  // the bus answered to that id.
  const auto sent = parse_request(ex.request_body);
  ASSERT_TRUE(sent.ok) << sent.problem;
  EXPECT_EQ(sent.info.message_id.size(), 36u);
  EXPECT_EQ(ex.reply.info.correlation_id, sent.info.message_id);
  EXPECT_TRUE(sent.info.message_date.ends_with("+05:00")) << sent.info.message_date;
  EXPECT_TRUE(xsd_time::parse_datetime(sent.info.message_date));
  EXPECT_EQ(sent.info.sender_id, "tekser");
  EXPECT_EQ(sent.info.password, "not-a-secret");
  EXPECT_EQ(sent.info.service_id, mocks::gbd_ul::kServiceId);
}

TEST_F(ShepClientMockTest, KeepsTheCallersMessageIdAndDate) {
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  auto info = gbd_ul_info();
  info.message_id = "6b1f3c2a-0d4e-4a51-9f3e-2b7c1d9e8a01";
  info.message_date = "2026-01-15T10:00:00.000+05:00";
  auto future =
      asio::co_spawn(io_, client.send(info, gbd_ul_payload(kFixtureBin)), asio::use_future);
  io_.run();
  const auto ex = future.get();
  remember(ex);
  ASSERT_EQ(ex.kind, Kind::data) << ex.cause;
  const auto sent = parse_request(ex.request_body);
  EXPECT_EQ(sent.info.message_id, info.message_id);
  EXPECT_EQ(sent.info.message_date, info.message_date);
}

TEST_F(ShepClientMockTest, SecondSequentialSendReusesTheConnection) {
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  const auto first = send_one(io_, client);
  const auto second = send_one(io_, client);
  EXPECT_EQ(first.kind, Kind::data) << first.cause;
  EXPECT_EQ(second.kind, Kind::data) << second.cause;
  EXPECT_FALSE(first.reused_connection);
  EXPECT_TRUE(second.reused_connection);

  // After close() nothing is kept: the next send opens a fresh connection.
  client.close();
  const auto third = send_one(io_, client);
  EXPECT_EQ(third.kind, Kind::data) << third.cause;
  EXPECT_FALSE(third.reused_connection);
}

TEST_F(ShepClientMockTest, SoapFaultCarriesTheErrorInfoCode) {
  fault_once(mocks::FaultMode::soap_fault);
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  const auto ex = send_one(io_, client);
  ASSERT_EQ(ex.kind, Kind::soap_fault) << ex.cause;
  EXPECT_EQ(ex.http_status, 500u);
  ASSERT_TRUE(ex.reply.error);
  EXPECT_EQ(ex.reply.error->code, mocks::kErrorProviderUnavailable);
  EXPECT_NE(ex.cause.find(std::string(mocks::kErrorProviderUnavailable)), std::string::npos)
      << ex.cause;
  EXPECT_NE(ex.cause.find("soap:Server"), std::string::npos) << ex.cause;
  EXPECT_FALSE(ex.reply_sha256.empty());
}

TEST_F(ShepClientMockTest, NonSuccessStatusIsABusStatus) {
  fault_once(mocks::FaultMode::status_error);
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  const auto ex = send_one(io_, client);
  ASSERT_EQ(ex.kind, Kind::bus_status) << ex.cause;
  EXPECT_EQ(ex.reply.info.status_code, mocks::kStatusProviderError);
  EXPECT_NE(ex.cause.find(std::string(mocks::kStatusProviderError)), std::string::npos) << ex.cause;
  EXPECT_NE(ex.cause.find("Ошибка вызова сервиса поставщика"), std::string::npos) << ex.cause;
}

TEST_F(ShepClientMockTest, Http503IsAnHttpError) {
  fault_once(mocks::FaultMode::http_503);
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  const auto ex = send_one(io_, client);
  ASSERT_EQ(ex.kind, Kind::http_error) << ex.cause;
  EXPECT_EQ(ex.http_status, 503u);
  // The mock's 503 is an HTML page, as a proxy's would be: the cause says it was not SOAP.
  EXPECT_EQ(ex.cause, "HTTP 503 Service Unavailable (not SOAP: text/html; charset=utf-8)");
}

TEST_F(ShepClientMockTest, MalformedEnvelopeIsMalformed) {
  fault_once(mocks::FaultMode::malformed);
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  const auto ex = send_one(io_, client);
  ASSERT_EQ(ex.kind, Kind::malformed) << ex.cause;
  EXPECT_EQ(ex.http_status, 200u);
  EXPECT_NE(ex.cause.find("not well-formed"), std::string::npos) << ex.cause;
}

TEST_F(ShepClientMockTest, ResetIsATransportError) {
  fault_once(mocks::FaultMode::reset);
  Client client(io_.get_executor(), endpoint_at(bus_->port()), short_options());
  const auto ex = send_one(io_, client);
  ASSERT_EQ(ex.kind, Kind::transport_error) << ex.cause;
  EXPECT_FALSE(ex.response_body);
  EXPECT_TRUE(ex.reply_sha256.empty());
  // The bus serves again afterwards.
  EXPECT_EQ(send_one(io_, client).kind, Kind::data);
}

TEST_F(ShepClientMockTest, HeldRequestEndsInAReadTimeoutOnTime) {
  fault_once(mocks::FaultMode::timeout);
  auto options = short_options();
  options.read_timeout = 300ms;
  Client client(io_.get_executor(), endpoint_at(bus_->port()), options);
  const auto started = std::chrono::steady_clock::now();
  const auto ex = send_one(io_, client);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(ex.kind, Kind::transport_error) << ex.cause;
  EXPECT_EQ(ex.cause, "read timeout after 300 ms");
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_GE(ex.duration, 300ms);
  EXPECT_LT(ex.duration, 3s);
}

TEST_F(ShepClientMockTest, TotalDeadlineBoundsTheReadWhenShorter) {
  fault_once(mocks::FaultMode::timeout);
  auto options = short_options();
  options.read_timeout = 10s;
  options.total_timeout = 300ms;
  Client client(io_.get_executor(), endpoint_at(bus_->port()), options);
  const auto ex = send_one(io_, client);
  ASSERT_EQ(ex.kind, Kind::transport_error) << ex.cause;
  EXPECT_EQ(ex.cause, "total deadline of 300 ms exceeded while waiting for the reply");
  EXPECT_LT(ex.duration, 3s);
}

// ------------------------------------------------------------------ against scripted servers

TEST(ShepClientRaw, SuccessWithoutDataIsNoData) {
  for (const auto& body :
       {response_envelope(std::nullopt), response_envelope(Payload{"", "", ""})}) {
    RawServer server(RawServer::answer(http_text(200, "OK", body)));
    asio::io_context io;
    Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
    const auto ex = send_one(io, client);
    EXPECT_EQ(ex.kind, Kind::no_data) << ex.cause << "\n" << body;
    EXPECT_EQ(ex.reply.info.status_code, kSuccessCode);
    EXPECT_EQ(ex.reply_sha256, digest::sha256_hex(body));
  }
}

// A proxy's HTML page (with its DOCTYPE) or a JSON error is not SOAP: unavailable, and the cause
// says so rather than calling the DOCTYPE hostile XML.
TEST(ShepClientRaw, AReplyThatIsNotXmlSaysSoWhateverItsBody) {
  const std::string html = "<!DOCTYPE html><html><body><h1>Gateway Time-out</h1></body></html>";
  for (const auto& [status, reason, type] :
       {std::tuple{200u, "OK", "text/html; charset=utf-8"},
        std::tuple{502u, "Bad Gateway", "text/html"}, std::tuple{200u, "OK", "application/json"}}) {
    const std::string text =
        "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + type +
        "\r\nContent-Length: " + std::to_string(html.size()) + "\r\n\r\n" + html;
    RawServer server(RawServer::answer(text));
    asio::io_context io;
    Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
    const auto ex = send_one(io, client);
    EXPECT_EQ(ex.kind, Kind::http_error) << ex.cause;
    EXPECT_NE(ex.cause.find(std::string("not SOAP: ") + type), std::string::npos) << ex.cause;
    EXPECT_EQ(ex.cause.find("DOCTYPE"), std::string::npos) << ex.cause;
    if (status != 200u) {
      EXPECT_TRUE(ex.cause.starts_with("HTTP 502")) << ex.cause;
    }
  }
  // application/soap+xml is SOAP.
  const auto body = response_envelope(std::nullopt);
  RawServer soap12(
      RawServer::answer("HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n"
                        "Content-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body));
  asio::io_context io;
  Client client(io.get_executor(), endpoint_at(soap12.port()), ClientOptions{});
  EXPECT_EQ(send_one(io, client).kind, Kind::no_data);
}

TEST(ShepClientRaw, EmptyBodyWith200IsMalformed) {
  RawServer server(RawServer::answer(http_text(200, "OK", "")));
  asio::io_context io;
  Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
  const auto ex = send_one(io, client);
  EXPECT_EQ(ex.kind, Kind::malformed) << ex.cause;
  EXPECT_EQ(ex.http_status, 200u);
}

TEST(ShepClientRaw, OtherSoapBodyWith200IsMalformed) {
  const std::string body =
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
      "<x:Other xmlns:x=\"urn:other\"/></soap:Body></soap:Envelope>";
  RawServer server(RawServer::answer(http_text(200, "OK", body)));
  asio::io_context io;
  Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
  const auto ex = send_one(io, client);
  EXPECT_EQ(ex.kind, Kind::malformed) << ex.cause;
  EXPECT_NE(ex.cause.find("not a SyncChannel SendMessageResponse"), std::string::npos) << ex.cause;
}

TEST(ShepClientRaw, FaultIsAFaultWhateverTheHttpStatus) {
  ErrorInfo error;
  error.code = "SE_TEST";
  error.message = "test fault";
  error.date = "2026-01-15T10:00:01.000+05:00";
  const auto fault = build_fault("soap:Server", "boom", error);
  for (unsigned status : {200u, 500u}) {
    RawServer server(
        RawServer::answer(http_text(status, status == 200 ? "OK" : "Server Error", fault)));
    asio::io_context io;
    Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
    const auto ex = send_one(io, client);
    EXPECT_EQ(ex.kind, Kind::soap_fault) << status << ": " << ex.cause;
    ASSERT_TRUE(ex.reply.error);
    EXPECT_EQ(ex.reply.error->code, "SE_TEST");
  }
}

// A fault whose detail nests far deeper than the limit of untrusted XML still names its code, its
// string and its top ErrorInfo; what lies below is not read, and the cause says so. A DTD in the
// same fault is still refused outright.
TEST(ShepClientRaw, AFaultWhoseDetailNestsTooDeepKeepsItsTopLevelErrorCode) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<subError>";
  for (int i = 0; i < 5000; ++i) deep += "</subError>";
  const std::string fault =
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
      "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>provider down</faultstring>"
      "<detail><typ:SendMessageFault1_SendMessageFault xmlns:typ=\"http://bip.bee.kz/SyncChannel/"
      "v10/Types\"><errorCode>SE_PROVIDER_UNAVAILABLE</errorCode><errorMessage>ГБД ЮЛ не "
      "отвечает</errorMessage>" +
      deep +
      "</typ:SendMessageFault1_SendMessageFault></detail></soap:Fault></soap:Body>"
      "</soap:Envelope>";
  {
    RawServer server(RawServer::answer(http_text(500, "Server Error", fault)));
    asio::io_context io;
    Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
    const auto ex = send_one(io, client);
    ASSERT_EQ(ex.kind, Kind::soap_fault) << ex.cause;
    EXPECT_EQ(ex.reply.fault_code, "soap:Server");
    EXPECT_EQ(ex.reply.fault_string, "provider down");
    ASSERT_TRUE(ex.reply.error);
    EXPECT_EQ(ex.reply.error->code, "SE_PROVIDER_UNAVAILABLE");
    EXPECT_NE(ex.cause.find("SE_PROVIDER_UNAVAILABLE"), std::string::npos) << ex.cause;
    EXPECT_NE(ex.cause.find("its detail was not read: elements nested deeper than 64"),
              std::string::npos)
        << ex.cause;
  }
  {
    const std::string hostile = "<!DOCTYPE x [<!ENTITY e \"e\">]>" + fault;
    RawServer server(RawServer::answer(http_text(500, "Server Error", hostile)));
    asio::io_context io;
    Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
    const auto ex = send_one(io, client);
    EXPECT_EQ(ex.kind, Kind::transport_error) << ex.cause;
    EXPECT_NE(ex.cause.find("DOCTYPE"), std::string::npos) << ex.cause;
  }
}

TEST(ShepClientRaw, SameReplyWithOtherPrefixesClassifiesTheSame) {
  const std::string info =
      "<response><responseInfo><messageId>r-77</messageId><responseDate>2026-11-22T14:03:08.001"
      "+05:00</responseDate><status><code>SCSS001</code><message>OK</message></status>"
      "</responseInfo><responseData><data><Status>1</Status></data></responseData></response>";
  const std::string soap(kSoapNs), types(kTypesNs);
  const std::vector<std::string> variants = {
      response_envelope(kSomeData),
      "<S:Envelope xmlns:S=\"" + soap + "\"><S:Body><ns2:SendMessageResponse xmlns:ns2=\"" + types +
          "\">" + info + "</ns2:SendMessageResponse></S:Body></S:Envelope>",
      "<soapenv:Envelope xmlns:soapenv=\"" + soap +
          "\"><soapenv:Header/><soapenv:Body><SendMessageResponse xmlns=\"" + types +
          "\"><response xmlns=\"\">" + info.substr(std::string("<response>").size()) +
          "</SendMessageResponse></soapenv:Body></soapenv:Envelope>",
  };
  for (const auto& body : variants) {
    RawServer server(RawServer::answer(http_text(200, "OK", body)));
    asio::io_context io;
    Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
    const auto ex = send_one(io, client);
    EXPECT_EQ(ex.kind, Kind::data) << ex.cause << "\n" << body;
    EXPECT_EQ(text_at(ex.reply.data, {"Status"}), "1") << body;
    EXPECT_EQ(ex.reply.info.status_code, kSuccessCode);
  }
}

TEST(ShepClientRaw, ConnectionRefusedIsATransportError) {
  const auto port = closed_port();
  asio::io_context io;
  Client client(io.get_executor(), endpoint_at(port), ClientOptions{});
  const auto ex = send_one(io, client);
  ASSERT_EQ(ex.kind, Kind::transport_error);
  EXPECT_NE(ex.cause.find("connect to 127.0.0.1:" + std::to_string(port) + " failed"),
            std::string::npos)
      << ex.cause;
  EXPECT_NE(ex.cause.find("refused"), std::string::npos) << ex.cause;
  EXPECT_FALSE(ex.http_status);
  EXPECT_FALSE(ex.request_body.empty());
}

TEST(ShepClientRaw, ResolvesAHostName) {
  RawServer server(RawServer::answer(http_text(200, "OK", response_envelope(kSomeData))));
  auto endpoint = endpoint_at(server.port());
  endpoint.host = "localhost";  // from /etc/hosts; the connect tries every address it has
  asio::io_context io;
  Client client(io.get_executor(), endpoint, ClientOptions{});
  const auto ex = send_one(io, client);
  EXPECT_EQ(ex.kind, Kind::data) << ex.cause;
}

// (No test of a name that does not resolve: that would ask a DNS server off this machine.)
TEST(ShepClientRaw, InvalidPortIsATransportError) {
  asio::io_context io;
  auto endpoint = endpoint_at(0);
  endpoint.port = "http";
  Client client(io.get_executor(), endpoint, ClientOptions{});
  const auto ex = send_one(io, client);
  EXPECT_EQ(ex.kind, Kind::transport_error);
  EXPECT_EQ(ex.cause, "invalid port 'http'");
}

TEST(ShepClientRaw, ReplyCutShortIsATransportError) {
  const auto body = response_envelope(kSomeData);
  const auto full = http_text(200, "OK", body);
  RawServer server([cut = full.substr(0, full.size() - body.size() / 2)](
                       tcp::socket& socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) co_await write_text(socket, cut);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  });
  asio::io_context io;
  Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
  const auto ex = send_one(io, client);
  ASSERT_EQ(ex.kind, Kind::transport_error);
  EXPECT_NE(ex.cause.find("connection closed mid-reply"), std::string::npos) << ex.cause;
  EXPECT_FALSE(ex.response_body);
}

TEST(ShepClientRaw, ConnectionClosedWithoutAReplyIsATransportError) {
  RawServer server([](tcp::socket& socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    co_await read_request(socket, buffer);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  });
  asio::io_context io;
  Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
  const auto ex = send_one(io, client);
  ASSERT_EQ(ex.kind, Kind::transport_error);
  EXPECT_NE(ex.cause.find("connection closed before any reply"), std::string::npos) << ex.cause;
  EXPECT_EQ(server.accepted(), 1);  // a fresh connection is not retried
}

TEST(ShepClientRaw, OversizedReplyIsATransportError) {
  const auto body =
      response_envelope(Payload{"", "", "<Blob>" + std::string(4096, 'x') + "</Blob>"});
  RawServer server(RawServer::answer(http_text(200, "OK", body)));
  asio::io_context io;
  ClientOptions options;
  options.body_limit = 1024;
  Client client(io.get_executor(), endpoint_at(server.port()), options);
  const auto ex = send_one(io, client);
  ASSERT_EQ(ex.kind, Kind::transport_error);
  EXPECT_EQ(ex.cause, "reply larger than 1024 bytes");
}

TEST(ShepClientRaw, StaleKeptAliveConnectionIsRetriedOnceOnAFreshOne) {
  // Promises keep-alive, then closes the connection after every reply.
  const auto reply = http_text(200, "OK", response_envelope(kSomeData));
  RawServer server([reply](tcp::socket& socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) co_await write_text(socket, reply);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  });
  asio::io_context io;
  Client client(io.get_executor(), endpoint_at(server.port()), ClientOptions{});
  const auto first = send_one(io, client);
  ASSERT_EQ(first.kind, Kind::data) << first.cause;
  const auto second = send_one(io, client);
  ASSERT_EQ(second.kind, Kind::data) << second.cause;
  EXPECT_FALSE(second.reused_connection);  // the answer came on the fresh connection
  EXPECT_EQ(server.accepted(), 2);
}

TEST(ShepClientRaw, WaitForASlotCountsAgainstTheTotalDeadline) {
  // Holds every request until the client gives up.
  RawServer server([](tcp::socket& socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    if (co_await read_request(socket, buffer)) co_await wait_for_close(socket);
  });
  asio::io_context io;
  ClientOptions options;
  options.max_concurrent = 1;
  options.read_timeout = 800ms;
  Client client(io.get_executor(), endpoint_at(server.port()), options);
  // `first` takes the only slot and is held; `second` has less time than `first` takes.
  auto first =
      asio::co_spawn(io, client.send(gbd_ul_info(), gbd_ul_payload(kFixtureBin)), asio::use_future);
  auto second = asio::co_spawn(io, client.send(gbd_ul_info(), gbd_ul_payload(kFixtureBin), 300ms),
                               asio::use_future);
  const auto started = std::chrono::steady_clock::now();
  io.run();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  const auto held = first.get();
  const auto queued = second.get();
  remember(held);
  remember(queued);
  EXPECT_EQ(held.kind, Kind::transport_error);
  EXPECT_EQ(held.cause, "read timeout after 800 ms");
  EXPECT_EQ(queued.kind, Kind::transport_error);
  EXPECT_EQ(queued.cause, "total deadline of 300 ms exceeded while waiting for a connection slot");
  EXPECT_GE(queued.duration, 300ms);
  EXPECT_LT(queued.duration, held.duration);
  EXPECT_EQ(server.accepted(), 1);
}

// Holds each request until two are in flight at once or every expected request has arrived, and
// records the most it ever saw in flight. Runs on the server's single thread: no locks.
struct Gate {
  int expected = 0;
  int arrived = 0;
  int in_flight = 0;
  std::atomic<int> max_in_flight{0};
  std::vector<std::shared_ptr<asio::steady_timer>> held;

  void open() {
    for (auto& timer : held) timer->cancel();
    held.clear();
  }
};

TEST(ShepClientRaw, AtMostMaxConcurrentRequestsAreInFlight) {
  constexpr int kRequests = 5;
  auto gate = std::make_shared<Gate>();
  gate->expected = kRequests;
  const auto reply = http_text(200, "OK", response_envelope(kSomeData));
  RawServer server([gate, reply](tcp::socket& socket) -> asio::awaitable<void> {
    beast::flat_buffer buffer;
    while (co_await read_request(socket, buffer)) {
      ++gate->arrived;
      ++gate->in_flight;
      gate->max_in_flight = std::max(gate->max_in_flight.load(), gate->in_flight);
      if (gate->in_flight >= 2 || gate->arrived == gate->expected) {
        gate->open();
      } else {
        auto timer = std::make_shared<asio::steady_timer>(socket.get_executor(), 10s);
        gate->held.push_back(timer);
        co_await timer->async_wait(kNoThrow);
      }
      const bool written = co_await write_text(socket, reply);
      --gate->in_flight;
      if (!written) co_return;
    }
  });

  asio::io_context io(2);
  ClientOptions options;
  options.max_concurrent = 2;
  Client client(io.get_executor(), endpoint_at(server.port()), options);
  std::vector<std::future<Exchange>> futures;
  for (int i = 0; i < kRequests; ++i)
    futures.push_back(asio::co_spawn(io, client.send(gbd_ul_info(), gbd_ul_payload(kFixtureBin)),
                                     asio::use_future));
  const auto started = std::chrono::steady_clock::now();
  std::thread second([&io] { io.run(); });
  io.run();
  second.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);  // the gate never timed out
  int reused = 0;
  for (auto& future : futures) {
    const auto ex = future.get();
    remember(ex);
    EXPECT_EQ(ex.kind, Kind::data) << ex.cause;
    reused += ex.reused_connection ? 1 : 0;
  }
  EXPECT_EQ(gate->max_in_flight.load(), 2);
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(reused, kRequests - 2);
}

// ------------------------------------------------------------------ contract conformance

// Every envelope the client sent in this run (those above, and a few more sent here with every
// optional field of requestInfo) validates against the SHEP + ГБД ЮЛ schemas.
TEST(ShepClientConformance, EveryEnvelopeSentValidatesAgainstTheContracts) {
  RawServer server(RawServer::answer(http_text(200, "OK", response_envelope(std::nullopt))));
  asio::io_context io;
  ClientOptions options;
  options.sender_password = "not-a-secret";
  Client client(io.get_executor(), endpoint_at(server.port()), options);
  auto info = gbd_ul_info();
  info.correlation_id = "chain-42";
  info.route_id = "route-1";
  info.properties = {{"consent", "kdp-1"}, {"purpose", "Әлеуметтік тексеру"}};
  for (const auto* bin : {kFixtureBin, "210440099998"}) {
    auto future = asio::co_spawn(io, client.send(info, gbd_ul_payload(bin)), asio::use_future);
    io.restart();
    io.run();
    const auto ex = future.get();
    EXPECT_EQ(ex.kind, Kind::no_data) << ex.cause;
    remember(ex);
  }
  send_one(io, client);

  const xsd::Validator validator(
      mocks::testing::contracts_dir(),
      mocks::testing::concat(xsd::shep_namespaces(), xsd::gbd_ul_namespaces()));
  std::lock_guard lock(sent_mutex);
  ASSERT_GE(sent_envelopes.size(), 3u);
  for (const auto& envelope : sent_envelopes) {
    const auto errors = validator.validate_soap_body(envelope);
    EXPECT_TRUE(errors.empty()) << envelope << "\n" << (errors.empty() ? "" : errors.front());
  }
}

}  // namespace
}  // namespace tekser::shep
