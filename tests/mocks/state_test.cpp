// The admin API of the subjects' state, in process: state changes in every register visible on
// the next request, effective `from` a moment of the mock clock, scenarios stepping through,
// reset back to the initial world, the population's listing, and bad input refused with a 400
// naming the field. Replies are checked against the contracts as they go.
#include <gtest/gtest.h>

#include <thread>

#include "mocks/state/apply.hpp"
#include "world_support.hpp"

namespace tekser::mocks {
namespace {

using population::Kind;
using population::Trait;
using testing::text_at;
namespace http = boost::beast::http;
namespace json = boost::json;

constexpr const char* kActiveLlp = "150340012340";     // ul-active, kgd-clean-llp, el-prosthetic
constexpr const char* kAliveIe = "840512401230";       // fl-ip-alive
constexpr const char* kRnuOpen = "170440012348";       // rnu-active-open
constexpr const char* kSamrukActive = "140840078914";  // sk-active

class StateTest : public ::testing::Test {
 protected:
  StateTest() : mocks_(population::Config{5000, 1, population::Shares{}}) {}

  json::value post(const std::string& path, const std::string& body) {
    const auto response = mocks_.call(http::verb::post, path, body);
    EXPECT_EQ(response.result(), http::status::ok)
        << path << " " << body << ": " << response.body();
    return json::parse(response.body());
  }
  json::value get(const std::string& target) {
    const auto response = mocks_.call(http::verb::get, target);
    EXPECT_EQ(response.result(), http::status::ok) << target << ": " << response.body();
    return json::parse(response.body());
  }
  json::value set_state(const std::string& subject, const std::string& system,
                        const std::string& set, const std::string& from = "") {
    return post("/admin/state", R"({"subject":")" + subject + R"(","system":")" + system +
                                    R"(","set":)" + set +
                                    (from.empty() ? "" : R"(,"from":")" + from + "\"") + "}");
  }
  void set_clock(const std::string& now) { post("/admin/clock", R"({"now":")" + now + "\"}"); }

  pugi::xml_node gbd_ul(const std::string& bin) {
    return mocks_.ask(testing::gbd_ul_request(bin), parsed_);
  }
  pugi::xml_node gbd_fl(const std::string& iin) {
    return mocks_.ask(testing::gbd_fl_request(iin), parsed_);
  }
  pugi::xml_node kgd(const std::string& biin) {
    return mocks_.ask(testing::kgd_request(biin), parsed_);
  }
  pugi::xml_node elicense(const std::string& biin) {
    return mocks_.ask(testing::elicense_request(biin), parsed_);
  }
  json::object rnu_of(const std::string& id) {
    return get("/v3/rnu?supplier_biin=" + id).as_object();
  }
  json::object samruk_of(const std::string& id) {
    return get("/api/unreliable-suppliers?bin_iin=" + id).as_object();
  }
  std::string first(std::optional<Trait> trait, std::optional<Kind> kind) {
    return mocks_.population().id(*mocks_.population().next(0, trait, kind));
  }
  // A subject of `kind` without any of the traits given.
  std::string clean(Kind kind) {
    for (std::size_t i = 0;; ++i) {
      const auto t = mocks_.population().traits(i);
      if (mocks_.population().kind(i) != kind || t.has(Trait::deceased) ||
          t.has(Trait::liquidated) || t.has(Trait::bankrupt) || t.has(Trait::rnu) ||
          t.has(Trait::tax_debt) || t.has(Trait::unlicensed) || t.has(Trait::quasi_rnu))
        continue;
      return mocks_.population().id(i);
    }
  }

  testing::MocksWorld mocks_;
  shep::ParsedReply parsed_;
};

