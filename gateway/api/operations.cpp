#include "gateway/api/operations.hpp"

#include <tuple>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "gateway/api/input.hpp"
#include "gateway/api/reply.hpp"
#include "gateway/api/resilience_view.hpp"
#include "gateway/eligibility/eligibility.hpp"
#include "gateway/store/audit_store.hpp"
#include "gateway/store/refresh_store.hpp"

namespace tekser::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using store::RefreshStore;

std::string time_text(xsd_time::TimePoint t) {
  return xsd_time::format_datetime(t);
}
json::value optional_time(const std::optional<xsd_time::TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(time_text(*t));
}

json::object to_json(const store::RefreshRun& run) {
  return {{"id", run.id},
          {"requested_by", run.requested_by},
          {"scheduled_for", optional_time(run.scheduled_for)},
          {"status", run.status},
          {"rule_set", run.rule_set},
          {"total", run.total},
          {"created_at", time_text(run.created_at)},
          {"finished_at", optional_time(run.finished_at)},
          {"mirrors", run.mirrors}};
}

json::object to_json(const store::RunProgress& p) {
  auto out = to_json(p.run);
  const int finished = p.done + p.failed;
  json::object systems;
  for (const auto& [system, outcomes] : p.outcomes) {
    json::object counts;
    for (const auto& [outcome, n] : outcomes) counts[outcome] = n;
    systems[system] = std::move(counts);
  }
  out["progress"] =
      json::object{{"pending", p.pending},
                   {"leased", p.leased},
                   {"done", p.done},
                   {"failed", p.failed},
                   {"triggers", p.triggers},
                   {"percent", p.run.total > 0 ? 100.0 * finished / p.run.total : 100.0},
                   {"rate_per_second", p.rate_per_second},
                   {"eta_seconds", p.eta ? json::value(p.eta->count()) : json::value(nullptr)}};
  out["systems"] = std::move(systems);
  return out;
}

json::object to_json(const store::TriggerRow& t, xsd_time::TimePoint now) {
  json::error_code ec;
  auto document = json::parse(t.body, ec);
  return {
      {"id", t.id},
      {"cursor", t.cursor},
      {"supplier_id", t.supplier_id},
      {"sequence", t.sequence},
      {"kind", t.kind},
      {"status", t.status},
      {"attempts", t.attempts},
      {"rule_set", t.rule_set},
      {"run_id", t.run_id ? json::value(*t.run_id) : json::value(nullptr)},
      {"created_at", time_text(t.created_at)},
      {"data_received_at", time_text(t.data_received_at)},
      {"deadline", optional_time(t.deadline)},
      {"deadline_estimate", t.deadline ? json::value(t.deadline_estimate) : json::value(nullptr)},
      {"overdue", t.status != "delivered" && t.deadline && *t.deadline < now},
      {"next_attempt_at",
       t.status == "pending" ? json::value(time_text(t.next_attempt_at)) : json::value(nullptr)},
      {"last_error", t.last_error ? json::value(*t.last_error) : json::value(nullptr)},
      {"last_status", t.last_status ? json::value(*t.last_status) : json::value(nullptr)},
      {"delivered_at", optional_time(t.delivered_at)},
      {"document", ec ? json::value(nullptr) : std::move(document)}};
}

void allow(const net::HttpRequest& request, http::verb verb) {
  if (request.method() != verb)
    throw ApiError{http::status::method_not_allowed, "method",
                   std::string(request.method_string()) + " is not allowed here (allowed: " +
                       std::string(http::to_string(verb)) + ")"};
}

ApiError not_found(std::string what) {
  return ApiError{http::status::not_found, "id", std::move(what)};
}

