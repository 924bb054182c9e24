// What tekser-ctl prints from the API's JSON: progress line, run summary, trigger and audit
// tables, errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gateway/cli/format.hpp"

namespace tekser::ctl {
namespace {

namespace json = boost::json;

json::value running_run() {
  return json::parse(R"({
    "id": 12, "requested_by": "cli", "scheduled_for": null, "status": "running",
    "rule_set": "order-285-2025-08", "total": 5000,
    "created_at": "2026-01-15T10:00:00.000+05:00", "finished_at": null,
    "mirrors": {"goszakup": {"outcome": "data", "rows": 20000}},
    "progress": {"pending": 2700, "leased": 35, "done": 2262, "failed": 3, "triggers": 17,
                 "percent": 45.3, "rate_per_second": 41.25, "eta_seconds": 66},
    "systems": {"gbd_ul": {"data": 1500, "no_data": 2}, "kgd": {"data": 2262}}})");
}

TEST(CtlFormat, DurationsReadAtAGlance) {
  EXPECT_EQ(duration_text(45), "45s");
  EXPECT_EQ(duration_text(185), "3m05s");
  EXPECT_EQ(duration_text(3720), "1h02m");
  EXPECT_EQ(duration_text(2 * 86400 + 3 * 3600), "2d03h");
  EXPECT_EQ(duration_text(std::nullopt), "?");
  EXPECT_EQ(duration_text(-1), "?");
}

TEST(CtlFormat, BarFillsInProportionAndStaysInBounds) {
  EXPECT_EQ(progress_bar(0, 4), "[....]");
  EXPECT_EQ(progress_bar(50, 4), "[##..]");
  EXPECT_EQ(progress_bar(100, 4), "[####]");
  EXPECT_EQ(progress_bar(250, 4), "[####]");
  EXPECT_EQ(progress_bar(-3, 4), "[....]");
}

TEST(CtlFormat, ProgressLineNamesRunCountsRateAndEta) {
  const auto line = progress_line(running_run());
  EXPECT_EQ(line,
            "run 12 running [##########..............] 45.3%  2265/5000  failed 3  triggers 17  "
            "41.2/s  ETA 1m06s");
}

TEST(CtlFormat, FinishedRunHasNoEtaAndUnknownEtaIsAQuestionMark) {
  auto run = running_run();
  run.as_object()["status"] = "done";
  EXPECT_EQ(progress_line(run).find("ETA"), std::string::npos);
  run.as_object()["status"] = "running";
  run.at("progress").as_object()["eta_seconds"] = nullptr;
  EXPECT_NE(progress_line(run).find("ETA ?"), std::string::npos);
}

TEST(CtlFormat, SummaryShowsOutcomesPerSystemAndMirrors) {
  auto run = running_run();
  run.as_object()["status"] = "done";
  run.as_object()["finished_at"] = "2026-01-15T10:03:05.000+05:00";
  const auto lines = run_summary(run);
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[0],
            "run 12: done, requested by cli, rule set order-285-2025-08, started 2026-01-15 "
            "10:00:00+05:00, finished after 3m05s");
  EXPECT_NE(lines[1].find("suppliers 2265/5000 (45.3%): done 2262, failed 3"), std::string::npos);
  EXPECT_EQ(lines[2], "  outcomes per state system:");
  EXPECT_EQ(lines[3], "    gbd_ul  data 1500, no_data 2");
  EXPECT_EQ(lines[4], "    kgd     data 2262");
  EXPECT_EQ(lines.back(), "  mirror goszakup: data, 20000 rows");
}

TEST(CtlFormat, TriggerTableIsCompactAndPointsToTheNextPage) {
  const auto page = json::parse(R"({"next_after": 7, "triggers": [
    {"id": "0b9c1c1e-2f7d-4d3a-9a55-0d7d2a1b9c01", "cursor": 7, "supplier_id": "150340012340",
     "sequence": 2, "kind": "block", "status": "dead", "attempts": 300,
     "deadline": "2026-01-16T18:00:00.000+05:00", "overdue": true,
     "last_status": 503, "last_error": "HTTP 503 Service Unavailable"}]})");
  const auto lines = triggers_table(page, 1);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].substr(0, 10), "CURSOR  ID");
  EXPECT_NE(lines[1].find("150340012340  2    block  dead    300    2026-01-16 18:00 OVERDUE"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[1].find("HTTP 503: HTTP 503 Service Unavailable"), std::string::npos);
  EXPECT_EQ(lines[2], "more: --after 7");
  EXPECT_EQ(triggers_table(json::parse(R"({"triggers": [], "next_after": 0})"), 50),
            std::vector<std::string>{"no triggers"});
}