TEST_F(StateTest, LiquidationInGbdUlIsVisibleOnTheNextRequestAndForgottenWhenDeleted) {
  EXPECT_EQ(text_at(gbd_ul(kActiveLlp), {"Organization", "RegStatus", "Code"}), "1");
  const auto change =
      set_state(kActiveLlp, "gbd_ul", R"({"status":"liquidated","date":"2026-11-30"})");
  EXPECT_EQ(change.at("in_force"), true);
  auto data = gbd_ul(kActiveLlp);
  EXPECT_EQ(text_at(data, {"Organization", "RegStatus", "Code"}), "3");
  EXPECT_EQ(text_at(data, {"Organization", "LiquidationDate"}), "2026-11-30");
  EXPECT_EQ(text_at(data, {"Organization", "FullNameRu"}),
            "Товарищество с ограниченной ответственностью «Мейірім Медтехника»");
  // The bankruptcy of a synthetic LLP, then back to active.
  const auto llp = clean(Kind::legal_entity);
  set_state(llp, "gbd_ul", R"({"status":"bankrupt","date":"2026-10-01"})");
  data = gbd_ul(llp);
  EXPECT_EQ(text_at(data, {"Organization", "Liquidation", "LiqBase", "Code"}), "4");
  EXPECT_EQ(
      text_at(data, {"Organization", "OrganizationLeader", "Position", "PositionType", "Code"}),
      "4");
  set_state(llp, "gbd_ul", R"({"status":"active"})");
  EXPECT_EQ(text_at(gbd_ul(llp), {"Organization", "Liquidation"}), "<missing>");

  EXPECT_EQ(get("/admin/state?subject=" + std::string(kActiveLlp)).at("changes").as_array().size(),
            1u);
  EXPECT_EQ(get("/admin/state").at("changes").as_array().size(), 3u);
  const auto cleared =
      mocks_.call_json(http::verb::delete_, "/admin/state?subject=" + std::string(kActiveLlp));
  EXPECT_EQ(cleared.at("cleared"), 1);
  EXPECT_EQ(text_at(gbd_ul(kActiveLlp), {"Organization", "RegStatus", "Code"}), "1");
}

TEST_F(StateTest, AChangeFromAMomentAppearsWhenTheMockClockReachesIt) {
  set_clock("2026-11-25T10:00:00+05:00");
  const auto change = set_state(kActiveLlp, "goszakup", R"({"rnu_listed":true})", "2026-12-01");
  EXPECT_EQ(change.at("in_force"), false);
  EXPECT_EQ(change.at("date"), "2026-12-01");
  EXPECT_EQ(rnu_of(kActiveLlp).at("total"), 0);
  // The weekly refresh a week later sees the supplier listed from that day.
  post("/admin/clock", R"({"advance":"P7D"})");
  const auto page = rnu_of(kActiveLlp);
  ASSERT_EQ(page.at("total"), 1);
  const auto& row = page.at("items").at(0).as_object();
  EXPECT_EQ(row.at("start_date"), "2026-12-01");
  EXPECT_TRUE(row.at("end_date").is_null());
  EXPECT_EQ(row.at("supplier_name_ru"), "ТОО «Мейірім Медтехника»");  // as ГБД ЮЛ names it
  EXPECT_GE(row.at("id").as_int64(), state::kChangeRowBase);
  // A death announced for the next week, in ГБД ФЛ.
  set_state(kAliveIe, "gbd_fl", R"({"deceased_on":"2026-12-03"})", "2026-12-04T00:00:00+05:00");
  EXPECT_EQ(text_at(gbd_fl(kAliveIe), {"persons", "person", "lifeStatus", "code"}), "1");
  post("/admin/clock", R"({"advance_seconds":172800})");
  EXPECT_EQ(text_at(gbd_fl(kAliveIe), {"persons", "person", "deathDate"}), "2026-12-03");
}

TEST_F(StateTest, APersonDiesAndTheDeathIsCorrected) {
  const auto iin = clean(Kind::individual_entrepreneur);
  EXPECT_EQ(text_at(gbd_fl(iin), {"persons", "person", "lifeStatus", "code"}), "1");
  set_state(iin, "gbd_fl", R"({"deceased_on":"2026-11-20"})");
  auto data = gbd_fl(iin);
  EXPECT_EQ(text_at(data, {"persons", "person", "lifeStatus", "code"}), "2");
  EXPECT_EQ(text_at(data, {"persons", "person", "deathDate"}), "2026-11-20");
  EXPECT_NE(text_at(data, {"persons", "person", "deathCertificate", "number"}), "<missing>");
  set_state(iin, "gbd_fl", R"({"deceased_on":null})");
  data = gbd_fl(iin);
  EXPECT_EQ(text_at(data, {"persons", "person", "lifeStatus", "code"}), "1");
  EXPECT_EQ(text_at(data, {"persons", "person", "deathDate"}), "<missing>");
}

