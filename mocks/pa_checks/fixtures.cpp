#include "mocks/pa_checks/fixtures.hpp"

#include <algorithm>
#include <set>

#include "mocks/fixtures/strict_reader.hpp"

namespace tekser::mocks::pa_checks {
namespace {

using fixtures::StrictReader;
using identity::SubjectKind;

constexpr Section kSections[] = {Section::psychiatric_registration, Section::criminal_record,
                                 Section::incapacity};

// "188" or "188.2": article (and part) of the Criminal Code.
bool is_article_code(std::string_view code) {
  const auto dot = code.find('.');
  const auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 4 &&
           s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (dot == std::string_view::npos) return digits(code);
  return digits(code.substr(0, dot)) && digits(code.substr(dot + 1));
}

std::vector<Section> read_sections(StrictReader& r, std::string_view key) {
  std::vector<Section> out;
  for (const auto& name : r.strings(key)) {
    const auto* found =
        std::ranges::find_if(kSections, [&](Section s) { return to_string(s) == name; });
    if (found == std::end(kSections))
      r.fail(key, "'" + name +
                      "' is not a section (psychiatric_registration, criminal_record, incapacity)");
    if (std::ranges::find(out, *found) != out.end()) r.fail(key, "'" + name + "' is listed twice");
    out.push_back(*found);
  }
  return out;
}

PersonRecords read_person(StrictReader& r, const std::string& id) {
  PersonRecords p;
  p.id = id;
  p.description = r.required_string("description");
  p.iin = r.identifier("iin", SubjectKind::individual);
  if (auto s = r.optional_object("psychiatric_registration")) {
    p.psychiatric_since = s->required_date("since");
    s->finish();
  }
  if (auto s = r.optional_object("criminal_record")) {
    p.criminal_articles = s->strings("articles");
    if (p.criminal_articles.empty())
      s->fail("articles", "must list at least one article (leave criminal_record out for none)");
    for (const auto& code : p.criminal_articles) {
      if (!is_article_code(code))
        s->fail("articles", "'" + code + "' is not an article code such as \"188\" or \"188.2\"");
    }
    s->finish();
  }
  // The special register (p.6 sub-item 3)): declared incapable, of limited capacity, or both.
  if (auto s = r.optional_object("incapacity")) {
    p.incapable_since = s->optional_date("court_decision_date");
    p.limited_since = s->optional_date("limited_capacity_decision_date");
    if (!p.incapable_since && !p.limited_since)
      s->fail("court_decision_date",
              "required (or limited_capacity_decision_date): what the register holds");
    s->finish();
  }
  p.unavailable = read_sections(r, "unavailable");
  p.refused = read_sections(r, "refused");
  const auto has_data = [&p](Section s) {
    switch (s) {
      case Section::psychiatric_registration:
        return p.psychiatric_since.has_value();
      case Section::criminal_record:
        return !p.criminal_articles.empty();
      case Section::incapacity:
        return p.incapable_since.has_value() || p.limited_since.has_value();
    }
    return false;
  };
  for (auto s : p.unavailable) {
    if (has_data(s))
      r.fail("unavailable", "section '" + std::string(to_string(s)) +
                                "' has records here: a register that does not answer shows none");
    if (std::ranges::find(p.refused, s) != p.refused.end())
      r.fail("refused", "section '" + std::string(to_string(s)) + "' is also unavailable");
  }
  for (auto s : p.refused) {
    if (has_data(s))
      r.fail("refused", "section '" + std::string(to_string(s)) +
                            "' has records here: a register that declines shows none");
  }
  return p;
}

}  // namespace

std::string_view to_string(Section section) {
  switch (section) {
    case Section::psychiatric_registration:
      return "psychiatric_registration";
    case Section::criminal_record:
      return "criminal_record";
    case Section::incapacity:
      return "incapacity";
  }
  return "?";
}

const PersonRecords* Register::find(std::string_view iin) const {
  for (const auto& p : persons) {
    if (p.iin == iin) return &p;
  }
  return nullptr;
}

Register parse(std::string_view json_text, std::string_view source) {
  return fixtures::parse_document<Register>(json_text, source, [](StrictReader& root) {
    Register reg;
    std::set<std::string> ids;
    std::set<std::string> iins;
    fixtures::read_entries(root, "persons", ids, [&](StrictReader& r, const std::string& id) {
      auto person = read_person(r, id);
      r.require_unique(iins, "iin", person.iin);
      reg.persons.push_back(std::move(person));
    });
    fixtures::read_entries(root, "unknown_to_registers", ids,
                           [&](StrictReader& r, const std::string& id) {
                             UnknownPerson u;
                             u.id = id;
                             u.description = r.required_string("description");
                             u.iin = r.identifier("iin", SubjectKind::individual);
                             r.require_unique(iins, "iin", u.iin);
                             reg.unknown_to_registers.push_back(std::move(u));
                           });
    return reg;
  });
}

Register load(const std::filesystem::path& file) {
  return parse(fixtures::read_fixture_file(file), file.string());
}

}  // namespace tekser::mocks::pa_checks
