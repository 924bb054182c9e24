// Issue 15 item 13, end to end: the evidence of a real trigger as a commission reads it. A verify
// of a supplier in the goszakup РНУ queues a block; GET /v1/triggers/{id}/evidence returns the
// reply it rests on byte for byte as the message log holds it, whose SHA-256 is the trigger's;
// the HTML view is one page in Russian and Kazakh with the data escaped; a row changed in the log
// is a mismatch shown loudly; the refresh's register mirror (not kept in the message log) is
// absent with its reason; bad ids, formats and scopes are refused in the one error shape.
#include <string>

#include "tests/integration/refresh_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kReaderToken = "evidence-reader-token-suppliers-read-only";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class EvidenceTest : public RefreshingGatewayTest {
 protected:
  void SetUp() override {
    if (store::test::conninfo().empty()) GTEST_SKIP() << "no PostgreSQL (TEKSER_TEST_PG_FILE)";
    start_population_mocks("rnu=0.05");
    // A client that may read suppliers but not triggers.
    extra_clients_yaml_ = "  - id: reader\n    token_sha256: " + digest::sha256_hex(kReaderToken) +
                          "\n    scopes: [suppliers:read]\n";
    start_refreshing_gateway();
    // A legal entity in the goszakup РНУ and nothing else.
    std::tie(listed_, services_) = first_subject({"legal_entity"}, {"rnu"});
    ASSERT_FALSE(listed_.empty()) << "the population (seed 7) has no entity in the РНУ";
    ASSERT_EQ(put(listed_, supplier_body(false, services_)).status, 201u);
  }

  JsonReply evidence(const std::string& id, const std::string& query = {},
                     const std::string& accept = {}) {
    HttpHeaders headers{{"Authorization", bearer(kTestToken)}};
    if (!accept.empty()) headers.emplace_back("Accept", accept);
    return call_with(port_, http::verb::get, "/v1/triggers/" + id + "/evidence" + query, "",
                     headers);
  }

  // The one block trigger of the supplier, from the outbox.
  json::value block_trigger() {
    const auto outbox = gateway_triggers("&supplier=" + listed_);
    if (outbox.size() != 1)
      throw std::runtime_error("expected one trigger, got " + json::serialize(outbox));
    return outbox[0];
  }

  std::string logged_body(const std::string& message_id) {
    auto connection = db();
    pqxx::read_transaction txn(*connection);
    const auto rows =
        txn.exec_params("SELECT response_body FROM message_log WHERE message_id = $1", message_id);
    if (rows.size() != 1) throw std::runtime_error("no single log row for " + message_id);
    return rows[0][0].as<std::string>();
  }

  static void expect_error(const JsonReply& reply, unsigned status, const std::string& field) {
    EXPECT_EQ(reply.status, status) << json::serialize(reply.body);
    ASSERT_TRUE(reply.body.is_object() && reply.body.as_object().contains("error"))
        << json::serialize(reply.body);
    EXPECT_EQ(text(reply.body.at("error").at("field")), field) << json::serialize(reply.body);
    EXPECT_TRUE(reply.body.at("error").at("reason").is_string());
  }

  std::string listed_;
  json::value services_;
};

