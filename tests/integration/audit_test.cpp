// Issue 6, audit: every access to a state system leaves one append-only row — who asked (the
// authenticated API client, or the refresh run), about whom, when, why (the caller's purpose or
// the endpoint's, and for ГБД ФЛ a SHA-256 of the consent token), with the message id that joins
// the message log — queryable through GET /v1/audit; and no BIN/IIN reaches the ordinary logs
// unmasked.
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "common/digest/sha256.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

using namespace std::chrono_literals;

constexpr const char* kActiveBin = "150340012340";  // ТОО «Мейірім Медтехника»
constexpr const char* kAliveIin = "840512401230";   // IE, alive
constexpr const char* kRepresentative = "800304403774";
constexpr const char* kConsentToken = "kdp-audit-token-5521";
constexpr const char* kPurposeHeader = "X-Tekser-Purpose";
constexpr const char* kDefaultVerifyPurpose = "supplier registration check (order 285 p.15)";

std::string text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

class AuditTest : public GatewayTest {
 protected:
  HttpHeaders as_test_client(std::optional<std::string> purpose = std::nullopt) {
    HttpHeaders headers{{"Authorization", bearer(kTestToken)}};
    if (purpose) headers.emplace_back(kPurposeHeader, *purpose);
    return headers;
  }

  JsonReply verify_with(const std::string& id, const HttpHeaders& headers) {
    return call_with(port_, http::verb::post, "/v1/suppliers/" + id + "/verify", "", headers);
  }

  // GET /v1/audit?<query>, which must answer 200.
  json::array audit(const std::string& query) {
    const auto reply = call(port_, http::verb::get, "/v1/audit?" + query);
    if (reply.status != 200)
      throw std::runtime_error("GET /v1/audit?" + query + ": " + std::to_string(reply.status) +
                               " " + json::serialize(reply.body));
    return reply.body.at("entries").as_array();
  }

  // The error field of GET /v1/audit?<query>, which must be a 400.
  std::string audit_error(const std::string& query) {
    const auto reply = call(port_, http::verb::get, "/v1/audit?" + query);
    EXPECT_EQ(reply.status, 400u) << query << ": " << json::serialize(reply.body);
    return reply.status == 400 ? text(reply.body.at("error").at("field")) : "";
  }

  // Makes the database refuse every kgd row in `table` (a CHECK constraint): a write that
  // needs such a row fails there, and nothing else does.
  void refuse_kgd_rows_in(const std::string& table) {
    auto connection = db();
    pqxx::work txn(*connection);
    txn.exec("ALTER TABLE " + table + " ADD CONSTRAINT test_refuse_kgd CHECK (system <> 'kgd')");
    txn.commit();
  }

  long long count(const std::string& sql) {
    auto connection = db();
    pqxx::work txn(*connection);
    return txn.exec1(sql)[0].as<long long>();
  }

  // The message ids the message log holds for `subject`, by system.
  std::map<std::string, std::string> logged_messages(const std::string& subject) {
    auto connection = db();
    pqxx::work txn(*connection);
    std::map<std::string, std::string> out;
    for (const auto& row : txn.exec_params(
             "SELECT system, message_id FROM message_log WHERE supplier_id = $1", subject))
      out[row[0].as<std::string>()] = row[1].as<std::string>();
    return out;
  }

  // No 12-digit id of `ids` appears in full in the gateway's or the mocks' log. The first one
  // must appear masked in the gateway's (its request lines name it), or the check proves nothing.
  void expect_logs_masked(const std::vector<std::string>& ids) {
    const auto gateway_log = gateway_->stderr_text();
    const auto& first = ids.front();
    EXPECT_NE(gateway_log.find(first.substr(0, 4) + "******" + first.substr(10)), std::string::npos)
        << first << " is not in the gateway's log at all";
    for (const auto& [name, log] :
         {std::pair{"gateway", gateway_log}, std::pair{"mocks", mocks_->stderr_text()}})
      for (const auto& id : ids) {
        const auto at = log.find(id);
        EXPECT_EQ(at, std::string::npos)
            << id << " unmasked in the " << name << "'s log:\n"
            << (at == std::string::npos ? "" : log.substr(at > 400 ? at - 400 : 0, 800));
      }
  }
};

