// The structured log masks every BIN/IIN that reaches it, whichever field carries it.
#include <sstream>

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/log/json_log.hpp"

namespace {

using tekser::logging::JsonLog;
using tekser::logging::mask_identifiers;

TEST(MaskIdentifiers, MasksEveryRunOfTwelveDigits) {
  EXPECT_EQ(mask_identifiers("880315300212"), "8803******12");
  EXPECT_EQ(mask_identifiers("/v1/audit?subject=880315300212&limit=5"),
            "/v1/audit?subject=8803******12&limit=5");
  EXPECT_EQ(mask_identifiers("unknown supplier '080940003154' and 150340012340"),
            "unknown supplier '0809******54' and 1503******40");
}

TEST(MaskIdentifiers, KeepsDigitsInsideDigestsTokensAndUuids) {
  // A certificate fingerprint whose digits happen to make a run of twelve.
  const std::string digest = "ab150340012340cd" + std::string(48, 'e');
  EXPECT_EQ(mask_identifiers(digest), digest);
  EXPECT_EQ(mask_identifiers("150340012340ab"), "150340012340ab");
  EXPECT_EQ(mask_identifiers("id 0b9c1c1e-2f7d-4d3a-9a55-150340012340 sent"),
            "id 0b9c1c1e-2f7d-4d3a-9a55-150340012340 sent");
  // Not a UUID: masked.
  EXPECT_EQ(mask_identifiers("order-150340012340"), "order-1503******40");
  EXPECT_EQ(mask_identifiers("x0b9c1c1e-2f7d-4d3a-9a55-150340012340"),
            "x0b9c1c1e-2f7d-4d3a-9a55-1503******40");
}

TEST(MaskIdentifiers, KeepsOtherNumbers) {
  // Epoch milliseconds (13 digits), ports, counts, an 11-digit number.
  EXPECT_EQ(mask_identifiers("1767225600000 8080 42 12345678901"),
            "1767225600000 8080 42 12345678901");
  EXPECT_EQ(mask_identifiers(""), "");
  EXPECT_EQ(mask_identifiers("no digits"), "no digits");
}

TEST(JsonLog, MasksIdentifiersInNestedStringValues) {
  std::ostringstream out;
  JsonLog log(out);
  log.error("request",
            {{"target", "/v1/suppliers/880315300212/verify"},
             {"nested", boost::json::object{{"list", boost::json::array{"150340012340"}}}}});
  const auto line = boost::json::parse(out.str()).as_object();
  EXPECT_EQ(line.at("target").as_string(), "/v1/suppliers/8803******12/verify");
  EXPECT_EQ(line.at("nested").at("list").at(0).as_string(), "1503******40");
  EXPECT_EQ(out.str().find("880315300212"), std::string::npos);
}

TEST(JsonLog, ReplacesBytesThatAreNotUtf8SoTheLineStaysJson) {
  std::ostringstream out;
  JsonLog log(out);
  log.info("request", {{"target", std::string("/v1/\xff\xc0\xafx?q=\xe2\x82")}, {"ok", "қазақша"}});
  const auto text = out.str();
  boost::system::error_code ec;
  const auto line = boost::json::parse(text, ec);
  ASSERT_FALSE(ec) << text;
  EXPECT_EQ(line.at("target").as_string(),
            "/v1/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx?q=\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(line.at("ok").as_string(), "қазақша");
}

}  // namespace
