#include "mocks/shep_server/fault_admin.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <boost/json.hpp>

#include "common/shep/envelope.hpp"

namespace tekser::mocks {
namespace {

namespace json = boost::json;

constexpr std::string_view kRuleFields[] = {
    "system",      "service_id", "subject",     "mode",          "count",
    "probability", "seed",       "latency_ms",  "latency",       "error_code",
    "status_code", "body",       "body_base64", "answer_subject"};
constexpr double kMaxSigma = 5.0;  // e^5 ≈ 150 times the median at one sigma: plenty
constexpr std::int64_t kMaxCount = 1'000'000;

std::optional<double> number(const json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.as_int64());
  if (value.is_uint64()) return static_cast<double>(value.as_uint64());
  if (value.is_double()) return value.as_double();
  return std::nullopt;
}

std::optional<std::int64_t> integer(const json::value& value) {
  if (value.is_int64()) return value.as_int64();
  if (value.is_uint64() && value.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(value.as_uint64());
  return std::nullopt;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string mode_names(bool rest) {
  std::vector<std::string> names;
  for (const auto mode : all_fault_modes()) {
    if (!rest || !is_soap_only(mode)) names.emplace_back(to_string(mode));
  }
  return join(names);
}

// RFC 4648 base64 with padding; nullopt for anything else.
std::optional<std::string> decode_base64(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int padding = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++padding;
        continue;
      }
      if (padding > 0) return std::nullopt;  // data after '='
      v[k] = value_of(c);
      if (v[k] < 0) return std::nullopt;
    }
    const unsigned bits = (static_cast<unsigned>(v[0]) << 18) |
                          (static_cast<unsigned>(v[1]) << 12) | (static_cast<unsigned>(v[2]) << 6) |
                          static_cast<unsigned>(v[3]);
    out += static_cast<char>((bits >> 16) & 0xFF);
    if (padding < 2) out += static_cast<char>((bits >> 8) & 0xFF);
    if (padding < 1) out += static_cast<char>(bits & 0xFF);
  }
  return out;
}

