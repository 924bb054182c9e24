#include "mocks/enis/fixtures.hpp"

#include <set>

#include "mocks/fixtures/strict_reader.hpp"

namespace tekser::mocks::enis {
namespace {

using fixtures::StrictReader;
using identity::SubjectKind;

PowerOfAttorney read_poa(StrictReader& r, const std::string& id) {
  PowerOfAttorney p;
  p.id = id;
  p.description = r.required_string("description");
  p.number = r.required_string("number");
  if (p.number.size() > 64) r.fail("number", "longer than 64 characters (PoaNumberType)");
  p.registry_number = r.required_string("registry_number");
  {
    auto n = r.required_object("notary");
    p.notary_name_ru = n.required_string("name_ru");
    p.notary_licence = n.required_string("licence");
    n.finish();
  }
  {
    auto n = r.required_object("principal");
    p.principal_id = n.identifier("id", std::nullopt);
    p.principal_name_ru = n.required_string("name_ru");
    n.finish();
  }
  {
    auto n = r.required_object("representative");
    p.representative_iin = n.identifier("iin", SubjectKind::individual);
    p.representative_name_ru = n.required_string("name_ru");
    n.finish();
  }
  p.issued = r.required_date("issued");
  p.valid_until = r.optional_date("valid_until");
  p.revoked_on = r.optional_date("revoked_on");
  // Dates YYYY-MM-DD compare as text.
  if (p.valid_until && *p.valid_until < p.issued) r.fail("valid_until", "is before issued");
  if (p.revoked_on && *p.revoked_on < p.issued) r.fail("revoked_on", "is before issued");
  p.scope = r.strings("scope");
  if (p.scope.empty()) r.fail("scope", "must list at least one power");
  std::set<std::string> seen;
  for (const auto& code : p.scope) {
    if (!find_power(code))
      r.fail("scope",
             "power code '" + code + "' is not in the classifier (mocks/enis/fixtures.hpp)");
    if (!seen.insert(code).second) r.fail("scope", "power code '" + code + "' is listed twice");
  }
  return p;
}

}  // namespace

const Power* find_power(std::string_view code) {
  for (const auto& p : kPowers) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

const PowerOfAttorney* Register::find(std::string_view number) const {
  for (const auto& p : powers_of_attorney) {
    if (p.number == number) return &p;
  }
  return nullptr;
}

Register parse(std::string_view json_text, std::string_view source) {
  return fixtures::parse_document<Register>(json_text, source, [](StrictReader& root) {
    Register reg;
    std::set<std::string> ids;
    std::set<std::string> numbers;
    fixtures::read_entries(root, "powers_of_attorney", ids,
                           [&](StrictReader& r, const std::string& id) {
                             auto poa = read_poa(r, id);
                             r.require_unique(numbers, "number", poa.number);
                             reg.powers_of_attorney.push_back(std::move(poa));
                           });
    fixtures::read_entries(root, "absent", ids, [&](StrictReader& r, const std::string& id) {
      AbsentNumber a;
      a.id = id;
      a.description = r.required_string("description");
      a.number = r.required_string("number");
      r.require_unique(numbers, "number", a.number);
      reg.absent.push_back(std::move(a));
    });
    return reg;
  });
}

Register load(const std::filesystem::path& file) {
  return parse(fixtures::read_fixture_file(file), file.string());
}

}  // namespace tekser::mocks::enis
