#include "mocks/population/identifiers.hpp"

#include <chrono>
#include <stdexcept>

#include "common/identity/identity.hpp"
#include "mocks/population/hash.hpp"

namespace tekser::mocks::population {
namespace {

using namespace std::chrono;

constexpr std::uint64_t kYears = 20;  // BIN registration years 2004..2023
constexpr int kFirstYear = 2004;
constexpr std::uint64_t kSerials4 = 10000;
constexpr std::uint64_t kDays = 16000;  // IIN birth dates from 1960-01-01
constexpr std::uint64_t kSerials3 = 1000;
// Multipliers coprime to their moduli: a bijection that makes neighbours look unrelated.
constexpr std::uint64_t kBinSerialFactor = 7919;  // mod 10000
constexpr std::uint64_t kDayFactor = 7919;        // mod 16000
constexpr std::uint64_t kIinSerialFactor = 137;   // mod 1000

constexpr std::uint64_t inverse(std::uint64_t a, std::uint64_t m) {
  // Extended Euclid; a and m coprime.
  std::int64_t t = 0, new_t = 1;
  auto r = static_cast<std::int64_t>(m), new_r = static_cast<std::int64_t>(a % m);
  while (new_r != 0) {
    const auto q = r / new_r;
    const auto t2 = t - q * new_t;
    t = new_t;
    new_t = t2;
    const auto r2 = r - q * new_r;
    r = new_r;
    new_r = r2;
  }
  return static_cast<std::uint64_t>(t < 0 ? t + static_cast<std::int64_t>(m) : t);
}

constexpr std::uint64_t kBinSerialInverse = inverse(kBinSerialFactor, kSerials4);
constexpr std::uint64_t kDayInverse = inverse(kDayFactor, kDays);
constexpr std::uint64_t kIinSerialInverse = inverse(kIinSerialFactor, kSerials3);
static_assert(kBinSerialFactor * kBinSerialInverse % kSerials4 == 1);
static_assert(kDayFactor * kDayInverse % kDays == 1);
static_assert(kIinSerialFactor * kIinSerialInverse % kSerials3 == 1);

const sys_days kFirstBirth = sys_days(year{1960} / January / 1);

void append_digits(std::string& out, std::uint64_t value, int width) {
  std::string digits(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out += digits;
}

std::optional<std::uint64_t> read_digits(std::string_view text, std::size_t from,
                                         std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  return value;
}

// Ten digits, then the free digit drawn for k (or the next one while the number would never be
// issued), then the check digit. The free digit has weight 11 (= 0 mod 11) in the first round and
// 2 in the second, so at most one of its values fails: one step always suffices.
std::string finish(std::string first_ten, std::uint64_t seed, std::uint64_t key) {
  const auto start = below(seed, key, Salt::free_digit, 10);
  for (std::uint64_t step = 0; step < 10; ++step) {
    auto eleven = first_ten + static_cast<char>('0' + (start + step) % 10);
    if (const auto check = identity::check_digit(eleven))
      return eleven + static_cast<char>('0' + *check);
  }
  throw std::logic_error("no free digit gives a valid identifier for " + first_ten);
}

std::uint64_t mod_sub(std::uint64_t a, std::uint64_t b, std::uint64_t m) {
  return (a % m + m - b % m) % m;
}

}  // namespace

IdCodec::IdCodec(std::uint64_t seed)
    : seed_(seed),
      year_shift_(below(seed, 0, Salt::seed_offsets, kYears, 1)),
      bin_serial_(below(seed, 0, Salt::seed_offsets, kSerials4, 2)),
      day_shift_(below(seed, 0, Salt::seed_offsets, kDays, 3)),
      iin_serial_(below(seed, 0, Salt::seed_offsets, kSerials3, 4)) {}

std::string IdCodec::bin(std::uint64_t k) const {
  if (k >= kBinCapacity) throw std::out_of_range("BIN number out of range");
  const auto year_index = (k + year_shift_) % kYears;
  const auto rest = k / kYears;
  const auto month = rest % 12 + 1;
  const auto serial = (kBinSerialFactor * (rest / 12) + bin_serial_) % kSerials4;
  std::string out;
  append_digits(out, static_cast<std::uint64_t>(kFirstYear % 100) + year_index, 2);
  append_digits(out, month, 2);
  out += "40";  // resident legal entity, head office
  append_digits(out, serial, 4);
  return finish(std::move(out), seed_, k);
}

std::optional<std::uint64_t> IdCodec::bin_number(std::string_view text) const {
  if (text.size() != 12 || text.substr(4, 2) != "40") return std::nullopt;
  const auto yy = read_digits(text, 0, 2);
  const auto mm = read_digits(text, 2, 2);
  const auto serial = read_digits(text, 6, 4);
  if (!yy || !mm || !serial) return std::nullopt;
  const auto first_yy = static_cast<std::uint64_t>(kFirstYear % 100);
  if (*yy < first_yy || *yy >= first_yy + kYears || *mm < 1 || *mm > 12) return std::nullopt;
  const auto year_part = mod_sub(*yy - first_yy, year_shift_, kYears);
  const auto serial_part = mod_sub(*serial, bin_serial_, kSerials4) * kBinSerialInverse % kSerials4;
  const auto k = (serial_part * 12 + (*mm - 1)) * kYears + year_part;
  if (k >= kBinCapacity || bin(k) != text) return std::nullopt;
  return k;
}

std::string IdCodec::birth_date(std::uint64_t k) const {
  const auto day = (kDayFactor * (k % kDays) + day_shift_) % kDays;
  const year_month_day ymd{kFirstBirth + days(static_cast<int>(day))};
  std::string out;
  append_digits(out, static_cast<std::uint64_t>(static_cast<int>(ymd.year())), 4);
  out += '-';
  append_digits(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  append_digits(out, static_cast<unsigned>(ymd.day()), 2);
  return out;
}

bool IdCodec::female(std::uint64_t k) const {
  return below(seed_, k, Salt::sex, 2) == 1;
}

std::string IdCodec::iin(std::uint64_t k) const {
  if (k >= kIinCapacity) throw std::out_of_range("IIN number out of range");
  const auto date = birth_date(k);  // YYYY-MM-DD
  const bool born_2000s = date[0] == '2';
  const char century = static_cast<char>('0' + (born_2000s ? 5 : 3) + (female(k) ? 1 : 0));
  const auto serial = (kIinSerialFactor * (k / kDays) + iin_serial_) % kSerials3;
  std::string out = date.substr(2, 2) + date.substr(5, 2) + date.substr(8, 2);
  out += century;
  append_digits(out, serial, 3);
  return finish(std::move(out), seed_, k);
}

std::optional<std::uint64_t> IdCodec::iin_number(std::string_view text) const {
  if (text.size() != 12) return std::nullopt;
  const auto yy = read_digits(text, 0, 2);
  const auto mm = read_digits(text, 2, 2);
  const auto dd = read_digits(text, 4, 2);
  const auto century = read_digits(text, 6, 1);
  const auto serial = read_digits(text, 7, 3);
  if (!yy || !mm || !dd || !century || !serial || *century < 3 || *century > 6) return std::nullopt;
  const int full_year = static_cast<int>((*century <= 4 ? 1900 : 2000) + *yy);
  const year_month_day ymd{year{full_year}, month{static_cast<unsigned>(*mm)},
                           day{static_cast<unsigned>(*dd)}};
  if (!ymd.ok()) return std::nullopt;
  const auto offset = (sys_days(ymd) - kFirstBirth).count();
  if (offset < 0 || static_cast<std::uint64_t>(offset) >= kDays) return std::nullopt;
  const auto day_part =
      mod_sub(static_cast<std::uint64_t>(offset), day_shift_, kDays) * kDayInverse % kDays;
  const auto serial_part = mod_sub(*serial, iin_serial_, kSerials3) * kIinSerialInverse % kSerials3;
  const auto k = serial_part * kDays + day_part;
  if (k >= kIinCapacity || iin(k) != text) return std::nullopt;
  return k;
}

}  // namespace tekser::mocks::population
