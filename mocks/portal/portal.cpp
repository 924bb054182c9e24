#include "mocks/portal/portal.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <variant>

#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "common/digest/sha256.hpp"
#include "mocks/portal/signature.hpp"
#include "mocks/rest/rest.hpp"

namespace tekser::mocks::portal {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

std::optional<std::string_view> header(const HttpRequest& request, std::string_view name) {
  const auto found = request.find(name);
  if (found == request.end()) return std::nullopt;
  return found->value();
}

std::optional<std::string> copy(std::optional<std::string_view> text) {
  return text ? std::optional<std::string>(std::string(*text)) : std::nullopt;
}

// "application/json", any parameters (charset) and any case.
bool is_json(std::string_view content_type) {
  auto media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return media.size() == kJson.size() &&
         std::equal(media.begin(), media.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

std::int64_t unix_seconds(xsd_time::TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

// The contract's error body: {"error": {"code", "field", "reason"}}.
HttpResponse error_response(http::status status, unsigned version, std::string_view code,
                            std::string_view field, std::string_view reason) {
  return rest::json_response(
      status, version,
      json::object{{"error", json::object{{"code", code}, {"field", field}, {"reason", reason}}}});
}

// The admin API's error body, as the other mocks' admin APIs: {"error": "..."}.
HttpResponse admin_error(http::status status, unsigned version, std::string message) {
  return rest::json_response(status, version, json::object{{"error", std::move(message)}});
}

HttpAction respond(HttpResponse response) {
  return HttpAction{HttpAction::Kind::respond, std::move(response)};
}

json::value optional_json(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

std::string joined(std::initializer_list<std::string_view> names) {
  std::string out;
  for (const auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// The query parameters of an admin request, each known and given once; else the error.
std::variant<std::map<std::string, std::string, std::less<>>, std::string> read_params(
    const rest::Target& target, std::initializer_list<std::string_view> known) {
  std::map<std::string, std::string, std::less<>> params;
  for (const auto& [key, value] : target.params) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      return "unknown query parameter \"" + key + "\"" +
             (known.size() ? " (known: " + joined(known) + ")" : " (this endpoint takes none)");
    if (!params.emplace(key, value).second)
      return "query parameter \"" + key + "\" is given more than once";
  }
  return params;
}

std::variant<TriggerFilter, std::string> read_filter(
    const std::map<std::string, std::string, std::less<>>& params) {
  TriggerFilter filter;
  if (const auto found = params.find("supplier"); found != params.end()) {
    if (found->second.empty()) return std::string("\"supplier\" must not be empty");
    filter.supplier = found->second;
  }
  if (const auto found = params.find("kind"); found != params.end()) {
    filter.kind = parse_trigger_kind(found->second);
    if (!filter.kind)
      return "\"kind\": '" + found->second +
             "' is not one of block, deregister, unblock, warning, review";
  }
  if (const auto found = params.find("after"); found != params.end()) {
    const auto after = rest::read_int(found->second, 0, std::numeric_limits<std::int64_t>::max());
    if (!after)
      return std::string("\"after\" must be a non-negative integer (a trigger's position)");
    filter.after = static_cast<std::uint64_t>(*after);
  }
  return filter;
}

bool matches(const AcceptedTrigger& trigger, const TriggerFilter& filter) {
  if (filter.supplier && *filter.supplier != trigger.supplier_id &&
      *filter.supplier != trigger.subject)
    return false;
  if (filter.kind && *filter.kind != trigger.kind) return false;
  if (filter.after && trigger.position <= *filter.after) return false;
  return true;
}

}  // namespace

// What check() made of a delivery: a trigger to accept, or the refusal to answer.
struct MockPortal::Checked {
  std::optional<Trigger> trigger;
  HttpResponse refusal;
};

json::object to_json(const DeliveryRecord& record) {
  json::object out;
  out["attempt"] = record.attempt;
  out["time"] = xsd_time::format_utc(record.time);
  out["idempotency_key"] = optional_json(record.idempotency_key);
  out["trigger_id"] = optional_json(record.trigger_id);
  out["timestamp"] = optional_json(record.timestamp);
  out["signature"] = record.signature;
  out["status"] = record.status ? json::value(*record.status) : json::value(nullptr);
  out["outcome"] = record.outcome;
  out["fault"] = optional_json(record.fault);
  if (record.delay.count() > 0) out["delay_ms"] = record.delay.count();
  out["body_sha256"] = record.body_sha256;
  out["body_bytes"] = record.body_bytes;
  if (record.error_field)
    out["error"] =
        json::object{{"field", *record.error_field}, {"reason", record.error_reason.value_or("")}};
  return out;
}

json::object to_json(const AcceptedTrigger& trigger) {
  json::object out;
  out["position"] = trigger.position;
  out["trigger_id"] = trigger.trigger_id;
  out["kind"] = to_string(trigger.kind);
  out["supplier"] = trigger.body.at("supplier");
  out["sequence"] = trigger.sequence;
  out["accepted_at"] = xsd_time::format_utc(trigger.accepted_at);
  out["attempt"] = trigger.attempt;
  out["body_sha256"] = trigger.body_sha256;
  out["order_violation"] = trigger.order_violation;
  out["highest_sequence_before"] = trigger.highest_sequence_before
                                       ? json::value(*trigger.highest_sequence_before)
                                       : json::value(nullptr);
  out["late"] = trigger.late;
  out["trigger"] = trigger.body;
  return out;
}

MockPortal::MockPortal(std::string secret, JsonLog& log, Clock clock, std::size_t delivery_capacity)
    : secret_(std::move(secret)),
      log_(log),
      clock_(std::move(clock)),
      delivery_capacity_(delivery_capacity) {
  if (secret_.empty()) throw std::invalid_argument("the mock portal needs a non-empty secret");
}

HttpAction MockPortal::handle(const HttpRequest& request) {
  const unsigned version = request.version();
  const auto target = rest::parse_target(request.target());
  if (!target || target->path != kWebhookPath)
    return respond(error_response(http::status::not_found, version, "not_found", "path",
                                  "the portal receives triggers at " + std::string(kWebhookPath)));
  if (request.method() != http::verb::post) {
    auto response = error_response(http::status::method_not_allowed, version, "method_not_allowed",
                                   "method", "use POST");
    response.set(http::field::allow, "POST");
    return respond(std::move(response));
  }

  const auto now = clock_();
  DeliveryRecord record;
  record.time = now;
  record.idempotency_key = copy(header(request, kIdempotencyHeader));
  record.timestamp = copy(header(request, kTimestampHeader));
  record.body_sha256 = digest::sha256_hex(request.body());
  record.body_bytes = request.body().size();
  auto checked = check(request, now, record);

  HttpAction action;
  {
    // One critical section per delivery: the attempt number, the fault it draws and the
    // idempotency decision are taken together, so concurrent duplicates accept once.
    std::lock_guard lock(mutex_);
    record.attempt = next_attempt_++;
    const auto injection = faults_.take();
    if (injection && injection->mode != FaultMode::delay) {
      record.fault = std::string(to_string(injection->mode));
      record.outcome = "injected_" + *record.fault;
      record.status.reset();
      record.error_field.reset();
      record.error_reason.reset();
      switch (injection->mode) {
        case FaultMode::status: {
          record.status = injection->status;
          action.response = error_response(
              static_cast<http::status>(injection->status), version, "injected_fault", "",
              "the mock portal was told to answer " + std::to_string(injection->status) +
                  " (POST /admin/portal/faults)");
          if (injection->retry_after_seconds)
            action.response.set(http::field::retry_after,
                                std::to_string(*injection->retry_after_seconds));
          break;
        }
        case FaultMode::reset:
          action.kind = HttpAction::Kind::reset;
          break;
        case FaultMode::timeout:
          action.kind = HttpAction::Kind::hold;
          break;
        case FaultMode::close:
          action.kind = HttpAction::Kind::close;
          break;
        case FaultMode::delay:
          break;
      }
    } else {
      action.response = checked.trigger ? accept(*checked.trigger, now, version, record)
                                        : std::move(checked.refusal);
      if (injection) {
        record.fault = std::string(to_string(injection->mode));
        record.delay = injection->delay;
        action.delay = injection->delay;
      }
    }
    remember(record);
  }
  json::object fields{
      {"attempt", record.attempt},
      {"idempotency_key", optional_json(record.idempotency_key)},
      {"signature", record.signature},
      {"status", record.status ? json::value(*record.status) : json::value(nullptr)},
      {"outcome", record.outcome}};
  if (record.fault) fields["fault"] = *record.fault;
  if (record.error_field) fields["field"] = *record.error_field;
  log_.info("portal_delivery", std::move(fields));
  return action;
}

MockPortal::Checked MockPortal::check(const HttpRequest& request, xsd_time::TimePoint now,
                                      DeliveryRecord& record) const {
  const unsigned version = request.version();
  // Every attempt's signature is checked and recorded, so that a test can see the dispatcher
  // signs each attempt afresh — even attempts refused for another reason or failed on purpose.
  const auto signature =
      verify(secret_, header(request, kTimestampHeader), header(request, kSignatureHeader),
             request.body(), unix_seconds(now));
  record.signature = std::string(to_string(signature.status));
  auto refuse = [&](http::status status, std::string_view code, std::string field,
                    std::string reason) {
    record.status = static_cast<int>(status);
    record.outcome = std::string(code);
    record.error_field = field;
    record.error_reason = reason;
    return Checked{std::nullopt, error_response(status, version, code, field, reason)};
  };

  const std::string_view content_type = request[http::field::content_type];
  if (!is_json(content_type))
    return refuse(
        http::status::unsupported_media_type, "unsupported_media_type", "Content-Type",
        "must be application/json, got '" + std::string(content_type.substr(0, 80)) + "'");
  if (request.body().size() > kMaxBodyBytes)
    return refuse(http::status::payload_too_large, "payload_too_large", "body",
                  "at most " + std::to_string(kMaxBodyBytes) + " bytes, got " +
                      std::to_string(request.body().size()));
  // Authenticate before reading the body: an unsigned body is never parsed.
  if (!signature.ok())
    return refuse(http::status::unauthorized, "unauthorized", signature.header, signature.reason);
  const auto key = header(request, kIdempotencyHeader);
  if (!key)
    return refuse(http::status::bad_request, "invalid_request", std::string(kIdempotencyHeader),
                  "the header is required (the trigger_id)");
  if (!is_canonical_uuid(*key))
    return refuse(http::status::bad_request, "invalid_request", std::string(kIdempotencyHeader),
                  "must be the trigger_id: a UUID in canonical lower-case form");
  auto parsed = parse_trigger(request.body());
  if (auto* problem = std::get_if<BodyProblem>(&parsed))
    return refuse(http::status::bad_request, "invalid_body", problem->field, problem->reason);
  auto& trigger = std::get<Trigger>(parsed);
  if (trigger.trigger_id != *key)
    return refuse(http::status::bad_request, "invalid_request", std::string(kIdempotencyHeader),
                  "must equal the body's trigger_id '" + trigger.trigger_id + "'");
  record.trigger_id = trigger.trigger_id;
  return Checked{std::move(trigger), {}};
}

// The caller holds mutex_.
HttpResponse MockPortal::accept(const Trigger& trigger, xsd_time::TimePoint now, unsigned version,
                                DeliveryRecord& record) {
  if (const auto found = trigger_by_key_.find(trigger.trigger_id); found != trigger_by_key_.end()) {
    const auto& first = triggers_[found->second];
    if (first.body_sha256 == record.body_sha256) {
      record.status = 200;
      record.outcome = "duplicate";
      return rest::json_response(
          http::status::ok, version,
          json::object{{"trigger_id", trigger.trigger_id},
                       {"status", "accepted"},
                       {"duplicate", true},
                       {"accepted_at", xsd_time::format_utc(first.accepted_at)}});
    }
    const std::string reason = "trigger " + trigger.trigger_id + " was accepted at " +
                               xsd_time::format_utc(first.accepted_at) +
                               " with another body (sha256 " + first.body_sha256 +
                               "); a retry must resend the same bytes";
    record.status = 409;
    record.outcome = "conflict";
    record.error_field = std::string(kIdempotencyHeader);
    record.error_reason = reason;
    return error_response(http::status::conflict, version, "idempotency_conflict",
                          kIdempotencyHeader, reason);
  }

  AcceptedTrigger accepted;
  accepted.position = next_position_++;
  accepted.trigger_id = trigger.trigger_id;
  accepted.kind = trigger.kind;
  accepted.supplier_id = trigger.supplier_id;
  const auto& supplier = trigger.body.at("supplier").as_object();
  accepted.subject =
      std::string((supplier.contains("bin") ? supplier.at("bin") : supplier.at("iin")).as_string());
  accepted.sequence = trigger.sequence;
  accepted.accepted_at = now;
  accepted.deadline = trigger.deadline;
  accepted.attempt = record.attempt;
  accepted.body_sha256 = record.body_sha256;
  const auto [highest, first_for_supplier] =
      highest_sequence_.try_emplace(trigger.supplier_id, trigger.sequence);
  if (!first_for_supplier) {
    accepted.highest_sequence_before = highest->second;
    accepted.order_violation = trigger.sequence <= highest->second;
    highest->second = std::max(highest->second, trigger.sequence);
  }
  accepted.late = trigger.deadline && now > *trigger.deadline;
  accepted.body = trigger.body;
  trigger_by_key_.emplace(trigger.trigger_id, triggers_.size());
  triggers_.push_back(std::move(accepted));

  record.status = 202;
  record.outcome = "accepted";
  return rest::json_response(http::status::accepted, version,
                             json::object{{"trigger_id", trigger.trigger_id},
                                          {"status", "accepted"},
                                          {"duplicate", false},
                                          {"accepted_at", xsd_time::format_utc(now)}});
}

// The caller holds mutex_.
void MockPortal::remember(DeliveryRecord record) {
  deliveries_.push_back(std::move(record));
  while (deliveries_.size() > delivery_capacity_) deliveries_.pop_front();
}

std::vector<AcceptedTrigger> MockPortal::triggers(const TriggerFilter& filter) const {
  std::lock_guard lock(mutex_);
  std::vector<AcceptedTrigger> out;
  for (const auto& trigger : triggers_)
    if (matches(trigger, filter)) out.push_back(trigger);
  return out;
}

std::vector<DeliveryRecord> MockPortal::deliveries(
    std::optional<std::string_view> idempotency_key) const {
  std::lock_guard lock(mutex_);
  std::vector<DeliveryRecord> out;
  for (const auto& record : deliveries_)
    if (!idempotency_key || record.idempotency_key == *idempotency_key) out.push_back(record);
  return out;
}

HttpAction MockPortal::handle_admin(const HttpRequest& request) {
  return respond(admin(request));
}

HttpResponse MockPortal::admin(const HttpRequest& request) {
  const unsigned version = request.version();
  const auto method = request.method();
  const auto target = rest::parse_target(request.target());
  if (!target) return admin_error(http::status::bad_request, version, "malformed request target");
  const auto& path = target->path;
  auto bad_request = [&](std::string message) {
    return admin_error(http::status::bad_request, version, std::move(message));
  };
  auto wrong_method = [&](std::string_view allowed) {
    auto response = admin_error(http::status::method_not_allowed, version,
                                "use " + std::string(allowed) + " on " + path);
    response.set(http::field::allow, allowed);
    return response;
  };

  if (path == "/admin/portal/triggers" || path == "/admin/portal/triggers/count") {
    if (method != http::verb::get) return wrong_method("GET");
    const bool count = path.ends_with("/count");
    auto params = count ? read_params(*target, {"supplier", "kind"})
                        : read_params(*target, {"supplier", "kind", "after"});
    if (auto* problem = std::get_if<std::string>(&params)) return bad_request(*problem);
    auto filter = read_filter(std::get<0>(params));
    if (auto* problem = std::get_if<std::string>(&filter)) return bad_request(*problem);
    const auto found = triggers(std::get<TriggerFilter>(filter));
    if (count)
      return rest::json_response(http::status::ok, version, json::object{{"count", found.size()}});
    json::array out;
    for (const auto& trigger : found) out.push_back(to_json(trigger));
    return rest::json_response(http::status::ok, version, out);
  }

  if (path == "/admin/portal/deliveries") {
    if (method != http::verb::get) return wrong_method("GET");
    auto params = read_params(*target, {"idempotency_key"});
    if (auto* problem = std::get_if<std::string>(&params)) return bad_request(*problem);
    const auto& known = std::get<0>(params);
    std::optional<std::string_view> key;
    if (const auto found = known.find("idempotency_key"); found != known.end()) key = found->second;
    json::array out;
    for (const auto& record : deliveries(key)) out.push_back(to_json(record));
    return rest::json_response(http::status::ok, version, out);
  }

  if (path == "/admin/portal/faults") {
    auto params = read_params(*target, {});
    if (auto* problem = std::get_if<std::string>(&params)) return bad_request(*problem);
    if (method == http::verb::get) {
      json::array rules;
      {
        std::lock_guard lock(mutex_);
        for (const auto& rule : faults_.rules()) rules.push_back(to_json(rule));
      }
      return rest::json_response(http::status::ok, version,
                                 json::object{{"faults", std::move(rules)}});
    }
    if (method == http::verb::post) {
      auto parsed = parse_fault_rule(request.body());
      if (auto* problem = std::get_if<std::string>(&parsed)) return bad_request(*problem);
      auto& rule = std::get<FaultRule>(parsed);
      auto reply = to_json(rule);
      std::size_t queued = 0;
      {
        std::lock_guard lock(mutex_);
        faults_.add(std::move(rule));
        queued = faults_.rules().size();
      }
      reply["queued"] = queued;
      log_.info("portal_fault_set", reply);
      return rest::json_response(http::status::ok, version, reply);
    }
    if (method == http::verb::delete_) {
      std::size_t cleared = 0;
      {
        std::lock_guard lock(mutex_);
        cleared = faults_.clear();
      }
      log_.info("portal_faults_cleared", {{"cleared", cleared}});
      return rest::json_response(http::status::ok, version, json::object{{"cleared", cleared}});
    }
    return wrong_method("GET, POST, DELETE");
  }

  if (path == kAdminMount) {
    if (method != http::verb::delete_) return wrong_method("DELETE");
    auto params = read_params(*target, {});
    if (auto* problem = std::get_if<std::string>(&params)) return bad_request(*problem);
    json::object cleared;
    {
      // Positions and attempt numbers go on counting, so that a cursor (?after=) taken before
      // the reset never matches a trigger delivered after it.
      std::lock_guard lock(mutex_);
      cleared = {{"deliveries", deliveries_.size()},
                 {"triggers", triggers_.size()},
                 {"faults", faults_.clear()}};
      deliveries_.clear();
      triggers_.clear();
      trigger_by_key_.clear();
      highest_sequence_.clear();
    }
    log_.info("portal_cleared", cleared);
    return rest::json_response(http::status::ok, version, json::object{{"cleared", cleared}});
  }
  return admin_error(http::status::not_found, version, "no such portal admin endpoint: " + path);
}

}  // namespace tekser::mocks::portal