// A register that contradicts itself, on a tester's demand: a death date beside lifeStatus alive.
TEST_F(StateTest, LifeStatusCanBeMadeToContradictTheDeathDate) {
  const auto iin = clean(Kind::individual_entrepreneur);
  set_state(iin, "gbd_fl", R"({"deceased_on":"2026-01-10","life_status":"alive"})");
  const auto data = gbd_fl(iin);
  EXPECT_EQ(text_at(data, {"persons", "person", "deathDate"}), "2026-01-10");
  EXPECT_EQ(text_at(data, {"persons", "person", "lifeStatus", "code"}), "1") << "alive";
  set_state(iin, "gbd_fl", R"({"life_status":"deceased"})");
  EXPECT_EQ(text_at(gbd_fl(iin), {"persons", "person", "lifeStatus", "code"}), "2");
}

TEST_F(StateTest, TaxDebtAppearsAndIsPaidAndListsChangeInKgd) {
  EXPECT_EQ(text_at(kgd(kActiveLlp), {"taxpayer", "arrears", "totalArrear"}), "0.00");
  set_state(kActiveLlp, "kgd", R"({"tax_debt":125000.5,"social_debt":300})");
  auto data = kgd(kActiveLlp);
  EXPECT_EQ(text_at(data, {"taxpayer", "arrears", "totalTaxArrear"}), "125000.50");
  EXPECT_EQ(text_at(data, {"taxpayer", "arrears", "pensionContributionArrear"}), "300.00");
  set_state(kActiveLlp, "kgd", R"({"tax_debt":0,"bankrupt":true})");
  data = kgd(kActiveLlp);
  EXPECT_EQ(text_at(data, {"taxpayer", "arrears", "totalTaxArrear"}), "0.00");
  EXPECT_EQ(text_at(data, {"taxpayer", "arrears", "totalArrear"}), "300.00");
  EXPECT_EQ(text_at(data, {"taxpayer", "listEntry", "list", "code"}), "1");
  // A synthetic debtor pays.
  const auto debtor = first(Trait::tax_debt, std::nullopt);
  EXPECT_NE(text_at(kgd(debtor), {"taxpayer", "arrears", "totalTaxArrear"}), "0.00");
  set_state(debtor, "kgd", R"({"tax_debt":0})");
  EXPECT_EQ(text_at(kgd(debtor), {"taxpayer", "arrears", "totalTaxArrear"}), "0.00");
  // The clean IE fixture has no tax office: the debt brings one.
  set_state(kAliveIe, "kgd", R"({"tax_debt":10})");
  EXPECT_EQ(text_at(kgd(kAliveIe), {"taxpayer", "arrears", "taxOrgInfo", "totalArrear"}), "10.00");
}

TEST_F(StateTest, ALicenceIsRevokedAndGrantedInElicensing) {
  EXPECT_EQ(text_at(elicense(kActiveLlp), {"subject", "licenses", "license", "status", "code"}),
            "1");
  set_state(kActiveLlp, "elicense", R"({"licence_status":"revoked"})");
  EXPECT_EQ(text_at(elicense(kActiveLlp), {"subject", "licenses", "license", "status", "code"}),
            "3");
  const auto unlicensed = first(Trait::unlicensed, Kind::legal_entity);
  set_state(unlicensed, "elicense", R"({"licensed":true})");
  auto data = elicense(unlicensed);
  EXPECT_NE(text_at(data, {"subject", "licenses", "license", "number"}) +
                text_at(data, {"subject", "notifications", "notification", "number"}),
            "<missing><missing>");
  set_state(unlicensed, "elicense", R"({"licensed":false})");
  data = elicense(unlicensed);
  EXPECT_EQ(text_at(data, {"subject", "licenses", "license"}), "<missing>");
  EXPECT_EQ(text_at(data, {"subject", "notifications", "notification"}), "<missing>");
}

