#include <gtest/gtest.h>

#include <sstream>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "mocks/shep_server/routes.hpp"
#include "test_support.hpp"

namespace tekser::mocks {
namespace {

using namespace testing;
namespace http = boost::beast::http;
namespace json = boost::json;

class RoutesTest : public ::testing::Test {
 protected:
  RoutesTest() : log_(log_text_) {
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(shipped_fixtures()));
    emulators.push_back(std::make_unique<gbd_fl::GbdFlEmulator>(shipped_fixtures()));
    channel_ =
        std::make_unique<SyncChannel>(contracts_dir(), std::move(emulators), faults_, journal_);
    routes_ = std::make_unique<MockRoutes>(*channel_, faults_, journal_, log_);
  }

  HttpAction call(http::verb method, std::string target, std::string body = {}) {
    HttpRequest request{method, target, 11};
    request.body() = std::move(body);
    request.prepare_payload();
    return routes_->handle(request);
  }

  static json::value body_json(const HttpAction& action) {
    return json::parse(action.response.body());
  }

  std::ostringstream log_text_;
  JsonLog log_;
  FaultSwitch faults_;
  Journal journal_;
  std::unique_ptr<SyncChannel> channel_;
  std::unique_ptr<MockRoutes> routes_;
};

TEST_F(RoutesTest, HealthzAnswersOk) {
  const auto action = call(http::verb::get, "/healthz");
  EXPECT_EQ(action.response.result(), http::status::ok);
  EXPECT_EQ(body_json(action).at("status"), "ok");
}

TEST_F(RoutesTest, SyncChannelAnswersSoapOnBothPaths) {
  for (const auto* path : {"/bip-sync-wss-gost/", "/SyncChannel"}) {
    const auto action = call(http::verb::post, path, gbd_ul_request("150340012340"));
    EXPECT_EQ(action.kind, HttpAction::Kind::respond);
    EXPECT_EQ(action.response.result(), http::status::ok) << path;
    EXPECT_EQ(action.response[http::field::content_type], "text/xml; charset=utf-8");
    EXPECT_EQ(shep::parse_reply(action.response.body()).info.status_code, shep::kSuccessCode);
  }
  EXPECT_EQ(call(http::verb::get, "/SyncChannel").response.result(),
            http::status::method_not_allowed);
}

TEST_F(RoutesTest, RequestLogMasksTheSubject) {
  call(http::verb::post, "/SyncChannel", gbd_ul_request("150340012340"));
  const auto text = log_text_.str();
  EXPECT_EQ(text.find("150340012340"), std::string::npos) << text;
  EXPECT_NE(text.find("1503******40"), std::string::npos) << text;
  const auto line = json::parse(text.substr(0, text.find('\n'))).as_object();
  EXPECT_EQ(line.at("event"), "request");
  EXPECT_EQ(line.at("outcome"), "found");
}

TEST_F(RoutesTest, FaultSwitchIsSetListedAndCleared) {
  auto set = call(http::verb::post, "/admin/faults",
                  R"({"service_id":"GBDFL_UniversalServiceSync","mode":"soap_fault","count":2})");
  ASSERT_EQ(set.response.result(), http::status::ok) << set.response.body();
  EXPECT_EQ(body_json(set).at("count"), 2);

  const auto listed = body_json(call(http::verb::get, "/admin/faults"));
  ASSERT_EQ(listed.at("faults").as_array().size(), 1u);
  EXPECT_EQ(listed.at("faults").at(0).at("mode"), "soap_fault");

  EXPECT_EQ(
      call(http::verb::post, "/SyncChannel", gbd_fl_request("840512401230")).response.result(),
      http::status::internal_server_error);

  EXPECT_EQ(body_json(call(http::verb::delete_, "/admin/faults")).at("cleared"), 1);
  EXPECT_EQ(
      call(http::verb::post, "/SyncChannel", gbd_fl_request("840512401230")).response.result(),
      http::status::ok);
}

TEST_F(RoutesTest, FaultRequestsThatMakeNoSenseAreRefusedWithTheReason) {
  auto refused = [this](const std::string& body) {
    const auto action = call(http::verb::post, "/admin/faults", body);
    EXPECT_EQ(action.response.result(), http::status::bad_request) << body;
    return std::string(body_json(action).at("error").as_string());
  };
  EXPECT_NE(refused(R"({"service_id":"GbdulInfoByBin_v2","mode":"explode"})").find("explode"),
            std::string::npos);
  EXPECT_NE(refused(R"({"service_id":"Nope","mode":"reset"})").find("Nope"), std::string::npos);
  EXPECT_NE(refused(R"({"service_id":"GbdulInfoByBin_v2","mode":"reset","count":0})").find("count"),
            std::string::npos);
  EXPECT_NE(refused(R"({"service_id":"GbdulInfoByBin_v2","mode":"reset","cnt":1})").find("cnt"),
            std::string::npos);
  EXPECT_NE(refused("not json").find("JSON"), std::string::npos);
  EXPECT_TRUE(faults_.rules().empty());
}

TEST_F(RoutesTest, JournalIsQueriedBySubjectAndService) {
  call(http::verb::post, "/SyncChannel", gbd_ul_request("150340012340", "a"));
  call(http::verb::post, "/SyncChannel", gbd_ul_request("150340012340", "b"));
  call(http::verb::post, "/SyncChannel", gbd_ul_request("161140118765", "c"));
  call(http::verb::post, "/SyncChannel", gbd_fl_request("840512401230"));

  const auto entries = body_json(call(http::verb::get, "/admin/journal?subject=150340012340"));
  ASSERT_EQ(entries.as_array().size(), 2u);
  const auto& first = entries.at(0).as_object();
  EXPECT_EQ(first.at("service_id"), "GbdulInfoByBin_v2");
  EXPECT_EQ(first.at("subject"), "150340012340");
  EXPECT_EQ(first.at("validation"), "valid");
  EXPECT_EQ(first.at("message_id"), "a");
  EXPECT_TRUE(first.contains("time"));

  auto count = [this](const std::string& query) {
    return body_json(call(http::verb::get, "/admin/journal/count" + query)).at("count").as_int64();
  };
  EXPECT_EQ(count("?subject=150340012340&service_id=GbdulInfoByBin_v2"), 2);
  EXPECT_EQ(count("?subject=150340012340&service_id=GBDFL_UniversalServiceSync"), 0);
  EXPECT_EQ(count("?service_id=GBDFL_UniversalServiceSync"), 1);
  EXPECT_EQ(count(""), 4);
  call(http::verb::delete_, "/admin/journal");
  EXPECT_EQ(count(""), 0);
}

TEST_F(RoutesTest, UnknownPathIsNotFound) {
  EXPECT_EQ(call(http::verb::get, "/nope").response.result(), http::status::not_found);
  EXPECT_EQ(call(http::verb::get, "/admin/nope").response.result(), http::status::not_found);
}

}  // namespace
}  // namespace tekser::mocks
