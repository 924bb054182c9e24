#include "mocks/shep_server/fault_switch.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace tekser::mocks {
namespace {

constexpr std::array<std::pair<FaultMode, std::string_view>, 16> kModeNames{{
    {FaultMode::latency, "latency"},
    {FaultMode::timeout, "timeout"},
    {FaultMode::reset, "reset"},
    {FaultMode::empty, "empty"},
    {FaultMode::empty_body, "empty_body"},
    {FaultMode::truncated, "truncated"},
    {FaultMode::malformed, "malformed"},
    {FaultMode::http_500, "http_500"},
    {FaultMode::http_503, "http_503"},
    {FaultMode::soap_fault, "soap_fault"},
    {FaultMode::status_error, "status_error"},
    {FaultMode::missing_signature, "missing_signature"},
    {FaultMode::invalid_signature, "invalid_signature"},
    {FaultMode::custom_body, "custom_body"},
    {FaultMode::other_subject, "other_subject"},
    {FaultMode::wrong_correlation, "wrong_correlation"},
}};

constexpr std::array<FaultMode, kModeNames.size()> kModes = [] {
  std::array<FaultMode, kModeNames.size()> modes{};
  for (std::size_t i = 0; i < kModeNames.size(); ++i) modes[i] = kModeNames[i].first;
  return modes;
}();

void check(const FaultRule& rule) {
  if (rule.system.empty() && rule.service_id.empty())
    throw std::invalid_argument("a fault rule names a system or a service_id");
  if (rule.probability && !(*rule.probability >= 0 && *rule.probability <= 1))
    throw std::invalid_argument("a fault rule's probability is within 0..1");
  if (rule.mode == FaultMode::latency && !rule.latency)
    throw std::invalid_argument("a latency fault rule needs a latency");
  if (rule.mode == FaultMode::other_subject && rule.answer_subject.empty())
    throw std::invalid_argument("an other_subject fault rule needs an answer_subject");
  if (rule.remaining && *rule.remaining < 1)
    throw std::invalid_argument("a counted fault rule has at least one injection left");
  if (rule.latency && !(rule.latency->median_ms >= 0 && rule.latency->sigma >= 0))
    throw std::invalid_argument("a fault rule's latency is not negative");
}

}  // namespace

std::string_view to_string(FaultMode mode) {
  for (const auto& [m, name] : kModeNames) {
    if (m == mode) return name;
  }
  return "unknown";
}

std::optional<FaultMode> parse_fault_mode(std::string_view text) {
  for (const auto& [mode, name] : kModeNames) {
    if (name == text) return mode;
  }
  return std::nullopt;
}

std::span<const FaultMode> all_fault_modes() {
  return kModes;
}

bool is_soap_only(FaultMode mode) {
  return mode == FaultMode::soap_fault || mode == FaultMode::status_error ||
         mode == FaultMode::missing_signature || mode == FaultMode::invalid_signature ||
         mode == FaultMode::other_subject || mode == FaultMode::wrong_correlation;
}

std::chrono::milliseconds draw_latency(const Latency& latency, std::mt19937_64& random) {
  double ms = latency.median_ms;
  if (latency.kind == Latency::Kind::log_normal && latency.sigma > 0 && latency.median_ms > 0) {
    // The median of a log-normal variable is exp(mu).
    std::lognormal_distribution<double> distribution(std::log(latency.median_ms), latency.sigma);
    ms = distribution(random);
  }
  const double capped = std::clamp(ms, 0.0, static_cast<double>(kMaxLatency.count()));
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(capped)));
}

std::optional<int> match_specificity(const FaultRule& rule, const FaultTarget& target) {
  const bool whole_bus = rule.system == kWholeBus;
  if (!rule.system.empty() && rule.system != target.system && !(whole_bus && target.soap))
    return std::nullopt;
  if (!rule.service_id.empty() && rule.service_id != target.service_id) return std::nullopt;
  if (!rule.subject.empty() && rule.subject != target.subject) return std::nullopt;
  // A subject narrows most, then a service, then a system; the whole bus is the widest.
  return (rule.subject.empty() ? 0 : 4) + (rule.service_id.empty() ? 0 : 2) +
         (rule.system.empty() || whole_bus ? 0 : 1);
}

std::string FaultSwitch::add(FaultRule rule) {
  check(rule);
  std::lock_guard lock(mutex_);
  const std::uint64_t order = next_id_++;
  rule.id = "fault-" + std::to_string(order);
  rule.injected = 0;
  if (!rule.seed) rule.seed = std::random_device{}();
  Armed armed{std::move(rule), order, std::mt19937_64(0)};
  armed.random.seed(*armed.rule.seed);
  rules_.push_back(std::move(armed));
  return rules_.back().rule.id;
}

bool FaultSwitch::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  return std::erase_if(rules_, [&id](const Armed& a) { return a.rule.id == id; }) > 0;
}

std::size_t FaultSwitch::clear(std::optional<std::string_view> service_id,
                               std::optional<std::string_view> system) {
  std::lock_guard lock(mutex_);
  return std::erase_if(rules_, [&](const Armed& a) {
    return (!service_id || a.rule.service_id == *service_id) &&
           (!system || a.rule.system == *system);
  });
}

std::optional<InjectedFault> FaultSwitch::take(const FaultTarget& target) {
  std::lock_guard lock(mutex_);
  auto chosen = rules_.end();
  int best = -1;
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    const auto specificity = match_specificity(it->rule, target);
    // `>=`: rules are kept oldest first, so among equals the newest wins.
    if (specificity && *specificity >= best) {
      best = *specificity;
      chosen = it;
    }
  }
  if (chosen == rules_.end()) return std::nullopt;
  auto& armed = *chosen;
  if (armed.rule.probability) {
    std::bernoulli_distribution fires(*armed.rule.probability);
    if (!fires(armed.random)) return std::nullopt;
  }
  InjectedFault fault;
  fault.rule_id = armed.rule.id;
  fault.mode = armed.rule.mode;
  if (armed.rule.latency) fault.delay = draw_latency(*armed.rule.latency, armed.random);
  fault.error_code = armed.rule.error_code;
  fault.status_code = armed.rule.status_code;
  fault.body = armed.rule.body;
  fault.answer_subject = armed.rule.answer_subject;
  ++armed.rule.injected;
  if (armed.rule.remaining && --*armed.rule.remaining <= 0) rules_.erase(chosen);
  return fault;
}

std::vector<FaultRule> FaultSwitch::rules() const {
  std::lock_guard lock(mutex_);
  std::vector<FaultRule> out;
  out.reserve(rules_.size());
  for (const auto& armed : rules_) out.push_back(armed.rule);
  return out;
}

}  // namespace tekser::mocks
