#include "mocks/shep_server/fault_switch.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace tekser::mocks {
namespace {

constexpr std::array<std::pair<FaultMode, std::string_view>, 6> kModeNames{{
    {FaultMode::http_503, "http_503"},
    {FaultMode::soap_fault, "soap_fault"},
    {FaultMode::status_error, "status_error"},
    {FaultMode::timeout, "timeout"},
    {FaultMode::malformed, "malformed"},
    {FaultMode::reset, "reset"},
}};

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

void FaultSwitch::set(FaultRule rule) {
  std::lock_guard lock(mutex_);
  std::erase_if(rules_, [&rule](const FaultRule& r) { return r.service_id == rule.service_id; });
  rules_.push_back(std::move(rule));
}

std::size_t FaultSwitch::clear(std::optional<std::string_view> service_id) {
  std::lock_guard lock(mutex_);
  if (!service_id) return std::exchange(rules_, {}).size();
  return std::erase_if(rules_,
                       [&service_id](const FaultRule& r) { return r.service_id == *service_id; });
}

std::optional<FaultMode> FaultSwitch::take(std::string_view service_id) {
  std::lock_guard lock(mutex_);
  auto it = std::find_if(rules_.begin(), rules_.end(),
                         [&](const FaultRule& r) { return r.service_id == service_id; });
  if (it == rules_.end()) return std::nullopt;
  const FaultMode mode = it->mode;
  if (it->remaining && --*it->remaining <= 0) rules_.erase(it);
  return mode;
}

std::vector<FaultRule> FaultSwitch::rules() const {
  std::lock_guard lock(mutex_);
  return rules_;
}

}  // namespace tekser::mocks