TEST(CtlFormat, AuditTableShowsWhoAskedAboutWhomAndWhy) {
  const auto page = json::parse(R"json({"next_after": 42, "entries": [
    {"id": 41, "asked_at": "2026-01-15T10:00:00.123+05:00", "client": "portal",
     "subject": "840512401230", "related_subject": null, "system": "gbd_fl",
     "service_id": "GBDFL_UniversalServiceSync", "message_id": "m-1",
     "purpose": "supplier registration check (order 285 p.15)",
     "consent_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     "outcome": "data"},
    {"id": 42, "asked_at": "2026-01-15T10:00:01.000+05:00", "client": "refresh-run:3",
     "subject": null, "related_subject": null, "system": "goszakup", "service_id": "rnu",
     "message_id": "m-2", "purpose": "weekly re-check (p.16), whole register",
     "consent_sha256": null, "outcome": "data"}]})json");
  const auto lines = audit_table(page, 2);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].substr(0, 12), "ID  ASKED AT");
  EXPECT_NE(lines[1].find("portal         840512401230      gbd_fl"), std::string::npos)
      << lines[1];
  EXPECT_NE(lines[1].find("9f86d081884c…  supplier registration check (order 285 p.15)"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[2].find("refresh-run:3  (whole register)  goszakup"), std::string::npos)
      << lines[2];
  EXPECT_EQ(lines[3], "more: --after 42");
  EXPECT_EQ(audit_table(json::parse(R"({"entries": [], "next_after": 0})"), 50),
            std::vector<std::string>{"no audit entries"});
}

TEST(CtlFormat, ApiErrorsReadFieldColonReason) {
  EXPECT_EQ(api_error_text(json::parse(R"({"error":{"field":"status","reason":"must be"}})")),
            "status: must be");
  EXPECT_EQ(api_error_text(json::parse(R"({"error":{"field":"","reason":"internal error"}})")),
            "internal error");
  EXPECT_EQ(api_error_text(json::parse(R"({"runs": []})")), std::nullopt);
  EXPECT_EQ(api_error_text(json::value("text")), std::nullopt);
}

TEST(CtlFormat, RunsTableAndSchedule) {
  const auto lines = runs_table(json::parse(R"({"schedule": "MON 02:00", "runs": [
    {"id": 3, "status": "done", "requested_by": "schedule", "total": 10, "rule_set": "r",
     "created_at": "2026-01-12T02:00:00.000+05:00",
     "finished_at": "2026-01-12T02:00:42.000+05:00"}],
    "next_scheduled": "2026-01-19T02:00:00.000+05:00"})"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "3    done    schedule  10     r         2026-01-12 02:00:00+05:00  42s");
  EXPECT_EQ(lines[2], "schedule: MON 02:00, next run 2026-01-19 02:00:00+05:00");
}

TEST(CtlFormat, RederiveReportSaysWhatChangedAndWhetherItWasRecorded) {
  auto body = json::parse(R"({
    "systems": ["gbd_ul", "kgd"], "since": "2026-12-01T00:00:00.000+05:00", "applied": false,
    "rederivation_id": null, "suppliers": 3, "replies": 5, "changed": 2, "facts_changed": 3,
    "outcomes_changed": 1, "listed": 1,
    "changes": [{"supplier_id": "080940003154", "system": "gbd_ul", "message_id": "m-1",
                 "reply_sha256": "aa", "received_at": "2026-12-02T10:00:00.000+05:00",
                 "outcome_then": "malformed", "outcome_now": "data",
                 "facts": [{"name": "status", "change": "changed",
                            "before": {"value": "active"}, "after": {"value": "liquidated"}},
                           {"name": "old", "change": "no_longer_derived", "before": 1}]}]})");
  const auto shown = rederive_report(body);
  ASSERT_GE(shown.size(), 5u);
  EXPECT_EQ(shown[0],
            "re-read 5 kept replies of 3 suppliers (gbd_ul, kgd, since "
            "2026-12-01T00:00:00.000+05:00): 2 read otherwise today, 3 facts would change, 1 "
            "answers would be restated");
  EXPECT_EQ(shown[1], "nothing was written: --apply records these");
  std::string all;
  for (const auto& line : shown) all += line + "\n";
  EXPECT_NE(all.find("malformed→data"), std::string::npos) << all;
  EXPECT_NE(all.find(R"({"value":"active"} → {"value":"liquidated"})"), std::string::npos) << all;
  EXPECT_NE(all.find("no longer read from this reply (kept until it expires): 1"),
            std::string::npos)
      << all;
  EXPECT_EQ(shown.back(), "(1 of 2 listed: --limit shows more)");

  body.as_object()["applied"] = true;
  body.as_object()["rederivation_id"] = 4;
  const auto recorded = rederive_report(body);
  EXPECT_NE(recorded[0].find("3 facts recorded, 1 answers restated"), std::string::npos)
      << recorded[0];
  EXPECT_NE(recorded[1].find("recorded as re-derivation run 4"), std::string::npos) << recorded[1];
}

}  // namespace
}  // namespace tekser::ctl
