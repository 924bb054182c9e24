// The synthetic population: trait shares as the option reads them, BIN/IIN encodings of the index
// (round trip, check digits, only the canonical spelling), determinism from the seed, the shares
// over a sample, fixtures' precedence, and replies about synthetic subjects that validate against
// the contracts and carry their traits in every register.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/identity/identity.hpp"
#include "mocks/population/hash.hpp"
#include "mocks/population/population.hpp"
#include "world_support.hpp"

namespace tekser::mocks {
namespace {

using population::Kind;
using population::Trait;
using testing::text_at;
namespace http = boost::beast::http;
namespace json = boost::json;

population::Population make(std::size_t size, std::uint64_t seed = 1,
                            std::unordered_set<std::string> reserved = {}) {
  return population::Population(population::Config{size, seed, population::Shares{}},
                                std::move(reserved));
}

void expect_refused(std::string_view shares, const std::string& expected) {
  try {
    population::parse_shares(shares);
    ADD_FAILURE() << "accepted: " << shares;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos)
        << e.what() << "\nexpected to contain: " << expected;
  }
}

// ------------------------------------------------------------------ shares

TEST(PopulationShares, KeysGivenOverrideTheDefaultsAndTheRestKeepTheirs) {
  const auto shares = population::parse_shares("bankrupt=0.1, rnu = 0.25,unlicensed=0");
  EXPECT_DOUBLE_EQ(shares[Trait::bankrupt], 0.1);
  EXPECT_DOUBLE_EQ(shares[Trait::rnu], 0.25);
  EXPECT_DOUBLE_EQ(shares[Trait::unlicensed], 0.0);
  EXPECT_DOUBLE_EQ(shares[Trait::individual_entrepreneur], 0.3);
  EXPECT_DOUBLE_EQ(shares[Trait::tax_debt], 0.05);
  EXPECT_EQ(population::to_string(population::parse_shares("")),
            "individual_entrepreneur=0.3,bankrupt=0.02,liquidated=0.01,rnu=0.01,quasi_rnu=0.005,"
            "deceased=0.005,tax_debt=0.05,unlicensed=0.03");
}

TEST(PopulationShares, BadSharesAreRefusedNamingTheKey) {
  expect_refused("bankrupcy=0.1", "unknown key 'bankrupcy' (known: individual_entrepreneur,");
  expect_refused("rnu=1.5", "key 'rnu' must be a number from 0 to 1, got '1.5'");
  expect_refused("rnu=abc", "key 'rnu' must be a number from 0 to 1, got 'abc'");
  expect_refused("rnu=", "key 'rnu' must be a number from 0 to 1, got ''");
  expect_refused("rnu=-0.1", "key 'rnu' must be a number");
  expect_refused("rnu=0.1,rnu=0.2", "key 'rnu' is given twice");
  expect_refused("rnu", "'rnu' is not key=value");
  expect_refused("bankrupt=0.6,liquidated=0.5", "'bankrupt' + 'liquidated' must not exceed 1");
}

// ------------------------------------------------------------------ identifiers

TEST(PopulationIdentifiers, EveryNumberRoundTripsThroughAValidIdentifier) {
  const population::IdCodec codec(42);
  std::set<std::string> seen;
  auto check = [&](std::uint64_t k) {
    const auto bin = codec.bin(k);
    const auto iin = codec.iin(k);
    const auto parsed_bin = identity::parse_as(bin, identity::SubjectKind::legal_entity);
    const auto parsed_iin = identity::parse_as(iin, identity::SubjectKind::individual);
    ASSERT_TRUE(parsed_bin) << k << " " << bin << ": " << parsed_bin.error;
    ASSERT_TRUE(parsed_iin) << k << " " << iin << ": " << parsed_iin.error;
    EXPECT_EQ(*parsed_iin.identifier->birth_date, codec.birth_date(k));
    EXPECT_EQ(codec.bin_number(bin), k) << bin;
    EXPECT_EQ(codec.iin_number(iin), k) << iin;
    EXPECT_TRUE(seen.insert(bin).second) << bin;
    EXPECT_TRUE(seen.insert(iin).second) << iin;
  };
  for (std::uint64_t k = 0; k < 20000; ++k) check(k);
  for (std::uint64_t k = 980000; k < 1'000'000; ++k) check(k);
  for (std::uint64_t k = population::kBinCapacity - 100; k < population::kBinCapacity; ++k)
    check(k);
  EXPECT_THROW(codec.bin(population::kBinCapacity), std::out_of_range);
}

TEST(PopulationIdentifiers, OnlyTheCanonicalSpellingMapsBack) {
  const population::IdCodec codec(42);
  // A number whose drawn free digit would give a never-issued identifier takes the next digit:
  // the other digits that give a valid identifier are not the canonical one and are refused.
  std::size_t other_valid = 0;
  for (std::uint64_t k = 0; k < 3000; ++k) {
    for (const auto& id : {codec.bin(k), codec.iin(k)}) {
      for (char f = '0'; f <= '9'; ++f) {
        if (f == id[10]) continue;
        auto eleven = id.substr(0, 10) + f;
        const auto check = identity::check_digit(eleven);
        if (!check) continue;
        const auto variant = eleven + static_cast<char>('0' + *check);
        ++other_valid;
        EXPECT_FALSE(codec.bin_number(variant) || codec.iin_number(variant)) << variant;
      }
      // A wrong check digit, and (IIN) the other sex digit.
      auto wrong = id;
      wrong[11] = static_cast<char>('0' + (id[11] - '0' + 1) % 10);
      EXPECT_FALSE(codec.bin_number(wrong) || codec.iin_number(wrong)) << wrong;
    }
    auto iin = codec.iin(k);
    iin[6] = static_cast<char>(iin[6] % 2 == 1 ? iin[6] + 1 : iin[6] - 1);
    EXPECT_FALSE(codec.iin_number(iin)) << iin;
  }
  EXPECT_GT(other_valid, 10000u);
  EXPECT_FALSE(codec.bin_number("150340012340"));  // a fixture BIN of another shape
  EXPECT_FALSE(codec.iin_number("12345"));
}

TEST(PopulationIdentifiers, ACheckDigitOfTenTakesTheNextFreeDigit) {
  // The free digit is drawn from the seed; where it would make a number that is never issued
  // (check digit "10" in both rounds), the next digit is taken — deterministically.
  const std::uint64_t seed = 1;
  const population::IdCodec codec(seed);
  std::size_t bumped = 0;
  for (std::uint64_t k = 0; k < 200'000; ++k) {
    const auto drawn = population::below(seed, k, population::Salt::free_digit, 10);
    for (const auto& id : {codec.bin(k), codec.iin(k)}) {
      const auto drawn_digit = static_cast<char>('0' + drawn);
      if (identity::check_digit(id.substr(0, 10) + drawn_digit)) {
        ASSERT_EQ(id[10], drawn_digit) << id;
        continue;
      }
      ++bumped;
      EXPECT_EQ(id[10], static_cast<char>('0' + (drawn + 1) % 10)) << id;
      const auto parsed = identity::parse(id);
      ASSERT_TRUE(parsed) << id;
      const bool legal = parsed.identifier->kind == identity::SubjectKind::legal_entity;
      EXPECT_EQ(legal ? codec.bin_number(id) : codec.iin_number(id), k) << id;
    }
  }
  EXPECT_GT(bumped, 100u);  // about 1 in 121
}

// ------------------------------------------------------------------ the population

TEST(Population, TheSameSeedGivesTheSameSubjectsAndAnotherSeedOthers) {
  const auto a = make(20000, 7);
  const auto b = make(20000, 7);
  const auto c = make(20000, 8);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < 20000; i += 97) {
    EXPECT_EQ(a.id(i), b.id(i));
    EXPECT_EQ(a.traits(i), b.traits(i));
    EXPECT_EQ(json::serialize(a.rnu_row(i)), json::serialize(b.rnu_row(i)));
    if (a.kind(i) == Kind::legal_entity) {
      EXPECT_EQ(a.legal_entity(i).full_name_ru, b.legal_entity(i).full_name_ru);
    }
    if (a.id(i) != c.id(i)) ++differ;
  }
  EXPECT_EQ(a.counts().traits, b.counts().traits);
  EXPECT_GT(differ, 200u);  // of 207 sampled
  EXPECT_NE(a.counts().traits, c.counts().traits);
}