bool is_subject(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class RuleReader {
 public:
  RuleReader(const json::object& object, const FaultCatalogue& catalogue)
      : object_(object), catalogue_(catalogue) {}

  std::variant<FaultRule, AdminError> read() {
    for (const auto& given : object_) {
      if (std::find(std::begin(kRuleFields), std::end(kRuleFields), given.key()) ==
          std::end(kRuleFields))
        return AdminError{std::string(given.key()),
                          "unknown field (known: system, service_id, subject, mode, count, "
                          "probability, seed, latency_ms, latency, error_code, status_code, "
                          "body, body_base64, answer_subject)"};
    }
    FaultRule rule;
    if (auto problem = read_target(rule)) return *problem;
    if (auto problem = read_mode(rule)) return *problem;
    if (auto problem = read_trigger(rule)) return *problem;
    if (auto problem = read_latency(rule)) return *problem;
    if (auto problem = read_codes(rule)) return *problem;
    if (auto problem = read_body(rule)) return *problem;
    if (auto problem = read_answer_subject(rule)) return *problem;
    return rule;
  }

 private:
  using Problem = std::optional<AdminError>;

  // A present, non-null field; nullopt when absent or null.
  const json::value* field(std::string_view name) const {
    const auto* value = object_.if_contains(name);
    return value && !value->is_null() ? value : nullptr;
  }

  Problem text(std::string_view name, std::string& out) const {
    const auto* value = field(name);
    if (!value) return std::nullopt;
    if (!value->is_string() || value->as_string().empty())
      return AdminError{std::string(name), "must be a non-empty string"};
    out = std::string(value->as_string());
    return std::nullopt;
  }

  std::string system_of_service(std::string_view service_id) const {
    for (const auto& [service, system] : catalogue_.soap_services) {
      if (service == service_id) return system;
    }
    return {};
  }
  bool is_rest(std::string_view name) const {
    return std::find(catalogue_.rest_systems.begin(), catalogue_.rest_systems.end(), name) !=
           catalogue_.rest_systems.end();
  }
  std::vector<std::string> known_systems() const {
    std::vector<std::string> names{std::string(kWholeBus)};
    for (const auto& [service, system] : catalogue_.soap_services) names.push_back(system);
    names.insert(names.end(), catalogue_.rest_systems.begin(), catalogue_.rest_systems.end());
    return names;
  }
  std::vector<std::string> known_services() const {
    std::vector<std::string> names;
    for (const auto& [service, system] : catalogue_.soap_services) names.push_back(service);
    names.insert(names.end(), catalogue_.rest_systems.begin(), catalogue_.rest_systems.end());
    return names;
  }

  Problem read_target(FaultRule& rule) {
    if (auto problem = text("system", rule.system)) return problem;
    if (auto problem = text("service_id", rule.service_id)) return problem;
    if (auto problem = text("subject", rule.subject)) return problem;
    if (rule.system.empty() && rule.service_id.empty())
      return AdminError{"service_id", "a rule names a system or a service_id (or both)"};
    if (!rule.system.empty()) {
      const auto known = known_systems();
      if (std::find(known.begin(), known.end(), rule.system) == known.end())
        return AdminError{"system", "'" + rule.system + "' is not served by these mocks (known: " +
                                        join(known) + ")"};
    }
    if (!rule.service_id.empty()) {
      const auto soap_system = system_of_service(rule.service_id);
      if (soap_system.empty() && !is_rest(rule.service_id))
        return AdminError{"service_id", "'" + rule.service_id +
                                            "' is not served by these mocks (known: " +
                                            join(known_services()) + ")"};
      const bool consistent =
          rule.system.empty() ||
          (soap_system.empty() ? rule.system == rule.service_id
                               : rule.system == soap_system || rule.system == kWholeBus);
      if (!consistent)
        return AdminError{
            "system", "'" + rule.system + "' does not serve service_id '" + rule.service_id + "'"};
    }
    if (!rule.subject.empty() && !is_subject(rule.subject))
      return AdminError{"subject", "must be a BIN or IIN of 12 digits, got '" + rule.subject + "'"};
    rest_target_ = is_rest(rule.system) || is_rest(rule.service_id);
    return std::nullopt;
  }

  Problem read_mode(FaultRule& rule) const {
    const auto* mode = field("mode");
    if (!mode) return AdminError{"mode", "is required (one of " + mode_names(false) + ")"};
    if (!mode->is_string())
      return AdminError{"mode", "must be a string (one of " + mode_names(false) + ")"};
    const auto parsed = parse_fault_mode(mode->as_string());
    if (!parsed)
      return AdminError{
          "mode", "'" + std::string(mode->as_string()) + "' is not one of " + mode_names(false)};
    rule.mode = *parsed;
    if (rest_target_ && is_soap_only(rule.mode))
      return AdminError{"mode", "'" + std::string(to_string(rule.mode)) +
                                    "' exists only on the SHEP bus; a REST system takes " +
                                    mode_names(true)};
    if (rule.mode == FaultMode::invalid_signature && !catalogue_.reply_signer)
      return AdminError{"mode",
                        "invalid_signature needs signed replies: no reply signer configured"};
    return std::nullopt;
  }

  Problem read_trigger(FaultRule& rule) const {
    if (const auto* count = field("count")) {
      const auto n = integer(*count);
      if (!n || *n < 1 || *n > kMaxCount)
        return AdminError{"count", "must be an integer from 1 to " + std::to_string(kMaxCount) +
                                       " (leave it out: until removed)"};
      rule.remaining = static_cast<int>(*n);
    }
    if (const auto* probability = field("probability")) {
      const auto p = number(*probability);
      if (!p || !(*p >= 0 && *p <= 1))
        return AdminError{"probability", "must be a number from 0 to 1"};
      rule.probability = *p;
    }
    if (const auto* seed = field("seed")) {
      if (seed->is_uint64())
        rule.seed = seed->as_uint64();
      else if (seed->is_int64() && seed->as_int64() >= 0)
        rule.seed = static_cast<std::uint64_t>(seed->as_int64());
      else
        return AdminError{"seed", "must be a non-negative integer"};
    }
    return std::nullopt;
  }

  Problem read_latency(FaultRule& rule) const {
    const auto* fixed = field("latency_ms");
    const auto* spread = field("latency");
    if (fixed && spread)
      return AdminError{"latency", "give latency_ms (fixed) or latency (log-normal), not both"};
    const double max_ms = static_cast<double>(kMaxLatency.count());
    if (fixed) {
      const auto ms = integer(*fixed);
      if (!ms || *ms < 0 || *ms > kMaxLatency.count())
        return AdminError{"latency_ms",
                          "must be an integer from 0 to " + std::to_string(kMaxLatency.count())};
      rule.latency = Latency{Latency::Kind::fixed, static_cast<double>(*ms), 0};
    }
    if (spread) {
      if (!spread->is_object())
        return AdminError{"latency", "must be an object {\"median_ms\": …, \"sigma\": …}"};
      for (const auto& key : spread->as_object()) {
        if (key.key() != "median_ms" && key.key() != "sigma")
          return AdminError{"latency." + std::string(key.key()),
                            "unknown field (known: median_ms, sigma)"};
      }
      const auto* median_value = spread->as_object().if_contains("median_ms");
      const auto median = median_value ? number(*median_value) : std::nullopt;
      if (!median || !(*median > 0 && *median <= max_ms))
        return AdminError{"latency.median_ms", "must be a number above 0, at most " +
                                                   std::to_string(kMaxLatency.count())};
      const auto* sigma_value = spread->as_object().if_contains("sigma");
      const auto sigma = sigma_value ? number(*sigma_value) : std::nullopt;
      if (!sigma || !(*sigma >= 0 && *sigma <= kMaxSigma))
        return AdminError{"latency.sigma", "must be a number from 0 to 5 (the spread of ln delay)"};
      rule.latency = Latency{Latency::Kind::log_normal, *median, *sigma};
    }
    if (rule.mode == FaultMode::latency && !rule.latency)
      return AdminError{"latency_ms",
                        "mode latency needs latency_ms or latency {median_ms, sigma}"};
    return std::nullopt;
  }

  Problem read_codes(FaultRule& rule) const {
    if (field("error_code")) {
      if (rule.mode != FaultMode::soap_fault)
        return AdminError{"error_code", "applies to mode soap_fault only"};
      if (auto problem = text("error_code", rule.error_code)) return problem;
    }
    if (field("status_code")) {
      if (rule.mode != FaultMode::status_error)
        return AdminError{"status_code", "applies to mode status_error only"};
      if (auto problem = text("status_code", rule.status_code)) return problem;
      if (rule.status_code == shep::kSuccessCode)
        return AdminError{"status_code",
                          "must not be the success code " + std::string(shep::kSuccessCode)};
    }
    return std::nullopt;
  }

  // other_subject: whom the answer is about instead of the subject asked.
  Problem read_answer_subject(FaultRule& rule) const {
    const bool given = field("answer_subject") != nullptr;
    if (given && rule.mode != FaultMode::other_subject)
      return AdminError{"answer_subject", "applies to mode other_subject only"};
    if (rule.mode != FaultMode::other_subject) return std::nullopt;
    if (!given)
      return AdminError{"answer_subject",
                        "mode other_subject needs the BIN or IIN the answer is to be about"};
    if (auto problem = text("answer_subject", rule.answer_subject)) return problem;
    if (!is_subject(rule.answer_subject))
      return AdminError{"answer_subject",
                        "must be a BIN or IIN of 12 digits, got '" + rule.answer_subject + "'"};
    return std::nullopt;
  }

  // custom_body: `body` (text) or `body_base64` (any bytes: invalid UTF-8 cannot be a JSON string).
  Problem read_body(FaultRule& rule) const {
    const auto* text_body = field("body");
    const auto* encoded = field("body_base64");
    if ((text_body || encoded) && rule.mode != FaultMode::custom_body)
      return AdminError{text_body ? "body" : "body_base64", "applies to mode custom_body only"};
    if (rule.mode != FaultMode::custom_body) return std::nullopt;
    if (text_body && encoded) return AdminError{"body", "give body or body_base64, not both"};
    if (!text_body && !encoded)
      return AdminError{"body", "mode custom_body needs body (text) or body_base64 (bytes)"};
    if (text_body) {
      if (!text_body->is_string()) return AdminError{"body", "must be a string"};
      rule.body = std::string(text_body->as_string());
      return std::nullopt;
    }
    if (!encoded->is_string()) return AdminError{"body_base64", "must be a string"};
    auto decoded = decode_base64(encoded->as_string());
    if (!decoded) return AdminError{"body_base64", "is not base64 (RFC 4648, padded)"};
    rule.body = std::move(*decoded);
    return std::nullopt;
  }

  const json::object& object_;
  const FaultCatalogue& catalogue_;
  bool rest_target_ = false;
};

// Whole numbers as integers: "median_ms": 100 reads better than 1E2.
json::value number_value(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e15)
    return static_cast<std::int64_t>(value);
  return value;
}

