// Facts re-derive over a real store (issue 15 item 12): a reply the old mapping could not read
// is read again from the message log; without apply nothing is written, with apply the facts
// are recorded with the reply's provenance and a history that names the run, the source's
// status is restated while that reply is still its latest answer, and a second run finds
// nothing left to change. Replies outside the scope, or whose signature failed, are not read.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "common/digest/sha256.hpp"
#include "gateway/rederive/rederive.hpp"
#include "tests/store/test_db.hpp"

#ifndef TEKSER_MAPPINGS_GOLDEN_DIR
#error "TEKSER_MAPPINGS_GOLDEN_DIR must name the golden replies folder"
#endif

namespace tekser::store {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using test::query_value;

constexpr const char* kBin = "080940003154";  // ul_liquidated.xml's subject
constexpr const char* kAsked = "3f6c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01";
const xsd_time::TimePoint kSent{1'790'000'000'000ms};

std::string golden(const std::string& name) {
  std::ifstream in(std::filesystem::path(TEKSER_MAPPINGS_GOLDEN_DIR) / name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class RederiveRunTest : public test::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (store_) add_supplier(kBin);
  }

  // A ГБД ЮЛ exchange as a verify recorded it, with the answer the mapping of then gave.
  void log_answer(const std::string& message_id, std::optional<std::string> body,
                  facts::Outcome outcome, xsd_time::TimePoint sent,
                  facts::SignatureStatus signature = facts::SignatureStatus::absent) {
    VerificationWrite write;
    write.supplier_id = kBin;
    auto m = test::gbd_ul_exchange(message_id, kBin, body);
    m.outcome = outcome;
    m.cause = "as the mapping of then read it";
    m.started_at = sent;
    m.duration_ms = 300;
    m.signature = signature;
    write.messages.push_back(m);
    facts::SourceResult result;
    result.system = "gbd_ul";
    result.service_id = "GbdulInfoByBin_v2";
    result.outcome = outcome;
    result.cause = m.cause;
    result.provenance.message_id = message_id;
    write.results.push_back(result);
    write.verified_at = sent + 1s;
    write.audit.client = "tests";
    store_->record_verification(write);
  }

  json::object run(bool apply, RederiveScope scope = {{"gbd_ul"}, std::nullopt, std::nullopt}) {
    rederive::Request request;
    request.scope = std::move(scope);
    request.apply = apply;
    request.requested_by = "operator-1";
    return rederive::run(*connection_, request).as_object();
  }

  std::optional<StoredFact> current(const std::string& name) {
    for (auto& f : store_->current_facts(kBin))
      if (f.fact.name == name) return f;
    return std::nullopt;
  }
};

TEST_F(RederiveRunTest, AReplyTheOldMappingCouldNotReadHealsOnlyWhenApplied) {
  const auto body = golden("ul_liquidated.xml");
  log_answer(kAsked, body, facts::Outcome::malformed, kSent);

  const auto shown = run(false);
  EXPECT_EQ(shown.at("suppliers"), 1);
  EXPECT_EQ(shown.at("replies"), 1);
  EXPECT_EQ(shown.at("changed"), 1);
  EXPECT_EQ(shown.at("outcomes_changed"), 1);
  EXPECT_GT(shown.at("facts_changed").as_int64(), 3);
  EXPECT_EQ(shown.at("applied"), false);
  EXPECT_TRUE(shown.at("rederivation_id").is_null());
  const auto& change = shown.at("changes").as_array().at(0).as_object();
  EXPECT_EQ(change.at("supplier_id"), kBin);
  EXPECT_EQ(change.at("message_id"), kAsked);
  EXPECT_EQ(change.at("outcome_then"), "malformed");
  EXPECT_EQ(change.at("outcome_now"), "data");
  EXPECT_EQ(change.at("reply_sha256"), json::value(digest::sha256_hex(body)));
  // Shown, not written.
  EXPECT_TRUE(store_->current_facts(kBin).empty());
  EXPECT_EQ(store_->source_statuses(kBin).at(0).outcome, facts::Outcome::malformed);
  EXPECT_EQ(query_value(*connection_, "SELECT count(*) FROM fact_rederivations"), "0");

  const auto applied = run(true);
  EXPECT_EQ(applied.at("applied"), true);
  EXPECT_EQ(applied.at("facts_changed"), shown.at("facts_changed"));
  const auto run_id = applied.at("rederivation_id").as_int64();
  const auto status = current("status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->fact.value.at("value"), "liquidated");
  // The provenance is the kept reply's, not the run's.
  EXPECT_EQ(status->fact.provenance.message_id, kAsked);
  EXPECT_EQ(status->fact.provenance.reply_sha256, digest::sha256_hex(body));
  EXPECT_EQ(status->fact.provenance.retrieved_at, kSent + 300ms);
  EXPECT_EQ(status->fact.provenance.signature, facts::SignatureStatus::absent);
  // Every history row it wrote names the run; the run is on record with who asked and counts.
  const auto history = store_->history(kBin);
  ASSERT_EQ(static_cast<long long>(history.size()), applied.at("facts_changed").as_int64());
  for (const auto& h : history) EXPECT_EQ(h.rederivation_id, run_id) << h.fact_name;
  EXPECT_EQ(query_value(*connection_,
                        "SELECT requested_by || ' ' || array_to_string(systems, ',') || ' ' ||"
                        " replies || ' ' || facts_changed || ' ' || (finished_at IS NOT NULL)"
                        " FROM fact_rederivations WHERE id = " +
                            std::to_string(run_id)),
            "operator-1 gbd_ul 1 " + std::to_string(history.size()) + " true");
  // The log keeps what was concluded on arrival; today's reading is noted beside it.
  EXPECT_EQ(query_value(*connection_,
                        "SELECT outcome || ' ' || reread_outcome || ' ' || reread_by"
                        " FROM message_log WHERE message_id = '" +
                            std::string(kAsked) + "'"),
            "malformed data " + std::to_string(run_id));
  // The reply is still the source's latest answer: its status is what it says today.
  const auto source = store_->source_statuses(kBin).at(0);
  EXPECT_EQ(source.outcome, facts::Outcome::data);
  EXPECT_EQ(source.message_id, kAsked);
  EXPECT_TRUE(source.last_data_at);

  // Nothing is left to change.
  const auto again = run(true);
  EXPECT_EQ(again.at("replies"), 1);
  EXPECT_EQ(again.at("changed"), 0);
  EXPECT_EQ(store_->history(kBin).size(), history.size());
}

TEST_F(RederiveRunTest, ALaterAnswerKeepsTheSourceStatusButTheFactsStillHeal) {
  log_answer(kAsked, golden("ul_liquidated.xml"), facts::Outcome::malformed, kSent);
  // A week later the source was down: no reply, so the kept one is still the latest read.
  log_answer("later-unavailable", std::nullopt, facts::Outcome::unavailable, kSent + 168h);

  const auto applied = run(true);
  EXPECT_EQ(applied.at("changed"), 1);
  EXPECT_TRUE(current("status"));
  const auto source = store_->source_statuses(kBin).at(0);
  EXPECT_EQ(source.outcome, facts::Outcome::unavailable);
  EXPECT_EQ(source.message_id, "later-unavailable");
}

TEST_F(RederiveRunTest, RepliesOutsideTheScopeOrWithAFailedSignatureAreNotRead) {
  log_answer(kAsked, golden("ul_liquidated.xml"), facts::Outcome::malformed, kSent);
  EXPECT_EQ(run(false, {{"kgd"}, std::nullopt, std::nullopt}).at("replies"), 0);
  EXPECT_EQ(run(false, {{"gbd_ul"}, kSent + 1s, std::nullopt}).at("replies"), 0);
  EXPECT_EQ(run(false, {{"gbd_ul"}, kSent - 1s, std::nullopt}).at("replies"), 1);
  // One supplier's only: another's (or one not watched) reads nothing.
  EXPECT_EQ(run(false, {{"gbd_ul"}, std::nullopt, kBin}).at("replies"), 1);
  const auto other = run(true, {{"gbd_ul"}, std::nullopt, "150340012340"});
  EXPECT_EQ(other.at("suppliers"), 0);
  EXPECT_EQ(other.at("replies"), 0);
  EXPECT_TRUE(store_->current_facts(kBin).empty());

  // A reply whose signature failed was never evidence and is not read again.
  log_answer("tampered", golden("ul_liquidated.xml"), facts::Outcome::malformed, kSent + 1h,
             facts::SignatureStatus::invalid);
  const auto shown = run(false);
  EXPECT_EQ(shown.at("replies"), 1);
  EXPECT_EQ(shown.at("changes").as_array().at(0).at("message_id"), kAsked);
}

}  // namespace
}  // namespace tekser::store
