// The evidence of a trigger read back for the commission: the reply bytes exactly as the message
// log keeps them, their SHA-256 recomputed and compared with the trigger's, the signature and
// signer the log recorded; a changed row shows as a mismatch, a reply the log does not keep as
// absent with its reason (the refresh's register mirror: audited, its entries kept per run).
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "common/digest/sha256.hpp"
#include "gateway/store/audit_store.hpp"
#include "gateway/store/evidence_store.hpp"
#include "gateway/store/refresh_store.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kBin = "180340021791";
constexpr const char* kTriggerId = "00000000-0000-4000-8000-0000000000e1";
// A reply with markup, Cyrillic and a trailing newline: kept byte for byte.
const std::string kReply =
    "<soap:Envelope><soap:Body><status>ликвидирован</status>"
    "<note><script>alert(1)</script> & \"quoted\"</note></soap:Body></soap:Envelope>\n";
const std::string kSigner(64, 'c');

class EvidenceStoreTest : public test::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (store_) add_supplier(kBin);
  }

  // A ГБД ЮЛ exchange under `message_id` in the message log (and its audit row), as a verify
  // writes it.
  void log_reply(const std::string& message_id, const std::string& body) {
    VerificationWrite write;
    write.supplier_id = kBin;
    auto m = test::gbd_ul_exchange(message_id, kBin, body);
    m.outcome = facts::Outcome::data;
    m.cause = "ok";
    m.started_at = xsd_time::TimePoint{1'760'000'000'000ms};
    m.duration_ms = 42;
    m.signature = facts::SignatureStatus::valid;
    m.signer_sha256 = kSigner;
    m.signature_algorithm = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    write.messages.push_back(m);
    write.audit.client = "tests";
    write.audit.purpose = "evidence store test";
    store_->record_verification(write);
  }

  static json::object evidence_item(const std::string& system, const std::string& message_id,
                                    const std::string& sha256) {
    return {{"system", system},
            {"service_id", system == "goszakup" ? "rnu" : "GbdulInfoByBin_v2"},
            {"message_id", message_id},
            {"received_at", "2025-10-09T13:53:20.000+05:00"},
            {"reply_sha256", sha256},
            {"fact", json::object{{"name", "status"}, {"value", "liquidated"}}}};
  }

  void enqueue(const std::string& id, json::array evidence, std::optional<long long> run_id = {}) {
    NewTrigger t;
    t.id = id;
    t.supplier_id = kBin;
    t.kind = "block";
    t.rule_set = "order-285-as-amended-2025-08-29";
    t.run_id = run_id;
    t.data_received_at = xsd_time::TimePoint{1'760'000'000'000ms};
    t.deadline = t.data_received_at + 48h;
    pqxx::work txn(*connection_);
    RefreshStore(*connection_).enqueue_trigger(txn, t, [&](long long sequence) {
      json::object doc{
          {"trigger_id", id},
          {"kind", "block"},
          {"supplier", json::object{{"id", kBin}, {"bin", kBin}}},
          {"sequence", sequence},
          {"grounds", json::array{json::object{{"code", "p15.2"},
                                               {"text_ru", "Поставщик не прекратил существование"},
                                               {"reason_ru", "ликвидирован <b>"},
                                               {"reference", "p.15 sub-item 2"}}}},
          {"evidence", std::move(evidence)},
          {"rule_set", "order-285-as-amended-2025-08-29"}};
      return json::serialize(doc);
    });
    txn.commit();
  }

  TriggerEvidence read(const std::string& id) {
    auto e = EvidenceStore(*connection_).trigger_evidence(id);
    if (!e) throw std::runtime_error("no evidence for " + id);
    return *e;
  }
};