TEST_F(EvidenceTest, TheReplyOfARealBlockComesBackAsReceivedAndPrintsInRussianAndKazakh) {
  const auto verified = verify(listed_);
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  ASSERT_EQ(verified.body.at("verification").at("triggers_queued"), 1);
  const auto trigger = block_trigger();
  const auto id = text(trigger.at("id"));
  const auto& document = trigger.at("document");
  const auto& recorded = document.at("evidence").as_array();
  ASSERT_FALSE(recorded.empty());

  const auto reply = evidence(id);
  ASSERT_EQ(reply.status, 200u) << json::serialize(reply.body);
  EXPECT_TRUE(contains(std::string(reply.headers[http::field::content_type]), "application/json"));
  const auto& body = reply.body;
  EXPECT_EQ(text(body.at("trigger").at("id")), id);
  EXPECT_EQ(body.at("trigger").at("kind"), "block");
  EXPECT_EQ(text(body.at("trigger").at("supplier").at("bin")), listed_);
  EXPECT_EQ(body.at("rule_set").at("id"), document.at("rule_set"));
  EXPECT_EQ(body.at("rule_set").at("known"), true);
  ASSERT_EQ(body.at("grounds").as_array().size(), 1u);
  EXPECT_EQ(body.at("grounds").at(0).at("code"), "p15.3");
  EXPECT_TRUE(body.at("grounds").at(0).at("reference").is_string());
  EXPECT_EQ(body.at("integrity").at("status"), "intact") << json::serialize(body.at("integrity"));

  const auto& items = body.at("evidence").as_array();
  ASSERT_EQ(items.size(), recorded.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    SCOPED_TRACE(json::serialize(recorded[i]));
    const auto& item = items[i];
    EXPECT_EQ(item.at("message_id"), recorded[i].at("message_id"));
    EXPECT_EQ(item.at("reply_sha256"), recorded[i].at("reply_sha256"));
    ASSERT_EQ(item.at("reply").at("kept"), true) << json::serialize(item);
    const auto returned = text(item.at("reply").at("body"));
    // The bytes returned hash to the digest the trigger was sent with, and are the log's bytes.
    EXPECT_EQ(digest::sha256_hex(returned), text(recorded[i].at("reply_sha256")));
    EXPECT_EQ(returned, logged_body(text(item.at("message_id"))));
    EXPECT_EQ(item.at("reply").at("sha256"), recorded[i].at("reply_sha256"));
    EXPECT_EQ(item.at("reply").at("sha256_matches"), true);
    // goszakup is a REST register: its replies are not signed, and the log says so.
    EXPECT_EQ(item.at("signature").at("status"), "not_checked");
    EXPECT_TRUE(item.at("signature").at("signer_sha256").is_null());
  }
  EXPECT_EQ(items[0].at("system"), "goszakup");
  EXPECT_EQ(body.at("grounds").at(0).at("evidence_linked_by"), "rule_set");
  EXPECT_EQ(body.at("grounds").at(0).at("evidence").at(0), 0);

  // The page a commission secretary prints: asked by Accept (as a browser does) or ?format=html.
  for (const auto& html : {evidence(id, "", "text/html,application/xhtml+xml,*/*;q=0.8"),
                           evidence(id, "?format=html")}) {
    ASSERT_EQ(html.status, 200u);
    EXPECT_EQ(html.headers[http::field::content_type], "text/html; charset=utf-8");
    EXPECT_TRUE(
        contains(std::string(html.headers["Content-Security-Policy"]), "default-src 'none'"));
    ASSERT_TRUE(html.body.is_string());
    const std::string page(html.body.get_string());
    EXPECT_TRUE(contains(page, "<!DOCTYPE html>"));
    EXPECT_TRUE(contains(page, "Основания и доказательства")) << "Russian heading";
    EXPECT_TRUE(contains(page, "Негіздер мен дәлелдер")) << "Kazakh heading";
    EXPECT_TRUE(contains(page, listed_));
    EXPECT_TRUE(contains(page, "p15.3"));
    EXPECT_TRUE(contains(page, text(recorded[0].at("message_id"))));
    EXPECT_TRUE(contains(page, text(recorded[0].at("reply_sha256"))));
    EXPECT_TRUE(contains(page, "@media print"));
    EXPECT_FALSE(contains(page, "НЕ СОВПАДАЕТ"));
  }
  // ?format=json wins over a browser's Accept.
  const auto json_asked = evidence(id, "?format=json", "text/html");
  EXPECT_EQ(json_asked.status, 200u);
  EXPECT_TRUE(json_asked.body.is_object());

  // A reply changed in the log after the fact (here: markup slipped into it) is a mismatch, shown
  // loudly in both views, and the markup is shown as text.
  const auto message_id = text(recorded[0].at("message_id"));
  {
    auto connection = db();
    pqxx::work txn(*connection);
    txn.exec_params(
        "UPDATE message_log SET response_body = response_body || '<script>alert(1)</script>' "
        "WHERE message_id = $1",
        message_id);
    txn.commit();
  }
  const auto changed = evidence(id);
  ASSERT_EQ(changed.status, 200u);
  EXPECT_EQ(changed.body.at("integrity").at("status"), "mismatch");
  EXPECT_EQ(changed.body.at("evidence").at(0).at("reply").at("sha256_matches"), false);
  EXPECT_EQ(changed.body.at("evidence").at(0).at("reply").at("logged_sha256"),
            recorded[0].at("reply_sha256"))
      << "the digest taken at receipt is shown beside the recomputed one";
  const auto page = evidence(id, "?format=html");
  ASSERT_TRUE(page.body.is_string());
  const std::string html(page.body.get_string());
  EXPECT_FALSE(contains(html, "<script")) << "no markup from data reaches the page";
  EXPECT_TRUE(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(contains(html, "НЕ СОВПАДАЕТ"));
  EXPECT_TRUE(contains(html, "СӘЙКЕС КЕЛМЕЙДІ"));
}

TEST_F(EvidenceTest, TheRefreshsRegisterMirrorIsAbsentWithItsReasonAndTheAuditsDigest) {
  wait_run_done(start_run());
  const auto trigger = block_trigger();
  EXPECT_FALSE(trigger.at("run_id").is_null());
  const auto reply = evidence(text(trigger.at("id")));
  ASSERT_EQ(reply.status, 200u) << json::serialize(reply.body);
  const auto& item = reply.body.at("evidence").at(0);
  EXPECT_EQ(item.at("system"), "goszakup");
  EXPECT_EQ(item.at("reply").at("kept"), false);
  EXPECT_EQ(item.at("reply").at("absent").at("code"), "register_mirror") << json::serialize(item);
  EXPECT_EQ(item.at("reply").at("audit").at("reply_sha256"), item.at("reply_sha256"));
  EXPECT_EQ(item.at("reply").at("audit").at("reply_sha256_matches"), true);
  EXPECT_TRUE(item.at("reply").at("register_entries").is_array()) << json::serialize(item);
  EXPECT_EQ(item.at("signature").at("status"), "not recorded");
  EXPECT_EQ(reply.body.at("integrity").at("status"), "incomplete");
  const auto page = evidence(text(trigger.at("id")), "?format=html");
  ASSERT_EQ(page.status, 200u);
  EXPECT_TRUE(contains(std::string(page.body.get_string()), "не сохранён"));
}

TEST_F(EvidenceTest, BadIdsFormatsAndScopesAreRefusedInTheOneErrorShape) {
  ASSERT_EQ(verify(listed_).status, 200u);
  const auto id = text(block_trigger().at("id"));
  expect_error(evidence("not-a-uuid"), 400, "id");
  expect_error(evidence("00000000-0000-4000-8000-00000000000"), 400, "id");
  expect_error(evidence("00000000-0000-4000-8000-0000000000ff"), 404, "id");
  expect_error(evidence(id, "?format=pdf"), 400, "format");
  expect_error(evidence(id, "?format=pdf", "text/html"), 400, "format");
  expect_error(evidence(id, "?colour=red"), 400, "colour");
  // An upper-case id is the same trigger.
  std::string upper = id;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(evidence(upper).status, 200u);

  const auto reader = call_with(port_, http::verb::get, "/v1/triggers/" + id + "/evidence", "",
                                {{"Authorization", bearer(kReaderToken)}});
  expect_error(reader, 403, "scope");
  EXPECT_TRUE(contains(text(reader.body.at("error").at("reason")), "triggers:read"));
  expect_error(call_anonymous(port_, http::verb::get, "/v1/triggers/" + id + "/evidence"), 401,
               "Authorization");
  expect_error(call(port_, http::verb::post, "/v1/triggers/" + id + "/evidence"), 405, "method");
}

}  // namespace
}  // namespace tekser::integration