std::string prometheus(const store::TriggerCounts& counts,
                       const std::optional<store::RunProgress>& running,
                       const refresh::RefreshRunner* runner,
                       const delivery::Dispatcher* dispatcher) {
  std::string out;
  auto line = [&out](const std::string& text) { out += text + "\n"; };
  line("# HELP tekser_triggers Triggers in the outbox by delivery status.");
  line("# TYPE tekser_triggers gauge");
  line("tekser_triggers{status=\"pending\"} " + std::to_string(counts.pending));
  line("tekser_triggers{status=\"delivered\"} " + std::to_string(counts.delivered));
  line("tekser_triggers{status=\"dead\"} " + std::to_string(counts.dead));
  line("# HELP tekser_triggers_overdue Triggers not delivered by their legal deadline.");
  line("# TYPE tekser_triggers_overdue gauge");
  line("tekser_triggers_overdue " + std::to_string(counts.overdue));
  line("# HELP tekser_refresh_running 1 while a refresh run is going on.");
  line("# TYPE tekser_refresh_running gauge");
  line("tekser_refresh_running " + std::string(running ? "1" : "0"));
  if (running) {
    line("# HELP tekser_refresh_items Work items of the running refresh by state.");
    line("# TYPE tekser_refresh_items gauge");
    line("tekser_refresh_items{state=\"pending\"} " + std::to_string(running->pending));
    line("tekser_refresh_items{state=\"leased\"} " + std::to_string(running->leased));
    line("tekser_refresh_items{state=\"done\"} " + std::to_string(running->done));
    line("tekser_refresh_items{state=\"failed\"} " + std::to_string(running->failed));
  }
  if (runner) {
    line("# TYPE tekser_refresh_items_done_total counter");
    line("tekser_refresh_items_done_total " + std::to_string(runner->stats().items_done.load()));
    line("# TYPE tekser_refresh_triggers_total counter");
    line("tekser_refresh_triggers_total " + std::to_string(runner->stats().triggers.load()));
  }
  if (dispatcher) {
    const auto& s = dispatcher->stats();
    line("# TYPE tekser_deliveries_total counter");
    line("tekser_deliveries_total{result=\"delivered\"} " + std::to_string(s.delivered.load()));
    line("tekser_deliveries_total{result=\"retried\"} " + std::to_string(s.retried.load()));
    line("tekser_deliveries_total{result=\"dead\"} " + std::to_string(s.dead.load()));
  }
  return out;
}

// Exchanges not complete: pending ones are under way (or their end is not yet called
// interrupted); interrupted ones never had their end seen — an operator looks into a rise.
std::string prometheus(const store::UnfinishedExchanges& unfinished) {
  return "# HELP tekser_audit_exchanges_unfinished State-system exchanges whose audit row is not "
         "complete, by progress.\n"
         "# TYPE tekser_audit_exchanges_unfinished gauge\n"
         "tekser_audit_exchanges_unfinished{progress=\"pending\"} " +
         std::to_string(unfinished.pending) +
         "\n"
         "tekser_audit_exchanges_unfinished{progress=\"interrupted\"} " +
         std::to_string(unfinished.interrupted) + "\n";
}

// The supplier views served from memory (view_cache.hpp): whether it serves, and how often a
// read found its view there.
std::string prometheus(const SupplierViewCache::Stats& cache) {
  return "# HELP tekser_view_cache_serving 1 while supplier views are served from memory (the "
         "change notices are heard).\n"
         "# TYPE tekser_view_cache_serving gauge\n"
         "tekser_view_cache_serving " +
         std::string(cache.serving ? "1" : "0") +
         "\n"
         "# HELP tekser_view_cache_reads_total Supplier view reads, by whether memory had it.\n"
         "# TYPE tekser_view_cache_reads_total counter\n"
         "tekser_view_cache_reads_total{found=\"memory\"} " +
         std::to_string(cache.hits) + "\ntekser_view_cache_reads_total{found=\"database\"} " +
         std::to_string(cache.misses) +
         "\n"
         "# HELP tekser_view_cache_forgotten_total Changes that made the cache forget a view.\n"
         "# TYPE tekser_view_cache_forgotten_total counter\n"
         "tekser_view_cache_forgotten_total " +
         std::to_string(cache.forgotten) +
         "\n"
         "# TYPE tekser_view_cache_views gauge\n"
         "tekser_view_cache_views " +
         std::to_string(cache.size) + "\n";
}

}  // namespace