TEST(Population, AnIdentifierMapsBackToItsIndexWithoutATable) {
  const auto p = make(population::kMaxSize, 3);
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{500'000}, std::size_t{999'990},
                        std::size_t{999'999}}) {
    const auto id = p.id(i);
    EXPECT_EQ(p.find(id), i) << id;
    const auto kind = identity::parse(id).identifier->kind;
    EXPECT_EQ(kind == identity::SubjectKind::individual,
              p.kind(i) == Kind::individual_entrepreneur);
  }
  for (std::size_t i = 999'000; i < 1'000'000; ++i) ASSERT_EQ(p.find(p.id(i)), i);
  // The other kind's encoding of the same index, an index past the size, a fixture identifier.
  const auto small = make(1000, 3);
  for (std::size_t i = 0; i < 1000; ++i) {
    const auto other =
        small.kind(i) == Kind::legal_entity ? small.codec().iin(i) : small.codec().bin(i);
    EXPECT_FALSE(small.find(other)) << other;
  }
  EXPECT_FALSE(small.find(small.codec().bin(5000)));
  EXPECT_FALSE(small.find(small.codec().iin(5000)));
  EXPECT_FALSE(small.find("150340012340"));
  EXPECT_FALSE(small.find("not-an-id"));
}

TEST(Population, SharesHoldWithinToleranceOverASample) {
  const auto p = make(200'000, 11);
  const auto& c = p.counts();
  const double n = 200'000;
  const double les = static_cast<double>(c.legal_entities);
  const double ies = static_cast<double>(c.individual_entrepreneurs);
  auto share = [&](Trait t, double of) {
    return static_cast<double>(c.traits[static_cast<std::size_t>(t)]) / of;
  };
  EXPECT_NEAR(ies / n, 0.3, 0.006);
  EXPECT_NEAR(share(Trait::liquidated, les), 0.01, 0.0015);
  EXPECT_NEAR(share(Trait::deceased, ies), 0.005, 0.0015);
  EXPECT_NEAR(share(Trait::bankrupt, n), 0.02, 0.002);
  EXPECT_NEAR(share(Trait::rnu, n), 0.01, 0.0015);
  EXPECT_NEAR(share(Trait::quasi_rnu, n), 0.005, 0.001);
  EXPECT_NEAR(share(Trait::tax_debt, n), 0.05, 0.003);
  EXPECT_NEAR(share(Trait::unlicensed, n), 0.03, 0.002);
  EXPECT_EQ(p.rnu_listed().size(), c.traits[static_cast<std::size_t>(Trait::rnu)]);
  EXPECT_EQ(c.samruk_list + c.quasi_public_list, p.quasi_listed().size());
  // Other shares, other counts.
  auto shares = population::parse_shares("individual_entrepreneur=0.5,rnu=0.2");
  const population::Population q(population::Config{50'000, 11, shares}, {});
  EXPECT_NEAR(static_cast<double>(q.counts().individual_entrepreneurs) / 50'000, 0.5, 0.01);
  EXPECT_NEAR(static_cast<double>(q.rnu_listed().size()) / 50'000, 0.2, 0.01);
}

TEST(Population, AFixtureIdentifierShadowsItsIndex) {
  const auto plain = make(1000, 5);
  const auto taken = plain.id(17);
  const auto p = make(1000, 5, {taken});
  EXPECT_TRUE(p.shadowed(17));
  EXPECT_FALSE(p.find(taken));
  EXPECT_EQ(p.counts().shadowed, 1u);
  EXPECT_EQ(p.counts().legal_entities + p.counts().individual_entrepreneurs, 999u);
  EXPECT_EQ(p.next(17, std::nullopt), 18u);
}

TEST(Population, RecordsCarryTheTraitsInKazakhAndRussian) {
  const auto p = make(50'000, 9);
  auto first = [&](Trait t, std::optional<Kind> kind = std::nullopt) {
    const auto i = p.next(0, t, kind);
    EXPECT_TRUE(i) << population::to_string(t);
    return i.value_or(0);
  };
  const auto liquidated = p.legal_entity(first(Trait::liquidated));
  EXPECT_EQ(liquidated.reg_status_code, "3");
  ASSERT_TRUE(liquidated.liquidation_date);
  EXPECT_GT(*liquidated.liquidation_date, liquidated.registration_date);
  const auto bankrupt = p.legal_entity(first(Trait::bankrupt, Kind::legal_entity));
  EXPECT_EQ(bankrupt.reg_status_code, "2");
  EXPECT_EQ(bankrupt.liquidation->base_code, "4");
  const auto deceased = p.person(first(Trait::deceased));
  ASSERT_TRUE(deceased.death_date);
  EXPECT_GT(*deceased.death_date, deceased.birth_date);
  EXPECT_GT(p.taxpayer(first(Trait::tax_debt)).total(kgd::Levy::tax), 0);
  const auto ie_bankrupt = p.taxpayer(first(Trait::bankrupt, Kind::individual_entrepreneur));
  ASSERT_EQ(ie_bankrupt.lists.size(), 1u);
  EXPECT_EQ(ie_bankrupt.lists[0].list, "bankrupt");
  const auto unlicensed = p.licensing(first(Trait::unlicensed));
  EXPECT_TRUE(unlicensed.licences.empty() && unlicensed.notifications.empty());

  std::size_t llp = 0, ie = 0;
  for (std::size_t i = 0; i < 2000; ++i) {
    if (p.traits(i).has(Trait::unlicensed)) continue;
    const auto l = p.licensing(i);
    EXPECT_EQ(l.licences.size() + l.notifications.size(), 1u) << i;
    if (p.kind(i) == Kind::legal_entity) {
      const auto e = p.legal_entity(i);
      EXPECT_TRUE(e.short_name_ru->starts_with("ТОО «") || e.short_name_ru->starts_with("АО «"))
          << *e.short_name_ru;
      EXPECT_TRUE(e.short_name_kz->ends_with("» ЖШС") || e.short_name_kz->ends_with("» АҚ"))
          << *e.short_name_kz;
      EXPECT_TRUE(identity::parse_as(e.leader->iin, identity::SubjectKind::individual));
      EXPECT_FALSE(p.find(e.leader->iin)) << "a head is never a subject";
      EXPECT_EQ(e.address->kato.size(), 9u);
      ++llp;
    } else {
      const auto person = p.person(i);
      EXPECT_TRUE(person.patronymic->ends_with("ұлы") || person.patronymic->ends_with("қызы") ||
                  person.patronymic->ends_with("вич") || person.patronymic->ends_with("вна"))
          << *person.patronymic;
      EXPECT_EQ(person.gender_code, person.iin[6] % 2 == 1 ? "1" : "2");
      ++ie;
    }
  }
  EXPECT_GT(llp, 1000u);
  EXPECT_GT(ie, 400u);
}

// ------------------------------------------------------------------ replies through the bus

class PopulationRepliesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    mocks_ = std::make_unique<testing::MocksWorld>(
        population::Config{20'000, 2026, population::Shares{}});
  }
  static void TearDownTestSuite() { mocks_.reset(); }

  // Up to `count` subjects with the trait (and kind).
  static std::vector<std::size_t> some(std::optional<Trait> trait, std::optional<Kind> kind,
                                       std::size_t count = 3) {
    std::vector<std::size_t> out;
    for (auto i = mocks_->population().next(0, trait, kind); i && out.size() < count;
         i = mocks_->population().next(*i + 1, trait, kind))
      out.push_back(*i);
    EXPECT_EQ(out.size(), count);
    return out;
  }

  static std::size_t all_rows_expected() {
    return testing::all_fixtures().rnu.items().size() + mocks_->population().rnu_listed().size();
  }
  static std::size_t all_fixtures_samruk() { return testing::all_fixtures().samruk.items().size(); }

  static inline std::unique_ptr<testing::MocksWorld> mocks_;
};

TEST_F(PopulationRepliesTest, GbdUlAnswersSyntheticLegalEntitiesWithTheirStatus) {
  shep::ParsedReply parsed;
  for (const auto i : some(std::nullopt, Kind::legal_entity, 5)) {
    const auto bin = mocks_->population().id(i);
    const auto data = mocks_->ask(testing::gbd_ul_request(bin), parsed);
    EXPECT_EQ(text_at(data, {"Status", "Code"}), "001");
    EXPECT_EQ(text_at(data, {"Organization", "BIN"}), bin);
  }
  for (const auto i : some(Trait::liquidated, Kind::legal_entity)) {
    const auto data = mocks_->ask(testing::gbd_ul_request(mocks_->population().id(i)), parsed);
    EXPECT_EQ(text_at(data, {"Organization", "RegStatus", "Code"}), "3");
    EXPECT_NE(text_at(data, {"Organization", "LiquidationDate"}), "<missing>");
  }
  for (const auto i : some(Trait::bankrupt, Kind::legal_entity)) {
    const auto data = mocks_->ask(testing::gbd_ul_request(mocks_->population().id(i)), parsed);
    EXPECT_EQ(text_at(data, {"Organization", "Liquidation", "LiqBase", "Code"}), "4");
    EXPECT_EQ(text_at(data, {"Organization", "LiquidationDate"}), "<missing>");
  }
  // An IE's IIN is no BIN of ГБД ЮЛ.
  const auto ie = some(std::nullopt, Kind::individual_entrepreneur, 1).front();
  const auto data = mocks_->ask(testing::gbd_ul_request(mocks_->population().id(ie)), parsed);
  EXPECT_EQ(text_at(data, {"Status", "Code"}), "004");
}

TEST_F(PopulationRepliesTest, GbdFlAnswersIndividualEntrepreneursAliveOrDeceased) {
  shep::ParsedReply parsed;
  for (const auto i : some(std::nullopt, Kind::individual_entrepreneur, 5)) {
    const auto iin = mocks_->population().id(i);
    const auto data = mocks_->ask(testing::gbd_fl_request(iin), parsed);
    EXPECT_EQ(text_at(data, {"persons", "person", "iin"}), iin);
    const bool dead = mocks_->population().traits(i).has(Trait::deceased);
    EXPECT_EQ(text_at(data, {"persons", "person", "lifeStatus", "code"}), dead ? "2" : "1");
  }
  for (const auto i : some(Trait::deceased, Kind::individual_entrepreneur)) {
    const auto data = mocks_->ask(testing::gbd_fl_request(mocks_->population().id(i)), parsed);
    EXPECT_EQ(text_at(data, {"persons", "person", "lifeStatus", "code"}), "2");
    EXPECT_NE(text_at(data, {"persons", "person", "deathDate"}), "<missing>");
  }
}

TEST_F(PopulationRepliesTest, KgdCarriesTaxDebtAndTheBankruptList) {
  shep::ParsedReply parsed;
  for (const auto i : some(Trait::tax_debt, std::nullopt, 5)) {
    const auto data = mocks_->ask(testing::kgd_request(mocks_->population().id(i)), parsed);
    EXPECT_EQ(text_at(data, {"result", "code"}), "00");
    EXPECT_GT(std::stod(text_at(data, {"taxpayer", "arrears", "totalTaxArrear"})), 0);
  }
  for (const auto kind : {Kind::legal_entity, Kind::individual_entrepreneur}) {
    for (const auto i : some(Trait::bankrupt, kind, 2)) {
      const auto data = mocks_->ask(testing::kgd_request(mocks_->population().id(i)), parsed);
      EXPECT_EQ(text_at(data, {"taxpayer", "listEntry", "list", "code"}), "1");
    }
  }
  const auto clean = mocks_->population().next(0, std::nullopt);
  ASSERT_TRUE(clean);
  auto i = *clean;
  while (mocks_->population().traits(i).has(Trait::tax_debt) ||
         mocks_->population().traits(i).has(Trait::bankrupt))
    ++i;
  const auto data = mocks_->ask(testing::kgd_request(mocks_->population().id(i)), parsed);
  EXPECT_EQ(text_at(data, {"taxpayer", "arrears", "totalArrear"}), "0.00");
  EXPECT_EQ(text_at(data, {"taxpayer", "listEntry"}), "<missing>");
}

TEST_F(PopulationRepliesTest, ElicensingHoldsALicenceUnlessUnlicensed) {
  shep::ParsedReply parsed;
  for (const auto i : some(Trait::unlicensed, std::nullopt)) {
    const auto data = mocks_->ask(testing::elicense_request(mocks_->population().id(i)), parsed);
    EXPECT_EQ(text_at(data, {"result", "code"}), "00");
    EXPECT_EQ(text_at(data, {"subject", "licenses", "license"}), "<missing>");
    EXPECT_EQ(text_at(data, {"subject", "notifications", "notification"}), "<missing>");
  }
  std::size_t asked = 0;
  for (std::size_t i = 0; asked < 5; ++i) {
    if (mocks_->population().traits(i).has(Trait::unlicensed)) continue;
    ++asked;
    const auto data = mocks_->ask(testing::elicense_request(mocks_->population().id(i)), parsed);
    const bool licence = text_at(data, {"subject", "licenses", "license", "status", "code"}) == "1";
    const bool notification =
        text_at(data, {"subject", "notifications", "notification", "status", "code"}) == "1";
    EXPECT_TRUE(licence || notification) << mocks_->population().id(i);
  }
}

TEST_F(PopulationRepliesTest, PersonalAssistantChecksKnowTheIndividualEntrepreneurs) {
  shep::ParsedReply parsed;
  const auto ie = some(std::nullopt, Kind::individual_entrepreneur, 1).front();
  auto data = mocks_->ask(testing::pa_checks_request(mocks_->population().id(ie)), parsed);
  EXPECT_EQ(text_at(data, {"Result", "Code"}), "OK");
  EXPECT_EQ(text_at(data, {"CriminalRecord", "HasUnexpungedRecord"}), "false");
  const auto le = some(std::nullopt, Kind::legal_entity, 1).front();
  data = mocks_->ask(testing::pa_checks_request(mocks_->population().codec().iin(le)), parsed);
  EXPECT_EQ(text_at(data, {"Result", "Code"}), "PERSON_NOT_FOUND");
}

TEST_F(PopulationRepliesTest, TheBlacklistsListTheirSubjectsAndPageWithoutMaterialisingThem) {
  // One supplier: the РНУ row is a ban in force (24 months from 2025), the Samruk row likewise.
  for (const auto i : some(Trait::rnu, std::nullopt)) {
    const auto id = mocks_->population().id(i);
    const auto page = mocks_->call_json(http::verb::get, "/v3/rnu?supplier_biin=" + id);
    ASSERT_EQ(page.at("total"), 1) << id;
    const auto& row = page.at("items").at(0).as_object();
    EXPECT_EQ(row.at("supplier_biin"), json::value(id));
    EXPECT_EQ(row.at("id"), population::kRnuRowBase + static_cast<std::int64_t>(i));
    EXPECT_LT(std::string(row.at("start_date").as_string()), "2026-01-01");
    EXPECT_GT(std::string(row.at("end_date").as_string()), "2026-12-31");
  }
  for (const auto i : some(Trait::quasi_rnu, std::nullopt)) {
    const auto id = mocks_->population().id(i);
    const auto page = mocks_->call_json(http::verb::get, "/api/unreliable-suppliers?bin_iin=" + id);
    ASSERT_EQ(page.at("count"), 1) << id;
    EXPECT_EQ(page.at("results").at(0).at("list"),
              json::value(mocks_->population().samruk_list(i)));
  }
  // The whole РНУ: the fixture rows and every listed subject once, in id order.
  std::set<std::int64_t> ids;
  std::int64_t previous = 0;
  std::string target = "/v3/rnu?limit=200";
  for (int pages = 0; !target.empty() && pages < 1000; ++pages) {
    const auto page = mocks_->call_json(http::verb::get, target).as_object();
    for (const auto& item : page.at("items").as_array()) {
      const auto id = item.at("id").as_int64();
      EXPECT_GT(id, previous);
      previous = id;
      ids.insert(id);
    }
    EXPECT_EQ(page.at("total").as_int64(), static_cast<std::int64_t>(all_rows_expected()));
    target = std::string(page.at("next_page").as_string());
  }
  EXPECT_EQ(ids.size(), all_rows_expected());
  // Samruk paging by page number covers the fixtures and the population.
  const auto first = mocks_->call_json(http::verb::get, "/api/unreliable-suppliers?page_size=100");
  const auto count = first.at("count").as_int64();
  EXPECT_EQ(count, static_cast<std::int64_t>(all_fixtures_samruk() +
                                             mocks_->population().quasi_listed().size()));
  std::set<std::string> seen;
  for (std::int64_t page = 1; (page - 1) * 100 < count; ++page) {
    const auto body = mocks_->call_json(
        http::verb::get, "/api/unreliable-suppliers?page_size=100&page=" + std::to_string(page));
    for (const auto& row : body.at("results").as_array())
      seen.insert(std::string(row.at("bin_iin").as_string()) + "/" +
                  std::string(row.at("list").as_string()) + "/" +
                  std::string(row.at("start_date").as_string()));
  }
  EXPECT_EQ(static_cast<std::int64_t>(seen.size()), count);
}

}  // namespace
}  // namespace tekser::mocks
