// The one source of randomness of the synthetic population: a stateless hash of (seed, key,
// salt). A subject is a pure function of its index, so every attribute is drawn from its own salt
// and nothing has to be stored or generated in sequence. splitmix64's finaliser: tiny, and the
// same numbers on every platform (std distributions are not portable).
#pragma once

#include <cstdint>
#include <string_view>

namespace tekser::mocks::population {

// What an attribute is drawn for: each draw of a subject has its own salt.
enum class Salt : std::uint64_t {
  kind = 1,
  status,
  deceased,
  rnu,
  quasi_rnu,
  tax_debt,
  unlicensed,
  sex,
  free_digit,
  ethnicity,
  surname,
  given_name,
  father_name,
  city,
  street,
  building,
  office,
  business,
  name_stem,
  name_word,
  registration_day,
  liquidation_days,
  debt_amount,
  list_dates,
  samruk_list,
  reason,
  document,
  founders,
  head,
  licence_number,
  seed_offsets,
};

constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t draw(std::uint64_t seed, std::uint64_t key, Salt salt,
                             std::uint64_t extra = 0) {
  return mix64(mix64(mix64(seed) ^ key) ^ (static_cast<std::uint64_t>(salt) << 32) ^ extra);
}

// Uniform in [0, 1).
constexpr double unit(std::uint64_t seed, std::uint64_t key, Salt salt, std::uint64_t extra = 0) {
  return static_cast<double>(draw(seed, key, salt, extra) >> 11) * 0x1.0p-53;
}

// Uniform in [0, n).
constexpr std::uint64_t below(std::uint64_t seed, std::uint64_t key, Salt salt, std::uint64_t n,
                              std::uint64_t extra = 0) {
  return draw(seed, key, salt, extra) % n;
}

// FNV-1a of an identifier: the key of a subject that is no index of the population (one the
// admin API creates), with the top bit set so that it never equals an index.
constexpr std::uint64_t key_of(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  return h | (1ull << 63);
}

}  // namespace tekser::mocks::population
