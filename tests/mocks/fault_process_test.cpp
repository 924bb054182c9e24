// Every fault mode against the real tekser-mocks binary over a real socket: what a client sees on
// the wire (a reset is ECONNRESET, "empty" is a close without a status line, a truncated reply
// is not well-formed, latency answers after the delay, ...). Nothing sleeps: reads have
// deadlines.
#include <gtest/gtest.h>

#include <array>
#include <sstream>

#include "mocks/shep_server/fault_switch.hpp"
#include "test_support.hpp"
#include "tests/support/process.hpp"

namespace tekser::mocks {
namespace {

using namespace tekser::testing;

constexpr const char* kActiveBin = "150340012340";
constexpr const char* kOtherBin = "161140118765";

// What came back on one connection, byte for byte, and how it ended.
struct Wire {
  std::string bytes;
  beast::error_code end;  // eof, connection_reset, ...
  bool gave_up = false;   // the deadline passed first
  std::chrono::milliseconds elapsed{0};

  // The HTTP response in `bytes`, if a whole one came.
  std::optional<http::response<http::string_body>> response() const {
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    beast::error_code ec;
    parser.put(asio::buffer(bytes), ec);
    if (ec || !parser.is_done()) return std::nullopt;
    return parser.release();
  }
};

// Sends `request` with "Connection: close" on a fresh connection and reads until the server
// closes or resets it, or the deadline passes.
Wire exchange(unsigned short port, http::request<http::string_body> request,
              std::chrono::milliseconds deadline = 10s) {
  request.set(http::field::host, "127.0.0.1");
  request.keep_alive(false);
  request.prepare_payload();
  std::ostringstream serialized;
  serialized << request;
  const auto text = serialized.str();

  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  Wire wire;
  // The clock starts before the request leaves: the server's delay cannot begin earlier, so
  // elapsed >= the delay holds however long this thread waits to run after the write (it waited
  // 4 ms on a loaded machine, and a 140 ms delay measured 136).
  const auto started = std::chrono::steady_clock::now();
  asio::write(socket, asio::buffer(text));
  std::array<char, 4096> chunk{};
  bool done = false;
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(chunk), [&](beast::error_code ec, std::size_t n) {
      wire.bytes.append(chunk.data(), n);
      if (ec) {
        wire.end = ec;
        done = true;
        return;
      }
      read_more();
    });
  };
  read_more();
  io.run_for(deadline);
  wire.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  wire.gave_up = !done;
  return wire;
}

http::request<http::string_body> soap_request(const std::string& bin) {
  http::request<http::string_body> request{http::verb::post, "/bip-sync-wss-gost/", 11};
  request.set(http::field::content_type, "text/xml; charset=utf-8");
  request.body() = testing::gbd_ul_request(bin);
  return request;
}

http::request<http::string_body> rnu_request(const std::string& biin) {
  http::request<http::string_body> request{http::verb::get, "/v3/rnu?supplier_biin=" + biin, 11};
  request.set(http::field::authorization, "Bearer test");
  return request;
}

bool well_formed(std::string_view text) {
  pugi::xml_document doc;
  return static_cast<bool>(doc.load_buffer(text.data(), text.size()));
}

bool is_json(std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse(text, ec);
  return !ec;
}

class FaultProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    process_ = std::make_unique<ChildProcess>(
        [](const fs::path& dir) {
          return std::vector<std::string>{TEKSER_MOCKS_BINARY,
                                          "--listen",
                                          "127.0.0.1:0",
                                          "--port-file",
                                          (dir / "port").string(),
                                          "--contracts",
                                          TEKSER_CONTRACTS_DIR,
                                          "--threads",
                                          "2"};
        },
        "mocks");
    port_ = process_->wait_listening();
  }
  static void TearDownTestSuite() {
    if (process_) {
      EXPECT_EQ(process_->stop(SIGTERM, 15s), 0) << process_->stderr_text();
      process_.reset();
    }
  }
  void SetUp() override {
    ASSERT_EQ(admin(http::verb::delete_, "/admin/faults").status, 200u);
    ASSERT_EQ(admin(http::verb::delete_, "/admin/journal").status, 200u);
  }

  struct Admin {
    unsigned status = 0;
    boost::json::value body;
  };
  static Admin admin(http::verb method, const std::string& target, const std::string& body = {}) {
    const auto result = http_call(port_, method, target, body, 10s, "application/json");
    EXPECT_FALSE(result.error) << target << ": " << result.error.message();
    Admin out{result.response.result_int(), nullptr};
    boost::system::error_code ec;
    out.body = boost::json::parse(result.response.body(), ec);
    return out;
  }
  static std::string fault(const std::string& body) {
    const auto reply = admin(http::verb::post, "/admin/faults", body);
    EXPECT_EQ(reply.status, 200u) << body << " -> " << boost::json::serialize(reply.body);
    return reply.status == 200 ? std::string(reply.body.at("id").as_string()) : std::string();
  }
  static std::int64_t journal_count(const std::string& query) {
    return admin(http::verb::get, "/admin/journal/count" + query).body.at("count").as_int64();
  }
  static boost::json::array journal(const std::string& query) {
    return admin(http::verb::get, "/admin/journal" + query).body.as_array();
  }

  static inline std::unique_ptr<ChildProcess> process_;
  static inline unsigned short port_ = 0;
};

