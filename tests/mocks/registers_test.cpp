// The mock procurement blacklists: goszakup OWS v3 /v3/rnu (fixtures + the synthetic filler:
// paging, filter, auth, parameter errors) and the assumed Samruk-Kazyna API, called in-process
// through the mocks' routes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "mocks/goszakup/register.hpp"
#include "mocks/samruk/register.hpp"
#include "mocks/shep_server/routes.hpp"
#include "test_support.hpp"

namespace tekser::mocks {
namespace {

using namespace testing;
namespace http = boost::beast::http;
namespace json = boost::json;

const goszakup::RnuRegister& rnu() {
  static const auto reg =
      goszakup::RnuRegister::load(TEKSER_MOCKS_GOSZAKUP_FIXTURES, goszakup::kDefaultSynthetic);
  return reg;
}

const samruk::UnreliableRegister& sk() {
  static const auto reg = samruk::UnreliableRegister::load(TEKSER_MOCKS_SAMRUK_FIXTURES);
  return reg;
}

class RegistersTest : public ::testing::Test {
 protected:
  RegistersTest() : log_(log_text_) {
    std::vector<std::unique_ptr<Emulator>> emulators;
    emulators.push_back(std::make_unique<gbd_ul::GbdUlEmulator>(shipped_fixtures()));
    channel_ =
        std::make_unique<SyncChannel>(contracts_dir(), std::move(emulators), faults_, journal_);
    routes_ = std::make_unique<MockRoutes>(*channel_, faults_, journal_, log_);
    routes_->mount_rest(std::string(goszakup::kRnuPath),
                        [](const HttpRequest& request) { return rnu().handle(request); });
    routes_->mount_rest(std::string(samruk::kPath),
                        [](const HttpRequest& request) { return sk().handle(request); });
  }

  HttpResponse get(std::string target, bool token = true) {
    HttpRequest request{http::verb::get, target, 11};
    if (token) request.set(http::field::authorization, "Bearer test-token");
    return routes_->handle(request).response;
  }

  static json::object body(const HttpResponse& response) {
    return json::parse(response.body()).as_object();
  }

