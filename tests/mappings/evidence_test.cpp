// What is never evidence of termination, whatever a reply says: a date after the reply's own day
// (announced, not a fact) and a reply that contradicts itself. The status is unknown with the
// reason, kept in the fact, and the existence requirement is then unknown — never a fail, so no
// block or deregistration can follow from it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/shep/envelope.hpp"
#include "common/shep/services.hpp"
#include "mappings/gbd_fl/gbd_fl.hpp"
#include "mappings/gbd_ul/gbd_ul.hpp"
#include "tests/mappings/support.hpp"

namespace tekser::test {
namespace {

std::string golden_text(const std::string& name) {
  std::ifstream in(std::string(TEKSER_MAPPINGS_GOLDEN_DIR) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The reply's day is the provenance's: 2026-01-15 (support.cpp).
mappings::MappedReply map_ul(const std::string& envelope) {
  const auto reply = shep::parse_reply(envelope);
  return mappings::gbd_ul::map_reply(reply.data, provenance("gbd_ul", shep::service::gbd_ul));
}
mappings::MappedReply map_fl(const std::string& envelope) {
  const auto reply = shep::parse_reply(envelope);
  return mappings::gbd_fl::map_reply(reply.data, provenance("gbd_fl", shep::service::gbd_fl));
}

TEST(Evidence, APastLiquidationDateIsLiquidation) {
  const auto status = fact(map_ul(golden_text("ul_liquidated.xml")), "status");
  EXPECT_EQ(status.at("value"), json(R"("liquidated")"));
  EXPECT_FALSE(status.as_object().contains("unknown_reason"));
}

TEST(Evidence, ALiquidationDateAfterTheReplysDayIsUnknownNotLiquidated) {
  const auto text = replaced(golden_text("ul_liquidated.xml"), "<LiquidationDate>2024-11-29",
                             "<LiquidationDate>2099-01-01");
  const auto r = map_ul(text);
  ASSERT_EQ(r.outcome, facts::Outcome::data) << r.cause;
  const auto status = fact(r, "status");
  EXPECT_EQ(status.at("value"), json(R"("unknown")"));
  EXPECT_EQ(status.at("liquidation_date"), json(R"("2099-01-01")"));  // kept as announced
  EXPECT_NE(std::string(status.at("unknown_reason").as_string()).find("2099-01-01"),
            std::string::npos);
  // The next day after the reply is already the future.
  const auto tomorrow =
      map_ul(replaced(golden_text("ul_liquidated.xml"), "<LiquidationDate>2024-11-29",
                      "<LiquidationDate>2026-01-16"));
  EXPECT_EQ(fact(tomorrow, "status").at("value"), json(R"("unknown")"));
  const auto today = map_ul(replaced(golden_text("ul_liquidated.xml"),
                                     "<LiquidationDate>2024-11-29", "<LiquidationDate>2026-01-15"));
  EXPECT_EQ(fact(today, "status").at("value"), json(R"("liquidated")"));
}

TEST(Evidence, ADeathDateAfterTheReplysDayIsUnknownNotDeceased) {
  const auto text =
      replaced(golden_text("fl_deceased.xml"), "<deathDate>2025-06-14", "<deathDate>2031-06-14");
  const auto status = fact(map_fl(text), "status");
  EXPECT_EQ(status.at("value"), json(R"("unknown")"));
  EXPECT_NE(std::string(status.at("unknown_reason").as_string()).find("2031-06-14"),
            std::string::npos);
}

TEST(Evidence, ADeathDateBesideLifeStatusAliveIsAConflictNotDeath) {
  // The deceased person's reply, but its lifeStatus says alive (code 1).
  auto text =
      replaced(golden_text("fl_deceased.xml"), "<code>2</code>\n                  <nameRu>Умерший",
               "<code>1</code>\n                  <nameRu>Живой");
  const auto status = fact(map_fl(text), "status");
  EXPECT_EQ(status.at("value"), json(R"("unknown")"));
  EXPECT_EQ(status.at("conflict"), json("true"));
  EXPECT_NE(std::string(status.at("unknown_reason").as_string()).find("contradicts"),
            std::string::npos);
}

TEST(Evidence, ADeathWithoutContradictionIsDeath) {
  EXPECT_EQ(fact(map_fl(golden_text("fl_deceased.xml")), "status").at("value"),
            json(R"("deceased")"));
  EXPECT_EQ(fact(map_fl(golden_text("fl_alive_ie.xml")), "status").at("value"), json(R"("alive")"));
}

}  // namespace
}  // namespace tekser::test