// ---- SOAP ----

TEST_F(FaultProcessTest, LatencyAnswersNormallyAfterTheDelay) {
  const auto id = fault(R"({"system":"gbd_ul","mode":"latency","latency_ms":400,"count":1})");
  const auto wire = exchange(port_, soap_request(kActiveBin));
  EXPECT_GE(wire.elapsed, 400ms);
  const auto response = wire.response();
  ASSERT_TRUE(response) << wire.bytes;
  EXPECT_EQ(response->result_int(), 200u);
  const auto reply = shep::parse_reply(response->body());
  EXPECT_EQ(reply.info.status_code, shep::kSuccessCode);
  EXPECT_EQ(testing::text_at(reply.data, {"Organization", "ShortNameRu"}),
            "ТОО «Мейірім Медтехника»");
  const auto entries = journal("?subject=150340012340");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("fault_id"), boost::json::value(id));
  EXPECT_EQ(entries[0].at("latency_ms"), 400);
  EXPECT_EQ(entries[0].at("outcome"), "found");
}

TEST_F(FaultProcessTest, LogNormalLatencyDelaysByTheDrawnAmount) {
  fault(R"({"system":"gbd_ul","mode":"latency","latency":{"median_ms":150,"sigma":0.3},"seed":5})");
  const auto wire = exchange(port_, soap_request(kActiveBin));
  ASSERT_TRUE(wire.response());
  const auto drawn = journal("?subject=150340012340").at(0).at("latency_ms").as_int64();
  EXPECT_GT(drawn, 0);
  EXPECT_GE(wire.elapsed.count(), drawn);
}

TEST_F(FaultProcessTest, TimeoutHoldsTheConnectionUntilTheClientGivesUp) {
  fault(R"({"system":"gbd_ul","mode":"timeout"})");
  const auto wire = exchange(port_, soap_request(kActiveBin), 500ms);
  EXPECT_TRUE(wire.gave_up);
  EXPECT_TRUE(wire.bytes.empty());
  EXPECT_GE(wire.elapsed, 500ms);
  EXPECT_EQ(journal_count("?subject=150340012340&system=gbd_ul"), 1)
      << "journaled on arrival, though never answered";
}

TEST_F(FaultProcessTest, ResetIsAConnectionResetWithoutAByte) {
  fault(R"({"system":"gbd_ul","mode":"reset"})");
  const auto wire = exchange(port_, soap_request(kActiveBin));
  EXPECT_FALSE(wire.gave_up);
  EXPECT_EQ(wire.end, asio::error::connection_reset) << wire.end.message();
  EXPECT_TRUE(wire.bytes.empty());
}

TEST_F(FaultProcessTest, EmptyClosesTheConnectionWithoutAStatusLine) {
  fault(R"({"system":"gbd_ul","mode":"empty"})");
  const auto wire = exchange(port_, soap_request(kActiveBin));
  EXPECT_FALSE(wire.gave_up);
  EXPECT_EQ(wire.end, asio::error::eof) << wire.end.message();
  EXPECT_TRUE(wire.bytes.empty());
}

TEST_F(FaultProcessTest, EmptyBodyIsA200WithNothingInIt) {
  fault(R"({"system":"gbd_ul","mode":"empty_body"})");
  const auto response = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ((*response)[http::field::content_length], "0");
  EXPECT_TRUE(response->body().empty());
}

TEST_F(FaultProcessTest, TruncatedIsARealReplyCutMidElement) {
  fault(R"({"system":"gbd_ul","mode":"truncated"})");
  const auto response = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  const auto& body = response->body();
  EXPECT_FALSE(well_formed(body)) << body;
  EXPECT_NE(body.find("SendMessageResponse"), std::string::npos);
  EXPECT_EQ(shep::parse_reply(body).kind, shep::ParsedReply::Kind::malformed);
  EXPECT_EQ(body[body.size() - 2], '<') << "cut just inside an element's name";
}

