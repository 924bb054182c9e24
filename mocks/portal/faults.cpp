#include "mocks/portal/faults.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/json.hpp>

namespace tekser::mocks::portal {
namespace {

namespace json = boost::json;

constexpr std::int64_t kMaxCount = 1'000'000;
constexpr std::int64_t kMaxDelayMs = 600'000;  // the server drops a held connection after 10 min
constexpr std::int64_t kMaxRetryAfter = 86'400;

std::optional<FaultMode> parse_mode(std::string_view text) {
  for (const auto mode : {FaultMode::status, FaultMode::delay, FaultMode::reset, FaultMode::timeout,
                          FaultMode::close})
    if (to_string(mode) == text) return mode;
  return std::nullopt;
}

std::optional<std::int64_t> integer(const json::value& value) {
  if (value.is_int64()) return value.as_int64();
  if (value.is_uint64()) return std::numeric_limits<std::int64_t>::max();
  return std::nullopt;
}

}  // namespace

std::string_view to_string(FaultMode mode) {
  switch (mode) {
    case FaultMode::status:
      return "status";
    case FaultMode::delay:
      return "delay";
    case FaultMode::reset:
      return "reset";
    case FaultMode::timeout:
      return "timeout";
    case FaultMode::close:
      return "close";
  }
  return "unknown";
}

std::variant<FaultRule, std::string> parse_fault_rule(std::string_view body) {
  boost::system::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::string("the body must be a JSON object");
  const auto& object = value.as_object();
  static constexpr std::string_view kKnown[] = {"mode",        "status", "delay_ms",     "count",
                                                "probability", "seed",   "retry_after_s"};
  for (const auto& field : object)
    if (std::find(std::begin(kKnown), std::end(kKnown), field.key()) == std::end(kKnown))
      return "unknown field \"" + std::string(field.key()) +
             "\" (known: mode, status, delay_ms, count, probability, seed, retry_after_s)";

  FaultRule rule;
  const auto* mode = object.if_contains("mode");
  if (!mode || !mode->is_string()) return std::string("\"mode\" (string) is required");
  const auto parsed_mode = parse_mode(mode->as_string());
  if (!parsed_mode)
    return "\"mode\": '" + std::string(mode->as_string()) +
           "' is not one of status, delay, reset, timeout, close";
  rule.mode = *parsed_mode;
  const auto only_for = [&](std::string_view key, FaultMode owner) -> std::optional<std::string> {
    if (object.contains(key) && rule.mode != owner)
      return "\"" + std::string(key) + "\" applies to mode \"" + std::string(to_string(owner)) +
             "\" only";
    return std::nullopt;
  };
  for (const auto& [key, owner] :
       {std::pair{"status", FaultMode::status}, std::pair{"retry_after_s", FaultMode::status},
        std::pair{"delay_ms", FaultMode::delay}})
    if (auto problem = only_for(key, owner)) return *problem;

  if (const auto* status = object.if_contains("status")) {
    const auto code = integer(*status);
    if (!code || *code < 400 || *code > 599)
      return std::string("\"status\" must be an integer from 400 to 599");
    rule.status = static_cast<int>(*code);
  }
  if (const auto* retry_after = object.if_contains("retry_after_s")) {
    const auto seconds = integer(*retry_after);
    if (!seconds || *seconds < 0 || *seconds > kMaxRetryAfter)
      return "\"retry_after_s\" must be an integer from 0 to " + std::to_string(kMaxRetryAfter);
    rule.retry_after_seconds = static_cast<int>(*seconds);
  }
  if (rule.mode == FaultMode::delay) {
    const auto* delay = object.if_contains("delay_ms");
    if (!delay) return std::string("\"delay_ms\" is required for mode \"delay\"");
    const auto ms = integer(*delay);
    if (!ms || *ms < 1 || *ms > kMaxDelayMs)
      return "\"delay_ms\" must be an integer from 1 to " + std::to_string(kMaxDelayMs);
    rule.delay = std::chrono::milliseconds(*ms);
  }
  if (const auto* count = object.if_contains("count"); count && !count->is_null()) {
    const auto n = integer(*count);
    if (!n || *n < 1 || *n > kMaxCount)
      return "\"count\" must be an integer from 1 to " + std::to_string(kMaxCount);
    rule.remaining = static_cast<int>(*n);
  }
  if (const auto* probability = object.if_contains("probability")) {
    if (!probability->is_number())
      return std::string("\"probability\" must be a number above 0 and at most 1");
    const double p = probability->to_number<double>();
    if (!(p > 0.0 && p <= 1.0))
      return std::string("\"probability\" must be a number above 0 and at most 1");
    rule.probability = p;
  }
  if (const auto* seed = object.if_contains("seed")) {
    if (!object.contains("probability"))
      return std::string("\"seed\" applies to a rule with \"probability\" only");
    if (seed->is_int64() && seed->as_int64() >= 0)
      rule.seed = static_cast<std::uint64_t>(seed->as_int64());
    else if (seed->is_uint64())
      rule.seed = seed->as_uint64();
    else
      return std::string("\"seed\" must be a non-negative integer");
  }
  rule.random.seed(rule.seed ? *rule.seed : std::random_device{}());
  return rule;
}

json::object to_json(const FaultRule& rule) {
  json::object out;
  out["mode"] = to_string(rule.mode);
  if (rule.mode == FaultMode::status) {
    out["status"] = rule.status;
    if (rule.retry_after_seconds) out["retry_after_s"] = *rule.retry_after_seconds;
  }
  if (rule.mode == FaultMode::delay) out["delay_ms"] = rule.delay.count();
  out["count"] = rule.remaining ? json::value(*rule.remaining) : json::value(nullptr);
  if (rule.probability) out["probability"] = *rule.probability;
  if (rule.seed) out["seed"] = *rule.seed;
  out["injected"] = rule.injected;
  return out;
}

void FaultPlan::add(FaultRule rule) {
  rules_.push_back(std::move(rule));
}

std::size_t FaultPlan::clear() {
  const auto cleared = rules_.size();
  rules_.clear();
  return cleared;
}

std::optional<Injection> FaultPlan::take() {
  if (rules_.empty()) return std::nullopt;
  auto& rule = rules_.front();
  if (rule.probability) {
    // A raw 64-bit draw against p * 2^64: mt19937_64's output is fixed by the standard, so a
    // seeded rule injects into the same deliveries on every platform (the distributions are not).
    const auto draw = static_cast<long double>(rule.random());
    const auto threshold = std::ldexp(static_cast<long double>(*rule.probability), 64);
    if (draw >= threshold) return std::nullopt;
  }
  ++rule.injected;
  Injection injection{rule.mode, rule.status, rule.retry_after_seconds, rule.delay};
  if (rule.remaining && --*rule.remaining == 0) rules_.pop_front();
  return injection;
}

}  // namespace tekser::mocks::portal