  std::ostringstream log_text_;
  JsonLog log_;
  FaultSwitch faults_;
  Journal journal_;
  std::unique_ptr<SyncChannel> channel_;
  std::unique_ptr<MockRoutes> routes_;
};

// ------------------------------------------------------------------ goszakup

TEST_F(RegistersTest, RnuHoldsTheFixturesPlusTwentyThousandSyntheticRows) {
  EXPECT_EQ(rnu().fixture_count(), 8u);
  EXPECT_EQ(rnu().items().size(), 20008u);
}

TEST_F(RegistersTest, RnuPagesTheWholeRegisterWithoutDuplicatesOrGaps) {
  std::set<std::int64_t> seen;
  std::int64_t previous = 0;
  std::string target = "/v3/rnu?limit=200";
  int pages = 0;
  for (;;) {
    const auto response = get(target);
    ASSERT_EQ(response.result(), http::status::ok) << target << ": " << response.body();
    const auto page = body(response);
    EXPECT_EQ(page.at("total"), 20008);
    EXPECT_EQ(page.at("limit"), 200);
    const auto& items = page.at("items").as_array();
    ++pages;
    for (const auto& item : items) {
      const auto id = item.at("id").as_int64();
      EXPECT_GT(id, previous);
      previous = id;
      EXPECT_TRUE(seen.insert(id).second) << id;
    }
    const auto next = std::string(page.at("next_page").as_string());
    if (next.empty()) {
      EXPECT_EQ(items.size(), 8u);  // 20008 = 100 * 200 + 8
      break;
    }
    ASSERT_EQ(items.size(), 200u);
    EXPECT_EQ(next, "/v3/rnu?limit=200&after=" + std::to_string(previous));
    target = next;
  }
  EXPECT_EQ(pages, 101);
  std::set<std::int64_t> all;
  for (const auto& item : rnu().items()) all.insert(item.at("id").as_int64());
  EXPECT_EQ(seen, all);
}

TEST_F(RegistersTest, SyntheticRowsAreValidAndDeterministic) {
  const auto a = goszakup::synthetic_rows(500, {}, {});
  const auto b = goszakup::synthetic_rows(500, {}, {});
  ASSERT_EQ(a.size(), 500u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.front().at("id"), 100000);
  for (const auto& row : a) {
    const auto parsed = identity::parse(row.at("supplier_biin").as_string());
    EXPECT_TRUE(parsed) << row.at("supplier_biin") << ": " << parsed.error;
  }
  // The fixtures' suppliers (listed or promised never listed) never appear among synthetic rows.
  std::set<std::string> reserved = rnu().never_listed();
  for (const auto* id : {"170440012348", "181040023452", "120640034565", "850325400129",
                         "210340045678", "191140056781"})
    reserved.insert(id);
  const std::set<std::int64_t> fixture_ids{104417, 131202, 87654, 138871,
                                           52010,  140033, 40121, 71313};
  std::size_t fixture_rows = 0;
  for (const auto& row : rnu().items()) {
    const std::string id(row.at("supplier_biin").as_string());
    if (!reserved.count(id)) continue;
    ++fixture_rows;
    EXPECT_TRUE(fixture_ids.count(row.at("id").as_int64())) << id << " in a synthetic row";
  }
  EXPECT_EQ(fixture_rows, 8u);
}

TEST_F(RegistersTest, RnuFiltersBySupplier) {
  const auto page = body(get("/v3/rnu?supplier_biin=210340045678"));
  EXPECT_EQ(page.at("total"), 2);
  EXPECT_EQ(page.at("next_page"), "");
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").at(0).at("id"), 52010);
  EXPECT_EQ(page.at("items").at(1).at("id"), 140033);
  EXPECT_EQ(page.at("items").at(1).at("end_date"), "2027-11-03");

  const auto open = body(get("/v3/rnu?supplier_biin=170440012348&limit=200"));
  ASSERT_EQ(open.at("items").as_array().size(), 1u);
  EXPECT_TRUE(open.at("items").at(0).at("end_date").is_null());

  const auto none = body(get("/v3/rnu?supplier_biin=150340012340"));
  EXPECT_EQ(none.at("total"), 0);
  EXPECT_TRUE(none.at("items").as_array().empty());
  EXPECT_EQ(none.at("next_page"), "");
}

TEST_F(RegistersTest, RnuFilteredPagesCarryTheFilterInNextPage) {
  const auto first = body(get("/v3/rnu?supplier_biin=210340045678&limit=1"));
  EXPECT_EQ(first.at("next_page"), "/v3/rnu?limit=1&after=52010&supplier_biin=210340045678");
  const auto second = body(get("/v3/rnu?limit=1&after=52010&supplier_biin=210340045678"));
  EXPECT_EQ(second.at("items").at(0).at("id"), 140033);
  EXPECT_EQ(second.at("next_page"), "");
  // OWS's own spelling of the cursor.
  const auto alias = body(get("/v3/rnu?page=next&search_after=52010&supplier_biin=210340045678"));
  EXPECT_EQ(alias.at("items").at(0).at("id"), 140033);
}

TEST_F(RegistersTest, RnuWithoutATokenIs401) {
  const auto response = get("/v3/rnu?limit=10", false);
  EXPECT_EQ(response.result(), http::status::unauthorized);
  EXPECT_EQ(response[http::field::www_authenticate], "Bearer");
  EXPECT_EQ(body(response).at("error"), "unauthorized");
  HttpRequest empty{http::verb::get, "/v3/rnu", 11};
  empty.set(http::field::authorization, "Bearer ");
  EXPECT_EQ(routes_->handle(empty).response.result(), http::status::unauthorized);
}

TEST_F(RegistersTest, RnuBadParametersAre400NamingTheParameter) {
  auto message = [this](const std::string& target) {
    const auto response = get(target);
    EXPECT_EQ(response.result(), http::status::bad_request) << target;
    return std::string(body(response).at("message").as_string());
  };
  EXPECT_EQ(message("/v3/rnu?limit=201"), "parameter 'limit' must be an integer 1..200");
  EXPECT_EQ(message("/v3/rnu?limit=0"), "parameter 'limit' must be an integer 1..200");
  EXPECT_EQ(message("/v3/rnu?limit=ten"), "parameter 'limit' must be an integer 1..200");
  EXPECT_EQ(message("/v3/rnu?after=-1"), "parameter 'after' must be a non-negative integer id");
  EXPECT_EQ(message("/v3/rnu?supplier_biin=123"),
            "parameter 'supplier_biin' must be a valid 12-digit BIN or IIN");
  EXPECT_NE(message("/v3/rnu?offset=5").find("parameter 'offset' is not supported"),
            std::string::npos);
}

TEST_F(RegistersTest, RnuAcceptsGetOnly) {
  HttpRequest request{http::verb::post, "/v3/rnu", 11};
  request.set(http::field::authorization, "Bearer t");
  EXPECT_EQ(routes_->handle(request).response.result(), http::status::method_not_allowed);
  EXPECT_EQ(get("/v3/rnu/extra").result(), http::status::not_found);
}

// ------------------------------------------------------------------ Samruk-Kazyna

TEST_F(RegistersTest, SamrukAnswersBothListsForOneSubject) {
  const auto page = body(get("/api/unreliable-suppliers?bin_iin=161140035793"));
  EXPECT_EQ(page.at("count"), 2);
  EXPECT_TRUE(page.at("next").is_null());
  EXPECT_TRUE(page.at("previous").is_null());
  ASSERT_EQ(page.at("results").as_array().size(), 2u);
  EXPECT_EQ(page.at("results").at(0).at("list"), "samruk");
  EXPECT_EQ(page.at("results").at(1).at("list"), "quasi_public");
  EXPECT_EQ(page.at("results").at(1).at("end_date"), "2022-08-28");

  const auto quasi = body(get("/api/unreliable-suppliers?bin_iin=161140035793&list=quasi_public"));
  EXPECT_EQ(quasi.at("count"), 1);
  const auto none = body(get("/api/unreliable-suppliers?bin_iin=150340012340"));
  EXPECT_EQ(none.at("count"), 0);
  EXPECT_TRUE(none.at("results").as_array().empty());
}

TEST_F(RegistersTest, SamrukPagesByNumber) {
  const auto first = body(get("/api/unreliable-suppliers?list=all&page_size=2"));
  EXPECT_EQ(first.at("count"), 5);
  EXPECT_EQ(first.at("next"), "/api/unreliable-suppliers?list=all&page=2&page_size=2");
  const auto third = body(get("/api/unreliable-suppliers?list=all&page_size=2&page=3"));
  EXPECT_EQ(third.at("results").as_array().size(), 1u);
  EXPECT_TRUE(third.at("next").is_null());
  EXPECT_EQ(third.at("previous"), "/api/unreliable-suppliers?list=all&page=2&page_size=2");
  const auto past = get("/api/unreliable-suppliers?page_size=2&page=4");
  EXPECT_EQ(past.result(), http::status::not_found);
}

TEST_F(RegistersTest, SamrukRefusesWithoutTokenAndNamesBadParameters) {
  EXPECT_EQ(get("/api/unreliable-suppliers", false).result(), http::status::unauthorized);
  const auto bad = get("/api/unreliable-suppliers?page_size=101");
  EXPECT_EQ(bad.result(), http::status::bad_request);
  EXPECT_EQ(body(bad).at("message"), "parameter 'page_size' must be an integer 1..100");
  EXPECT_EQ(body(get("/api/unreliable-suppliers?list=nwf")).at("message"),
            "parameter 'list' must be samruk, quasi_public or all");
}

TEST(RegisterFixtures, ABrokenEntryIsRefusedNamingIt) {
  const auto dir = std::filesystem::temp_directory_path() / "tekser-rnu-fixture-test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "broken.json";
  {
    std::ofstream out(file);
    out << R"({"entries":[{"name":"bad-bin","item":{"id":1,"supplier_biin":"170440012340",)"
        << R"("supplier_name_ru":"x","supplier_name_kz":"x","reason_ru":"x",)"
        << R"("index_date":"2024-01-01","start_date":"2024-01-01","end_date":null}}]})";
  }
  try {
    goszakup::RnuRegister::load(file, 0);
    ADD_FAILURE() << "loaded a broken fixture";
  } catch (const fixtures::FixtureError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("entries[0] (name \"bad-bin\"): field \"supplier_biin\""),
              std::string::npos)
        << what;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tekser::mocks