TEST_F(StateTest, LeavingTheRnuEndsTheBanThatDayAndPagingStaysConsistent) {
  set_clock("2026-12-02T09:00:00+05:00");
  set_state(kRnuOpen, "goszakup", R"({"rnu_listed":false})", "2026-12-01");
  auto page = rnu_of(kRnuOpen);
  ASSERT_EQ(page.at("total"), 1);
  EXPECT_EQ(page.at("items").at(0).at("end_date"), "2026-12-01");
  EXPECT_EQ(page.at("items").at(0).at("id"), 104417);  // the same row, ended
  const auto listed = first(Trait::rnu, std::nullopt);
  set_state(listed, "goszakup", R"({"rnu_listed":false})");
  page = rnu_of(listed);
  EXPECT_EQ(page.at("items").at(0).at("end_date"), "2026-12-02");
  set_state(kActiveLlp, "goszakup", R"({"rnu_listed":true})");
  // The whole register: every row once, in id order; totals agree with what pages hold.
  std::set<std::int64_t> ids;
  std::int64_t previous = 0;
  std::int64_t total = -1;
  std::map<std::string, json::object> by_supplier;
  for (std::string target = "/v3/rnu?limit=37"; !target.empty();) {
    const auto body = get(target).as_object();
    total = body.at("total").as_int64();
    for (const auto& item : body.at("items").as_array()) {
      EXPECT_GT(item.at("id").as_int64(), previous);
      previous = item.at("id").as_int64();
      ids.insert(previous);
      by_supplier[std::string(item.at("supplier_biin").as_string())] = item.as_object();
    }
    target = std::string(body.at("next_page").as_string());
  }
  EXPECT_EQ(static_cast<std::int64_t>(ids.size()), total);
  EXPECT_EQ(static_cast<std::size_t>(total), testing::all_fixtures().rnu.items().size() +
                                                 mocks_.population().rnu_listed().size() + 1);
  EXPECT_EQ(by_supplier.at(kRnuOpen).at("end_date"), "2026-12-01");
  EXPECT_EQ(by_supplier.at(listed).at("end_date"), "2026-12-02");
  EXPECT_EQ(by_supplier.at(kActiveLlp).at("start_date"), "2026-12-02");
}

TEST_F(StateTest, SamrukAndQuasiPublicListingsComeAndGo) {
  set_clock("2026-12-02T09:00:00+05:00");
  set_state(kActiveLlp, "samruk", R"({"quasi_public_listed":true})");
  auto page = samruk_of(kActiveLlp);
  ASSERT_EQ(page.at("count"), 1);
  EXPECT_EQ(page.at("results").at(0).at("list"), "quasi_public");
  EXPECT_EQ(page.at("results").at(0).at("start_date"), "2026-12-02");
  EXPECT_EQ(page.at("results").at(0).at("created_date"), "2026-12-02T09:00:00+05:00");
  set_state(kSamrukActive, "samruk", R"({"samruk_listed":false})");
  page = samruk_of(kSamrukActive);
  EXPECT_EQ(page.at("results").at(0).at("end_date"), "2026-12-02");
  const auto count_all = get("/api/unreliable-suppliers").at("count").as_int64();
  EXPECT_EQ(static_cast<std::size_t>(count_all), testing::all_fixtures().samruk.items().size() +
                                                     mocks_.population().quasi_listed().size() + 1);
  EXPECT_GE(get("/api/unreliable-suppliers?list=quasi_public").at("count").as_int64(), 2);
}

TEST_F(StateTest, AChangeBringsABrandNewSubjectIntoARegister) {
  // A valid BIN no fixture and no subject of the population has.
  std::string fresh;
  for (std::uint64_t k = 2'000'000;; ++k) {
    fresh = mocks_.population().codec().bin(k);
    if (!mocks_.population().find(fresh)) break;
  }
  EXPECT_EQ(text_at(gbd_ul(fresh), {"Status", "Code"}), "004");
  set_state(fresh, "gbd_ul", R"({"status":"in_liquidation","date":"2026-09-01"})");
  const auto data = gbd_ul(fresh);
  EXPECT_EQ(text_at(data, {"Status", "Code"}), "001");
  EXPECT_EQ(text_at(data, {"Organization", "RegStatus", "Code"}), "2");
  EXPECT_EQ(text_at(data, {"Organization", "Liquidation", "LiqDecisionDate"}), "2026-09-01");
  const auto short_name = text_at(data, {"Organization", "ShortNameRu"});
  EXPECT_EQ(text_at(kgd(fresh), {"result", "code"}), "01");
  set_state(fresh, "kgd", R"({"inactive":true})");
  EXPECT_EQ(text_at(kgd(fresh), {"taxpayer", "listEntry", "list", "code"}), "2");
  // Its names agree between registers.
  EXPECT_EQ(text_at(kgd(fresh), {"taxpayer", "nameRu"}), short_name);
}