TEST_F(AuditTest, VerifyAuditsEachSystemAskedWithTheClientThePurposeAndTheConsentDigest) {
  ASSERT_EQ(put(kAliveIin, std::string(R"({"categories":["invataxi"],"consent":{"kdp_token":")") +
                               kConsentToken + R"(","public_key":"MIIB"}})")
                .status,
            201u);
  const std::string purpose = "проверка заявки № 42 (application review)";
  // A client cannot pass itself off as another: the gateway keeps only who authenticated.
  auto headers = as_test_client(purpose);
  headers.emplace_back("X-Tekser-Authenticated-Client", "someone-else");
  const auto verified = verify_with(kAliveIin, headers);
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);

  std::set<std::string> asked;
  for (const auto& a : verified.body.at("verification").at("asked").as_array())
    asked.insert(text(a.at("system")));
  ASSERT_TRUE(asked.contains("gbd_fl")) << json::serialize(verified.body);
  const auto logged = logged_messages(kAliveIin);

  const auto rows = audit(std::string("subject=") + kAliveIin);
  // One row per system asked, each joined to its message-log row.
  ASSERT_EQ(rows.size(), asked.size()) << json::serialize(rows);
  std::set<std::string> audited;
  for (const auto& row : rows) {
    const auto system = text(row.at("system"));
    audited.insert(system);
    SCOPED_TRACE(system);
    EXPECT_EQ(text(row.at("client")), kTestClientId);
    EXPECT_EQ(text(row.at("subject")), kAliveIin);
    EXPECT_TRUE(row.at("related_subject").is_null());
    EXPECT_EQ(text(row.at("purpose")), purpose);
    ASSERT_TRUE(logged.contains(system));
    EXPECT_EQ(text(row.at("message_id")), logged.at(system));
    EXPECT_FALSE(text(row.at("service_id")).empty());
    EXPECT_FALSE(text(row.at("asked_at")).empty());
    if (system == "gbd_fl") {
      EXPECT_EQ(text(row.at("consent_sha256")), digest::sha256_hex(kConsentToken));
    } else {
      EXPECT_TRUE(row.at("consent_sha256").is_null()) << json::serialize(row);
    }
  }
  EXPECT_EQ(audited, asked);
  // The token itself is nowhere in the audit.
  EXPECT_EQ(count(std::string("SELECT count(*) FROM audit_log a WHERE a::text LIKE '%") +
                  kConsentToken + "%'"),
            0);

  // Without a purpose, the endpoint's own.
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  ASSERT_EQ(verify(kActiveBin).status, 200u);
  const auto bin_rows = audit(std::string("subject=") + kActiveBin);
  ASSERT_FALSE(bin_rows.empty());
  for (const auto& row : bin_rows) {
    EXPECT_EQ(text(row.at("purpose")), kDefaultVerifyPurpose);
    EXPECT_EQ(text(row.at("client")), kTestClientId);
    EXPECT_TRUE(row.at("consent_sha256").is_null());
  }
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), count("SELECT count(*) FROM message_log"));

  // Append-only, even for the gateway's own database role.
  {
    auto connection = db();
    pqxx::work txn(*connection);
    EXPECT_THROW(txn.exec("DELETE FROM audit_log"), pqxx::insufficient_privilege);
  }
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), count("SELECT count(*) FROM message_log"));

  expect_logs_masked({kAliveIin, kActiveBin});
}

