// Store: the reply signature in the facts' provenance (current and history) and in the message
// log, as written and as read back (migration 0020).
#include <gtest/gtest.h>

#include "gateway/store/store.hpp"
#include "tests/store/test_db.hpp"

namespace tekser::store {
namespace {

using facts::Outcome;
using facts::SignatureStatus;
using test::StoreTest;

constexpr const char* kBin = "180340021791";
const std::string kSigner(64, 'b');

class SignatureStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (store_) add_supplier(kBin);
  }

  // One ГБД ЮЛ status fact; its provenance signature left to the result when `on_fact` is false.
  static facts::SourceResult result(const std::string& message_id, const char* status,
                                    SignatureStatus signature, bool on_fact = true) {
    facts::SourceResult r;
    r.system = "gbd_ul";
    r.service_id = "GbdulInfoByBin_v2";
    r.outcome = Outcome::data;
    r.provenance.system = r.system;
    r.provenance.service_id = r.service_id;
    r.provenance.message_id = message_id;
    r.provenance.reply_message_id = "reply-" + message_id;
    r.provenance.retrieved_at = xsd_time::TimePoint{std::chrono::milliseconds{1'760'000'000'000}};
    r.provenance.valid_until = r.provenance.retrieved_at + std::chrono::hours(24);
    r.provenance.reply_sha256 = std::string(64, 'a');
    r.provenance.signature = signature;
    if (signature == SignatureStatus::valid) r.provenance.signer_sha256 = kSigner;
    facts::Fact fact{facts::name::status, boost::json::value(status), r.provenance};
    if (!on_fact) fact.provenance = facts::Provenance{};
    r.facts.push_back(std::move(fact));
    return r;
  }

  const facts::Provenance status_provenance() {
    for (const auto& f : store_->current_facts(kBin))
      if (f.fact.name == facts::name::status) return f.fact.provenance;
    ADD_FAILURE() << "no status fact";
    return {};
  }
};

TEST_F(SignatureStoreTest, FactsKeepTheSignatureAndSignerOfTheirReply) {
  store_->record_verification({kBin, {result("m1", "active", SignatureStatus::valid)}, {}, {}});
  auto p = status_provenance();
  EXPECT_EQ(p.signature, SignatureStatus::valid);
  EXPECT_EQ(p.signer_sha256, kSigner);

  // The same value confirmed by an unsigned reply: the newest reply's signature is the one shown.
  store_->record_verification({kBin, {result("m2", "active", SignatureStatus::absent)}, {}, {}});
  p = status_provenance();
  EXPECT_EQ(p.message_id, "m2");
  EXPECT_EQ(p.signature, SignatureStatus::absent);
  EXPECT_TRUE(p.signer_sha256.empty());

  // A changed value: current and history carry the signature of the reply that changed it.
  store_->record_verification(
      {kBin, {result("m3", "liquidated", SignatureStatus::valid, false)}, {}, {}});
  p = status_provenance();
  EXPECT_EQ(p.signature, SignatureStatus::valid) << "taken from the result when the fact has none";
  EXPECT_EQ(p.signer_sha256, kSigner);
  const auto history = store_->history(kBin);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].provenance.message_id, "m3");
  EXPECT_EQ(history[0].provenance.signature, SignatureStatus::valid);
  EXPECT_EQ(history[0].provenance.signer_sha256, kSigner);
  EXPECT_EQ(history[1].provenance.signature, SignatureStatus::valid);
}

TEST_F(SignatureStoreTest, NotCheckedIsTheDefault) {
  store_->record_verification(
      {kBin, {result("m1", "active", SignatureStatus::not_checked)}, {}, {}});
  const auto p = status_provenance();
  EXPECT_EQ(p.signature, SignatureStatus::not_checked);
  EXPECT_TRUE(p.signer_sha256.empty());
}

TEST_F(SignatureStoreTest, MessageLogKeepsARefusedReplysSignatureAndSigner) {
  MessageLogEntry m;
  m.message_id = "m1";
  m.system = "gbd_ul";
  m.service_id = "GbdulInfoByBin_v2";
  m.endpoint = "http://127.0.0.1:1/bip-sync-wss-gost/";
  m.request_body = "<request/>";
  m.response_body = "<reply/>";
  m.http_status = 200;
  m.outcome = Outcome::unavailable;
  m.cause = "reply signature invalid: the Body's digest does not match";
  m.reply_sha256 = std::string(64, 'a');
  m.signature = SignatureStatus::invalid;
  m.signer_sha256 = kSigner;
  facts::SourceResult unavailable;
  unavailable.system = "gbd_ul";
  unavailable.service_id = "GbdulInfoByBin_v2";
  unavailable.outcome = Outcome::unavailable;
  unavailable.cause = m.cause;
  unavailable.provenance.message_id = "m1";
  store_->record_verification({kBin, {unavailable}, {m}, {}});

  const auto logged = store_->messages(kBin);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].signature, SignatureStatus::invalid);
  EXPECT_EQ(logged[0].signer_sha256, kSigner);
  EXPECT_TRUE(store_->current_facts(kBin).empty()) << "an untrusted reply leaves no fact";
}

TEST_F(SignatureStoreTest, AFactFromAnInvalidSignatureIsRefusedByTheSchema) {
  // The adapters never let one through; the table is the last guard.
  EXPECT_THROW(store_->record_verification(
                   {kBin, {result("m1", "active", SignatureStatus::invalid)}, {}, {}}),
               pqxx::check_violation);
}

}  // namespace
}  // namespace tekser::store