TEST_F(StateTest, AScenarioAnswersNoDataFirstAndDataLater) {
  post("/admin/scenarios",
       R"({"subject":"150340012340","service_id":"GbdulInfoByBin_v2",
           "steps":[{"answer":"no_data","calls":1},{"answer":"data"}]})");
  EXPECT_EQ(text_at(gbd_ul(kActiveLlp), {"Status", "Code"}), "004");
  EXPECT_EQ(text_at(gbd_ul(kActiveLlp), {"Status", "Code"}), "001");
  EXPECT_EQ(text_at(gbd_ul(kActiveLlp), {"Status", "Code"}), "001");
  // Another service about the same subject is not affected.
  EXPECT_EQ(text_at(kgd(kActiveLlp), {"result", "code"}), "00");
  const auto listed = get("/admin/scenarios?subject=150340012340").at("scenarios").at(0);
  EXPECT_EQ(listed.at("calls"), 3);
  EXPECT_EQ(listed.at("current_step"), 1);
  // Data, then no data twice, then the register as it is.
  const auto ie = clean(Kind::individual_entrepreneur);
  post("/admin/scenarios", R"({"subject":")" + ie + R"(","service_id":"GBDFL_UniversalServiceSync",
           "steps":[{"answer":"data","calls":1},{"answer":"no_data","calls":2}]})");
  EXPECT_EQ(text_at(gbd_fl(ie), {"persons", "person", "iin"}), ie);
  EXPECT_EQ(text_at(gbd_fl(ie), {"persons"}), "<missing>");
  EXPECT_EQ(text_at(gbd_fl(ie), {"persons"}), "<missing>");
  EXPECT_EQ(text_at(gbd_fl(ie), {"persons", "person", "iin"}), ie);
  EXPECT_EQ(get("/admin/scenarios?subject=" + ie).at("scenarios").at(0).at("finished"), true);
  EXPECT_EQ(mocks_.call_json(http::verb::delete_, "/admin/scenarios").at("cleared"), 2);
}

TEST_F(StateTest, ResetRestoresTheInitialFixturesAndPopulation) {
  set_state(kActiveLlp, "gbd_ul", R"({"status":"liquidated"})");
  post(
      "/admin/scenarios",
      R"({"subject":"150340012340","service_id":"KGD_TaxpayerStatus","steps":[{"answer":"no_data"}]})");
  set_clock("2027-06-01");
  FaultRule rule;
  rule.service_id = "ELICENSE_LicensesByBiin";
  rule.mode = FaultMode::soap_fault;
  mocks_.faults().set(rule);
  gbd_ul(kActiveLlp);
  EXPECT_GT(mocks_.journal().count({}), 0u);
  const auto reply = post("/admin/reset", "");
  EXPECT_EQ(reply.at("changes_cleared"), 1);
  EXPECT_EQ(reply.at("scenarios_cleared"), 1);
  EXPECT_EQ(reply.at("faults_cleared"), 1);
  EXPECT_GE(reply.at("journal_cleared").as_int64(), 1);
  EXPECT_EQ(get("/admin/clock").at("mocked"), false);
  EXPECT_TRUE(mocks_.faults().rules().empty());
  EXPECT_EQ(mocks_.journal().count({}), 0u);
  EXPECT_EQ(text_at(gbd_ul(kActiveLlp), {"Organization", "RegStatus", "Code"}), "1");
  EXPECT_EQ(text_at(kgd(kActiveLlp), {"result", "code"}), "00");
  EXPECT_EQ(text_at(elicense(kActiveLlp), {"result", "code"}), "00");
}

