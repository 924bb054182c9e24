// The people the mock personal-assistant registers know, loaded from fixtures/pa_checks.json.
// The loader checks every entry — IIN check digits, dates, article codes, section names — and
// refuses the whole file with a message naming the entry and the field. These are invented
// people: the fixtures hold only what the assumed contract carries (flags, dates, article codes).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tekser::mocks::pa_checks {

// A register section of the combined service.
enum class Section { psychiatric_registration, criminal_record, incapacity };
std::string_view to_string(Section section);  // the fixture's name of the section

struct PersonRecords {
  std::string id;
  std::string description;
  std::string iin;
  std::optional<std::string> psychiatric_since;  // set: registered since then
  std::vector<std::string> criminal_articles;    // non-empty: an unexpunged record
  std::optional<std::string> incapable_since;    // set: declared incapable by a court decision
  std::optional<std::string> limited_since;      // set: of limited capacity by a court decision
  std::vector<Section> unavailable;  // the registers that do not answer about this person
  std::vector<Section> refused;      // the registers that decline to answer
};

// A valid IIN the registers do not know (for "person not found" tests).
struct UnknownPerson {
  std::string id;
  std::string description;
  std::string iin;
};

struct Register {
  std::vector<PersonRecords> persons;
  std::vector<UnknownPerson> unknown_to_registers;

  const PersonRecords* find(std::string_view iin) const;
};

Register parse(std::string_view json_text, std::string_view source);
Register load(const std::filesystem::path& file);

}  // namespace tekser::mocks::pa_checks
