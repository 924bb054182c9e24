// The real gateway against the real mocks with the bus answering in every payload shape and
// namespace spelling (/admin/wire-styles), and sending its own requests in each shape
// (sources.<system>.payload_style): the facts are the same every time, and every request the
// gateway sends is valid by the contract.
#include <boost/json/serialize.hpp>

#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kActiveBin = "150340012340";  // ТОО «Мейірім Медтехника»
constexpr const char* kDeceasedIin = "580220307895";  // IE, died 2025-06-14

constexpr const char* kShapes[] = {"typed", "declared", "jaxb", "untyped"};
constexpr const char* kSpellings[] = {"prefixed", "default-ns", "rebound"};

// The facts of a verify reply that came from the SHEP systems, without what differs per exchange
// (provenance: message ids, digests, times).
std::string shep_facts(const json::value& view) {
  std::string out;
  for (const auto& f : view.at("facts").as_array()) {
    const auto system = f.at("system").as_string();
    if (system == "goszakup" || system == "samruk") continue;
    out += std::string(system) + "." + std::string(f.at("name").as_string()) + " = " +
           json::serialize(f.at("value")) + "\n";
  }
  return out;
}

class WireShapesTest : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
    ASSERT_EQ(
        put(kDeceasedIin,
            R"({"categories":["invataxi"],"consent":{"kdp_token":"kdp-1","public_key":"MIIB"}})")
            .status,
        201u);
  }

  // Verifies both suppliers: each SHEP source's outcome and every fact they gave.
  std::string verified_facts() {
    std::string out;
    for (const auto* id : {kActiveBin, kDeceasedIin}) {
      const auto verified = verify(id);
      EXPECT_EQ(verified.status, 200u) << json::serialize(verified.body);
      for (const auto& a : verified.body.at("verification").at("asked").as_array())
        out += std::string(id) + " " + std::string(a.at("system").as_string()) + ": " +
               std::string(a.at("outcome").as_string()) + "\n";
      out += shep_facts(verified.body);
    }
    return out;
  }
};

TEST_F(WireShapesTest, TheBusAnsweringInEveryShapeGivesTheSameFacts) {
  const auto baseline = verified_facts();
  ASSERT_NE(baseline.find("gbd_ul: data"), std::string::npos) << baseline;
  ASSERT_NE(baseline.find("gbd_fl: data"), std::string::npos) << baseline;
  ASSERT_NE(baseline.find("kgd: data"), std::string::npos) << baseline;
  ASSERT_NE(baseline.find("elicense: data"), std::string::npos) << baseline;
  for (const auto* shape : kShapes)
    for (const auto* spelling : kSpellings) {
      SCOPED_TRACE(std::string(shape) + "/" + spelling);
      ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/wire-styles").status, 200u);
      const auto added = mocks_admin(http::verb::post, "/admin/wire-styles",
                                     std::string(R"({"payload_shape":")") + shape +
                                         R"(","envelope_style":")" + spelling + R"("})");
      ASSERT_EQ(added.status, 201u) << json::serialize(added.body);
      EXPECT_EQ(verified_facts(), baseline);
    }
  // The bus did answer in those shapes: its journal says so.
  const auto journal =
      mocks_admin(http::verb::get, std::string("/admin/journal?subject=") + kActiveBin +
                                       "&service_id=GbdulInfoByBin_v2");
  std::set<std::string> reply_shapes;
  for (const auto& e : journal.body.as_array())
    if (e.at("reply_shape").is_string())
      reply_shapes.insert(std::string(e.at("reply_shape").as_string()));
  EXPECT_EQ(reply_shapes.size(), 12u);
}

TEST_F(WireShapesTest, TheGatewaySendsEachShapeValidByTheContract) {
  const auto baseline = verified_facts();
  for (const auto* shape : {"declared", "jaxb"}) {
    SCOPED_TRACE(shape);
    std::string styles;
    for (const auto* system : {"gbd_ul", "gbd_fl", "kgd", "elicense", "pa_checks"})
      styles += std::string(", ") + system + ": {payload_style: " + shape + "}";
    sources_extra_yaml_ = styles;
    gateway_.reset();
    start_gateway();
    ASSERT_EQ(mocks_admin(http::verb::delete_, "/admin/journal").status, 200u);
    EXPECT_EQ(verified_facts(), baseline);
    const auto journal = mocks_admin(http::verb::get, "/admin/journal");
    std::size_t soap = 0;
    for (const auto& e : journal.body.as_array()) {
      if (!e.at("payload_shape").is_string()) continue;  // REST registers
      ++soap;
      EXPECT_EQ(e.at("validation"), "valid") << json::serialize(e);
      EXPECT_EQ(e.at("payload_shape"), shape) << json::serialize(e);
    }
    EXPECT_GE(soap, 4u);  // ГБД ЮЛ, ГБД ФЛ, KGD twice, e-licensing twice
  }
}

TEST_F(WireShapesTest, AnUnknownPayloadStyleIsRefusedAtStartNamingTheKey) {
  sources_extra_yaml_ = ", gbd_ul: {payload_style: soapy}";
  gateway_.reset();
  EXPECT_THROW(start_gateway(), std::runtime_error);
}

}  // namespace
}  // namespace tekser::integration
