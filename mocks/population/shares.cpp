#include "mocks/population/shares.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace tekser::mocks::population {
namespace {

constexpr std::array<std::string_view, kTraitCount> kNames{"individual_entrepreneur",
                                                           "bankrupt",
                                                           "liquidated",
                                                           "rnu",
                                                           "quasi_rnu",
                                                           "deceased",
                                                           "tax_debt",
                                                           "unlicensed"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string share_text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string_view to_string(Trait trait) {
  return kNames[static_cast<std::size_t>(trait)];
}

std::optional<Trait> parse_trait(std::string_view text) {
  for (const auto trait : kTraits) {
    if (to_string(trait) == text) return trait;
  }
  return std::nullopt;
}

std::string known_traits() {
  std::string out;
  for (const auto name : kNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

Shares parse_shares(std::string_view text) {
  Shares shares;
  std::array<bool, kTraitCount> seen{};
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      throw std::invalid_argument("--population-shares: '" + std::string(item) +
                                  "' is not key=value");
    const auto key = trim(item.substr(0, eq));
    const auto value_text = trim(item.substr(eq + 1));
    const auto trait = parse_trait(key);
    if (!trait)
      throw std::invalid_argument("--population-shares: unknown key '" + std::string(key) +
                                  "' (known: " + known_traits() + ")");
    auto& was_seen = seen[static_cast<std::size_t>(*trait)];
    if (was_seen)
      throw std::invalid_argument("--population-shares: key '" + std::string(key) +
                                  "' is given twice");
    was_seen = true;
    double value = 0;
    const auto* end = value_text.data() + value_text.size();
    const auto parsed = std::from_chars(value_text.data(), end, value);
    if (value_text.empty() || parsed.ec != std::errc{} || parsed.ptr != end ||
        !std::isfinite(value) || value < 0 || value > 1)
      throw std::invalid_argument("--population-shares: key '" + std::string(key) +
                                  "' must be a number from 0 to 1, got '" +
                                  std::string(value_text) + "'");
    shares[*trait] = value;
  }
  if (shares[Trait::bankrupt] + shares[Trait::liquidated] > 1)
    throw std::invalid_argument(
        "--population-shares: keys 'bankrupt' + 'liquidated' must not exceed 1 (one draw decides "
        "a legal entity's status)");
  return shares;
}

std::string to_string(const Shares& shares) {
  std::string out;
  for (const auto trait : kTraits)
    out +=
        (out.empty() ? "" : ",") + std::string(to_string(trait)) + "=" + share_text(shares[trait]);
  return out;
}

}  // namespace tekser::mocks::population
