// Record and replay (issue 13 item 7): a supplier verified against the mocks, its exchanges
// exported from the gateway's message log with tekser-ctl, a second mocks instance that knows
// nobody (empty fixtures) serving them with --replay, a fresh gateway with a fresh database
// pointed at it — and the same facts come back, from the recordings alone. Every wait has a
// deadline; nothing sleeps.
#include <map>
#include <set>

#include "common/shep/envelope.hpp"
#include "tests/integration/run_ctl.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kActiveBin = "150340012340";  // ТОО «Мейірім Медтехника»
constexpr const char* kAliveIin = "840512401230";   // IE, alive (ГБД ФЛ with consent)
// The SOAP systems these suppliers are asked about: what the mocks can replay.
const std::set<std::string> kReplayed = {"gbd_ul", "gbd_fl", "kgd", "elicense"};

std::string text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

// (system, fact name) -> value, for the replayed systems.
std::map<std::pair<std::string, std::string>, std::string> replayed_facts(const json::value& view) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  for (const auto& f : view.at("facts").as_array()) {
    const auto system = text(f.at("system"));
    if (kReplayed.contains(system))
      out[{system, text(f.at("name"))}] = json::serialize(f.at("value"));
  }
  return out;
}

// A fixture folder in which every register is empty: a subject answered with data can only have
// come from a recording.
fs::path empty_fixtures() {
  const auto dir = make_temp_dir();
  std::ofstream(dir / "suppliers.json") << R"({"legal_entities": [], "individuals": []})";
  std::ofstream(dir / "kgd.json") << R"({"taxpayers": []})";
  std::ofstream(dir / "elicense.json") << R"({"subjects": []})";
  std::ofstream(dir / "pa_checks.json") << R"({"persons": [], "unknown_to_registers": []})";
  std::ofstream(dir / "enis.json") << R"({"powers_of_attorney": []})";
  return dir;
}

class ReplayTest : public GatewayTest {
 protected:
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void register_and_verify() {
    ASSERT_EQ(put(kActiveBin, R"({"categories":["technical_aids"]})").status, 201u);
    ASSERT_EQ(put(kAliveIin, R"({"categories":["technical_aids"],)"
                             R"("consent":{"kdp_token":"kdp-replay","public_key":"MIIB"}})")
                  .status,
              201u);
    for (const auto* id : {kActiveBin, kAliveIin}) {
      const auto verified = verify(id);
      ASSERT_EQ(verified.status, 200u) << json::serialize(verified.body);
    }
  }

  json::value supplier(const std::string& id) {
    const auto reply = call(port_, http::verb::get, "/v1/suppliers/" + id);
    EXPECT_EQ(reply.status, 200u) << json::serialize(reply.body);
    return reply.body;
  }

  // Stops the gateway and the mocks, then starts mocks that know nobody and replay `dir`, and a
  // gateway on a fresh schema pointed at them.
  void restart_on_replay(const fs::path& dir, const fs::path& fixtures) {
    gateway_.reset();
    mocks_.reset();
    schema_ = std::make_unique<store::test::FreshSchema>();
    mocks_ = std::make_unique<ChildProcess>(
        [&](const fs::path& child_dir) {
          auto args = mocks_args(child_dir, "127.0.0.1:0", (fixtures / "suppliers.json").string());
          for (const auto& extra : {std::string("--fixtures-dir"), fixtures.string(),
                                    std::string("--replay"), dir.string()})
            args.push_back(extra);
          return args;
        },
        "replay-mocks");
    mocks_port_ = mocks_->wait_listening();
    start_gateway();
  }
};

