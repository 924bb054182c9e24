// The evidence view's pure parts: which format a request gets, the trigger id's form, escaping,
// the grounds linked to their facts by the rule set, and a mismatch shown loudly in both views.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "common/digest/sha256.hpp"
#include "gateway/api/evidence.hpp"

namespace tekser::api {
namespace {

namespace json = boost::json;

TEST(EvidenceView, JsonUnlessHtmlIsPreferredOrAsked) {
  using F = EvidenceFormat;
  EXPECT_EQ(evidence_format(std::nullopt, ""), F::json);
  EXPECT_EQ(evidence_format(std::nullopt, "*/*"), F::json);
  EXPECT_EQ(evidence_format(std::nullopt, "application/json"), F::json);
  EXPECT_EQ(evidence_format(std::nullopt, "text/html"), F::html);
  EXPECT_EQ(evidence_format(std::nullopt, "TEXT/HTML; charset=utf-8"), F::html);
  // A browser's header.
  EXPECT_EQ(evidence_format(std::nullopt,
                            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            F::html);
  EXPECT_EQ(evidence_format(std::nullopt, "application/json, text/html;q=0.5"), F::json);
  EXPECT_EQ(evidence_format(std::nullopt, "text/html;q=0.9, application/json;q=0.9"), F::json)
      << "a tie stays JSON";
  EXPECT_EQ(evidence_format(std::nullopt, "text/*, application/json;q=0.2"), F::html);
  EXPECT_EQ(evidence_format(std::nullopt, "text/html;q=0"), F::json);
  EXPECT_EQ(evidence_format("html", "application/json"), F::html) << "?format= decides";
  EXPECT_EQ(evidence_format("json", "text/html"), F::json);
  EXPECT_EQ(evidence_format("pdf", ""), std::nullopt);
  EXPECT_EQ(evidence_format("", ""), std::nullopt);
}

TEST(EvidenceView, TriggerIdsAreUuids) {
  EXPECT_EQ(canonical_uuid("00000000-0000-4000-8000-0000000000E1"),
            "00000000-0000-4000-8000-0000000000e1");
  EXPECT_EQ(canonical_uuid("00000000-0000-4000-8000-0000000000e1"),
            "00000000-0000-4000-8000-0000000000e1");
  EXPECT_EQ(canonical_uuid("00000000000040008000-0000000000e1aa"), std::nullopt);
  EXPECT_EQ(canonical_uuid("00000000-0000-4000-8000-0000000000g1"), std::nullopt);
  EXPECT_EQ(canonical_uuid("00000000-0000-4000-8000-0000000000e"), std::nullopt);
  EXPECT_EQ(canonical_uuid("42"), std::nullopt);
  EXPECT_EQ(canonical_uuid(""), std::nullopt);
}

TEST(EvidenceView, HtmlEscapeCoversMarkupAndQuotes) {
  EXPECT_EQ(html_escape(R"(<script>alert("x") & 'y'</script>)"),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;");
  EXPECT_EQ(html_escape("ликвидирован"), "ликвидирован");
}

const std::string kReply =
    "<Envelope><status>LIQUIDATED</status><script>alert(1)</script></Envelope>";

store::TriggerEvidence sample() {
  store::TriggerEvidence e;
  e.id = "00000000-0000-4000-8000-0000000000e1";
  e.supplier_id = "180340021791";
  e.sequence = 1;
  e.kind = "block";
  e.status = "delivered";
  e.rule_set = "order-285-as-amended-2025-08-29";
  e.grounds.push_back({"p15.2", "p.15 sub-item 2", "Поставщик не прекратил существование",
                       "Өнім беруші өмір сүруін тоқтатпаған", "ликвидировано <b>2025</b>",
                       "таратылған"});
  store::EvidenceItem status;
  status.system = "gbd_ul";
  status.service_id = "GbdulInfoByBin_v2";
  status.message_id = "m-1";
  status.received_at = "2025-10-09T13:53:20.000+05:00";
  status.reply_sha256 = digest::sha256_hex(kReply);
  status.fact = json::object{{"name", "status"},
                             {"value", json::object{{"value", "liquidated"}, {"since", "2025"}}}};
  store::LoggedReply reply;
  reply.log_id = 7;
  reply.system = "gbd_ul";
  reply.body = kReply;
  reply.body_sha256 = digest::sha256_hex(kReply);
  reply.logged_sha256 = reply.body_sha256;
  reply.signature = "valid";
  reply.signer_sha256 = std::string(64, 'c');
  status.reply = reply;
  e.evidence.push_back(status);
  // A fact the ground does not rest on.
  store::EvidenceItem tax = status;
  tax.system = "kgd";
  tax.message_id = "m-2";
  tax.fact = json::object{{"name", "tax_debt"}, {"value", json::object{{"has_debt", false}}}};
  tax.reply->system = "kgd";
  e.evidence.push_back(tax);
  return e;
}

TEST(EvidenceView, EachGroundIsLinkedToTheFactsItsCheckRestsOn) {
  const auto links = link_grounds(sample());
  ASSERT_EQ(links.size(), 1u);
  EXPECT_TRUE(links[0].derived);
  EXPECT_EQ(links[0].evidence, std::vector<std::size_t>{0});

  auto unknown = sample();
  unknown.rule_set = "no-such-rule-set";
  const auto all = link_grounds(unknown);
  EXPECT_FALSE(all[0].derived);
  EXPECT_EQ(all[0].evidence, (std::vector<std::size_t>{0, 1})) << "recorded together";
}

TEST(EvidenceView, MatchingRepliesAreIntactAndTheHtmlEscapesThem) {
  const auto e = sample();
  const auto body = evidence_json(e);
  EXPECT_EQ(body.at("integrity").at("status"), "intact");
  const auto& first = body.at("evidence").at(0);
  EXPECT_EQ(first.at("reply").at("body"), json::value(kReply));
  EXPECT_EQ(first.at("reply").at("sha256_matches"), true);
  EXPECT_EQ(first.at("signature").at("status"), "valid");
  EXPECT_EQ(body.at("grounds").at(0).at("evidence_linked_by"), "rule_set");
  EXPECT_TRUE(body.at("trigger").at("deadline").is_null()) << "p.16 gives a block no deadline";
  // The rule set in force dates from a publication not yet confirmed: both views say so.
  EXPECT_EQ(body.at("rule_set").at("dates_confirmed"), false);
  EXPECT_EQ(body.at("rule_set").at("publication").at("confirmed"), false);

  const auto html = evidence_html(e);
  EXPECT_EQ(html.find("<script>"), std::string::npos) << "no markup from data";
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("ликвидировано &lt;b&gt;2025&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("Основания"), std::string::npos);
  EXPECT_NE(html.find("Негіздер"), std::string::npos);
  EXPECT_NE(html.find("совпадает"), std::string::npos);
  EXPECT_NE(html.find("подпункт 2) пункта 15"), std::string::npos);
  EXPECT_NE(html.find("закон не устанавливает срока"), std::string::npos);
  EXPECT_NE(html.find("15-тармағының 2) тармақшасы"), std::string::npos);
  EXPECT_EQ(html.find("НЕ СОВПАДАЕТ"), std::string::npos);
  EXPECT_NE(html.find("ещё не подтверждённой официальным источником"), std::string::npos);
  EXPECT_NE(html.find("әлі расталмаған"), std::string::npos);
}

TEST(EvidenceView, AMismatchIsLoudInBothViewsAndAnAbsentReplyIsNotAnError) {
  auto e = sample();
  e.evidence[0].reply->body = kReply + " ";
  e.evidence[0].reply->body_sha256 = digest::sha256_hex(*e.evidence[0].reply->body);
  const auto body = evidence_json(e);
  EXPECT_EQ(body.at("integrity").at("status"), "mismatch");
  EXPECT_EQ(body.at("integrity").at("mismatched"), 1);
  EXPECT_EQ(body.at("evidence").at(0).at("reply").at("sha256_matches"), false);
  EXPECT_FALSE(body.at("integrity").at("problems").as_array().empty());
  const auto html = evidence_html(e);
  EXPECT_NE(html.find("НЕ СОВПАДАЕТ"), std::string::npos);
  EXPECT_NE(html.find("СӘЙКЕС КЕЛМЕЙДІ"), std::string::npos);
  EXPECT_NE(html.find("banner bad"), std::string::npos);

  auto absent = sample();
  absent.evidence[1].reply.reset();
  absent.evidence[1].absent_code = "not_found";
  absent.evidence[1].absent_reason = "neither log holds it";
  const auto incomplete = evidence_json(absent);
  EXPECT_EQ(incomplete.at("integrity").at("status"), "incomplete");
  const auto& missing = incomplete.at("evidence").at(1);
  EXPECT_EQ(missing.at("reply").at("kept"), false);
  EXPECT_EQ(missing.at("reply").at("absent").at("code"), "not_found");
  EXPECT_EQ(missing.at("signature").at("status"), "not recorded");
  EXPECT_EQ(missing.at("signature").at("signer_sha256"), "not recorded");
  EXPECT_NE(evidence_html(absent).find("не сохранён"), std::string::npos);
}

}  // namespace
}  // namespace tekser::api