// Issue 14 item 6: the row is committed before the request leaves, so a gateway killed while
// the state system answers still leaves it on record (pending); the answer completes it.
TEST_F(AuditTest, AuditRowIsPendingWhileTheRequestIsOutAndCompletedByItsAnswer) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  // KGD answers after 1.2 s (inside the gateway's 1.5 s read timeout): time to look meanwhile.
  ASSERT_EQ(mocks_admin(http::verb::post, "/admin/faults",
                        std::string(R"({"system":"kgd","subject":")") + kActiveBin +
                            R"(","mode":"latency","latency_ms":1200})")
                .status,
            200u);
  JsonReply verified;
  std::jthread verifying([&] { verified = verify(kActiveBin); });

  // While KGD has not answered, its request is on record as pending.
  json::value pending;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (pending.is_null() && std::chrono::steady_clock::now() < deadline) {
    for (const auto& row : audit(std::string("system=kgd&subject=") + kActiveBin))
      if (text(row.at("outcome")) == "pending") pending = row;
  }
  ASSERT_FALSE(pending.is_null()) << "no pending kgd row while its request was out";
  EXPECT_TRUE(pending.at("reply_sha256").is_null());
  EXPECT_TRUE(pending.at("finished_at").is_null());
  EXPECT_EQ(text(pending.at("client")), kTestClientId);
  EXPECT_EQ(text(pending.at("purpose")), kDefaultVerifyPurpose);
  verifying.join();
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);

  // The same row, completed: the outcome, the reply's digest (that of the message log) and when.
  const auto rows = audit(std::string("system=kgd&subject=") + kActiveBin);
  ASSERT_EQ(rows.size(), 1u) << json::serialize(rows);
  const auto& done = rows[0];
  EXPECT_EQ(done.at("id"), pending.at("id"));
  EXPECT_EQ(done.at("message_id"), pending.at("message_id"));
  EXPECT_EQ(text(done.at("outcome")), "data") << json::serialize(done);
  EXPECT_FALSE(done.at("finished_at").is_null());
  {
    auto connection = db();
    pqxx::work txn(*connection);
    const auto digest = txn.exec_params1(
        "SELECT reply_sha256 FROM message_log WHERE message_id = $1", text(done.at("message_id")));
    EXPECT_EQ(text(done.at("reply_sha256")), digest[0].as<std::string>());
  }
  // Nothing is left pending, and every exchange has exactly one row.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE outcome = 'pending'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), count("SELECT count(*) FROM message_log"));
}

// Issue 16: a verification's audit rows are completed by the write that records its answers. If
// that write fails, the rows are still completed, each with its answer's outcome and digest: the
// audit says what each state system answered even though nothing else of it was kept.
TEST_F(AuditTest, AVerificationWhoseRecordFailsStillCompletesItsAuditRows) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  refuse_kgd_rows_in("source_answers");
  const auto verified = verify(kActiveBin);
  EXPECT_EQ(verified.status, 500u) << json::serialize(verified.body);
  EXPECT_EQ(count("SELECT count(*) FROM message_log"), 0) << "the record is all or nothing";
  EXPECT_GE(count("SELECT count(*) FROM audit_log"), 5);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE outcome IN ('pending', 'interrupted')"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE system = 'gbd_ul' AND outcome = 'data'"
                  " AND reply_sha256 IS NOT NULL AND finished_at IS NOT NULL"),
            1);
}

// If the database does not take the audit row, the request is not sent: the system's answer is
// unknown (unavailable), never a verdict, and the state system never hears of the subject.
TEST_F(AuditTest, ARequestWhoseAuditRowCannotBeWrittenIsNotSent) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  refuse_kgd_rows_in("audit_log");
  const auto verified = verify(kActiveBin);
  ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
  json::value kgd;
  for (const auto& a : verified.body.at("verification").at("asked").as_array())
    if (text(a.at("system")) == "kgd") kgd = a;
  ASSERT_FALSE(kgd.is_null()) << json::serialize(verified.body);
  EXPECT_EQ(text(kgd.at("outcome")), "unavailable");
  EXPECT_NE(text(kgd.at("cause")).find("not sent"), std::string::npos) << text(kgd.at("cause"));

  const auto journal = [&](const std::string& system) {
    return mocks_admin(http::verb::get, std::string("/admin/journal/count?subject=") + kActiveBin +
                                            "&system=" + system)
        .body.at("count")
        .as_int64();
  };
  EXPECT_EQ(journal("kgd"), 0) << "a request without its audit row left";
  EXPECT_GE(journal("gbd_ul"), 1) << "the other systems were asked as usual";
  EXPECT_EQ(count("SELECT count(*) FROM message_log WHERE system = 'kgd'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), count("SELECT count(*) FROM message_log"));
}

TEST_F(AuditTest, AnUnprintableOrLongPurposeIsRefusedBeforeAnyoneIsAsked) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  for (const std::string& purpose : {std::string(201, 'p'), std::string("bad \xC3\x28 utf-8"),
                                     std::string("reversed \xE2\x80\xAE text")}) {
    SCOPED_TRACE(purpose);
    const auto reply = verify_with(kActiveBin, as_test_client(purpose));
    ASSERT_EQ(reply.status, 400u) << json::serialize(reply.body);
    EXPECT_EQ(text(reply.body.at("error").at("field")), kPurposeHeader);
  }
  // 200 characters of Cyrillic are fine (characters, not bytes).
  std::string long_purpose;
  for (int i = 0; i < 200; ++i) long_purpose += "ж";
  EXPECT_EQ(verify_with(kActiveBin, as_test_client(long_purpose)).status, 200u);
  EXPECT_EQ(mocks_admin(http::verb::get, "/admin/journal/count?service_id=GbdulInfoByBin_v2")
                .body.at("count"),
            1);
  const auto rows = audit("system=gbd_ul");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(text(rows[0].at("purpose")), long_purpose);
}

