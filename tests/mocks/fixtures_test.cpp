#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "common/identity/identity.hpp"
#include "mocks/fixtures/codes.hpp"
#include "test_support.hpp"

namespace tekser::mocks {
namespace {

using testing::shipped_fixtures;
namespace json = boost::json;

std::string shipped_text() {
  std::ifstream in(TEKSER_MOCKS_FIXTURES, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const fixtures::LegalEntity& entity(std::string_view id) {
  for (const auto& e : shipped_fixtures().legal_entities) {
    if (e.id == id) return e;
  }
  throw std::out_of_range("no legal entity " + std::string(id));
}

const fixtures::Person& person(std::string_view id) {
  for (const auto& p : shipped_fixtures().individuals) {
    if (p.id == id) return p;
  }
  throw std::out_of_range("no individual " + std::string(id));
}

// Every value under a key "bin", "iin" or "identifier", anywhere in the document.
void collect_identifiers(const json::value& value,
                         std::vector<std::pair<std::string, std::string>>& out) {
  if (value.is_object()) {
    for (const auto& field : value.as_object()) {
      if ((field.key() == "bin" || field.key() == "iin" || field.key() == "identifier") &&
          field.value().is_string())
        out.emplace_back(std::string(field.key()), std::string(field.value().as_string()));
      collect_identifiers(field.value(), out);
    }
  } else if (value.is_array()) {
    for (const auto& element : value.as_array()) collect_identifiers(element, out);
  }
}

TEST(Fixtures, EveryIinAndBinInTheFileHasAValidCheckDigitAndStructure) {
  std::vector<std::pair<std::string, std::string>> identifiers;
  collect_identifiers(json::parse(shipped_text()), identifiers);
  ASSERT_GE(identifiers.size(), 20u);
  for (const auto& [key, value] : identifiers) {
    const auto parsed = identity::parse(value);
    ASSERT_TRUE(parsed) << key << " " << value << ": " << parsed.error;
    if (key == "bin") {
      EXPECT_EQ(parsed.identifier->kind, identity::SubjectKind::legal_entity) << value;
    }
    if (key == "iin") {
      EXPECT_EQ(parsed.identifier->kind, identity::SubjectKind::individual) << value;
    }
  }
}

TEST(Fixtures, IdsAreUniqueAndEveryEntryIsDescribed) {
  std::set<std::string> ids;
  const auto& reg = shipped_fixtures();
  for (const auto& e : reg.legal_entities) {
    EXPECT_TRUE(ids.insert(e.id).second) << e.id;
    EXPECT_FALSE(e.description.empty()) << e.id;
  }
  for (const auto& p : reg.individuals) {
    EXPECT_TRUE(ids.insert(p.id).second) << p.id;
    EXPECT_FALSE(p.description.empty()) << p.id;
  }
  for (const auto& a : reg.absent) EXPECT_TRUE(ids.insert(a.id).second) << a.id;
}

TEST(Fixtures, CoverTheStatesTheGatewayMustTellApart) {
  const auto& active = entity("ul-active");
  EXPECT_EQ(active.reg_status_code, codes::kRegStatusRegistered);
  ASSERT_TRUE(active.leader);
  ASSERT_TRUE(active.address);
  EXPECT_EQ(active.address->kato, "751110000");
  EXPECT_FALSE(active.founders_fl.empty());
  EXPECT_FALSE(active.founders_ul.empty());
  EXPECT_FALSE(active.liquidation);
  EXPECT_FALSE(active.tax_inactive);

  const auto& liquidating = entity("ul-in-liquidation");
  EXPECT_EQ(liquidating.reg_status_code, codes::kRegStatusLiquidating);
  ASSERT_TRUE(liquidating.liquidation);
  EXPECT_EQ(liquidating.liquidation->base_code, "1");
  EXPECT_FALSE(liquidating.liquidation_date);

  const auto& liquidated = entity("ul-liquidated");
  EXPECT_EQ(liquidated.reg_status_code, codes::kRegStatusLiquidated);
  EXPECT_TRUE(liquidated.liquidation_date);

  const auto& bankrupt = entity("ul-bankrupt");
  ASSERT_TRUE(bankrupt.liquidation);
  EXPECT_EQ(bankrupt.liquidation->base_code, "4");
  EXPECT_FALSE(bankrupt.liquidation->decision_date.empty());

  const auto& inactive = entity("ul-inactive-taxpayer");
  EXPECT_TRUE(inactive.tax_inactive);
  EXPECT_EQ(inactive.reg_status_code, codes::kRegStatusRegistered);
  EXPECT_FALSE(inactive.liquidation);

  EXPECT_FALSE(person("fl-ip-alive").death_date);
  EXPECT_FALSE(person("fl-assistant-alive").death_date);
  EXPECT_TRUE(person("fl-ip-deceased").death_date);
  EXPECT_TRUE(person("fl-ip-deceased").death_certificate);
}

TEST(Fixtures, BirthDateAndGenderComeFromTheIin) {
  const auto& young = person("fl-assistant-young");
  EXPECT_EQ(young.birth_date, "2002-07-15");
  EXPECT_EQ(young.gender_code, codes::kGenderFemale);
  const auto& deceased = person("fl-ip-deceased");
  EXPECT_EQ(deceased.birth_date, "1958-02-20");
  EXPECT_EQ(deceased.gender_code, codes::kGenderMale);
}

TEST(Fixtures, AbsentIdentifiersAreValidButInNoRegister) {
  const auto& reg = shipped_fixtures();
  ASSERT_EQ(reg.absent.size(), 2u);
  for (const auto& a : reg.absent) {
    EXPECT_TRUE(identity::parse(a.identifier)) << a.id;
    EXPECT_EQ(reg.find_legal_entity(a.identifier), nullptr) << a.id;
    EXPECT_EQ(reg.find_person(a.identifier), nullptr) << a.id;
  }
}

TEST(Codes, EachCodeAppearsOnceInItsDictionaryWithBothNames) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& entry : codes::all()) {
    EXPECT_TRUE(
        seen.emplace(std::string(codes::name(entry.dictionary)), std::string(entry.code)).second)
        << codes::name(entry.dictionary) << " " << entry.code;
    EXPECT_FALSE(entry.name_ru.empty());
    EXPECT_FALSE(entry.name_kz.empty());
  }
}

// A broken fixture file is refused with the entry and the field named.
class BrokenFixture : public ::testing::Test {
 protected:
  static std::string error_for(const std::function<void(json::object&)>& breakage) {
    auto document = json::parse(shipped_text());
    breakage(document.as_object());
    try {
      fixtures::parse(json::serialize(document), "broken.json");
    } catch (const fixtures::FixtureError& e) {
      return e.what();
    }
    return "<accepted>";
  }
  static json::object& legal_entity(json::object& root, std::size_t index) {
    return root["legal_entities"].as_array()[index].as_object();
  }
};

TEST_F(BrokenFixture, WrongCheckDigitNamesEntryFieldAndExpectedDigit) {
  const auto error = error_for([](json::object& root) {
    legal_entity(root, 3)["bin"] = "161140118760";  // check digit is 5
  });
  EXPECT_NE(error.find("broken.json"), std::string::npos) << error;
  EXPECT_NE(error.find("legal_entities[3] (id \"ul-bankrupt\")"), std::string::npos) << error;
  EXPECT_NE(error.find("field \"bin\""), std::string::npos) << error;
  EXPECT_NE(error.find("expected 5"), std::string::npos) << error;
}

TEST_F(BrokenFixture, FounderIinWithImpossibleBirthDateIsRefused) {
  const auto error = error_for([](json::object& root) {
    legal_entity(root, 0)["founders_fl"].as_array()[1].as_object()["iin"] = "801304403774";
  });
  EXPECT_NE(error.find("ul-active"), std::string::npos) << error;
  EXPECT_NE(error.find("founders_fl[1]"), std::string::npos) << error;
  EXPECT_NE(error.find("field \"iin\""), std::string::npos) << error;
}

TEST_F(BrokenFixture, UnknownDictionaryCodeNamesTheDictionary) {
  const auto error =
      error_for([](json::object& root) { legal_entity(root, 1)["reg_status"] = "9"; });
  EXPECT_NE(error.find("ul-in-liquidation"), std::string::npos) << error;
  EXPECT_NE(error.find("field \"reg_status\""), std::string::npos) << error;
  EXPECT_NE(error.find("gbd_ul.reg_status"), std::string::npos) << error;
}

TEST_F(BrokenFixture, MisspeltFieldIsRefusedRatherThanIgnored) {
  const auto error = error_for([](json::object& root) {
    root["individuals"].as_array()[0].as_object()["deathdate"] = "2025-01-01";
  });
  EXPECT_NE(error.find("individuals[0] (id \"fl-ip-alive\")"), std::string::npos) << error;
  EXPECT_NE(error.find("\"deathdate\" is not a known fixture field"), std::string::npos) << error;
}

TEST_F(BrokenFixture, LiquidatedEntityWithoutLiquidationDateIsIncoherent) {
  const auto error =
      error_for([](json::object& root) { legal_entity(root, 2).erase("liquidation_date"); });
  EXPECT_NE(error.find("ul-liquidated"), std::string::npos) << error;
  EXPECT_NE(error.find("field \"liquidation_date\""), std::string::npos) << error;
}

TEST_F(BrokenFixture, BadDateAndDuplicateIdAreRefused) {
  auto error = error_for(
      [](json::object& root) { legal_entity(root, 0)["registration_date"] = "17.03.2015"; });
  EXPECT_NE(error.find("field \"registration_date\""), std::string::npos) << error;
  error = error_for([](json::object& root) { legal_entity(root, 1)["id"] = "ul-active"; });
  EXPECT_NE(error.find("'ul-active' is used by another entry"), std::string::npos) << error;
}

TEST(FixtureFile, NotJsonAndMissingFileAreRefused) {
  EXPECT_THROW(fixtures::parse("{not json", "x.json"), fixtures::FixtureError);
  EXPECT_THROW(fixtures::load("/nonexistent/suppliers.json"), fixtures::FixtureError);
}

}  // namespace
}  // namespace tekser::mocks
