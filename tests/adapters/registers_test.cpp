// The REST adapters of the procurement blacklists over real loopback sockets, against the mock
// registers served in-process: goszakup РНУ (the Source and the whole-register mirror) and the
// assumed Samruk-Kazyna API. "today" is pinned, so that the fixture dates read the same every day.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "adapters/goszakup/source.hpp"
#include "adapters/samruk/source.hpp"
#include "common/digest/sha256.hpp"
#include "common/log/json_log.hpp"
#include "common/net/http_client.hpp"
#include "common/net/http_server.hpp"
#include "mocks/goszakup/register.hpp"
#include "mocks/samruk/register.hpp"

namespace tekser::adapters {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr const char* kToday = "2026-01-15";

// Both mock registers on one loopback port, on their own thread.
class Registers {
 public:
  Registers()
      : log_(log_text_),
        rnu_(mocks::goszakup::RnuRegister::load(TEKSER_MOCKS_GOSZAKUP_FIXTURES,
                                                mocks::goszakup::kDefaultSynthetic)),
        sk_(mocks::samruk::UnreliableRegister::load(TEKSER_MOCKS_SAMRUK_FIXTURES)) {
    server_ = std::make_unique<net::HttpServer>(
        io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), net::HttpLimits{},
        [this](const net::HttpRequest& request) {
          const std::string_view target = request.target();
          return net::HttpAction{net::HttpAction::Kind::respond, target.starts_with("/api/")
                                                                     ? sk_.handle(request)
                                                                     : rnu_.handle(request)};
        },
        log_);
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Registers() {
    std::promise<void> stopped;
    server_->shutdown([&stopped] { stopped.set_value(); });
    stopped.get_future().wait_for(10s);
    io_.stop();
    thread_.join();
  }
  unsigned short port() const { return server_->port(); }
  const mocks::goszakup::RnuRegister& rnu() const { return rnu_; }