json::value text_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::string(text);
}

}  // namespace

std::variant<FaultRule, AdminError> parse_fault_rule(std::string_view body,
                                                     const FaultCatalogue& catalogue) {
  boost::system::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return AdminError{"body", "must be a JSON object"};
  return RuleReader(value.as_object(), catalogue).read();
}

json::object to_json(const FaultRule& rule) {
  json::object out;
  out["id"] = rule.id;
  out["system"] = text_or_null(rule.system);
  out["service_id"] = text_or_null(rule.service_id);
  out["subject"] = text_or_null(rule.subject);
  out["mode"] = to_string(rule.mode);
  if (rule.remaining)
    out["count"] = *rule.remaining;
  else
    out["count"] = nullptr;
  if (rule.probability)
    out["probability"] = number_value(*rule.probability);
  else
    out["probability"] = nullptr;
  if (rule.seed)
    out["seed"] = *rule.seed;
  else
    out["seed"] = nullptr;
  if (rule.latency) {
    if (rule.latency->kind == Latency::Kind::fixed)
      out["latency_ms"] = std::llround(rule.latency->median_ms);
    else
      out["latency"] = json::object{{"median_ms", number_value(rule.latency->median_ms)},
                                    {"sigma", number_value(rule.latency->sigma)}};
  }
  if (rule.mode == FaultMode::soap_fault) out["error_code"] = rule.error_code;
  if (rule.mode == FaultMode::status_error) out["status_code"] = rule.status_code;
  if (rule.mode == FaultMode::custom_body) out["body_bytes"] = rule.body.size();
  if (rule.mode == FaultMode::other_subject) out["answer_subject"] = rule.answer_subject;
  out["injected"] = rule.injected;
  return out;
}

}  // namespace tekser::mocks