TEST_F(StateTest, TheMockClockIsSetAdvancedStampedAndGivenBack) {
  set_clock("2026-12-07T02:00:00+05:00");
  EXPECT_EQ(get("/admin/clock").at("now"), "2026-12-07T02:00:00.000+05:00");
  EXPECT_EQ(get("/admin/clock").at("mocked"), true);
  post("/admin/clock", R"({"advance":"P1DT2H30M"})");
  EXPECT_EQ(get("/admin/clock").at("now"), "2026-12-08T04:30:00.000+05:00");
  post("/admin/clock", R"({"advance_seconds":-1800})");
  EXPECT_EQ(get("/admin/clock").at("now"), "2026-12-08T04:00:00.000+05:00");
  // KGD stamps its sendTime with the mock clock; ГБД ФЛ its messageDate.
  EXPECT_EQ(text_at(kgd(kActiveLlp), {"taxpayer", "arrears", "sendTime"}),
            "2026-12-08T04:00:00.000+05:00");
  EXPECT_EQ(text_at(gbd_fl(kAliveIe), {"messageDate"}), "2026-12-08T04:00:00.000+05:00");
  const auto back = mocks_.call_json(http::verb::delete_, "/admin/clock");
  EXPECT_EQ(back.at("mocked"), false);
}

TEST_F(StateTest, ThePopulationIsListedByTraitForTestersToPickFrom) {
  const auto summary = get("/admin/population").as_object();
  EXPECT_EQ(summary.at("size"), 5000);
  EXPECT_EQ(summary.at("seed"), 1);
  const auto bankrupt_count = summary.at("counts").at("traits").at("bankrupt").as_int64();
  const auto page = get("/admin/population/subjects?trait=bankrupt&limit=5").as_object();
  EXPECT_EQ(page.at("total"), bankrupt_count);
  ASSERT_EQ(page.at("subjects").as_array().size(), 5u);
  for (const auto& s : page.at("subjects").as_array()) {
    const auto& traits = s.at("traits").as_array();
    EXPECT_NE(std::find(traits.begin(), traits.end(), json::value("bankrupt")), traits.end());
  }
  const auto next = get("/admin/population/subjects?trait=bankrupt&limit=5&offset=" +
                        std::to_string(page.at("next_offset").as_int64()))
                        .as_object();
  EXPECT_NE(next.at("subjects").at(0).at("id"), page.at("subjects").at(4).at("id"));
  EXPECT_LT(page.at("subjects").at(4).at("index").as_int64(),
            next.at("subjects").at(0).at("index").as_int64());
  const auto ies = get("/admin/population/subjects?kind=individual_entrepreneur&limit=3");
  EXPECT_EQ(ies.at("subjects").at(0).at("kind"), "individual_entrepreneur");

  const auto id = std::string(page.at("subjects").at(0).at("id").as_string());
  const auto one = get("/admin/population/subjects/" + id).as_object();
  EXPECT_EQ(one.at("source"), "population");
  const auto& kgd_now = one.at("registers").at("kgd").at("lists").as_array();
  EXPECT_NE(std::find(kgd_now.begin(), kgd_now.end(), json::value("bankrupt")), kgd_now.end());
  const auto fixture = get("/admin/population/subjects/150340012340").as_object();
  EXPECT_EQ(fixture.at("source"), "fixtures");
  EXPECT_EQ(fixture.at("registers").at("gbd_ul").at("reg_status"), "1");
}