TEST_F(AuditTest, APowerOfAttorneyCheckIsFoundUnderTheRepresentativeToo) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  const auto reply = call(port_, http::verb::post,
                          std::string("/v1/suppliers/") + kActiveBin + "/power-of-attorney",
                          std::string(R"({"representative_iin":")") + kRepresentative +
                              R"(","number":"ДВ-2025-000417"})");
  ASSERT_EQ(reply.status, 200u) << json::serialize(reply.body);
  const auto rows = audit(std::string("subject=") + kRepresentative);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(text(rows[0].at("system")), "enis");
  EXPECT_EQ(text(rows[0].at("subject")), kActiveBin);
  EXPECT_EQ(text(rows[0].at("related_subject")), kRepresentative);
  EXPECT_EQ(text(rows[0].at("purpose")), "power of attorney check (p.12)");
  EXPECT_EQ(text(rows[0].at("client")), kTestClientId);
  expect_logs_masked({kActiveBin, kRepresentative});
}

TEST_F(AuditTest, ARefreshRunAuditsEachSupplierUnderItsRunAndTheRegisterItMirrors) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  ASSERT_EQ(put(kAliveIin, std::string(R"({"categories":["invataxi"],"consent":{"kdp_token":")") +
                               kConsentToken + R"(","public_key":"MIIB"}})")
                .status,
            201u);
  const auto started =
      call(port_, http::verb::post, "/v1/refresh-runs", R"({"requested_by":"api"})");
  ASSERT_EQ(started.status, 202u) << json::serialize(started.body);
  const auto run = started.body.at("id").as_int64();
  const auto target = "/v1/refresh-runs/" + std::to_string(run);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (;;) {
    const auto progress = call(port_, http::verb::get, target);
    ASSERT_EQ(progress.status, 200u);
    if (text(progress.body.at("status")) != "running") {
      ASSERT_EQ(text(progress.body.at("status")), "done") << json::serialize(progress.body);
      break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), until) << json::serialize(progress.body);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  const auto client = "refresh-run:" + std::to_string(run);
  const auto rows = audit("client=" + client + "&limit=1000");
  std::map<std::string, std::set<std::string>> systems_by_subject;
  int whole_register = 0;
  for (const auto& row : rows) {
    EXPECT_EQ(text(row.at("client")), client);
    if (row.at("subject").is_null()) {
      ++whole_register;
      EXPECT_EQ(text(row.at("system")), "goszakup");
      EXPECT_EQ(text(row.at("purpose")), "weekly re-check (p.16), whole register");
      continue;
    }
    EXPECT_EQ(text(row.at("purpose")), "weekly re-check (p.16)");
    systems_by_subject[text(row.at("subject"))].insert(text(row.at("system")));
    if (text(row.at("system")) == "gbd_fl") {
      EXPECT_EQ(text(row.at("consent_sha256")), digest::sha256_hex(kConsentToken));
    }
  }
  EXPECT_EQ(whole_register, 1);
  ASSERT_EQ(systems_by_subject.size(), 2u) << json::serialize(rows);
  EXPECT_TRUE(systems_by_subject[kActiveBin].contains("gbd_ul"));
  EXPECT_TRUE(systems_by_subject[kAliveIin].contains("gbd_fl"));
  // One audit row per exchange of the run (the per-supplier ones are in the message log).
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE client = '" + client +
                  "' AND subject IS NOT NULL"),
            count("SELECT count(*) FROM message_log"));
  expect_logs_masked({kActiveBin, kAliveIin});
}