bool OperationsApi::handles(const std::vector<std::string>& segments) {
  if (segments == std::vector<std::string>{"metrics"}) return true;
  return segments.size() >= 2 && segments[0] == "v1" &&
         (segments[1] == "refresh-runs" || segments[1] == "triggers");
}

asio::awaitable<net::HttpResponse> OperationsApi::route(const net::HttpRequest& request,
                                                        const std::vector<std::string>& segments,
                                                        boost::urls::params_view params) {
  const auto now = xsd_time::now_ms();
  if (segments.size() == 1) {  // /metrics
    allow(request, http::verb::get);
    auto read = [](pqxx::connection& c) {
      RefreshStore rs(c);
      std::optional<store::RunProgress> progress;
      if (const auto run = rs.running_run()) progress = rs.progress(run->id);
      return std::make_tuple(rs.trigger_counts(), progress, store::AuditStore(c).unfinished());
    };
    const auto [counts, running, unfinished] = co_await db_.run(read);
    net::HttpResponse response{http::status::ok, request.version()};
    response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.body() = prometheus(counts, running, runner_, dispatcher_);
    response.body() += prometheus(unfinished);
    if (health_) response.body() += prometheus(*health_);
    if (view_cache_) response.body() += prometheus(view_cache_->stats());
    response.keep_alive(request.keep_alive());
    co_return response;
  }

  if (segments[1] == "refresh-runs") {
    if (segments.size() == 2 && request.method() == http::verb::post) {
      std::string requested_by = "api";
      if (!request.body().empty()) {
        const auto body = parse_json_object(request.body());
        for (const auto& [key, value] : body.as_object()) {
          if (key != "requested_by")
            throw ApiError{http::status::bad_request, std::string(key), "unknown field"};
          if (!value.is_string() || (value.as_string() != "api" && value.as_string() != "cli"))
            throw ApiError{http::status::bad_request, "requested_by", "must be \"api\" or \"cli\""};
          requested_by = std::string(value.as_string());
        }
      }
      const auto today = xsd_time::format_datetime(now).substr(0, 10);
      const auto* rules = eligibility::rule_set_for(eligibility::shipped_rule_sets(), today);
      if (!rules) throw std::logic_error("no rule set in force on " + today);
      const auto rule_set = rules->id;
      auto start = [requested_by, rule_set](pqxx::connection& c) {
        RefreshStore rs(c);
        auto started = rs.start_run(requested_by, std::nullopt, rule_set);
        return std::make_pair(started.created, rs.progress(started.run.id));
      };
      const auto [created, progress] = co_await db_.run(start);
      auto body = to_json(progress);
      if (!created)
        co_return respond(request, http::status::conflict,
                          json::object{{"error", json::object{{"field", "run"},
                                                              {"reason",
                                                               "a refresh run is already "
                                                               "going on"}}},
                                       {"run", body}});
      co_return respond(request, http::status::accepted, body);
    }
    if (segments.size() == 2) {
      allow(request, http::verb::get);
      auto recent = [](pqxx::connection& c) { return RefreshStore(c).recent_runs(20); };
      json::array runs;
      for (const auto& run : co_await db_.run(recent)) runs.push_back(to_json(run));
      json::object body{{"runs", std::move(runs)}, {"schedule", schedule_.to_string()}};
      if (const auto next = schedule_.next_slot(now)) body["next_scheduled"] = time_text(*next);
      co_return respond(request, http::status::ok, body);
    }
    const long long id = integer_param("id", segments[2], 1, 1LL << 62);
    if (segments.size() == 3) {
      allow(request, http::verb::get);
      auto read = [id](pqxx::connection& c) -> std::optional<store::RunProgress> {
        RefreshStore rs(c);
        if (!rs.find_run(id)) return std::nullopt;
        return rs.progress(id);
      };
      const auto progress = co_await db_.run(read);
      if (!progress) throw not_found("no refresh run " + std::to_string(id));
      co_return respond(request, http::status::ok, to_json(*progress));
    }
    if (segments.size() == 4 && segments[3] == "cancel") {
      allow(request, http::verb::post);
      auto cancel = [id](pqxx::connection& c) -> std::optional<store::RunProgress> {
        RefreshStore rs(c);
        if (!rs.find_run(id)) return std::nullopt;
        rs.cancel_run(id);
        return rs.progress(id);
      };
      const auto progress = co_await db_.run(cancel);
      if (!progress) throw not_found("no refresh run " + std::to_string(id));
      co_return respond(request, http::status::ok, to_json(*progress));
    }
    throw ApiError{http::status::not_found, "path", "no such endpoint"};
  }

  // /v1/triggers
  if (segments.size() == 2) {
    allow(request, http::verb::get);
    store::TriggerFilter filter;
    for (auto param : params) {
      const std::string value(param.value);
      if (param.key == "after")
        filter.after = integer_param("after", value, 0, 1LL << 62);
      else if (param.key == "limit")
        filter.limit = static_cast<int>(integer_param("limit", value, 1, 1000));
      else if (param.key == "supplier")
        filter.supplier_id = value;
      else if (param.key == "status") {
        if (value != "pending" && value != "delivered" && value != "dead")
          throw ApiError{http::status::bad_request, "status",
                         "must be pending, delivered or dead, got '" + value + "'"};
        filter.status = value;
      } else if (param.key == "kind") {
        if (value != "block" && value != "deregister" && value != "unblock" && value != "warning" &&
            value != "review")
          throw ApiError{
              http::status::bad_request, "kind",
              "must be block, deregister, unblock, warning or review, got '" + value + "'"};
        filter.kind = value;
      } else if (param.key == "overdue") {
        if (value != "true" && value != "false")
          throw ApiError{http::status::bad_request, "overdue", "must be true or false"};
        filter.overdue_only = value == "true";
      } else {
        throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
      }
    }
    auto list = [filter](pqxx::connection& c) { return RefreshStore(c).triggers(filter); };
    const auto rows = co_await db_.run(list);
    json::array triggers;
    for (const auto& row : rows) triggers.push_back(to_json(row, now));
    const long long next_after = rows.empty() ? filter.after : rows.back().cursor;
    co_return respond(request, http::status::ok,
                      json::object{{"triggers", std::move(triggers)}, {"next_after", next_after}});
  }
  const std::string id = segments[2];
  if (segments.size() == 3) {
    allow(request, http::verb::get);
    auto find = [id](pqxx::connection& c) { return RefreshStore(c).find_trigger(id); };
    const auto row = co_await db_.run(find);
    if (!row) throw not_found("no trigger " + id);
    co_return respond(request, http::status::ok, to_json(*row, now));
  }
  if (segments.size() == 4 && segments[3] == "replay") {
    allow(request, http::verb::post);
    auto replay = [id](pqxx::connection& c) -> std::pair<bool, std::optional<store::TriggerRow>> {
      RefreshStore rs(c);
      const bool replayed = rs.replay(id);
      return {replayed, rs.find_trigger(id)};
    };
    const auto [replayed, row] = co_await db_.run(replay);
    if (!row) throw not_found("no trigger " + id);
    if (!replayed)
      throw ApiError{http::status::conflict, "status",
                     "only a dead letter can be replayed; this trigger is " + row->status};
    co_return respond(request, http::status::ok, to_json(*row, now));
  }
  throw ApiError{http::status::not_found, "path", "no such endpoint"};
}

}  // namespace tekser::api