TEST_F(StateTest, BadAdminInputIsRefusedWithA400NamingTheField) {
  struct Case {
    http::verb method;
    std::string target;
    std::string body;
    std::string field;
  };
  const std::string llp = R"("subject":"150340012340")";
  const std::vector<Case> cases{
      {http::verb::post, "/admin/state", "not json", "body"},
      {http::verb::post, "/admin/state",
       R"({"subject":"150340012341","system":"gbd_ul","set":{"status":"active"}})", "subject"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"gbd_xx","set":{"status":"active"}})", "system"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"gbd_ul","set":{"status":"closed"}})", "set.status"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"gbd_ul","set":{"colour":"red"}})", "set.colour"},
      {http::verb::post, "/admin/state", "{" + llp + R"(,"system":"gbd_ul"})", "set"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"gbd_ul","set":{"date":"2026-01-01"}})", "set.date"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"gbd_fl","set":{"deceased_on":"2026-11-20"}})", "subject"},
      {http::verb::post, "/admin/state",
       R"({"subject":"840512401230","system":"gbd_fl","set":{"deceased_on":"1950-01-01"}})",
       "set.deceased_on"},
      {http::verb::post, "/admin/state",
       R"({"subject":"840512401230","system":"gbd_fl","set":{"deceased_on":"20.11.2026"}})",
       "set.deceased_on"},
      {http::verb::post, "/admin/state", "{" + llp + R"(,"system":"kgd","set":{"tax_debt":-5}})",
       "set.tax_debt"},
      {http::verb::post, "/admin/state", "{" + llp + R"(,"system":"kgd","set":{"tax_debt":1.005}})",
       "set.tax_debt"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"elicense","set":{"licence_status":"lost"}})",
       "set.licence_status"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"goszakup","set":{"rnu_listed":"yes"}})", "set.rnu_listed"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"goszakup","set":{"rnu_listed":true},"from":"next week"})", "from"},
      {http::verb::post, "/admin/state",
       "{" + llp + R"(,"system":"goszakup","set":{"rnu_listed":true},"extra":1})", "extra"},
      {http::verb::get, "/admin/state?subject=12", "", "subject"},
      {http::verb::post, "/admin/scenarios",
       "{" + llp + R"(,"service_id":"Nope","steps":[{"answer":"data"}]})", "service_id"},
      {http::verb::post, "/admin/scenarios",
       "{" + llp +
           R"(,"service_id":"GbdulInfoByBin_v2","steps":[{"answer":"no_data"},{"answer":"data"}]})",
       "steps[0].calls"},
      {http::verb::post, "/admin/scenarios",
       "{" + llp + R"(,"service_id":"GbdulInfoByBin_v2","steps":[{"answer":"maybe","calls":1}]})",
       "steps[0].answer"},
      {http::verb::post, "/admin/scenarios",
       "{" + llp + R"(,"service_id":"GbdulInfoByBin_v2","steps":[]})", "steps"},
      {http::verb::post, "/admin/clock", R"({"advance":"P1M"})", "advance"},
      {http::verb::post, "/admin/clock", R"({"now":"2026-12-07T02:00:00"})", "now"},
      {http::verb::post, "/admin/clock", R"({"advance_seconds":"60"})", "advance_seconds"},
      {http::verb::post, "/admin/clock", R"({})", "body"},
      {http::verb::post, "/admin/clock", R"({"now":"2026-12-07","advance":"P1D"})", "body"},
      {http::verb::get, "/admin/population/subjects?trait=rich", "", "trait"},
      {http::verb::get, "/admin/population/subjects?kind=person", "", "kind"},
      {http::verb::get, "/admin/population/subjects?limit=0", "", "limit"},
      {http::verb::get, "/admin/population/subjects?colour=red", "", "colour"},
      {http::verb::get, "/admin/population/subjects/123", "", "id"},
  };
  for (const auto& c : cases) {
    const auto response = mocks_.call(c.method, c.target, c.body);
    EXPECT_EQ(response.result(), http::status::bad_request) << c.target << " " << c.body;
    const auto body = json::parse(response.body()).as_object();
    EXPECT_EQ(body.at("field"), json::value(c.field)) << c.body << " -> " << response.body();
    EXPECT_TRUE(std::string(body.at("error").as_string()).starts_with(c.field + ": "))
        << response.body();
  }
  EXPECT_TRUE(get("/admin/state").at("changes").as_array().empty());
  EXPECT_EQ(mocks_.call(http::verb::put, "/admin/clock").result(),
            http::status::method_not_allowed);
  EXPECT_EQ(mocks_.call(http::verb::get, "/admin/reset").result(),
            http::status::method_not_allowed);
}

TEST_F(StateTest, ChangesAndReadsFromSeveralThreadsAgree) {
  const auto iin = clean(Kind::individual_entrepreneur);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const auto amount = std::to_string(t * 100 + i + 1);
        mocks_.call(
            http::verb::post, "/admin/state",
            R"({"subject":")" + iin + R"(","system":"kgd","set":{"tax_debt":)" + amount + "}}");
        mocks_.call(http::verb::post, "/bip-sync-wss-gost/", testing::kgd_request(iin));
        mocks_.call(http::verb::get, "/v3/rnu?limit=10");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(get("/admin/state?subject=" + iin).at("changes").as_array().size(), 100u);
  // The last change posted decides.
  const auto last = get("/admin/state?subject=" + iin).at("changes").as_array().back();
  const auto expected = last.at("set").at("tax_debt").to_number<double>();
  EXPECT_EQ(std::stod(text_at(kgd(iin), {"taxpayer", "arrears", "totalTaxArrear"})), expected);
}

}  // namespace
}  // namespace tekser::mocks
