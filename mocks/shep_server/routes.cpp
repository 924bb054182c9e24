#include "mocks/shep_server/routes.hpp"

#include <chrono>
#include <variant>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "common/identity/identity.hpp"

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

// An admin request body: {"service_id": "...", "mode": "...", "count": N}.
std::variant<FaultRule, std::string> parse_fault_rule(std::string_view body,
                                                      const SyncChannel& channel) {
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::string("body must be a JSON object");
  const auto& object = value.as_object();
  for (const auto& field : object) {
    if (field.key() != "service_id" && field.key() != "mode" && field.key() != "count")
      return "unknown field \"" + std::string(field.key()) + "\"";
  }
  FaultRule rule;
  const auto* service = object.if_contains("service_id");
  if (!service || !service->is_string()) return std::string("\"service_id\" (string) is required");
  rule.service_id = std::string(service->as_string());
  if (!channel.serves(rule.service_id))
    return "service_id '" + rule.service_id + "' is not served by these mocks";
  const auto* mode = object.if_contains("mode");
  if (!mode || !mode->is_string()) return std::string("\"mode\" (string) is required");
  auto parsed = parse_fault_mode(mode->as_string());
  if (!parsed)
    return "mode '" + std::string(mode->as_string()) +
           "' is not one of http_503, soap_fault, status_error, timeout, malformed, reset";
  rule.mode = *parsed;
  if (const auto* count = object.if_contains("count"); count && !count->is_null()) {
    if (!count->is_int64() || count->as_int64() < 1 || count->as_int64() > 1'000'000)
      return std::string("\"count\" must be a positive integer");
    rule.remaining = static_cast<int>(count->as_int64());
  }
  return rule;
}

json::object to_json(const FaultRule& rule) {
  json::object out;
  out["service_id"] = rule.service_id;
  out["mode"] = to_string(rule.mode);
  if (rule.remaining)
    out["count"] = *rule.remaining;
  else
    out["count"] = nullptr;
  return out;
}

}  // namespace

HttpAction MockRoutes::handle(const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  SoapReply soap;
  HttpAction action;
  try {
    action = route(request, soap);
  } catch (const std::exception& e) {
    log_.error("request_failed", {{"target", std::string(request.target())}, {"error", e.what()}});
    const auto path = std::string_view(request.target()).substr(0, request.target().find('?'));
    if (is_sync_channel(path)) {
      soap = SyncChannel::internal_fault(e.what());
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
  if (!soap.service_id.empty()) fields["service_id"] = soap.service_id;
  if (!soap.subject.empty()) fields["subject"] = identity::mask(soap.subject);
  if (!soap.outcome.empty()) fields["outcome"] = soap.outcome;
  if (action.kind != HttpAction::Kind::respond)
    fields["action"] = action.kind == HttpAction::Kind::hold ? "hold" : "reset";
  log_.info("request", std::move(fields));
  return action;
}

HttpAction MockRoutes::route(const HttpRequest& request, SoapReply& soap) {
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
    soap = channel_.handle(request.body());
    switch (soap.action) {
      case SoapReply::Action::hold:
        return HttpAction{HttpAction::Kind::hold, {}};
      case SoapReply::Action::reset:
        return HttpAction{HttpAction::Kind::reset, {}};
      case SoapReply::Action::respond:
        break;
    }
    return respond(make_response(static_cast<http::status>(soap.http_status), version,
                                 soap.content_type, soap.body));
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
  if (path.starts_with("/admin/")) {
    JournalFilter filter;
    std::optional<std::string> service_param;
    for (const auto& param : target->params()) {
      if (param.key == "subject") filter.subject = std::string(param.value);
      if (param.key == "service_id") filter.service_id = service_param = std::string(param.value);
    }
    return respond(admin(request, path, filter, service_param));
  }
  return respond(json_error(http::status::not_found, version, "no such endpoint: " + path));
}

HttpResponse MockRoutes::admin(const HttpRequest& request, std::string_view path,
                               const JournalFilter& filter,
                               std::optional<std::string> service_param) {
  const unsigned version = request.version();
  const auto method = request.method();
  if (path == "/admin/faults") {
    if (method == http::verb::post) {
      auto parsed = parse_fault_rule(request.body(), channel_);
      if (auto* problem = std::get_if<std::string>(&parsed))
        return json_error(http::status::bad_request, version, *problem);
      auto rule = std::get<FaultRule>(std::move(parsed));
      auto reply = to_json(rule);
      log_.info("fault_set", reply);
      faults_.set(std::move(rule));
      return json_response(http::status::ok, version, reply);
    }
    if (method == http::verb::delete_) {
      const auto cleared = faults_.clear(service_param);
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
  if (path == "/admin/journal") {
    if (method == http::verb::get) {
      json::array entries;
      for (const auto& entry : journal_.find(filter)) entries.push_back(to_json(entry));
      return json_response(http::status::ok, version, entries);
    }
    if (method == http::verb::delete_)
      return json_response(http::status::ok, version, json::object{{"cleared", journal_.clear()}});
    return json_error(http::status::method_not_allowed, version, "use GET or DELETE");
  }
  if (path == "/admin/journal/count") {
    if (method != http::verb::get)
      return json_error(http::status::method_not_allowed, version, "use GET");
    return json_response(http::status::ok, version,
                         json::object{{"count", journal_.count(filter)}});
  }
  return json_error(http::status::not_found, version,
                    "no such admin endpoint: " + std::string(path));
}

}  // namespace tekser::mocks
