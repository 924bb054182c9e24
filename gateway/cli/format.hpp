// What tekser-ctl prints, as pure functions of the API's JSON (gateway/api/operations.hpp): the
// progress line of a refresh run, its summary, the trigger table and the API's errors. No I/O,
// so that the wording is tested without a gateway.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace tekser::ctl {

// "45s", "3m05s", "1h02m", "2d03h"; "?" for a negative or absent duration.
std::string duration_text(std::optional<long long> seconds);

// "[##########··········]" `width` cells filled in proportion to `percent` (0..100).
std::string progress_bar(double percent, int width);

// One line of a run's progress (GET /v1/refresh-runs/{id}), without a line end:
// "run 12 running [######······]  45.3%  2265/5000  failed 3  triggers 17  41.2/s  ETA 1m06s"
std::string progress_line(const boost::json::value& run);

// The lines that describe a run once (status, summary at the end of a watch): the header, the
// progress counts, the outcome counts per state system and the mirrored registers.
std::vector<std::string> run_summary(const boost::json::value& run);

// Runs of GET /v1/refresh-runs, one line each, newest first, with the schedule.
std::vector<std::string> runs_table(const boost::json::value& runs);

// Triggers of GET /v1/triggers as a compact table (a header line first), and the hint for the
// next page when the page was full.
std::vector<std::string> triggers_table(const boost::json::value& page, int limit);

// Rows of GET /v1/audit as a table (a header line first; the consent digest shortened), and the
// hint for the next page when the page was full.
std::vector<std::string> audit_table(const boost::json::value& page, int limit);

// POST /v1/rule-sets/dry-run: a headline, a table of the verdicts that would change (each
// changed requirement "id now→then") and the triggers that would fire differently.
std::vector<std::string> dry_run_report(const boost::json::value& body);

// POST /v1/facts/re-derive: a headline (what was read again, what changed, whether it was
// recorded) and a table of the changes, one line per fact ("before → after").
std::vector<std::string> rederive_report(const boost::json::value& body);

// The API's error as "field: reason" ({"error":{"field","reason"}}; "reason" alone when the field
// is empty); nullopt when the body is not such an error.
std::optional<std::string> api_error_text(const boost::json::value& body);

// Seconds between two xsd:dateTime texts (with offsets); nullopt when either does not parse.
std::optional<long long> seconds_between(std::string_view from, std::string_view to);

}  // namespace tekser::ctl
