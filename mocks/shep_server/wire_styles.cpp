#include "mocks/shep_server/wire_styles.hpp"

#include <stdexcept>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace tekser::mocks {
namespace {

namespace json = boost::json;

// "VALUE" or "SERVICE=VALUE".
std::pair<std::string, std::string> split_spec(std::string_view spec) {
  const auto eq = spec.find('=');
  if (eq == std::string_view::npos) return {{}, std::string(spec)};
  return {std::string(spec.substr(0, eq)), std::string(spec.substr(eq + 1))};
}

bool matches(const std::optional<std::string>& wanted, std::string_view a, std::string_view b) {
  return !wanted || *wanted == a || *wanted == b;
}

}  // namespace

void WireStyles::set_default_shape(std::string_view spec) {
  auto [service, value] = split_spec(spec);
  const auto shape = shep::parse_payload_shape(value);
  if (!shape)
    throw std::invalid_argument("--payload-shape: '" + value +
                                "' is not typed, declared, jaxb or untyped");
  std::lock_guard lock(mutex_);
  if (service.empty())
    default_.shape = *shape;
  else
    shape_by_service_[service] = *shape;
}

void WireStyles::set_default_envelope(std::string_view spec) {
  auto [service, value] = split_spec(spec);
  const auto style = shep::parse_envelope_style(value);
  if (!style)
    throw std::invalid_argument("--envelope-style: '" + value +
                                "' is not prefixed, default-ns or rebound");
  std::lock_guard lock(mutex_);
  if (service.empty())
    default_.envelope = *style;
  else
    envelope_by_service_[service] = *style;
}

shep::WireStyle WireStyles::take(std::string_view service_id, std::string_view system,
                                 std::string_view subject) {
  std::lock_guard lock(mutex_);
  // Most specific first: service and subject, subject, service, any.
  WireStyleOverride* best = nullptr;
  int best_rank = -1;
  for (auto& rule : overrides_) {
    if (!matches(rule.service_id, service_id, system)) continue;
    if (rule.subject && *rule.subject != subject) continue;
    const int rank = (rule.subject ? 2 : 0) + (rule.service_id ? 1 : 0);
    if (rank > best_rank) {
      best = &rule;
      best_rank = rank;
    }
  }
  if (best) {
    const auto style = best->style;
    if (best->remaining && --*best->remaining <= 0)
      std::erase_if(overrides_, [id = best->id](const auto& r) { return r.id == id; });
    return style;
  }
  auto style = default_;
  for (const auto key : {service_id, system}) {
    if (auto it = shape_by_service_.find(key); it != shape_by_service_.end())
      style.shape = it->second;
    if (auto it = envelope_by_service_.find(key); it != envelope_by_service_.end())
      style.envelope = it->second;
  }
  return style;
}

std::string WireStyles::add(WireStyleOverride rule) {
  std::lock_guard lock(mutex_);
  rule.id = "ws-" + std::to_string(next_id_++);
  overrides_.push_back(rule);
  return rule.id;
}

std::size_t WireStyles::clear() {
  std::lock_guard lock(mutex_);
  const auto n = overrides_.size();
  overrides_.clear();
  return n;
}

bool WireStyles::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  return std::erase_if(overrides_, [&](const auto& r) { return r.id == id; }) > 0;
}

json::object WireStyles::to_json() const {
  std::lock_guard lock(mutex_);
  json::object defaults{{"payload_shape", shep::to_string(default_.shape)},
                        {"envelope_style", shep::to_string(default_.envelope)}};
  json::object per_service;
  for (const auto& [service, shape] : shape_by_service_)
    per_service[service].emplace_object()["payload_shape"] = shep::to_string(shape);
  for (const auto& [service, style] : envelope_by_service_) {
    auto& entry = per_service[service];
    if (!entry.is_object()) entry.emplace_object();
    entry.as_object()["envelope_style"] = shep::to_string(style);
  }
  json::array overrides;
  for (const auto& r : overrides_) {
    json::object o{{"id", r.id},
                   {"payload_shape", shep::to_string(r.style.shape)},
                   {"envelope_style", shep::to_string(r.style.envelope)}};
    o["service_id"] = r.service_id ? json::value(*r.service_id) : json::value(nullptr);
    o["subject"] = r.subject ? json::value(*r.subject) : json::value(nullptr);
    o["remaining"] = r.remaining ? json::value(*r.remaining) : json::value(nullptr);
    overrides.push_back(std::move(o));
  }
  return json::object{{"default", std::move(defaults)},
                      {"per_service", std::move(per_service)},
                      {"overrides", std::move(overrides)}};
}

std::variant<WireStyleOverride, AdminError> parse_wire_style_override(
    std::string_view body, const std::vector<std::pair<std::string, std::string>>& services) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object())
    return AdminError{"body", "must be a JSON object (" +
                                  (ec ? ec.message() : std::string("not an object")) + ")"};
  const auto& o = parsed.as_object();
  WireStyleOverride rule;
  bool any_style = false;
  for (const auto& [key, value] : o) {
    const std::string field(key);
    if (field == "count") {
      if (!value.is_int64() || value.as_int64() < 1)
        return AdminError{field, "must be a positive integer"};
      rule.remaining = value.as_int64();
      continue;
    }
    if (!value.is_string()) return AdminError{field, "must be a string"};
    const std::string text(value.as_string());
    if (field == "service_id" || field == "system") {
      bool known = false;
      for (const auto& [id, system] : services) known = known || text == id || text == system;
      if (!known) return AdminError{field, "'" + text + "' is not a service of this bus"};
      if (rule.service_id) return AdminError{field, "give service_id or system, not both"};
      rule.service_id = text;
    } else if (field == "subject") {
      if (text.empty()) return AdminError{field, "must not be empty"};
      rule.subject = text;
    } else if (field == "payload_shape") {
      const auto shape = shep::parse_payload_shape(text);
      if (!shape)
        return AdminError{field, "'" + text + "' is not typed, declared, jaxb or untyped"};
      rule.style.shape = *shape;
      any_style = true;
    } else if (field == "envelope_style") {
      const auto style = shep::parse_envelope_style(text);
      if (!style) return AdminError{field, "'" + text + "' is not prefixed, default-ns or rebound"};
      rule.style.envelope = *style;
      any_style = true;
    } else {
      return AdminError{field,
                        "unknown field (known: service_id, system, subject, payload_shape, "
                        "envelope_style, count)"};
    }
  }
  if (!any_style) return AdminError{"payload_shape", "give payload_shape or envelope_style"};
  return rule;
}

}  // namespace tekser::mocks