TEST_F(FaultProcessTest, MalformedIsA200WithGarbage) {
  fault(R"({"system":"gbd_ul","mode":"malformed"})");
  const auto response = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_FALSE(well_formed(response->body()));
}

TEST_F(FaultProcessTest, Http500And503CarryNoSoapFault) {
  for (const auto& [mode, status] : {std::pair{"http_500", 500u}, std::pair{"http_503", 503u}}) {
    SCOPED_TRACE(mode);
    fault(std::string(R"({"system":"gbd_ul","mode":")") + mode + R"(","count":1})");
    const auto response = exchange(port_, soap_request(kActiveBin)).response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), status);
    EXPECT_NE(shep::parse_reply(response->body()).kind, shep::ParsedReply::Kind::fault);
  }
}

TEST_F(FaultProcessTest, SoapFaultAndStatusErrorCarryTheirCodes) {
  fault(R"({"system":"gbd_ul","mode":"soap_fault","count":1})");
  auto response = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 500u);
  auto reply = shep::parse_reply(response->body());
  ASSERT_EQ(reply.kind, shep::ParsedReply::Kind::fault);
  EXPECT_EQ(reply.error->code, kErrorProviderUnavailable);

  fault(R"({"system":"gbd_ul","mode":"soap_fault","error_code":"SE_TIMEOUT","count":1})");
  response = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(shep::parse_reply(response->body()).error->code, "SE_TIMEOUT");

  fault(R"({"system":"gbd_ul","mode":"status_error","status_code":"SE_QUEUE_FULL","count":1})");
  response = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  reply = shep::parse_reply(response->body());
  EXPECT_EQ(reply.info.status_code, "SE_QUEUE_FULL");
  EXPECT_FALSE(reply.data);
}

TEST_F(FaultProcessTest, LatencyThenResetResetsAfterTheDelay) {
  fault(R"({"system":"gbd_ul","mode":"reset","latency_ms":300})");
  const auto wire = exchange(port_, soap_request(kActiveBin));
  EXPECT_EQ(wire.end, asio::error::connection_reset) << wire.end.message();
  EXPECT_GE(wire.elapsed, 300ms);
}

TEST_F(FaultProcessTest, ASupplierRuleHitsThatSupplierOnlyAndTheJournalCountsIt) {
  const auto id = fault(R"({"system":"gbd_ul","subject":"150340012340","mode":"http_503"})");
  EXPECT_EQ(exchange(port_, soap_request(kActiveBin)).response()->result_int(), 503u);
  EXPECT_EQ(exchange(port_, soap_request(kOtherBin)).response()->result_int(), 200u);
  EXPECT_EQ(journal_count("?subject=150340012340&service_id=GbdulInfoByBin_v2"), 1);
  EXPECT_EQ(journal_count("?subject=161140118765"), 1);
  const auto faulted = journal("?subject=150340012340").at(0);
  EXPECT_EQ(faulted.at("fault_id"), boost::json::value(id));
  EXPECT_EQ(faulted.at("outcome"), "injected_http_503");
  EXPECT_TRUE(journal("?subject=161140118765").at(0).at("fault_id").is_null());

  EXPECT_EQ(admin(http::verb::delete_, "/admin/faults/" + id).status, 200u);
  EXPECT_EQ(exchange(port_, soap_request(kActiveBin)).response()->result_int(), 200u);
}

TEST_F(FaultProcessTest, SignatureModesFollowTheBusSigner) {
  // Whether this binary signs its replies is its own business (mocks/signing): without a signer
  // missing_signature is a plain reply and invalid_signature is refused; with one, a normal reply
  // carries a signature that the missing_signature reply lacks.
  const auto normal = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(normal);
  const bool signs = normal->body().find("Signature") != std::string::npos;

  fault(R"({"system":"gbd_ul","mode":"missing_signature","count":1})");
  const auto unsigned_reply = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(unsigned_reply);
  EXPECT_EQ(unsigned_reply->result_int(), 200u);
  EXPECT_EQ(unsigned_reply->body().find("Signature"), std::string::npos);
  EXPECT_EQ(shep::parse_reply(unsigned_reply->body()).info.status_code, shep::kSuccessCode);

  const auto invalid = admin(http::verb::post, "/admin/faults",
                             R"({"system":"gbd_ul","mode":"invalid_signature","count":1})");
  if (!signs) {
    EXPECT_EQ(invalid.status, 400u);
    EXPECT_NE(boost::json::serialize(invalid.body).find("no reply signer configured"),
              std::string::npos);
    return;
  }
  EXPECT_EQ(invalid.status, 200u);
  const auto altered = exchange(port_, soap_request(kActiveBin)).response();
  ASSERT_TRUE(altered);
  EXPECT_NE(altered->body().find("Signature"), std::string::npos);
  EXPECT_TRUE(well_formed(altered->body()));
}

