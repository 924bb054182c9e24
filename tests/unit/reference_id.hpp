// An independent reference implementation of the IIN/BIN check digit, written from the rule in
// BRIEF.md §1 and never from the library: the tests use it to make real numbers and to find the
// corner cases (second weight round, never-issued prefixes) by brute force.
#pragma once

#include <array>
#include <optional>
#include <string>

namespace tekser::test {

// Rule: sum of digit[i] * weight[i] over the first 11 digits, mod 11, with weights 1..11; if that
// gives 10, again with weights 3..11,1,2; if 10 again, no number with these 11 digits is issued.
struct RefCheck {
  int first_round;   // 0..10
  int second_round;  // 0..10, only meaningful when first_round == 10
};

inline RefCheck ref_rounds(const std::string& first_eleven) {
  static constexpr std::array<int, 11> kFirst{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  static constexpr std::array<int, 11> kSecond{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
  int a = 0;
  int b = 0;
  for (std::size_t i = 0; i < 11; ++i) {
    const int d = first_eleven.at(i) - '0';
    a += d * kFirst[i];
    b += d * kSecond[i];
  }
  return {a % 11, b % 11};
}

inline std::optional<int> ref_check_digit(const std::string& first_eleven) {
  const auto r = ref_rounds(first_eleven);
  if (r.first_round != 10) return r.first_round;
  if (r.second_round != 10) return r.second_round;
  return std::nullopt;
}

// The 12-digit number for these 11 digits, or nullopt when they are never issued.
inline std::optional<std::string> ref_complete(const std::string& first_eleven) {
  const auto d = ref_check_digit(first_eleven);
  if (!d) return std::nullopt;
  return first_eleven + static_cast<char>('0' + *d);
}

// A real number starting with `head` (7 digits for an IIN: YYMMDD + century/sex; 6 for a BIN:
// YYMM + type + unit): the first 4-or-5-digit sequence number that gives an issuable number.
inline std::string ref_make(const std::string& head) {
  const std::size_t width = 11 - head.size();
  for (int seq = 1;; ++seq) {
    std::string tail = std::to_string(seq);
    tail.insert(0, width - tail.size(), '0');
    if (auto full = ref_complete(head + tail)) return *full;
  }
}

// The same number with a different (wrong) last digit.
inline std::string with_wrong_check_digit(const std::string& number) {
  std::string out = number;
  out[11] = out[11] == '9' ? '0' : static_cast<char>(out[11] + 1);
  return out;
}

}  // namespace tekser::test
