#include "gateway/cli/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <boost/json.hpp>

#include "common/time/xsd_time.hpp"

namespace tekser::ctl {
namespace {

namespace json = boost::json;

const json::value* member(const json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  return v.as_object().if_contains(key);
}

double number(const json::value& v, std::string_view key, double fallback = 0) {
  const auto* m = member(v, key);
  if (!m) return fallback;
  if (m->is_int64()) return static_cast<double>(m->as_int64());
  if (m->is_uint64()) return static_cast<double>(m->as_uint64());
  if (m->is_double()) return m->as_double();
  return fallback;
}

long long integer(const json::value& v, std::string_view key, long long fallback = 0) {
  return std::llround(number(v, key, static_cast<double>(fallback)));
}

std::string text(const json::value& v, std::string_view key, std::string fallback = "") {
  const auto* m = member(v, key);
  if (!m || !m->is_string()) return fallback;
  return std::string(m->as_string());
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// "2026-01-15T10:00:00.123+05:00" -> "2026-01-15 10:00:00+05:00": shorter, still unambiguous.
std::string short_time(const std::string& t) {
  if (t.size() < 19) return t;
  std::string out = t.substr(0, 10) + " " + t.substr(11, 8);
  if (const auto zone = t.find_first_of("+-Z", 19); zone != std::string::npos)
    out += t.substr(zone);
  return out;
}

// Columns padded to their widest cell, two spaces apart; the last column is not padded.
std::vector<std::string> aligned(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  std::vector<std::string> out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

std::string duration_text(std::optional<long long> seconds) {
  if (!seconds || *seconds < 0) return "?";
  const long long s = *seconds;
  char buffer[32];
  if (s < 60)
    std::snprintf(buffer, sizeof buffer, "%llds", s);
  else if (s < 3600)
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
  else if (s < 86400)
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, s % 3600 / 60);
  else
    std::snprintf(buffer, sizeof buffer, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
  return buffer;
}

std::string progress_bar(double percent, int width) {
  const double share = std::clamp(percent, 0.0, 100.0) / 100.0;
  const int filled = static_cast<int>(std::floor(share * width));
  std::string bar = "[";
  bar.append(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(width - filled), '.');
  return bar + "]";
}

std::string progress_line(const json::value& run) {
  static const json::value empty = json::object{};
  const auto* found = member(run, "progress");
  const auto& p = found ? *found : empty;
  const double percent = number(p, "percent");
  const long long finished = integer(p, "done") + integer(p, "failed");
  std::string line = "run " + std::to_string(integer(run, "id")) + " " + text(run, "status", "?") +
                     " " + progress_bar(percent, 24) + " " + fixed(percent, 1) + "%  " +
                     std::to_string(finished) + "/" + std::to_string(integer(run, "total")) +
                     "  failed " + std::to_string(integer(p, "failed")) + "  triggers " +
                     std::to_string(integer(p, "triggers")) + "  " +
                     fixed(number(p, "rate_per_second"), 1) + "/s";
  if (text(run, "status") == "running") {
    const auto* eta = member(p, "eta_seconds");
    line += "  ETA " + duration_text(eta && (eta->is_int64() || eta->is_uint64())
                                         ? std::optional(integer(p, "eta_seconds"))
                                         : std::nullopt);
  }
  return line;
}

std::vector<std::string> run_summary(const json::value& run) {
  std::vector<std::string> out;
  const auto status = text(run, "status", "?");
  const auto created = text(run, "created_at");
  std::string header = "run " + std::to_string(integer(run, "id")) + ": " + status +
                       ", requested by " + text(run, "requested_by", "?") + ", rule set " +
                       text(run, "rule_set", "?") + ", started " + short_time(created);
  if (const auto finished = text(run, "finished_at"); !finished.empty())
    header += ", " + std::string(status == "cancelled" ? "cancelled" : "finished") + " after " +
              duration_text(seconds_between(created, finished));
  out.push_back(std::move(header));

  if (const auto* p = member(run, "progress")) {
    const long long finished = integer(*p, "done") + integer(*p, "failed");
    std::string counts =
        "  suppliers " + std::to_string(finished) + "/" + std::to_string(integer(run, "total")) +
        " (" + fixed(number(*p, "percent"), 1) + "%): done " + std::to_string(integer(*p, "done")) +
        ", failed " + std::to_string(integer(*p, "failed")) + ", pending " +
        std::to_string(integer(*p, "pending")) + ", leased " +
        std::to_string(integer(*p, "leased")) + "; triggers " +
        std::to_string(integer(*p, "triggers"));
    out.push_back(std::move(counts));
    if (status == "running") {
      const auto* eta = member(*p, "eta_seconds");
      out.push_back("  rate " + fixed(number(*p, "rate_per_second"), 1) + "/s over the last " +
                    "minute, ETA " +
                    duration_text(eta && !eta->is_null() ? std::optional(integer(*p, "eta_seconds"))
                                                         : std::nullopt));
    }
  }
  if (const auto* systems = member(run, "systems"); systems && systems->is_object()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [system, outcomes] : systems->as_object()) {
      if (!outcomes.is_object()) continue;
      std::string counts;
      for (const auto& [outcome, n] : outcomes.as_object()) {
        if (!counts.empty()) counts += ", ";
        counts += std::string(outcome) + " " +
                  std::to_string(n.is_int64() ? n.as_int64() : static_cast<long long>(0));
      }
      rows.push_back({"  " + std::string(system), counts});
    }
    if (!rows.empty()) {
      out.push_back("  outcomes per state system:");
      for (auto& line : aligned(rows)) out.push_back("  " + line);
    }
  }
  if (const auto* mirrors = member(run, "mirrors"); mirrors && mirrors->is_object())
    for (const auto& [system, m] : mirrors->as_object()) {
      std::string line = "  mirror " + std::string(system) + ": " + text(m, "outcome", "?");
      if (text(m, "outcome") == "data")
        line += ", " + std::to_string(integer(m, "rows")) + " rows";
      else if (const auto cause = text(m, "cause"); !cause.empty())
        line += " (" + cause + ")";
      out.push_back(std::move(line));
    }
  return out;
}

std::vector<std::string> runs_table(const json::value& body) {
  std::vector<std::vector<std::string>> rows{
      {"RUN", "STATUS", "BY", "TOTAL", "RULE SET", "STARTED", "TOOK"}};
  if (const auto* runs = member(body, "runs"); runs && runs->is_array())
    for (const auto& run : runs->as_array()) {
      const auto created = text(run, "created_at");
      const auto finished = text(run, "finished_at");
      rows.push_back({std::to_string(integer(run, "id")), text(run, "status"),
                      text(run, "requested_by"), std::to_string(integer(run, "total")),
                      text(run, "rule_set"), short_time(created),
                      finished.empty() ? "-" : duration_text(seconds_between(created, finished))});
    }
  auto out = aligned(rows);
  if (rows.size() == 1) out = {"no refresh runs yet"};
  std::string schedule = "schedule: " + text(body, "schedule", "?");
  if (const auto next = text(body, "next_scheduled"); !next.empty())
    schedule += ", next run " + short_time(next);
  out.push_back(std::move(schedule));
  return out;
}

std::vector<std::string> triggers_table(const json::value& page, int limit) {
  std::vector<std::vector<std::string>> rows{
      {"CURSOR", "ID", "SUPPLIER", "SEQ", "KIND", "STATUS", "TRIES", "DEADLINE", "LAST"}};
  std::size_t count = 0;
  if (const auto* triggers = member(page, "triggers"); triggers && triggers->is_array())
    for (const auto& t : triggers->as_array()) {
      ++count;
      // A kind without a legal deadline (a block, a warning) shows none.
      const auto due = text(t, "deadline");
      std::string deadline = due.empty() ? "—" : short_time(due).substr(0, 16);
      if (const auto* overdue = member(t, "overdue");
          overdue && overdue->is_bool() && overdue->as_bool())
        deadline += " OVERDUE";
      std::string last;
      if (const auto* s = member(t, "last_status"); s && !s->is_null())
        last = "HTTP " + std::to_string(integer(t, "last_status"));
      if (const auto error = text(t, "last_error"); !error.empty())
        last +=
            (last.empty() ? "" : ": ") + (error.size() > 48 ? error.substr(0, 47) + "…" : error);
      rows.push_back({std::to_string(integer(t, "cursor")), text(t, "id"), text(t, "supplier_id"),
                      std::to_string(integer(t, "sequence")), text(t, "kind"), text(t, "status"),
                      std::to_string(integer(t, "attempts")), deadline, last});
    }
  if (count == 0) return {"no triggers"};
  auto out = aligned(rows);
  if (static_cast<int>(count) >= limit)
    out.push_back("more: --after " + std::to_string(integer(page, "next_after")));
  return out;
}

std::vector<std::string> audit_table(const json::value& page, int limit) {
  std::vector<std::vector<std::string>> rows{
      {"ID", "ASKED AT", "CLIENT", "SUBJECT", "SYSTEM", "OUTCOME", "CONSENT", "PURPOSE"}};
  std::size_t count = 0;
  if (const auto* entries = member(page, "entries"); entries && entries->is_array())
    for (const auto& e : entries->as_array()) {
      ++count;
      std::string subject = text(e, "subject");
      if (subject.empty()) subject = "(whole register)";
      if (const auto related = text(e, "related_subject"); !related.empty())
        subject += " + " + related;
      const auto consent = text(e, "consent_sha256");
      rows.push_back({std::to_string(integer(e, "id")), short_time(text(e, "asked_at")),
                      text(e, "client"), subject, text(e, "system"), text(e, "outcome"),
                      // Last: a purpose in Cyrillic would upset the padding of what follows.
                      consent.empty() ? "-" : consent.substr(0, 12) + "…", text(e, "purpose")});
    }
  if (count == 0) return {"no audit entries"};
  auto out = aligned(rows);
  if (static_cast<int>(count) >= limit)
    out.push_back("more: --after " + std::to_string(integer(page, "next_after")));
  return out;
}

std::optional<std::string> api_error_text(const json::value& body) {
  const auto* error = member(body, "error");
  if (!error || !error->is_object()) return std::nullopt;
  const auto field = text(*error, "field");
  const auto reason = text(*error, "reason");
  if (reason.empty() && field.empty()) return std::nullopt;
  return field.empty() ? reason : field + ": " + reason;
}

std::optional<long long> seconds_between(std::string_view from, std::string_view to) {
  const auto a = xsd_time::parse_datetime(from);
  const auto b = xsd_time::parse_datetime(to);
  if (!a || !b) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*b - *a).count();
}

std::vector<std::string> dry_run_report(const json::value& body) {
  std::vector<std::string> out;
  const auto count = [&](std::string_view key) { return std::to_string(integer(body, key)); };
  out.push_back("rule set " + text(body, "candidate") + " (in force from " +
                text(body, "candidate_effective_from") + ") against " + text(body, "in_force") +
                ": " + count("suppliers") + " suppliers, " + count("changed") + " would change (" +
                count("verdicts_changed") + " in their verdicts, " + count("triggers_changed") +
                " in their triggers)");
  if (integer(body, "changed") == 0) return out;
  std::vector<std::vector<std::string>> verdicts{
      {"SUPPLIER", "CATEGORY", "NOW", "THEN", "REQUIREMENTS (now→then)"}};
  std::vector<std::vector<std::string>> fired{{"SUPPLIER", "TRIGGERS NOW", "TRIGGERS THEN"}};
  const auto joined = [](const json::value* list) {
    std::string line;
    if (list && list->is_array())
      for (const auto& item : list->as_array())
        if (item.is_string()) line += (line.empty() ? "" : "; ") + std::string(item.as_string());
    return line.empty() ? std::string("—") : line;
  };
  if (const auto* changes = member(body, "changes"); changes && changes->is_array())
    for (const auto& change : changes->as_array()) {
      const auto supplier = text(change, "supplier_id");
      if (const auto* categories = member(change, "categories");
          categories && categories->is_array())
        for (const auto& c : categories->as_array()) {
          std::string requirements;
          if (const auto* list = member(c, "requirements"); list && list->is_array())
            for (const auto& r : list->as_array())
              requirements += (requirements.empty() ? "" : ", ") + text(r, "id") + " " +
                              text(r, "now") + "→" + text(r, "then");
          verdicts.push_back({supplier, text(c, "category"), text(c, "overall_now"),
                              text(c, "overall_then"), requirements});
        }
      const auto now = joined(member(change, "triggers_now"));
      const auto then = joined(member(change, "triggers_then"));
      if (now != then) fired.push_back({supplier, now, then});
    }
  if (verdicts.size() > 1)
    for (auto& line : aligned(verdicts)) out.push_back(line);
  if (fired.size() > 1)
    for (auto& line : aligned(fired)) out.push_back(line);
  if (integer(body, "listed") < integer(body, "changed"))
    out.push_back("(" + count("listed") + " of " + count("changed") +
                  " listed: --limit shows more)");
  return out;
}

std::vector<std::string> rederive_report(const json::value& body) {
  std::vector<std::string> out;
  const auto count = [&](std::string_view key) { return std::to_string(integer(body, key)); };
  const auto* applied = member(body, "applied");
  const bool recorded = applied && applied->is_bool() && applied->as_bool();
  std::string systems;
  if (const auto* list = member(body, "systems"); list && list->is_array())
    for (const auto& s : list->as_array())
      if (s.is_string()) systems += (systems.empty() ? "" : ", ") + std::string(s.as_string());
  const auto since = text(body, "since");
  out.push_back("re-read " + count("replies") + " kept replies of " + count("suppliers") +
                " suppliers (" + systems + (since.empty() ? "" : ", since " + since) + "): " +
                count("changed") + " read otherwise today, " + count("facts_changed") + " facts " +
                (recorded ? "recorded" : "would change") + ", " + count("outcomes_changed") +
                " answers " + (recorded ? "restated" : "would be restated"));
  if (recorded)
    out.push_back("recorded as re-derivation run " + count("rederivation_id") +
                  " (the facts' history names it); triggers follow at the supplier's next "
                  "verify or refresh");
  else if (integer(body, "changed") > 0)
    out.push_back("nothing was written: --apply records these");
  if (integer(body, "changed") == 0) return out;
  const auto value = [](const json::value* v) {
    return v ? json::serialize(*v) : std::string("—");
  };
  std::vector<std::vector<std::string>> rows{
      {"SUPPLIER", "SYSTEM", "REPLY RECEIVED", "ANSWER (then→now)", "FACT", "CHANGE"}};
  if (const auto* changes = member(body, "changes"); changes && changes->is_array())
    for (const auto& change : changes->as_array()) {
      const std::vector<std::string> head{
          text(change, "supplier_id"), text(change, "system"), text(change, "received_at"),
          text(change, "outcome_then") + "→" + text(change, "outcome_now")};
      const auto* facts = member(change, "facts");
      if (!facts || !facts->is_array() || facts->as_array().empty()) {
        auto row = head;
        row.push_back("—");
        row.push_back(text(change, "cause_now"));
        rows.push_back(std::move(row));
        continue;
      }
      for (const auto& fact : facts->as_array()) {
        auto row = head;
        row.push_back(text(fact, "name"));
        const auto kind = text(fact, "change");
        row.push_back(kind == "no_longer_derived"
                          ? "no longer read from this reply (kept until it expires): " +
                                value(member(fact, "before"))
                          : value(member(fact, "before")) + " → " + value(member(fact, "after")));
        rows.push_back(std::move(row));
      }
    }
  for (auto& line : aligned(rows)) out.push_back(line);
  if (integer(body, "listed") < integer(body, "changed"))
    out.push_back("(" + count("listed") + " of " + count("changed") +
                  " listed: --limit shows more)");
  return out;
}

}  // namespace tekser::ctl
