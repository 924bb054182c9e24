#include "mocks/shep_server/routes.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <variant>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "common/identity/identity.hpp"
#include "common/time/xsd_time.hpp"
#include "mocks/rest/rest.hpp"
#include "mocks/shep_server/fault_replies.hpp"

namespace tekser::mocks {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

HttpResponse make_response(http::status status, unsigned version, std::string_view content_type,
                           std::string body) {
  HttpResponse response{status, version};
  response.set(http::field::server, "tekser-mocks");
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

HttpResponse json_response(http::status status, unsigned version, const json::value& body) {
  return make_response(status, version, "application/json", json::serialize(body));
}

HttpResponse json_error(http::status status, unsigned version, std::string message) {
  return json_response(status, version, json::object{{"error", std::move(message)}});
}

bool is_sync_channel(std::string_view path) {
  return path == kSyncChannelPath ||
         path == kSyncChannelPath.substr(0, kSyncChannelPath.size() - 1) ||
         path == kSyncChannelAlias;
}

// {"error": "<field>: <reason>", "field": "<field>"}
HttpResponse admin_error(http::status status, unsigned version, const AdminError& error) {
  return json_response(status, version,
                       json::object{{"error", error.message()}, {"field", error.field}});
}

std::string_view action_name(HttpAction::Kind kind) {
  switch (kind) {
    case HttpAction::Kind::respond:
      return "respond";
    case HttpAction::Kind::hold:
      return "hold";
    case HttpAction::Kind::reset:
      return "reset";
    case HttpAction::Kind::close:
      return "close";
  }
  return "unknown";
}

// The query parameters that name the subject of a REST register lookup (goszakup's
// supplier_biin, Samruk-Kazyna's bin_iin, and the plain spellings).
constexpr std::string_view kSubjectParams[] = {"supplier_biin", "bin_iin", "biin", "bin", "iin"};

// What a REST handler's reply says about the request, for the journal.
void note_rest_reply(const HttpResponse& response, JournalEntry& entry) {
  const auto status = response.result_int();
  if (status / 100 == 2) {
    entry.validation = "valid";
    entry.outcome = "answered";
    return;
  }
  if (status / 100 == 4) {
    entry.validation = "invalid";
    entry.outcome = status == 401 ? "unauthorized" : "rejected";
    boost::system::error_code ec;
    const auto body = json::parse(response.body(), ec);
    const json::value* message = nullptr;
    if (!ec && body.is_object()) message = body.as_object().if_contains("message");
    entry.violations = {message && message->is_string() ? std::string(message->as_string())
                                                        : "HTTP " + std::to_string(status)};
    return;
  }
  entry.outcome = "http_" + std::to_string(status);
}

// A REST reply replaced or altered by an injected fault.
HttpAction rest_fault_action(const InjectedFault& fault, unsigned version,
                             const std::function<HttpResponse()>& real_reply) {
  HttpAction action;
  switch (fault.mode) {
    case FaultMode::timeout:
      action.kind = HttpAction::Kind::hold;
      break;
    case FaultMode::reset:
      action.kind = HttpAction::Kind::reset;
      break;
    case FaultMode::empty:
      action.kind = HttpAction::Kind::close;
      break;
    case FaultMode::empty_body:
      action.response = make_response(http::status::ok, version, "application/json", "");
      break;
    case FaultMode::malformed:
      action.response =
          make_response(http::status::ok, version, "application/json", garbage_json_reply());
      break;
    case FaultMode::http_500:
      action.response = json_response(
          http::status::internal_server_error, version,
          json::object{{"error", "internal_error"},
                       {"message", "Internal server error (a fault set in tekser-mocks)"}});
      break;
    case FaultMode::http_503:
      action.response =
          make_response(http::status::service_unavailable, version, "text/html; charset=utf-8",
                        "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
      break;
    case FaultMode::truncated: {
      action.response = real_reply();
      action.response.body() = cut_mid_json(action.response.body());
      break;
    }
    case FaultMode::latency:
      action.response = real_reply();
      break;
    case FaultMode::custom_body:
      action.response = make_response(http::status::ok, version, "application/json", fault.body);
      break;
    case FaultMode::soap_fault:
    case FaultMode::status_error:
    case FaultMode::missing_signature:
    case FaultMode::invalid_signature:
    case FaultMode::other_subject:
    case FaultMode::wrong_correlation:
      // Refused at POST /admin/faults for a REST system; a rule added in code gets the answer.
      action.response = real_reply();
      break;
  }
  action.delay = fault.delay;
  return action;
}

}  // namespace

HttpAction MockRoutes::handle(const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  RequestNote note;
  HttpAction action;
  try {
    action = route(request, note);
  } catch (const std::exception& e) {
    log_.error("request_failed", {{"target", std::string(request.target())}, {"error", e.what()}});
    const auto path = std::string_view(request.target()).substr(0, request.target().find('?'));
    if (is_sync_channel(path)) {
      const auto soap = SyncChannel::internal_fault(e.what());
      action = HttpAction{HttpAction::Kind::respond,
                          make_response(http::status::internal_server_error, request.version(),
                                        soap.content_type, soap.body)};
    } else {
      action = HttpAction{HttpAction::Kind::respond,
                          json_error(http::status::internal_server_error, request.version(),
                                     std::string("internal error: ") + e.what())};
    }
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  json::object fields{
      {"method", std::string(request.method_string())},
      // The path only: admin queries carry subjects in clear.
      {"path",
       std::string(std::string_view(request.target()).substr(0, request.target().find('?')))},
      {"status", action.kind == HttpAction::Kind::respond ? action.response.result_int() : 0},
      {"duration_us", elapsed.count()}};
  if (!note.system.empty()) fields["system"] = note.system;
  if (!note.service_id.empty()) fields["service_id"] = note.service_id;
  if (!note.subject.empty()) fields["subject"] = identity::mask(note.subject);
  if (!note.outcome.empty()) fields["outcome"] = note.outcome;
  if (!note.fault_id.empty()) fields["fault_id"] = note.fault_id;
  if (action.delay.count() > 0) fields["delay_ms"] = action.delay.count();
  if (action.kind != HttpAction::Kind::respond) fields["action"] = action_name(action.kind);
  log_.info("request", std::move(fields));
  return action;
}

HttpAction MockRoutes::route(const HttpRequest& request, RequestNote& note) {
  const unsigned version = request.version();
  auto respond = [](HttpResponse response) {
    return HttpAction{HttpAction::Kind::respond, std::move(response)};
  };
  auto target = boost::urls::parse_origin_form(request.target());
  if (!target)
    return respond(json_error(http::status::bad_request, version, "malformed request target"));
  const std::string path = target->path();

  if (is_sync_channel(path)) {
    // `GET …?wsdl`, as SOAP toolkits ask for the service description.
    if (request.method() == http::verb::get && wsdl_ && target->params().contains("wsdl"))
      return wsdl_(request);
    if (request.method() != http::verb::post)
      return respond(json_error(http::status::method_not_allowed, version,
                                "the SyncChannel accepts POST only (GET ?wsdl for its WSDL)"));
    auto soap = channel_.handle(request.body(), path);
    note = RequestNote{soap.system, soap.service_id, soap.subject, soap.outcome, soap.fault_id};
    HttpAction action;
    action.delay = soap.delay;
    switch (soap.action) {
      case SoapReply::Action::hold:
        action.kind = HttpAction::Kind::hold;
        return action;
      case SoapReply::Action::reset:
        action.kind = HttpAction::Kind::reset;
        return action;
      case SoapReply::Action::close:
        action.kind = HttpAction::Kind::close;
        return action;
      case SoapReply::Action::respond:
        break;
    }
    action.response = make_response(static_cast<http::status>(soap.http_status), version,
                                    soap.content_type, std::move(soap.body));
    return action;
  }

  if (path == "/healthz") {
    if (request.method() != http::verb::get)
      return respond(json_error(http::status::method_not_allowed, version, "use GET"));
    return respond(json_response(http::status::ok, version, json::object{{"status", "ok"}}));
  }

  for (const auto& [prefix, handler] : mounts_) {
    if (path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/'))
      return handler(request);
  }
  for (const auto& [prefix, system, handler] : systems_) {
    if (path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/'))
      return serve_system(system, handler, request, note);
  }
  if (path.starts_with("/admin/")) return respond(admin(request, path));
  return respond(json_error(http::status::not_found, version, "no such endpoint: " + path));
}

HttpAction MockRoutes::serve_system(const std::string& system, const RestHandler& handler,
                                    const HttpRequest& request, RequestNote& note) {
  JournalEntry entry;
  entry.received_at = xsd_time::now_ms();
  entry.system = system;
  entry.service_id = system;
  entry.validation = "not_checked";
  entry.message_id = std::string(request["X-Request-Id"]);
  if (auto target = boost::urls::parse_origin_form(request.target())) {
    entry.path = target->path();
    for (const auto& param : target->params()) {
      const auto* named = std::find(std::begin(kSubjectParams), std::end(kSubjectParams),
                                    std::string_view(param.key));
      if (named != std::end(kSubjectParams) && entry.subject.empty())
        entry.subject = std::string(param.value);
    }
  }
  auto real_reply = [&]() {
    auto response = handler(request);
    note_rest_reply(response, entry);
    return response;
  };
  HttpAction action;
  const auto fault = faults_.take(FaultTarget{system, system, entry.subject, false});
  if (!fault) {
    action.response = real_reply();
  } else {
    action = rest_fault_action(*fault, request.version(), real_reply);
    entry.fault_id = fault->rule_id;
    entry.fault_mode = std::string(to_string(fault->mode));
    entry.latency_ms = fault->delay.count();
    if (fault->mode != FaultMode::latency) entry.outcome = "injected_" + entry.fault_mode;
  }
  note = RequestNote{system, system, entry.subject, entry.outcome, entry.fault_id};
  journal_.record(std::move(entry));
  return action;
}

FaultCatalogue MockRoutes::fault_catalogue() const {
  FaultCatalogue catalogue;
  const auto services = channel_.service_ids();
  for (const auto& service : services)
    catalogue.soap_services.emplace_back(service, channel_.system_of(service));
  for (const auto& mounted : systems_) catalogue.rest_systems.push_back(mounted.system);
  catalogue.reply_signer = channel_.has_reply_signer();
  return catalogue;
}

namespace {

// The query parameters of an admin request, each allowed at most once; any other is refused.
std::variant<std::map<std::string, std::string>, AdminError> read_params(
    const HttpRequest& request, std::initializer_list<std::string_view> allowed) {
  std::map<std::string, std::string> out;
  auto target = boost::urls::parse_origin_form(request.target());
  if (!target) return AdminError{"target", "malformed request target"};
  for (const auto& param : target->params()) {
    const std::string key(param.key);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (const auto name : allowed) known += (known.empty() ? "" : ", ") + std::string(name);
      return AdminError{key, "unknown query parameter" +
                                 (known.empty() ? std::string(" (this endpoint takes none)")
                                                : " (known: " + known + ")")};
    }
    if (!out.emplace(key, std::string(param.value)).second)
      return AdminError{key, "given more than once"};
  }
  return out;
}

std::variant<JournalFilter, AdminError> journal_filter(
    const std::map<std::string, std::string>& params) {
  JournalFilter filter;
  for (const auto& [key, value] : params) {
    if (key == "subject") filter.subject = value;
    if (key == "service_id") filter.service_id = value;
    if (key == "system") filter.system = value;
    if (key == "since") {
      filter.since = xsd_time::parse_datetime(value, true);
      if (!filter.since)
        return AdminError{
            "since",
            "must be a date-time with an offset, e.g. 2026-01-15T10:00:00Z, got '" + value + "'"};
    }
    if (key == "limit") {
      const auto limit = rest::read_int(value, 1, 1'000'000);
      if (!limit) return AdminError{"limit", "must be an integer from 1 to 1000000"};
      filter.limit = static_cast<std::size_t>(*limit);
    }
  }
  return filter;
}

}  // namespace

HttpResponse MockRoutes::admin(const HttpRequest& request, std::string_view path) {
  if (path == "/admin/faults" || path.starts_with("/admin/faults/"))
    return admin_faults(request, path);
  if (path == "/admin/journal" || path == "/admin/journal/count")
    return admin_journal(request, path);
  if (path == "/admin/wire-styles" || path.starts_with("/admin/wire-styles/"))
    return admin_wire_styles(request, path);
  if (path == "/admin/replay") return admin_replay(request);
  return json_error(http::status::not_found, request.version(),
                    "no such admin endpoint: " + std::string(path));
}

HttpResponse MockRoutes::admin_faults(const HttpRequest& request, std::string_view path) {
  const unsigned version = request.version();
  const auto method = request.method();
  if (path.starts_with("/admin/faults/")) {
    // DELETE /admin/faults/{id}
    const auto id = path.substr(std::string_view("/admin/faults/").size());
    if (method != http::verb::delete_)
      return json_error(http::status::method_not_allowed, version, "use DELETE");
    auto params = read_params(request, {});
    if (auto* problem = std::get_if<AdminError>(&params))
      return admin_error(http::status::bad_request, version, *problem);
    if (!faults_.remove(id))
      return json_error(http::status::not_found, version,
                        "no fault rule '" + std::string(id) + "' (GET /admin/faults lists them)");
    log_.info("fault_removed", {{"id", id}});
    return json_response(http::status::ok, version, json::object{{"cleared", 1}});
  }
  if (method == http::verb::post) {
    auto params = read_params(request, {});
    if (auto* problem = std::get_if<AdminError>(&params))
      return admin_error(http::status::bad_request, version, *problem);
    auto parsed = parse_fault_rule(request.body(), fault_catalogue());
    if (auto* problem = std::get_if<AdminError>(&parsed))
      return admin_error(http::status::bad_request, version, *problem);
    auto rule = std::get<FaultRule>(std::move(parsed));
    const auto id = faults_.add(rule);
    // Echo the rule as stored: its id and the seed picked when none was given.
    json::object reply;
    for (const auto& stored : faults_.rules()) {
      if (stored.id == id) reply = to_json(stored);
    }
    if (reply.empty()) {  // a race with DELETE: echo what was asked
      rule.id = id;
      reply = to_json(rule);
    }
    log_.info("fault_set", reply);
    return json_response(http::status::ok, version, reply);
  }
  if (method == http::verb::delete_) {
    auto params = read_params(request, {"service_id", "system"});
    if (auto* problem = std::get_if<AdminError>(&params))
      return admin_error(http::status::bad_request, version, *problem);
    const auto& given = std::get<std::map<std::string, std::string>>(params);
    std::optional<std::string_view> service_id;
    std::optional<std::string_view> system;
    if (auto it = given.find("service_id"); it != given.end()) service_id = it->second;
    if (auto it = given.find("system"); it != given.end()) system = it->second;
    const auto cleared = faults_.clear(service_id, system);
    log_.info("faults_cleared", {{"cleared", cleared}});
    return json_response(http::status::ok, version, json::object{{"cleared", cleared}});
  }
  if (method == http::verb::get) {
    json::array rules;
    for (const auto& rule : faults_.rules()) rules.push_back(to_json(rule));
    return json_response(http::status::ok, version, json::object{{"faults", std::move(rules)}});
  }
  return json_error(http::status::method_not_allowed, version, "use GET, POST or DELETE");
}

// GET lists the defaults and overrides; POST adds an override; DELETE clears them all, or one
// (/admin/wire-styles/{id}).
HttpResponse MockRoutes::admin_wire_styles(const HttpRequest& request, std::string_view path) {
  const auto version = request.version();
  auto& styles = channel_.wire_styles();
  if (path.starts_with("/admin/wire-styles/")) {
    if (request.method() != http::verb::delete_)
      return json_error(http::status::method_not_allowed, version, "use DELETE");
    const auto id = path.substr(std::string_view("/admin/wire-styles/").size());
    if (!styles.remove(id))
      return json_error(http::status::not_found, version,
                        "no wire-style override '" + std::string(id) + "'");
    return json_response(http::status::ok, version, json::object{{"removed", id}});
  }
  switch (request.method()) {
    case http::verb::get:
      return json_response(http::status::ok, version, styles.to_json());
    case http::verb::post: {
      std::vector<std::pair<std::string, std::string>> services;
      for (const auto& id : channel_.service_ids())
        services.emplace_back(id, channel_.system_of(id));
      auto parsed = parse_wire_style_override(request.body(), services);
      if (auto* problem = std::get_if<AdminError>(&parsed))
        return admin_error(http::status::bad_request, version, *problem);
      auto rule = std::get<WireStyleOverride>(std::move(parsed));
      const auto id = styles.add(rule);
      log_.info("wire_style_added", {{"id", id}});
      return json_response(http::status::created, version, json::object{{"id", id}});
    }
    case http::verb::delete_:
      return json_response(http::status::ok, version, json::object{{"cleared", styles.clear()}});
    default:
      return json_error(http::status::method_not_allowed, version, "use GET, POST or DELETE");
  }
}

HttpResponse MockRoutes::admin_journal(const HttpRequest& request, std::string_view path) {
  const unsigned version = request.version();
  const auto method = request.method();
  const bool counting = path == "/admin/journal/count";
  if (method == http::verb::delete_ && !counting) {
    auto params = read_params(request, {});
    if (auto* problem = std::get_if<AdminError>(&params))
      return admin_error(http::status::bad_request, version, *problem);
    return json_response(http::status::ok, version, json::object{{"cleared", journal_.clear()}});
  }
  if (method != http::verb::get)
    return json_error(http::status::method_not_allowed, version,
                      counting ? "use GET" : "use GET or DELETE");
  auto params = read_params(request, {"subject", "service_id", "system", "since", "limit"});
  if (auto* problem = std::get_if<AdminError>(&params))
    return admin_error(http::status::bad_request, version, *problem);
  auto filter = journal_filter(std::get<std::map<std::string, std::string>>(params));
  if (auto* problem = std::get_if<AdminError>(&filter))
    return admin_error(http::status::bad_request, version, *problem);
  const auto& matching = std::get<JournalFilter>(filter);
  if (counting)
    return json_response(http::status::ok, version,
                         json::object{{"count", journal_.count(matching)}});
  json::array entries;
  for (const auto& entry : journal_.find(matching)) entries.push_back(to_json(entry));
  return json_response(http::status::ok, version, entries);
}

// POST /admin/replay {"dir": PATH}: load the recordings of a folder (added to those loaded);
// GET: the folders and recordings; DELETE: forget them all.
HttpResponse MockRoutes::admin_replay(const HttpRequest& request) {
  const unsigned version = request.version();
  auto params = read_params(request, {});
  if (auto* problem = std::get_if<AdminError>(&params))
    return admin_error(http::status::bad_request, version, *problem);
  auto& replay = channel_.replay();
  switch (request.method()) {
    case http::verb::get:
      return json_response(http::status::ok, version, replay.to_json());
    case http::verb::delete_: {
      const auto cleared = replay.clear();
      log_.info("replay_cleared", {{"cleared", cleared}});
      return json_response(http::status::ok, version, json::object{{"cleared", cleared}});
    }
    case http::verb::post: {
      json::error_code ec;
      const auto body = json::parse(request.body(), ec);
      if (ec || !body.is_object())
        return admin_error(http::status::bad_request, version,
                           AdminError{"body", "expected a JSON object {\"dir\": PATH}"});
      for (const auto& [key, value] : body.as_object())
        if (key != "dir")
          return admin_error(http::status::bad_request, version,
                             AdminError{std::string(key), "unknown field (known: dir)"});
      const auto* dir = body.as_object().if_contains("dir");
      if (!dir || !dir->is_string() || dir->as_string().empty())
        return admin_error(http::status::bad_request, version,
                           AdminError{"dir", "required: the folder of recorded replies"});
      try {
        const auto loaded = replay.load(std::string(dir->as_string()));
        log_.info("replay_loaded", {{"dir", dir->as_string()}, {"recordings", loaded}});
        auto out = replay.to_json();
        out["loaded"] = loaded;
        return json_response(http::status::ok, version, out);
      } catch (const ReplayError& e) {
        return admin_error(http::status::bad_request, version, AdminError{"dir", e.what()});
      }
    }
    default:
      return json_error(http::status::method_not_allowed, version, "use GET, POST or DELETE");
  }
}

}  // namespace tekser::mocks
