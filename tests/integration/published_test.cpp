// Issue 17 item 4: the API as published. GET /v1/openapi.json is the repository's document byte
// for byte and describes every route of the access table (and no other); GET /v1/version names
// the version, the commit, the rule sets and the contracts. Both for any client, whatever its
// scopes, and for no anonymous caller.
#include <regex>
#include <set>

#include "gateway/api/access.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kMetricsOnlyToken = "published-test-metrics-only-token";

class PublishedTest : public GatewayTest {
 protected:
  void SetUp() override {
    extra_clients_yaml_ =
        "  - id: metrics-only\n    token_sha256: " + digest::sha256_hex(kMetricsOnlyToken) +
        "\n    scopes: [metrics:read]\n";
    GatewayTest::SetUp();
  }
};

TEST_F(PublishedTest, ServesTheRepositorysDocumentByteForByte) {
  const auto raw = http_call(port_, http::verb::get, "/v1/openapi.json", "", 10s, "",
                             {{"Authorization", bearer(kTestToken)}});
  ASSERT_FALSE(raw.error) << raw.error.message();
  EXPECT_EQ(raw.response.result_int(), 200u);
  EXPECT_EQ(raw.response[http::field::content_type], "application/json; charset=utf-8");
  const auto file = read_file(TEKSER_OPENAPI_FILE);
  ASSERT_FALSE(file.empty());
  EXPECT_TRUE(raw.response.body() == file)
      << "the served document differs from " TEKSER_OPENAPI_FILE;
  // Through the recording helper too, so that the contract check sees this answer.
  EXPECT_EQ(call(port_, http::verb::get, "/v1/openapi.json").body, json::parse(file));
}

TEST_F(PublishedTest, TheDocumentDescribesEveryRouteAndNoOther) {
  const auto document = call(port_, http::verb::get, "/v1/openapi.json").body;
  EXPECT_EQ(document.at("openapi").as_string().subview().substr(0, 4), "3.1.");
  std::set<std::string> described;
  for (const auto& [path, item] : document.at("paths").as_object())
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      described.insert(upper + " " + std::string(path));
      // Every operation names its scopes (empty: open or any client).
      EXPECT_TRUE(operation.as_object().contains("x-scopes")) << upper << " " << path;
    }
  std::set<std::string> routed;
  for (const auto& pattern : api::access::route_patterns()) routed.insert(pattern);
  for (const auto& route : routed)
    EXPECT_TRUE(described.contains(route)) << route << " is not described";
  for (const auto& operation : described)
    EXPECT_TRUE(routed.contains(operation)) << operation << " is described but not routed";
}

TEST_F(PublishedTest, VersionNamesTheBuildTheRuleSetsAndTheContracts) {
  const auto reply = call(port_, http::verb::get, "/v1/version");
  ASSERT_EQ(reply.status, 200u) << json::serialize(reply.body);
  EXPECT_EQ(reply.body.at("version"), TEKSER_PROJECT_VERSION);
  const std::string commit(reply.body.at("commit").as_string());
  EXPECT_TRUE(std::regex_match(commit, std::regex("[0-9a-f]{7,40}|unknown"))) << commit;
  // The rule sets are those GET /v1/rule-sets lists.
  const auto rule_sets = call(port_, http::verb::get, "/v1/rule-sets").body;
  std::vector<json::value> listed;
  for (const auto& set : rule_sets.at("rule_sets").as_array()) listed.push_back(set.at("id"));
  const auto& ids = reply.body.at("rule_sets").as_array();
  EXPECT_EQ(std::vector<json::value>(ids.begin(), ids.end()), listed);
  EXPECT_FALSE(listed.empty());
  std::set<std::string> contracts;
  for (const auto& c : reply.body.at("contracts").as_array())
    contracts.insert(std::string(c.at("name").as_string()));
  for (const auto* name : {"SyncChannel v10", "GbdulInfoByBin_v2", "GBDFL_UniversalServiceSync",
                           "KGD_TaxpayerStatus", "ELICENSE_LicensesByBiin", "ENIS_PoaVerification",
                           "PersonalAssistantChecks", "OWS v3 /v3/rnu"})
    EXPECT_TRUE(contracts.contains(name)) << name;
}

TEST_F(PublishedTest, AnyClientMayReadThemAndNoAnonymousCaller) {
  for (const auto* target : {"/v1/openapi.json", "/v1/version"}) {
    SCOPED_TRACE(target);
    EXPECT_EQ(call_with(port_, http::verb::get, target, "",
                        {{"Authorization", bearer(kMetricsOnlyToken)}})
                  .status,
              200u);
    const auto anonymous = call_anonymous(port_, http::verb::get, target);
    EXPECT_EQ(anonymous.status, 401u);
    EXPECT_EQ(anonymous.body.at("error").at("field"), "Authorization");
    EXPECT_EQ(call(port_, http::verb::post, target).status, 405u);
  }
}

}  // namespace
}  // namespace tekser::integration
