// A supplier view written from its fixed parts (gateway/api/view_json.hpp) is the document the
// API built before: the same members and values for every fact, fresh or not, stale or not, and
// whatever characters its values and reasons hold.
#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "gateway/api/view_json.hpp"

namespace tekser::api {
namespace {

namespace json = boost::json;
using std::chrono::hours;
using std::chrono::milliseconds;

xsd_time::TimePoint at(long long ms) {
  return xsd_time::TimePoint{milliseconds{ms}};
}

store::StoredFact fact(std::string system, std::string name, json::value value,
                       xsd_time::TimePoint retrieved_at) {
  store::StoredFact f;
  f.fact.name = std::move(name);
  f.fact.value = std::move(value);
  auto& p = f.fact.provenance;
  p.system = std::move(system);
  p.service_id = "GbdulInfoByBin_v2";
  p.message_id = "4f0c1d9e-0000-4000-8000-000000000001";
  p.reply_message_id = "reply-\"1\"";
  p.retrieved_at = retrieved_at;
  p.valid_until = retrieved_at + hours(24 * 7);
  p.reply_sha256 = std::string(64, 'a');
  f.first_seen_at = retrieved_at - hours(48);
  f.checked_at = retrieved_at;
  return f;
}

SupplierView sample_view() {
  SupplierView view;
  view.supplier.id = "180340021791";
  view.supplier.subject_kind = "legal_entity";
  view.supplier.categories = {"invataxi", "prostheses"};
  view.supplier.services = std::vector<std::string>{"02.001"};
  view.supplier.created_at = at(1'790'000'000'000);
  view.supplier.updated_at = at(1'790'000'100'000);
  const auto retrieved = at(1'796'000'000'000);
  view.facts.push_back(fact("gbd_ul", "registration_status",
                            json::parse(R"({"code":"1","name_ru":"Действующее \"ТОО\"\\n"})"),
                            retrieved));
  view.facts.push_back(fact("kgd", "tax_debt", json::parse("[1.5, null, true, \"\\u0000\"]"),
                            retrieved - hours(24 * 8)));  // no longer fresh
  view.facts.push_back(fact("goszakup", "goszakup_rnu", json::value(nullptr), retrieved));
  store::SourceStatus up;
  up.system = "gbd_ul";
  up.service_id = "GbdulInfoByBin_v2";
  up.outcome = facts::Outcome::data;
  up.message_id = "m-1";
  up.checked_at = retrieved;
  up.last_data_at = retrieved;
  store::SourceStatus down = up;
  down.system = "kgd";
  down.outcome = facts::Outcome::unavailable;
  down.cause = "connect: refused";
  down.error_code = "E\"1";
  down.last_data_at.reset();
  view.sources = {up, down};
  return view;
}

TEST(ViewJsonTest, WrittenFromItsFixedPartsTheViewIsTheDocumentBuiltWhole) {
  const auto view = sample_view();
  const auto rendered = render_view(view);
  const auto retrieved = view.facts.front().fact.provenance.retrieved_at;
  const StaleSources none;
  const StaleSources kgd_down{{"kgd", "source down: circuit open, last failure: «timeout» \"x\""}};
  for (const auto now : {retrieved, retrieved + milliseconds(1500), retrieved + hours(24 * 7)})
    for (const auto* stale : {&none, &kgd_down}) {
      const auto text = write_view(rendered, now, *stale);
      boost::system::error_code ec;
      const auto written = json::parse(text, ec);
      ASSERT_FALSE(ec) << ec.message() << "\n" << text;
      EXPECT_EQ(written, json::value(view_to_json(view, now, *stale))) << text;
    }
}

TEST(ViewJsonTest, TheMovingFieldsFollowTheMomentAndTheBreakers) {
  const auto view = sample_view();
  const auto rendered = render_view(view);
  const auto retrieved = view.facts.front().fact.provenance.retrieved_at;
  const auto later = json::parse(
      write_view(rendered, retrieved + hours(24 * 7), {{"gbd_ul", "source down: circuit open"}}));
  const auto& first = later.at("facts").at(0);
  EXPECT_EQ(first.at("age_seconds").as_int64(), 7 * 24 * 3600);
  EXPECT_FALSE(first.at("fresh").as_bool()) << "valid_until is the first moment it is not fresh";
  EXPECT_TRUE(first.at("stale").as_bool());
  EXPECT_EQ(first.at("stale_reason").as_string(), "source down: circuit open");
  EXPECT_FALSE(later.at("facts").at(1).at("stale").as_bool());
  EXPECT_TRUE(later.at("facts").at(1).at("stale_reason").is_null());
}

TEST(ViewJsonTest, AViewWithoutFactsOrSourcesIsStillADocument) {
  SupplierView view;
  view.supplier.id = "900101300123";
  view.supplier.subject_kind = "individual";
  const auto text = write_view(render_view(view), at(0), {});
  EXPECT_EQ(json::parse(text), json::value(view_to_json(view, at(0), {})));
  EXPECT_TRUE(json::parse(text).at("facts").as_array().empty());
}

}  // namespace
}  // namespace tekser::api