TEST_F(ReplayTest, ExportedRepliesReplayedByMocksThatKnowNobodyGiveTheSameFacts) {
  register_and_verify();
  std::map<std::string, std::map<std::pair<std::string, std::string>, std::string>> recorded;
  for (const auto* id : {kActiveBin, kAliveIin}) recorded[id] = replayed_facts(supplier(id));
  ASSERT_FALSE(recorded[kActiveBin].empty());
  ASSERT_FALSE(recorded[kAliveIin].empty());

  // The replies as kept in the message log, by message id: what the files must hold exactly.
  std::map<std::string, std::pair<std::string, std::string>> logged;  // id -> (sha256, body)
  {
    auto connection = db();
    pqxx::work txn(*connection);
    for (const auto& row : txn.exec(
             "SELECT message_id, reply_sha256, response_body FROM message_log WHERE outcome IN "
             "('data', 'no_data') AND system IN ('gbd_ul', 'gbd_fl', 'kgd', 'elicense')"))
      logged[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
  }
  ASSERT_GE(logged.size(), 5u);

  // Export: one call per system, the API's cursor paged through by tekser-ctl.
  const auto out = make_temp_dir();
  for (const auto& system : kReplayed) {
    const auto run =
        run_ctl({"--url", url(), "exchanges", "export", "--system", system, "--out", out.string()});
    ASSERT_EQ(run.exit_code, 0) << system << ": " << run.out << run.err;
    EXPECT_NE(run.out.find("exported "), std::string::npos) << run.out;
  }
  // Each reply a file holding its bytes exactly, with a sidecar naming its key and digest.
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (entry.path().extension() != ".xml") continue;
    ++files;
    auto sidecar_path = entry.path();
    sidecar_path.replace_extension(".json");
    const auto sidecar = json::parse(read_file(sidecar_path)).as_object();
    const auto message_id = text(sidecar.at("message_id"));
    ASSERT_TRUE(logged.contains(message_id)) << entry.path();
    const auto& [sha256, body] = logged.at(message_id);
    EXPECT_EQ(read_file(entry.path()), body) << entry.path();
    EXPECT_EQ(digest::sha256_hex(read_file(entry.path())), sha256);
    EXPECT_EQ(text(sidecar.at("reply_sha256")), sha256);
    EXPECT_EQ(sidecar.at("exact"), json::value(true));
    EXPECT_EQ(entry.path().parent_path().filename(), text(sidecar.at("subject")));
    EXPECT_EQ(entry.path().parent_path().parent_path().filename(), text(sidecar.at("service_id")));
  }
  EXPECT_EQ(files, logged.size());
  EXPECT_TRUE(fs::exists(out / "GbdulInfoByBin_v2" / kActiveBin));
  EXPECT_TRUE(fs::exists(out / "GBDFL_UniversalServiceSync" / kAliveIin));
  EXPECT_TRUE(fs::exists(out / "index.json"));

  // Mocks that know nobody, replaying the folder; a fresh gateway and database.
  const auto fixtures = empty_fixtures();
  restart_on_replay(out, fixtures);
  const auto loaded = mocks_admin(http::verb::get, "/admin/replay");
  ASSERT_EQ(loaded.status, 200u);
  EXPECT_EQ(loaded.body.at("count").to_number<std::size_t>(), files);

  register_and_verify();
  for (const auto* id : {kActiveBin, kAliveIin}) {
    SCOPED_TRACE(id);
    const auto view = supplier(id);
    EXPECT_EQ(replayed_facts(view), recorded[id]) << json::serialize(view);
    // Re-signed by the replaying bus, and the signature verified by the gateway.
    for (const auto& f : view.at("facts").as_array()) {
      if (!kReplayed.contains(text(f.at("system")))) continue;
      EXPECT_EQ(text(f.at("provenance").at("signature")), "valid") << json::serialize(f);
    }
  }
  // Every request to a replayed system was answered from a recording, journaled as such: one per
  // exported exchange.
  std::size_t replayed = 0;
  const auto journal = mocks_admin(http::verb::get, "/admin/journal");
  for (const auto& e : journal.body.as_array()) {
    if (!kReplayed.contains(text(e.at("system")))) continue;
    ++replayed;
    EXPECT_EQ(text(e.at("outcome")), "replayed") << json::serialize(e);
    EXPECT_TRUE(text(e.at("replay")).starts_with(out.string())) << json::serialize(e);
  }
  EXPECT_EQ(replayed, files);
  // Each replayed reply answers the gateway's own request: correlationId = its messageId, and a
  // messageId of its own (not the recording's).
  {
    auto connection = db();
    pqxx::work txn(*connection);
    const auto rows = txn.exec(
        "SELECT message_id, response_body FROM message_log WHERE system IN "
        "('gbd_ul', 'gbd_fl', 'kgd', 'elicense')");
    ASSERT_GE(rows.size(), 5u);
    for (const auto& row : rows) {
      const auto message_id = row[0].as<std::string>();
      const auto reply = shep::parse_reply(row[1].as<std::string>());
      ASSERT_EQ(reply.kind, shep::ParsedReply::Kind::response) << message_id;
      EXPECT_EQ(reply.info.correlation_id.value_or(""), message_id);
      EXPECT_FALSE(logged.contains(message_id));
      for (const auto& [old_id, old] : logged)
        EXPECT_EQ(old.second.find(reply.info.message_id), std::string::npos);
    }
  }
  std::error_code ignored;
  fs::remove_all(out, ignored);
  fs::remove_all(fixtures, ignored);
}

// --mask-personal-data: the files carry no name of the person, keep the subject, still replay.
TEST_F(ReplayTest, MaskedExportKeepsTheSubjectAndStillReplays) {
  register_and_verify();
  const auto out = make_temp_dir();
  const auto run = run_ctl({"--url", url(), "--json", "exchanges", "export", "--system", "gbd_fl",
                            "--subject", kAliveIin, "--out", out.string(), "--mask-personal-data"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const auto summary = json::parse(run.out);
  ASSERT_EQ(summary.at("written").to_number<int>(), 1) << run.out;
  EXPECT_GT(summary.at("masked_values").to_number<int>(), 5) << run.out;
  const auto dir = out / "GBDFL_UniversalServiceSync" / kAliveIin;
  std::string xml;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".xml") xml = read_file(entry.path());
  for (const auto* personal : {"Омарова", "Жанар", "1984-05-12", "045612378"})
    EXPECT_EQ(xml.find(personal), std::string::npos) << personal;
  EXPECT_NE(xml.find(kAliveIin), std::string::npos);

  const auto fixtures = empty_fixtures();
  restart_on_replay(out, fixtures);
  ASSERT_EQ(put(kAliveIin, R"({"categories":["technical_aids"],)"
                           R"("consent":{"kdp_token":"kdp-replay","public_key":"MIIB"}})")
                .status,
            201u);
  const auto verified = call(port_, http::verb::post,
                             std::string("/v1/suppliers/") + kAliveIin + "/verify?systems=gbd_fl");
  ASSERT_EQ(verified.status, 200u);
  EXPECT_EQ(text(source(verified.body, "gbd_fl").at("outcome")), "data")
      << json::serialize(verified.body);
  std::error_code ignored;
  fs::remove_all(out, ignored);
  fs::remove_all(fixtures, ignored);
}

}  // namespace
}  // namespace tekser::integration
