// The traits of the synthetic population and the share of subjects that carry each one
// (--population-shares "individual_entrepreneur=0.3,bankrupt=0.02,..."). A share is a fraction
// of the subjects the trait can apply to: individual_entrepreneur of everyone, liquidated of the
// legal entities, deceased of the individual entrepreneurs, every other trait of everyone.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tekser::mocks::population {

enum class Trait : std::uint8_t {
  individual_entrepreneur,  // an IE (IIN) rather than a legal entity (BIN)
  bankrupt,                 // ГБД ЮЛ bankruptcy (legal entities) and the KGD bankrupt list
  liquidated,               // ГБД ЮЛ: liquidated (legal entities only)
  rnu,                      // goszakup РНУ: an active ban
  quasi_rnu,                // Samruk-Kazyna list or the quasi-public РНУ
  deceased,                 // ГБД ФЛ: died (individual entrepreneurs only)
  tax_debt,                 // KGD: tax arrears
  unlicensed,               // e-licensing: known, but holds no licence nor notification
};

inline constexpr std::size_t kTraitCount = 8;
inline constexpr std::array<Trait, kTraitCount> kTraits{Trait::individual_entrepreneur,
                                                        Trait::bankrupt,
                                                        Trait::liquidated,
                                                        Trait::rnu,
                                                        Trait::quasi_rnu,
                                                        Trait::deceased,
                                                        Trait::tax_debt,
                                                        Trait::unlicensed};

std::string_view to_string(Trait trait);
std::optional<Trait> parse_trait(std::string_view text);
// "individual_entrepreneur, bankrupt, ...": for error messages.
std::string known_traits();

// The traits of one subject, as bits.
class TraitSet {
 public:
  bool has(Trait t) const { return (bits_ >> static_cast<unsigned>(t)) & 1u; }
  void set(Trait t) { bits_ |= static_cast<std::uint16_t>(1u << static_cast<unsigned>(t)); }
  bool operator==(const TraitSet&) const = default;

 private:
  std::uint16_t bits_ = 0;
};

struct Shares {
  std::array<double, kTraitCount> values{0.3, 0.02, 0.01, 0.01, 0.005, 0.005, 0.05, 0.03};

  double operator[](Trait t) const { return values[static_cast<std::size_t>(t)]; }
  double& operator[](Trait t) { return values[static_cast<std::size_t>(t)]; }
};

// Starts from the defaults and overrides the keys given. Throws std::invalid_argument naming the
// key for an unknown trait, a value that is not a number in 0..1, a repeated key, or bankrupt +
// liquidated above 1 (they share one draw).
Shares parse_shares(std::string_view text);

// "individual_entrepreneur=0.3,bankrupt=0.02,...", every trait.
std::string to_string(const Shares& shares);

}  // namespace tekser::mocks::population
