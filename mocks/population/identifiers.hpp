// Synthetic BINs and IINs that encode a number, so that a lookup by identifier maps back to the
// subject without any table. Both are valid (structure and the official check digit, see
// common/identity) and look ordinary:
//   BIN  YY MM 4 0 SSSS F C   YY = 2004..2023 and MM carry the number with the scrambled serial
//                             SSSS; F is a free digit; C the check digit
//   IIN  YYMMDD c SSS F C     the birth date (1960-01-01 .. 2003-10-22) and the scrambled serial
//                             SSS carry the number; c century and sex; F free; C check
// The free digit F is drawn from the seed; when the check digit would be "10 twice" (a number
// never issued) the next F is taken, so every number has exactly one canonical identifier and
// number_of() refuses any other spelling (another F, another sex digit, a wrong check digit).
// The scrambling constants come from the seed: another seed, other identifiers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tekser::mocks::population {

// How many numbers each encoding can carry.
inline constexpr std::uint64_t kBinCapacity = 20ull * 12 * 10000;  // 2.4 million
inline constexpr std::uint64_t kIinCapacity = 16000ull * 1000;     // 16 million

class IdCodec {
 public:
  explicit IdCodec(std::uint64_t seed);

  // The canonical identifier of number k (k below the capacity; std::out_of_range otherwise).
  std::string bin(std::uint64_t k) const;
  std::string iin(std::uint64_t k) const;

  // The number a canonical identifier encodes; nullopt for anything else.
  std::optional<std::uint64_t> bin_number(std::string_view bin) const;
  std::optional<std::uint64_t> iin_number(std::string_view iin) const;

  // The birth date an IIN of number k carries, "YYYY-MM-DD", and the sex (true: female).
  std::string birth_date(std::uint64_t k) const;
  bool female(std::uint64_t k) const;

 private:
  std::uint64_t seed_;
  std::uint64_t year_shift_;  // BIN: added to k before taking the year
  std::uint64_t bin_serial_;  // BIN: added to the scrambled serial
  std::uint64_t day_shift_;   // IIN: added to the scrambled day
  std::uint64_t iin_serial_;  // IIN: added to the scrambled serial
};

}  // namespace tekser::mocks::population