 private:
  std::ostringstream log_text_;
  logging::JsonLog log_;
  mocks::goszakup::RnuRegister rnu_;
  mocks::samruk::UnreliableRegister sk_;
  asio::io_context io_;
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
};

unsigned short closed_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

net::HttpEndpoint at(unsigned short port) {
  return net::HttpEndpoint{"127.0.0.1", std::to_string(port), "/"};
}

net::HttpClientOptions quick() {
  net::HttpClientOptions options;
  options.connect_timeout = 2s;
  options.read_timeout = 10s;
  options.total_timeout = 15s;
  return options;
}

Subject subject(std::string id) {
  Subject out;
  out.kind = identity::parse(id).identifier->kind;
  out.id = std::move(id);
  return out;
}

template <typename T>
T run(asio::io_context& io, asio::awaitable<T> work) {
  auto future = asio::co_spawn(io, std::move(work), asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

class RegistersAdapterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { registers_ = std::make_unique<Registers>(); }
  static void TearDownTestSuite() { registers_.reset(); }

  static goszakup::Options rnu_options(std::string token = "test-token") {
    goszakup::Options options;
    options.token = std::move(token);
    options.today = [] { return std::string(kToday); };
    return options;
  }
  static samruk::Options sk_options(std::string token = "test-token") {
    samruk::Options options;
    options.token = std::move(token);
    options.today = [] { return std::string(kToday); };
    return options;
  }

  QueryResult ask_rnu(const std::string& id, goszakup::Options options = rnu_options(),
                      unsigned short port = 0) {
    net::HttpClient client(io_.get_executor(), at(port ? port : registers_->port()), quick());
    goszakup::RnuSource source(client, std::move(options));
    const auto who = subject(id);
    EXPECT_TRUE(source.applies_to(who));
    return run(io_, source.query(who));
  }
  QueryResult ask_sk(const std::string& id, samruk::Options options = sk_options(),
                     unsigned short port = 0) {
    net::HttpClient client(io_.get_executor(), at(port ? port : registers_->port()), quick());
    samruk::UnreliableSource source(client, std::move(options));
    const auto who = subject(id);
    EXPECT_TRUE(source.applies_to(who));
    return run(io_, source.query(who));
  }

  static json::value only_fact(const QueryResult& answer, std::string_view name) {
    for (const auto& fact : answer.result.facts)
      if (fact.name == name) return fact.value;
    return json::value("<missing fact " + std::string(name) + ">");
  }

  static inline std::unique_ptr<Registers> registers_;
  asio::io_context io_;
};

// ------------------------------------------------------------------ goszakup

TEST_F(RegistersAdapterTest, RnuListedSupplierWithProvenanceAndExchange) {
  const auto before = xsd_time::now_ms();
  const auto answer = ask_rnu("210340045678");
  ASSERT_EQ(answer.result.outcome, facts::Outcome::data) << answer.result.cause;
  EXPECT_EQ(answer.result.system, "goszakup");
  EXPECT_EQ(answer.result.service_id, "ows_v3_rnu");
  ASSERT_EQ(answer.result.facts.size(), 1u);
  const auto value = only_fact(answer, "goszakup_rnu");
  EXPECT_EQ(value.at("listed"), true);
  ASSERT_EQ(value.at("entries").as_array().size(), 2u);
  EXPECT_EQ(value.at("entries").at(0).at("active"), false);
  EXPECT_EQ(value.at("entries").at(1).at("id"), 140033);
  EXPECT_EQ(value.at("entries").at(1).at("active"), true);

  const auto& prov = answer.result.provenance;
  EXPECT_EQ(prov.system, "goszakup");
  EXPECT_EQ(prov.service_id, "ows_v3_rnu");
  EXPECT_EQ(prov.message_id.size(), 36u);
  EXPECT_GE(prov.retrieved_at, before);
  EXPECT_EQ(prov.valid_until, prov.retrieved_at + std::chrono::hours(24 * 7));
  EXPECT_EQ(answer.result.facts[0].provenance.message_id, prov.message_id);

  ASSERT_TRUE(answer.exchange);
  const auto& ex = *answer.exchange;
  EXPECT_EQ(ex.kind, shep::Exchange::Kind::data);
  EXPECT_EQ(ex.http_status, 200u);
  EXPECT_EQ(ex.endpoint, "http://127.0.0.1:" + std::to_string(registers_->port()) +
                             "/v3/rnu?supplier_biin=210340045678&limit=200");
  EXPECT_EQ(ex.request_body, "GET /v3/rnu?supplier_biin=210340045678&limit=200");
  EXPECT_EQ(ex.request_body.find("test-token"), std::string::npos);
  ASSERT_TRUE(ex.response_body);
  EXPECT_EQ(prov.reply_sha256, digest::sha256_hex(*ex.response_body));
  EXPECT_EQ(prov.reply_sha256.size(), 64u);
}

TEST_F(RegistersAdapterTest, RnuActiveWithoutEndDateAndIndividualEntrepreneur) {
  const auto open = ask_rnu("170440012348");
  EXPECT_EQ(only_fact(open, "goszakup_rnu").at("listed"), true);
  EXPECT_TRUE(only_fact(open, "goszakup_rnu").at("entries").at(0).at("end_date").is_null());
  const auto ie = ask_rnu("850325400129");
  EXPECT_EQ(only_fact(ie, "goszakup_rnu").at("listed"), true);
  EXPECT_EQ(only_fact(ie, "goszakup_rnu").at("entries").at(0).at("end_date"), "2027-09-30");
}

TEST_F(RegistersAdapterTest, RnuNeverListedIsDataNotListed) {
  const auto answer = ask_rnu("150340012340");
  EXPECT_EQ(answer.result.outcome, facts::Outcome::data);
  EXPECT_EQ(only_fact(answer, "goszakup_rnu"), json::parse(R"({"listed":false,"entries":[]})"));
}

TEST_F(RegistersAdapterTest, RnuExpiredBanIsNotListed) {
  const auto answer = ask_rnu("120640034565");
  EXPECT_EQ(answer.result.outcome, facts::Outcome::data);
  const auto value = only_fact(answer, "goszakup_rnu");
  EXPECT_EQ(value.at("listed"), false);
  ASSERT_EQ(value.at("entries").as_array().size(), 1u);
  EXPECT_EQ(value.at("entries").at(0).at("end_date"), "2024-03-01");
  EXPECT_EQ(value.at("entries").at(0).at("active"), false);
}

TEST_F(RegistersAdapterTest, RnuFollowsTheCursorWhenOneSupplierSpansPages) {
  auto options = rnu_options();
  options.page_limit = 1;
  const auto answer = ask_rnu("210340045678", options);
  ASSERT_EQ(answer.result.outcome, facts::Outcome::data) << answer.result.cause;
  EXPECT_EQ(only_fact(answer, "goszakup_rnu").at("entries").as_array().size(), 2u);
  EXPECT_EQ(answer.exchange->request_body,
            "GET /v3/rnu?supplier_biin=210340045678&limit=1\n"
            "GET /v3/rnu?supplier_biin=210340045678&limit=1&after=52010");
}

TEST_F(RegistersAdapterTest, RnuDownIsUnavailable) {
  const auto answer = ask_rnu("210340045678", rnu_options(), closed_port());
  EXPECT_EQ(answer.result.outcome, facts::Outcome::unavailable);
  EXPECT_NE(answer.result.cause.find("connect to 127.0.0.1:"), std::string::npos)
      << answer.result.cause;
  EXPECT_TRUE(answer.result.facts.empty());
  ASSERT_TRUE(answer.exchange);
  EXPECT_EQ(answer.exchange->kind, shep::Exchange::Kind::transport_error);
  EXPECT_TRUE(answer.result.provenance.reply_sha256.empty());
}

TEST_F(RegistersAdapterTest, RnuWithoutTokenIsUnavailableWithTheReason) {
  const auto answer = ask_rnu("210340045678", rnu_options(""));
  EXPECT_EQ(answer.result.outcome, facts::Outcome::unavailable);
  EXPECT_EQ(answer.result.cause,
            "HTTP 401 Unauthorized: an Authorization: Bearer <token> header is required");
  EXPECT_EQ(answer.exchange->http_status, 401u);
}

TEST_F(RegistersAdapterTest, MirrorReturnsEveryRowOnceWithAStableDigest) {
  net::HttpClient client(io_.get_executor(), at(registers_->port()), quick());
  const auto result = run(io_, goszakup::mirror(client, rnu_options()));
  ASSERT_TRUE(result.complete) << result.cause;
  EXPECT_EQ(result.count, 20008u);
  EXPECT_EQ(result.total, 20008);
  EXPECT_EQ(result.pages, 101u);
  ASSERT_EQ(result.rows.size(), 20008u);
  std::set<std::int64_t> ids;
  for (const auto& row : result.rows) ids.insert(row.at("id").as_int64());
  EXPECT_EQ(ids.size(), 20008u);
  EXPECT_TRUE(ids.count(52010) && ids.count(140033) && ids.count(104417));
  EXPECT_EQ(result.rows.front().at("id"), registers_->rnu().items().front().at("id"));

  std::string expected;
  for (const auto& row : registers_->rnu().items()) expected += json::serialize(row) + "\n";
  EXPECT_EQ(result.sha256, digest::sha256_hex(expected));

  // Streamed page by page with another page size: the same rows, the same digest.
  auto options = rnu_options();
  options.page_limit = 150;
  std::size_t streamed = 0;
  std::size_t calls = 0;
  const goszakup::PageCallback on_page =
      [&](const json::array& items) -> boost::asio::awaitable<void> {
    streamed += items.size();
    ++calls;
    co_return;
  };
  const auto again = run(io_, goszakup::mirror(client, options, on_page));
  ASSERT_TRUE(again.complete) << again.cause;
  EXPECT_EQ(streamed, 20008u);
  EXPECT_EQ(calls, 134u);  // ceil(20008 / 150)
  EXPECT_TRUE(again.rows.empty());
  EXPECT_EQ(again.sha256, result.sha256);
}

TEST_F(RegistersAdapterTest, MirrorOfADownRegisterSaysWhy) {
  net::HttpClient client(io_.get_executor(), at(closed_port()), quick());
  const auto result = run(io_, goszakup::mirror(client, rnu_options()));
  EXPECT_FALSE(result.complete);
  EXPECT_EQ(result.cause.rfind("page 1: connect to 127.0.0.1:", 0), 0u) << result.cause;
  EXPECT_EQ(result.count, 0u);
}

// ------------------------------------------------------------------ Samruk-Kazyna

TEST_F(RegistersAdapterTest, SamrukListedInTheFundList) {
  const auto answer = ask_sk("140840078914");
  ASSERT_EQ(answer.result.outcome, facts::Outcome::data) << answer.result.cause;
  EXPECT_EQ(answer.result.system, "samruk");
  EXPECT_EQ(answer.result.service_id, "sk_unreliable_v1");
  EXPECT_EQ(only_fact(answer, "samruk_unreliable"), json::parse(R"({"listed": true,
    "entries": [{"start_date": "2025-08-01", "end_date": "2027-08-01",
                 "reason_ru": "Неисполнение обязательств по договору закупок",
                 "active": true}]})"));
  EXPECT_EQ(only_fact(answer, "quasi_public_rnu"),
            json::parse(R"({"listed": false, "entries": []})"));
  ASSERT_TRUE(answer.exchange);
  EXPECT_EQ(answer.result.provenance.reply_sha256,
            digest::sha256_hex(*answer.exchange->response_body));
  EXPECT_EQ(answer.exchange->request_body,
            "GET /api/unreliable-suppliers?bin_iin=140840078914&list=all&page_size=100");
}

TEST_F(RegistersAdapterTest, SamrukListedInTheQuasiPublicRegister) {
  const auto answer = ask_sk("200540013576");
  EXPECT_EQ(only_fact(answer, "samruk_unreliable").at("listed"), false);
  EXPECT_EQ(only_fact(answer, "quasi_public_rnu").at("listed"), true);
}

TEST_F(RegistersAdapterTest, SamrukExpiredAndNeverListedAreNotListed) {
  const auto expired = ask_sk("230140024681");
  EXPECT_EQ(expired.result.outcome, facts::Outcome::data);
  EXPECT_EQ(only_fact(expired, "samruk_unreliable").at("listed"), false);
  EXPECT_EQ(only_fact(expired, "samruk_unreliable").at("entries").at(0).at("active"), false);
  const auto never = ask_sk("150340012340");
  EXPECT_EQ(never.result.outcome, facts::Outcome::data);
  EXPECT_EQ(only_fact(never, "samruk_unreliable"), json::parse(R"({"listed":false,"entries":[]})"));
  EXPECT_EQ(only_fact(never, "quasi_public_rnu"), json::parse(R"({"listed":false,"entries":[]})"));
}

TEST_F(RegistersAdapterTest, SamrukFollowsPages) {
  auto options = sk_options();
  options.page_size = 1;
  const auto answer = ask_sk("161140035793", options);
  ASSERT_EQ(answer.result.outcome, facts::Outcome::data) << answer.result.cause;
  EXPECT_EQ(only_fact(answer, "samruk_unreliable").at("listed"), true);
  EXPECT_EQ(only_fact(answer, "quasi_public_rnu").at("listed"), false);
  EXPECT_EQ(only_fact(answer, "quasi_public_rnu").at("entries").as_array().size(), 1u);
}

TEST_F(RegistersAdapterTest, SamrukDownIsUnavailable) {
  const auto answer = ask_sk("140840078914", sk_options(), closed_port());
  EXPECT_EQ(answer.result.outcome, facts::Outcome::unavailable);
  EXPECT_TRUE(answer.result.facts.empty());
}

}  // namespace
}  // namespace tekser::adapters
