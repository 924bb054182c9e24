#include "gateway/api/portal_api.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "common/identity/identity.hpp"
#include "gateway/api/audit.hpp"
#include "gateway/api/commission.hpp"
#include "gateway/api/dry_run.hpp"
#include "gateway/api/evidence.hpp"
#include "gateway/api/exchanges.hpp"
#include "gateway/api/input.hpp"
#include "gateway/api/json.hpp"
#include "gateway/api/operations.hpp"
#include "gateway/api/published.hpp"
#include "gateway/api/rederive.hpp"
#include "gateway/api/reply.hpp"
#include "gateway/api/request_id.hpp"
#include "gateway/api/resilience_view.hpp"
#include "gateway/api/rule_sets.hpp"
#include "gateway/api/ui.hpp"
#include "gateway/api/view_json.hpp"
#include "gateway/eligibility/dates.hpp"
#include "gateway/eligibility/eligibility.hpp"
#include "gateway/store/known_at.hpp"
#include "gateway/verify/eligibility_input.hpp"
#include "gateway/verify/exchange_audit.hpp"

namespace tekser::api {

net::HttpResponse respond(const net::HttpRequest& request, boost::beast::http::status status,
                          const boost::json::value& body) {
  return respond_json_text(request, status, boost::json::serialize(body));
}

net::HttpResponse respond_json_text(const net::HttpRequest& request,
                                    boost::beast::http::status status, std::string body) {
  namespace http = boost::beast::http;
  net::HttpResponse response{status, request.version()};
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  response.keep_alive(request.keep_alive());
  return response;
}

long long integer_param(std::string_view name, std::string_view text, long long min,
                        long long max) {
  long long value = 0;
  std::size_t used = 0;
  try {
    value = std::stoll(std::string(text), &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < min || value > max)
    throw ApiError{boost::beast::http::status::bad_request, std::string(name),
                   "must be an integer " + std::to_string(min) + ".." + std::to_string(max) +
                       ", got '" + std::string(text) + "'"};
  return value;
}

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

identity::Identifier parse_id(std::string_view text) {
  auto parsed = identity::parse(text);
  if (!parsed) throw ApiError{http::status::bad_request, "id", parsed.error};
  return *parsed.identifier;
}

// ?systems=gbd_ul,kgd&max_age_seconds=3600
verify::Options verify_options(const boost::urls::params_view& params,
                               const std::vector<std::string>& known) {
  verify::Options options;
  for (auto param : params) {
    const std::string value(param.value);
    if (param.key == "systems") {
      options.systems.emplace();
      for (const auto& name : comma_separated(value)) {
        if (std::find(known.begin(), known.end(), name) == known.end())
          throw ApiError{http::status::bad_request, "systems",
                         "unknown system '" + name + "' (one of: " + joined(known) + ")"};
        options.systems->insert(name);
      }
    } else if (param.key == "max_age_seconds") {
      std::size_t used = 0;
      long long seconds = -1;
      try {
        seconds = std::stoll(value, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != value.size() || seconds < 0)
        throw ApiError{http::status::bad_request, "max_age_seconds",
                       "must be a non-negative integer, got '" + value + "'"};
      options.max_age = std::chrono::seconds(seconds);
    } else {
      throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
    }
  }
  return options;
}

// Facts whose source is down are served as they are, marked stale with the reason.
json::object to_json(const SupplierView& view, const resilience::SourceHealth* health) {
  return view_to_json(view, xsd_time::now_ms(), stale_sources(view.sources, health));
}

// The day a verdict judges (?as_of=YYYY-MM-DD, today when absent) and the moment whose knowledge
// it rests on: now for today, the end of the day in Almaty for a day gone by.
struct AsOf {
  std::string date;
  xsd_time::TimePoint known_at{};
  bool past = false;  // judged from the history, not the current facts
  const eligibility::RuleSet* rules = nullptr;
};

AsOf resolve_as_of(const std::optional<std::string>& text, xsd_time::TimePoint now) {
  const auto today = xsd_time::format_datetime(now).substr(0, 10);  // the date in Almaty (+05:00)
  AsOf out{today, now, false, nullptr};
  if (text) {
    if (text->size() != 10 || !xsd_time::normalize_date(*text))
      throw ApiError{http::status::bad_request, "as_of",
                     "must be a date YYYY-MM-DD, got '" + *text + "'"};
    if (*text > today)
      throw ApiError{http::status::unprocessable_entity, "as_of",
                     *text + " is in the future (today is " + today +
                         " in Almaty): what will be known then is not known yet"};
    if (*text < today) out = {*text, eligibility::end_of_day_in_almaty(*text), true, nullptr};
  }
  const auto& sets = eligibility::shipped_rule_sets();
  out.rules = eligibility::rule_set_for(sets, out.date);
  if (!out.rules) {
    if (!text) throw std::logic_error("no eligibility rule set in force on " + today);
    throw ApiError{http::status::unprocessable_entity, "as_of",
                   eligibility::no_rule_set_reason(sets, out.date)};
  }
  return out;
}

// The verdicts of the rule set in force on the day for each category, from the facts known then.
json::object eligibility_json(const store::SupplierRecord& supplier,
                              const std::vector<store::StoredFact>& facts,
                              const std::vector<store::SourceStatus>& sources,
                              const std::vector<std::string>& categories,
                              const resilience::SourceHealth* health, const AsOf& as_of) {
  const auto& rules = *as_of.rules;
  // Validity (valid_until) is judged at the moment known: the end of a day gone by.
  auto input = verify::eligibility_input(supplier, facts, sources, as_of.known_at);

  json::array verdicts;
  for (const auto& category : categories) {
    input.category = category;
    verdicts.push_back(api::to_json(eligibility::evaluate(rules, input)));
  }
  json::object out{{"id", supplier.id},
                   {"evaluated_at", xsd_time::format_utc(xsd_time::now_ms())},
                   {"as_of", as_of.date},
                   {"facts_known_at", xsd_time::format_utc(as_of.known_at)},
                   {"rule_set", rules.id},
                   {"legal_basis", rules.legal_basis},
                   {"rule_set_dates", rule_set_dates_json(rules)},
                   {"verdicts", std::move(verdicts)}};
  // A day gone by: whether a source was down then is its answers' word, not today's breakers.
  mark_stale_evidence(out, stale_sources(sources, as_of.past ? nullptr : health));
  return out;
}

}  // namespace

namespace {

// One read-only transaction: the supplier, its facts and its sources as of one moment (a verify
// committing in between never shows new facts beside old source answers). None: not registered.
std::optional<SupplierView> read_supplier_view(pqxx::connection& c, const std::string& id) {
  pqxx::read_transaction txn(c, "tekser_supplier_view");
  auto supplier = store::Store::find_supplier(txn, id);
  if (!supplier) return std::nullopt;
  auto facts = store::Store::current_facts(txn, id);
  auto sources = store::Store::source_statuses(txn, id);
  return SupplierView{std::move(*supplier), std::move(facts), std::move(sources), nullptr};
}

// Which views a request may change: a write under /v1/suppliers/{id} that supplier's, facts
// re-derive every supplier's; reads and the other routes none (kept facts and answers change
// only through these, and through the refresh, which says so itself).
std::string changed_by(http::verb method, const std::vector<std::string>& segments) {
  if (method == http::verb::get || method == http::verb::head) return {};
  if (segments.size() >= 3 && segments[0] == "v1" && segments[1] == "suppliers") return segments[2];
  if (is_rederive_route(segments)) return kAllSuppliers;
  return {};
}

}  // namespace

asio::awaitable<std::shared_ptr<const SupplierView>> PortalApi::current_view(
    const std::string& id) {
  if (view_cache_)
    if (auto kept = view_cache_->find(id)) co_return kept;
  const auto epoch = view_cache_ ? view_cache_->epoch() : 0;
  auto read = [&id](pqxx::connection& c) { return read_supplier_view(c, id); };
  auto view = co_await db_.run(read);
  if (!view) co_return nullptr;
  auto built = std::make_shared<SupplierView>(std::move(*view));
  built->rendered = std::make_shared<const RenderedView>(render_view(*built));
  std::shared_ptr<const SupplierView> shared = std::move(built);
  if (view_cache_) view_cache_->keep(id, shared, epoch);
  co_return shared;
}

asio::awaitable<net::HttpAction> PortalApi::handle(net::HttpRequest request) {
  const auto started = std::chrono::steady_clock::now();
  net::HttpAction action;
  std::string failure;
  std::string client;   // who asked, for the log
  std::string refused;  // why access was refused, for the log
  // What a request that may write makes the view cache forget (after it, whatever its outcome):
  // a supplier's id, kAllSuppliers, or nothing.
  std::string changes;
  // Set on the request for whoever records what it causes (audit_context), returned and logged.
  const auto request_id = request_id_of(request);
  request.set(kRequestIdHeader, request_id.id);
  try {
    if (!request_id.problem.empty())
      throw ApiError{http::status::bad_request, std::string(kRequestIdHeader), request_id.problem};
    // Who asked is the gatekeeper's word alone, never a client's header.
    request.erase(access::kAuthenticatedClientHeader);
    const auto gatekeeper = this->gatekeeper();
    if (!gatekeeper->certificate_identity()) {
      // Only a TLS listener vouches for these; on plain HTTP they would be a client's claim.
      request.erase(access::kClientCertificateSha256Header);
      request.erase(access::kClientCertificateSubjectHeader);
    }
    auto url = boost::urls::parse_origin_form(request.target());
    if (!url) throw ApiError{http::status::bad_request, "target", "not a valid request target"};
    std::vector<std::string> segments;
    for (auto s : url->segments()) segments.push_back(s);
    const auto decision = gatekeeper->decide(
        request.method(), segments,
        {request[http::field::authorization], request[access::kClientCertificateSha256Header]});
    client = decision.client_id;
    if (decision.allowed) {
      if (!client.empty()) request.set(access::kAuthenticatedClientHeader, client);
      changes = changed_by(request.method(), segments);
      action.response = co_await route(request);
    } else {
      refused = decision.reason;
      action.response =
          respond(request, decision.status, error_body(decision.field, decision.reason));
      if (!decision.www_authenticate.empty())
        action.response.set(http::field::www_authenticate, decision.www_authenticate);
    }
  } catch (const ApiError& e) {
    action.response = respond(request, e.status, error_body(e.field, e.reason));
  } catch (const pqxx::broken_connection& e) {
    failure = e.what();
    action.response = respond(request, http::status::service_unavailable,
                              error_body("database", "the database is not reachable"));
  } catch (const store::PoolWaitTimeout& e) {
    failure = e.what();
    action.response =
        respond(request, http::status::service_unavailable,
                error_body("database", "busy: no database connection became free in time"));
  } catch (const store::StatementTimeout& e) {
    failure = e.what();
    action.response =
        respond(request, http::status::service_unavailable,
                error_body("database", "busy: a database statement ran past its timeout"));
  } catch (const std::exception& e) {
    failure = e.what();
    action.response =
        respond(request, http::status::internal_server_error, error_body("", "internal error"));
  }
  // Before the response leaves: whoever reads next on this replica reads what was written.
  if (!changes.empty() && view_cache_) view_cache_->forget(changes);
  // Paths carry BINs/IINs: the log keeps only their masked form.
  std::string target(request.target());
  if (auto pos = target.find("/suppliers/"); pos != std::string::npos && target.size() >= pos + 23)
    target.replace(pos + 11, 12, identity::mask(target.substr(pos + 11, 12)));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  action.response.set(kRequestIdHeader, request_id.id);
  json::object fields{{"method", std::string(request.method_string())},
                      {"target", target},
                      {"status", action.response.result_int()},
                      {"duration_ms", ms},
                      {"request_id", request_id.id}};
  if (!client.empty()) fields["client"] = client;
  if (!refused.empty()) fields["refused"] = refused;
  if (!failure.empty()) {
    fields["error"] = failure;
    log_.error("request", std::move(fields));
  } else {
    log_.info("request", std::move(fields));
  }
  co_return action;
}

asio::awaitable<net::HttpResponse> PortalApi::route(const net::HttpRequest& request) {
  auto url = boost::urls::parse_origin_form(request.target());
  if (!url) throw ApiError{http::status::bad_request, "target", "not a valid request target"};
  check_target_text(*url);
  std::vector<std::string> segments;
  for (auto s : url->segments()) segments.push_back(s);
  const auto method = request.method();
  auto allow = [&](std::initializer_list<http::verb> verbs) {
    for (auto v : verbs)
      if (v == method) return;
    std::string names;
    for (auto v : verbs) names += (names.empty() ? "" : ", ") + std::string(http::to_string(v));
    throw ApiError{
        http::status::method_not_allowed, "method",
        std::string(request.method_string()) + " is not allowed here (allowed: " + names + ")"};
  };

  if (segments == std::vector<std::string>{"healthz"}) {
    allow({http::verb::get});
    co_return respond(request, http::status::ok, json::object{{"status", "ok"}});
  }
  // Ready while the database answers, whatever the state systems do: with a source down the
  // gateway still serves the stored facts (marked stale), so only the database makes it 503.
  // Each source's breaker is listed either way.
  if (segments == std::vector<std::string>{"readyz"}) {
    allow({http::verb::get});
    // Asked on a connection of its own (readiness_db_), never queued behind a refresh's work, and
    // bounded by its own short timeouts. Why the database is not ready goes to the log only: an
    // anonymous caller learns ready or not, never the database's host or error text.
    auto& probe_db = readiness_db_ ? *readiness_db_ : db_;
    bool database_ok = true;
    try {
      co_await probe_db.run([](pqxx::connection& c) { pqxx::nontransaction(c).exec("SELECT 1"); });
    } catch (const std::exception& e) {
      database_ok = false;
      log_.error("readiness_database",
                 {{"error", e.what()}, {"request_id", std::string(request[kRequestIdHeader])}});
    }
    json::object body{{"status", database_ok ? "ready" : "not_ready"}};
    // The details (the database's state, each source's breaker) only for a client that may read
    // /metrics, which says as much.
    const auto metrics = gatekeeper()->decide(
        http::verb::get, {"metrics"},
        {request[http::field::authorization], request[access::kClientCertificateSha256Header]});
    if (metrics.allowed) {
      json::array sources;
      if (const auto* health = verifier_.guards().health) sources = sources_json(*health);
      body["database"] = database_ok ? "ok" : "unavailable";
      body["sources"] = std::move(sources);
    }
    co_return respond(request, database_ok ? http::status::ok : http::status::service_unavailable,
                      std::move(body));
  }
  if (is_ui_route(segments)) co_return ui_route(request, segments);  // the operator's page
  if (segments == std::vector<std::string>{"v1", "rule-sets"}) {
    allow({http::verb::get});
    const auto today = xsd_time::format_datetime(xsd_time::now_ms()).substr(0, 10);
    co_return respond(request, http::status::ok,
                      rule_sets_json(eligibility::shipped_rule_sets(), today));
  }
  // A rule set not yet in force over every watched supplier's current facts: what would change.
  // Reads only; one snapshot; the candidate's errors name its field.
  if (segments == std::vector<std::string>{"v1", "rule-sets", "dry-run"}) {
    allow({http::verb::post});
    int limit = 100;
    for (const auto& param : url->params()) {
      if (param.key == "limit")
        limit = static_cast<int>(integer_param("limit", param.value, 1, 10'000));
      else
        throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
    }
    std::shared_ptr<eligibility::RuleSet> candidate;
    try {
      candidate = std::make_shared<eligibility::RuleSet>(
          eligibility::parse_rule_set(request.body(), "rule_set"));
    } catch (const eligibility::RuleSetError& e) {
      // "rule_set: triggers.block[0].requirement: no requirement 'p15.9'" -> field, reason
      const std::string what = e.what();
      const auto field_at = what.find(": ");
      const auto reason_at = what.find(": ", field_at + 2);
      if (field_at == std::string::npos || reason_at == std::string::npos)
        throw ApiError{http::status::bad_request, "rule_set", what};
      throw ApiError{http::status::bad_request,
                     "rule_set." + what.substr(field_at + 2, reason_at - field_at - 2),
                     what.substr(reason_at + 2)};
    }
    const auto now = xsd_time::now_ms();
    const auto today = xsd_time::format_datetime(now).substr(0, 10);
    const auto* in_force = eligibility::rule_set_for(eligibility::shipped_rule_sets(), today);
    if (!in_force)
      throw ApiError{http::status::conflict, "rule_set", "no rule set is in force today"};
    auto compare_all = [in_force, candidate, now, limit](pqxx::connection& c) {
      return dry_run(c, *in_force, *candidate, now, limit);
    };
    co_return respond(request, http::status::ok, co_await db_.run(compare_all));
  }
  if (is_published_route(segments)) co_return published_route(request, segments);
  if (is_rederive_route(segments))
    co_return co_await rederive_route(db_, request, url->params(), facts_valid_for_);
  if (is_audit_route(segments)) co_return co_await audit_route(db_, request, url->params());
  if (is_exchanges_route(segments)) co_return co_await exchanges_route(db_, request, url->params());
  if (is_evidence_route(segments))
    co_return co_await evidence_route(db_, request, segments, url->params());
  if (operations_ && OperationsApi::handles(segments))
    co_return co_await operations_->route(request, segments, url->params());
  if (segments.size() < 3 || segments[0] != "v1" || segments[1] != "suppliers" ||
      segments.size() > 4)
    throw ApiError{http::status::not_found, "target", "no such resource"};

  const auto id = parse_id(segments[2]);
  // Named closures passed as lvalues: see DbPool::run on g++ 12.
  auto read_view = [supplier_id = id.digits](pqxx::connection& c) {
    return read_supplier_view(c, supplier_id);
  };
  auto find_supplier = [supplier_id = id.digits](pqxx::connection& c) {
    return store::Store(c).find_supplier(supplier_id);
  };
  auto not_found = [&] {
    return ApiError{http::status::not_found, "id",
                    "supplier " + id.digits + " is not registered (PUT it first)"};
  };

  if (segments.size() == 3) {
    allow({http::verb::get, http::verb::put});
    if (method == http::verb::put) {
      const auto content_type = request[http::field::content_type];
      if (!content_type.empty() && content_type.find("json") == std::string_view::npos)
        throw ApiError{http::status::unsupported_media_type, "content-type",
                       "expected application/json"};
      auto upsert = [record = parse_supplier(id, request.body())](pqxx::connection& c) {
        return store::Store(c).upsert_supplier(record);
      };
      const bool created = co_await db_.run(upsert);
      auto view = co_await db_.run(read_view);
      if (!view) throw not_found();
      co_return respond(
          request, created ? http::status::created : http::status::ok,
          json::object{{"created", created}, {"supplier", api::to_json(view->supplier)}});
    }
    const auto view = co_await current_view(id.digits);
    if (!view) throw not_found();
    // Written from the view's fixed parts: only the moving fields are made per read.
    co_return respond_json_text(
        request, http::status::ok,
        write_view(*view->rendered, xsd_time::now_ms(),
                   stale_sources(view->sources, verifier_.guards().health)));
  }

  if (segments[3] == "verify") {
    allow({http::verb::post});
    auto options = verify_options(url->params(), verifier_.systems());
    options.audit = audit_context(request, kVerifyPurpose);
    auto supplier = co_await db_.run(find_supplier);
    if (!supplier) throw not_found();
    auto report = co_await verifier_.verify(*supplier, options);
    // The view as the verification's own transaction left it; read it only when it did not.
    std::optional<SupplierView> view;
    if (report.committed)
      view = SupplierView{std::move(report.committed->supplier), std::move(report.committed->facts),
                          std::move(report.committed->sources), nullptr};
    else
      view = co_await db_.run(read_view);
    if (!view) throw not_found();
    auto body = to_json(*view, verifier_.guards().health);
    json::array asked;
    for (const auto& r : report.results) asked.push_back(api::to_json(r));
    json::array skipped;
    for (const auto& k : report.skipped)
      skipped.push_back(json::object{{"system", k.system}, {"reason", k.reason}});
    body["verification"] = json::object{{"asked", std::move(asked)},
                                        {"skipped", std::move(skipped)},
                                        {"facts_changed", report.summary.facts_changed},
                                        {"facts_confirmed", report.summary.facts_confirmed},
                                        // Decided from the new evidence and queued with it
                                        // (block, unblock, warning), as a refresh item's are.
                                        {"triggers_queued", report.triggers_queued}};
    co_return respond(request, http::status::ok, body);
  }

  if (segments[3] == "eligibility") {
    allow({http::verb::get});
    std::optional<std::string> category;
    std::optional<std::string> as_of_text;
    for (auto param : url->params()) {
      if (param.key == "as_of") {
        as_of_text = std::string(param.value);
        continue;
      }
      if (param.key != "category")
        throw ApiError{http::status::bad_request, std::string(param.key), "unknown parameter"};
      category = std::string(param.value);
      if (!is_category(*category))
        throw ApiError{http::status::bad_request, "category",
                       "unknown category '" + *category + "' (one of: " + category_list() + ")"};
    }
    const auto as_of = resolve_as_of(as_of_text, xsd_time::now_ms());
    std::shared_ptr<const SupplierView> view;
    if (as_of.past) {
      // The facts and the sources' answers as known at the end of that day (the history).
      auto read_known = [supplier_id = id.digits,
                         at = as_of.known_at](pqxx::connection& c) -> std::optional<SupplierView> {
        auto supplier = store::Store(c).find_supplier(supplier_id);
        if (!supplier) return std::nullopt;
        auto known = store::known_at(c, supplier_id, at);
        return SupplierView{std::move(*supplier), std::move(known.facts), std::move(known.sources),
                            nullptr};
      };
      if (auto known = co_await db_.run(read_known))
        view = std::make_shared<const SupplierView>(std::move(*known));
    } else {
      view = co_await current_view(id.digits);
    }
    if (!view) throw not_found();
    std::vector<std::string> categories =
        category ? std::vector<std::string>{*category} : view->supplier.categories;
    co_return respond(request, http::status::ok,
                      eligibility_json(view->supplier, view->facts, view->sources, categories,
                                       verifier_.guards().health, as_of));
  }

  if (segments[3] == "power-of-attorney") {
    allow({http::verb::post});
    if (!poa_checker_)
      throw ApiError{http::status::service_unavailable, "enis", "ЕНИС is not configured"};
    const auto body = parse_json_object(request.body());
    refuse_unknown_keys(body.as_object(), {"representative_iin", "number"}, "");
    adapters::enis::PoaQuery query;
    query.principal_id = id.digits;
    query.representative_iin =
        required_string(body.as_object(), "representative_iin", "representative_iin");
    if (auto rep = identity::parse_as(query.representative_iin, identity::SubjectKind::individual);
        !rep)
      throw ApiError{http::status::bad_request, "representative_iin", rep.error};
    query.number = required_string(body.as_object(), "number", "number");
    auto audit = audit_context(request, kPowerOfAttorneyPurpose);
    audit.related_subject = query.representative_iin;
    auto supplier = co_await db_.run(find_supplier);
    if (!supplier) throw not_found();

    // Audited before the request leaves (exchange_audit.hpp); record_verification completes it.
    auto auditor = std::make_shared<verify::StoreExchangeAudit>(db_, audit, std::string());
    auto checking = poa_checker_->check(query, auditor);
    auto answer = co_await std::move(checking);
    store::VerificationWrite write;
    write.supplier_id = id.digits;
    write.audit = std::move(audit);
    if (auto entry = verify::to_log_entry(id.digits, answer)) write.messages.push_back(*entry);
    write.results.push_back(answer.result);
    auto record = [write = std::move(write)](pqxx::connection& c) {
      return store::Store(c).record_verification(write);
    };
    co_await db_.run(record);

    json::object out{{"source", api::to_json(answer.result)}};
    out["power_of_attorney"] = nullptr;
    out["assessment"] = nullptr;
    for (const auto& f : answer.result.facts) {
      if (f.name != "power_of_attorney") continue;
      const auto today = xsd_time::format_datetime(xsd_time::now_ms()).substr(0, 10);
      const auto assessment = adapters::enis::assess(f.value, today);
      out["power_of_attorney"] =
          json::object{{"value", f.value}, {"provenance", api::to_json(f.provenance)}};
      out["assessment"] =
          json::object{{"valid", assessment.valid}, {"reason", assessment.reason}, {"on", today}};
    }
    co_return respond(request, http::status::ok, out);
  }

  if (segments[3] == "commission-decisions")
    co_return co_await commission_route(db_, verifier_.trigger_queue(), request, id.digits);

  if (segments[3] == "history") {
    allow({http::verb::get});
    auto read_history =
        [supplier_id =
             id.digits](pqxx::connection& c) -> std::optional<std::vector<store::HistoryEntry>> {
      store::Store store(c);
      if (!store.find_supplier(supplier_id)) return std::nullopt;
      return store.history(supplier_id, 500);
    };
    auto entries = co_await db_.run(read_history);
    if (!entries) throw not_found();
    json::array out;
    for (const auto& e : *entries) out.push_back(api::to_json(e));
    co_return respond(request, http::status::ok,
                      json::object{{"id", id.digits}, {"history", std::move(out)}});
  }
  throw ApiError{http::status::not_found, "target", "no such resource"};
}

}  // namespace tekser::api