TEST_F(AuditTest, TheQueryFiltersPagesAndNamesTheFieldItRefuses) {
  ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
  ASSERT_EQ(put(kAliveIin, std::string(R"({"categories":["invataxi"],"consent":{"kdp_token":")") +
                               kConsentToken + R"(","public_key":"MIIB"}})")
                .status,
            201u);
  ASSERT_EQ(verify_with(kActiveBin, as_test_client("first")).status, 200u);
  ASSERT_EQ(verify_with(kAliveIin, as_test_client("second")).status, 200u);
  const auto all = audit("");
  const auto total = all.size();
  ASSERT_GE(total, 4u);

  EXPECT_EQ(audit(std::string("subject=") + kActiveBin).size() +
                audit(std::string("subject=") + kAliveIin).size(),
            total);
  for (const auto& row : audit("system=gbd_fl")) EXPECT_EQ(text(row.at("subject")), kAliveIin);
  EXPECT_EQ(audit("system=gbd_fl").size(), 1u);
  EXPECT_EQ(audit(std::string("client=") + kTestClientId).size(), total);
  EXPECT_TRUE(audit("client=nobody").empty());
  // Time: a date, an xsd:dateTime with its '+' encoded, and one whose '+' arrived as a space.
  EXPECT_EQ(audit("since=2000-01-01").size(), total);
  EXPECT_EQ(audit("since=2000-01-01T00:00:00%2B05:00").size(), total);
  EXPECT_EQ(audit("since=2000-01-01T00:00:00+05:00").size(), total);
  EXPECT_TRUE(audit("until=2000-01-01").empty());
  EXPECT_TRUE(audit("since=2999-01-01").empty());

  // The cursor pages through every row once, oldest first.
  std::vector<long long> ids;
  long long after = 0;
  for (int page = 0; page < 20; ++page) {
    const auto reply =
        call(port_, http::verb::get, "/v1/audit?limit=2&after=" + std::to_string(after));
    ASSERT_EQ(reply.status, 200u);
    const auto& entries = reply.body.at("entries").as_array();
    if (entries.empty()) break;
    for (const auto& e : entries) ids.push_back(e.at("id").as_int64());
    after = reply.body.at("next_after").as_int64();
  }
  ASSERT_EQ(ids.size(), total);
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]);

  EXPECT_EQ(audit_error("subject=123"), "subject");
  EXPECT_EQ(audit_error("subject=150340012341"), "subject");  // wrong check digit
  EXPECT_EQ(audit_error("limit=0"), "limit");
  EXPECT_EQ(audit_error("limit=1001"), "limit");
  EXPECT_EQ(audit_error("after=-1"), "after");
  EXPECT_EQ(audit_error("since=yesterday"), "since");
  EXPECT_EQ(audit_error("until=2026-13-01"), "until");
  EXPECT_EQ(audit_error("since=2026-02-01&until=2026-01-01"), "until");
  EXPECT_EQ(audit_error("client="), "client");
  EXPECT_EQ(audit_error("colour=red"), "colour");
  EXPECT_EQ(call(port_, http::verb::post, "/v1/audit").status, 405u);
  // Reading the audit is not for everyone.
  EXPECT_EQ(call_anonymous(port_, http::verb::get, "/v1/audit").status, 401u);

  // Ids in query strings and paths of requests, refused or not, stay masked in the logs.
  call(port_, http::verb::get, std::string("/v1/triggers?supplier=") + kActiveBin);
  call(port_, http::verb::get, "/v1/suppliers/210440099998");  // valid, not registered: 404
  expect_logs_masked({kActiveBin, kAliveIin, "210440099998"});
}

}  // namespace
}  // namespace tekser::integration
