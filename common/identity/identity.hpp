// IIN / BIN: the 12-digit identifiers of Kazakh individuals and legal entities.
// Pure: the structure and the official check digit, nothing looked up.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tekser::identity {

enum class SubjectKind {
  individual,    // IIN: YYMMDD + century/sex digit
  legal_entity,  // BIN: YYMM + entity type + unit
};

std::string_view to_string(SubjectKind kind);

// What a BIN's fifth digit says about the entity.
enum class EntityType { resident, non_resident, joint_individual_entrepreneur };
// What a BIN's sixth digit says about the unit.
enum class UnitType { head_office, branch, representative_office, farm };

struct Identifier {
  std::string digits;  // exactly 12 ASCII digits
  SubjectKind kind;
  // IIN only: birth date as YYYY-MM-DD.
  std::optional<std::string> birth_date;
  // BIN only.
  std::optional<EntityType> entity_type;
  std::optional<UnitType> unit_type;
};

struct ParseResult {
  std::optional<Identifier> identifier;
  std::string error;  // empty when identifier is set; says the reason otherwise

  explicit operator bool() const { return identifier.has_value(); }
};

// The check digit computed from the first 11 digits, or nullopt where the number is never issued
// (both weight rounds give 10). `first_eleven` must be 11 ASCII digits.
std::optional<int> check_digit(std::string_view first_eleven);

// Parses a 12-digit IIN or BIN: length, digits only, check digit, then the structure of either
// kind (an IIN's birth date and century digit; a BIN's month, entity type and unit digits).
// The two kinds cannot be confused: a BIN's fifth digit (4..6) is an impossible IIN day.
ParseResult parse(std::string_view text);

// Same, but the identifier must be of `kind`.
ParseResult parse_as(std::string_view text, SubjectKind kind);

// For logs: 12 digits become "1234******12".
std::string mask(std::string_view digits);

}  // namespace tekser::identity