TEST_F(EvidenceStoreTest, TheReplyComesBackByteForByteWithItsDigestSignatureAndSigner) {
  log_reply("m-1", kReply);
  enqueue(kTriggerId, {evidence_item("gbd_ul", "m-1", digest::sha256_hex(kReply))});

  const auto e = read(kTriggerId);
  EXPECT_EQ(e.kind, "block");
  EXPECT_EQ(e.supplier_id, kBin);
  EXPECT_FALSE(e.individual);
  EXPECT_EQ(e.rule_set, "order-285-as-amended-2025-08-29");
  EXPECT_EQ(e.status, "pending");
  ASSERT_EQ(e.grounds.size(), 1u);
  EXPECT_EQ(e.grounds[0].code, "p15.2");
  EXPECT_EQ(e.grounds[0].reason_ru, "ликвидирован <b>");
  EXPECT_EQ(e.grounds[0].reference, "p.15 sub-item 2");
  ASSERT_EQ(e.evidence.size(), 1u);
  const auto& item = e.evidence[0];
  ASSERT_TRUE(item.reply);
  ASSERT_TRUE(item.reply->body);
  EXPECT_EQ(*item.reply->body, kReply) << "the bytes exactly as kept";
  EXPECT_EQ(item.reply->body_sha256, digest::sha256_hex(kReply));
  EXPECT_EQ(item.reply->logged_sha256, digest::sha256_hex(kReply));
  EXPECT_EQ(item.sha256_matches(), true);
  EXPECT_EQ(item.reply->signature, "valid");
  EXPECT_EQ(item.reply->signer_sha256, kSigner);
  EXPECT_EQ(item.reply->signature_algorithm, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  EXPECT_EQ(item.reply->started_at, xsd_time::TimePoint{1'760'000'000'000ms});
  EXPECT_EQ(item.reply->duration_ms, 42);
  EXPECT_EQ(item.reply->log_rows, 1);
  EXPECT_TRUE(item.absent_code.empty());
  EXPECT_EQ(item.fact.at("value"), "liquidated");
}

TEST_F(EvidenceStoreTest, AChangedRowIsAMismatchNeverHidden) {
  log_reply("m-1", kReply);
  enqueue(kTriggerId, {evidence_item("gbd_ul", "m-1", digest::sha256_hex(kReply))});
  {
    pqxx::work txn(*connection_);
    txn.exec(
        "UPDATE message_log SET response_body = replace(response_body, 'ликвидирован',"
        " 'действующий') WHERE message_id = 'm-1'");
    txn.commit();
  }
  const auto e = read(kTriggerId);
  const auto& item = e.evidence[0];
  ASSERT_TRUE(item.reply && item.reply->body);
  EXPECT_NE(*item.reply->body, kReply);
  EXPECT_EQ(item.sha256_matches(), false);
  EXPECT_EQ(item.reply->body_sha256, digest::sha256_hex(*item.reply->body));
  EXPECT_EQ(item.reply->logged_sha256, digest::sha256_hex(kReply))
      << "the digest taken at receipt is shown beside the recomputed one";
}

TEST_F(EvidenceStoreTest, RepliesNotKeptAreAbsentWithTheirReason) {
  // The refresh's goszakup mirror: audited without a subject, its entries kept per run.
  RefreshStore refresh(*connection_);
  const auto run = refresh.start_run("api", std::nullopt, "order-285-as-amended-2025-08-29");
  const std::string mirror_sha(64, 'd');
  refresh.save_mirror(run.run.id, "goszakup",
                      json::object{{"outcome", "data"}, {"message_id", "mirror-1"}},
                      {{kBin, json::array{json::object{{"supplierBiin", kBin}}}}});
  {
    // As the refresh audits its fetch: a pending row, completed with the register's digest.
    AuditEntry a;
    a.asked_at = xsd_time::now_ms();
    a.client = "refresh-run:" + std::to_string(run.run.id);
    a.system = "goszakup";
    a.service_id = "rnu";
    a.message_id = "mirror-1";
    a.purpose = "weekly re-check (p.16), whole register";
    a.outcome = facts::Outcome::data;
    AuditStore(*connection_).open(a);
    a.reply_sha256 = mirror_sha;
    pqxx::work txn(*connection_);
    AuditStore::complete(txn, a);
    txn.commit();
  }
  log_reply("m-2", kReply);
  {
    pqxx::work txn(*connection_);
    txn.exec("UPDATE message_log SET response_body = NULL WHERE message_id = 'm-2'");
    txn.commit();
  }
  enqueue(kTriggerId,
          {evidence_item("goszakup", "mirror-1", mirror_sha),
           evidence_item("gbd_ul", "m-2", digest::sha256_hex(kReply)),
           evidence_item("kgd", "never-logged", std::string(64, 'e'))},
          run.run.id);

  const auto e = read(kTriggerId);
  ASSERT_EQ(e.evidence.size(), 3u);
  EXPECT_EQ(e.run_id, run.run.id);

  const auto& mirror = e.evidence[0];
  EXPECT_FALSE(mirror.reply);
  EXPECT_EQ(mirror.absent_code, "register_mirror");
  EXPECT_FALSE(mirror.absent_reason.empty());
  EXPECT_EQ(mirror.sha256_matches(), std::nullopt);
  ASSERT_TRUE(mirror.audit);
  EXPECT_EQ(mirror.audit->reply_sha256, mirror_sha);
  EXPECT_TRUE(mirror.audit->subject.empty());
  ASSERT_TRUE(mirror.register_entries.is_array());
  EXPECT_EQ(mirror.register_entries.at(0).at("supplierBiin"), kBin);

  const auto& no_body = e.evidence[1];
  ASSERT_TRUE(no_body.reply);
  EXPECT_FALSE(no_body.reply->body);
  EXPECT_EQ(no_body.absent_code, "no_body");
  EXPECT_EQ(no_body.reply->signature, "valid") << "what the log recorded is still shown";
  EXPECT_EQ(no_body.sha256_matches(), std::nullopt);

  const auto& missing = e.evidence[2];
  EXPECT_FALSE(missing.reply);
  EXPECT_FALSE(missing.audit);
  EXPECT_EQ(missing.absent_code, "not_found");
}

TEST_F(EvidenceStoreTest, AnUnknownTriggerIsNotFound) {
  EvidenceStore evidence(*connection_);
  EXPECT_FALSE(evidence.trigger_evidence("00000000-0000-4000-8000-0000000000ff"));
  EXPECT_FALSE(evidence.trigger_evidence("not-a-uuid"));
}

}  // namespace
}  // namespace tekser::store
