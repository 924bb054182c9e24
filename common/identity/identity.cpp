#include "common/identity/identity.hpp"

#include <array>
#include <cstdio>

namespace tekser::identity {
namespace {

int digit(std::string_view s, std::size_t i) { return s[i] - '0'; }

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

ParseResult failure(std::string reason) { return ParseResult{std::nullopt, std::move(reason)}; }

ParseResult parse_iin(std::string_view s) {
  const int yy = digit(s, 0) * 10 + digit(s, 1);
  const int mm = digit(s, 2) * 10 + digit(s, 3);
  const int dd = digit(s, 4) * 10 + digit(s, 5);
  const int century_sex = digit(s, 6);
  int century = 0;
  switch (century_sex) {
    case 1:
    case 2:
      century = 1800;
      break;
    case 3:
    case 4:
      century = 1900;
      break;
    case 5:
    case 6:
      century = 2000;
      break;
    default:
      return failure("IIN digit 7 (century and sex) must be 1..6, got " +
                     std::to_string(century_sex));
  }
  const int year = century + yy;
  if (mm < 1 || mm > 12) return failure("IIN birth month " + std::to_string(mm) + " is impossible");
  if (dd < 1 || dd > days_in_month(year, mm))
    return failure("IIN birth date " + std::to_string(year) + "-" + std::string(s.substr(2, 2)) +
                   "-" + std::string(s.substr(4, 2)) + " is impossible");
  char date[32];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, mm, dd);
  Identifier id{std::string(s), SubjectKind::individual, std::string(date), std::nullopt,
                std::nullopt};
  return ParseResult{std::move(id), {}};
}

ParseResult parse_bin(std::string_view s) {
  const int mm = digit(s, 2) * 10 + digit(s, 3);
  if (mm < 1 || mm > 12)
    return failure("BIN registration month " + std::to_string(mm) + " is impossible");
  EntityType type{};
  switch (digit(s, 4)) {
    case 4:
      type = EntityType::resident;
      break;
    case 5:
      type = EntityType::non_resident;
      break;
    case 6:
      type = EntityType::joint_individual_entrepreneur;
      break;
    default:
      return failure("BIN digit 5 (entity type) must be 4, 5 or 6, got " +
                     std::to_string(digit(s, 4)));
  }
  UnitType unit{};
  switch (digit(s, 5)) {
    case 0:
      unit = UnitType::head_office;
      break;
    case 1:
      unit = UnitType::branch;
      break;
    case 2:
      unit = UnitType::representative_office;
      break;
    case 3:
      unit = UnitType::farm;
      break;
    default:
      return failure("BIN digit 6 (unit) must be 0..3, got " + std::to_string(digit(s, 5)));
  }
  Identifier id{std::string(s), SubjectKind::legal_entity, std::nullopt, type, unit};
  return ParseResult{std::move(id), {}};
}

}  // namespace

std::string_view to_string(SubjectKind kind) {
  return kind == SubjectKind::individual ? "individual" : "legal_entity";
}

std::optional<int> check_digit(std::string_view first_eleven) {
  int sum = 0;
  for (std::size_t i = 0; i < 11; ++i) sum += digit(first_eleven, i) * static_cast<int>(i + 1);
  int control = sum % 11;
  if (control != 10) return control;
  static constexpr std::array<int, 11> kSecondWeights{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
  sum = 0;
  for (std::size_t i = 0; i < 11; ++i) sum += digit(first_eleven, i) * kSecondWeights[i];
  control = sum % 11;
  if (control == 10) return std::nullopt;
  return control;
}

ParseResult parse(std::string_view text) {
  if (text.size() != 12)
    return failure("must be exactly 12 digits, got " + std::to_string(text.size()) +
                   " characters");
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9')
      return failure("must contain digits only; character " + std::to_string(i + 1) +
                     " is not a digit");
  }
  const auto expected = check_digit(text.substr(0, 11));
  if (!expected) return failure("no valid check digit exists for these first 11 digits");
  if (*expected != digit(text, 11))
    return failure("check digit is " + std::string(1, text[11]) + ", expected " +
                   std::to_string(*expected));
  // Digit 5 of a BIN is 4..6, which as an IIN's first day digit gives an impossible day 40..69.
  const int fifth = digit(text, 4);
  if (fifth >= 4 && fifth <= 6) return parse_bin(text);
  if (fifth <= 3) return parse_iin(text);
  return failure("digit 5 is " + std::to_string(fifth) +
                 ": neither an IIN birth day nor a BIN entity type");
}

ParseResult parse_as(std::string_view text, SubjectKind kind) {
  auto result = parse(text);
  if (result && result.identifier->kind != kind)
    return failure(kind == SubjectKind::individual
                       ? "is a BIN of a legal entity, an IIN of an individual is required"
                       : "is an IIN of an individual, a BIN of a legal entity is required");
  return result;
}

std::string mask(std::string_view digits) {
  if (digits.size() != 12) return std::string(digits.size(), '*');
  return std::string(digits.substr(0, 4)) + "******" + std::string(digits.substr(10, 2));
}

}  // namespace tekser::identity