// ---- REST (goszakup) ----

TEST_F(FaultProcessTest, EveryRestModeOnTheWire) {
  const auto normal = exchange(port_, rnu_request(kActiveBin)).response();
  ASSERT_TRUE(normal);
  ASSERT_TRUE(is_json(normal->body()));

  fault(R"({"system":"goszakup","mode":"latency","latency_ms":300,"count":1})");
  auto wire = exchange(port_, rnu_request(kActiveBin));
  EXPECT_GE(wire.elapsed, 300ms);
  ASSERT_TRUE(wire.response());
  EXPECT_TRUE(is_json(wire.response()->body()));

  fault(R"({"system":"goszakup","mode":"timeout","count":1})");
  wire = exchange(port_, rnu_request(kActiveBin), 400ms);
  EXPECT_TRUE(wire.gave_up);
  EXPECT_TRUE(wire.bytes.empty());

  fault(R"({"system":"goszakup","mode":"reset","count":1})");
  wire = exchange(port_, rnu_request(kActiveBin));
  EXPECT_EQ(wire.end, asio::error::connection_reset) << wire.end.message();
  EXPECT_TRUE(wire.bytes.empty());

  fault(R"({"system":"goszakup","mode":"empty","count":1})");
  wire = exchange(port_, rnu_request(kActiveBin));
  EXPECT_EQ(wire.end, asio::error::eof) << wire.end.message();
  EXPECT_TRUE(wire.bytes.empty());

  fault(R"({"system":"goszakup","mode":"empty_body","count":1})");
  auto response = exchange(port_, rnu_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_TRUE(response->body().empty());

  fault(R"({"system":"goszakup","mode":"truncated","count":1})");
  response = exchange(port_, rnu_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_FALSE(is_json(response->body()));
  EXPECT_TRUE(normal->body().starts_with(response->body().substr(0, 10)));

  fault(R"({"system":"goszakup","mode":"malformed","count":1})");
  response = exchange(port_, rnu_request(kActiveBin)).response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_FALSE(is_json(response->body()));

  fault(R"({"system":"goszakup","mode":"http_500","count":1})");
  EXPECT_EQ(exchange(port_, rnu_request(kActiveBin)).response()->result_int(), 500u);
  fault(R"({"system":"goszakup","mode":"http_503","count":1})");
  EXPECT_EQ(exchange(port_, rnu_request(kActiveBin)).response()->result_int(), 503u);

  // Ten requests, all journaled under goszakup with the subject from supplier_biin.
  EXPECT_EQ(journal_count("?system=goszakup&subject=150340012340"), 10);
  EXPECT_EQ(journal_count("?system=goszakup&subject=150340012340&since=2000-01-01T00:00:00Z"), 10);
  EXPECT_EQ(exchange(port_, rnu_request(kActiveBin)).response()->result_int(), 200u);
}

TEST_F(FaultProcessTest, SamrukIsASystemOfItsOwn) {
  fault(R"({"service_id":"samruk","mode":"http_503"})");
  http::request<http::string_body> request{http::verb::get,
                                           "/api/unreliable-suppliers?bin_iin=150340012340", 11};
  request.set(http::field::authorization, "Bearer test");
  EXPECT_EQ(exchange(port_, request).response()->result_int(), 503u);
  EXPECT_EQ(exchange(port_, rnu_request(kActiveBin)).response()->result_int(), 200u);
  EXPECT_EQ(journal_count("?system=samruk&subject=150340012340"), 1);
}

TEST_F(FaultProcessTest, SoapOnlyModesAreRefusedForRestSystems) {
  for (const auto* mode :
       {"soap_fault", "status_error", "missing_signature", "invalid_signature"}) {
    const auto reply = admin(http::verb::post, "/admin/faults",
                             std::string(R"({"system":"goszakup","mode":")") + mode + "\"}");
    EXPECT_EQ(reply.status, 400u) << mode;
    EXPECT_EQ(reply.body.at("field"), "mode") << mode;
  }
  EXPECT_TRUE(admin(http::verb::get, "/admin/faults").body.at("faults").as_array().empty());
}

}  // namespace
}  // namespace tekser::mocks
