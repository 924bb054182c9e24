// The synthetic population: up to a million suppliers that every mock register serves
// consistently, each a pure function of its index and the seed. Nothing is stored per subject:
// the identifier encodes the index (identifiers.hpp), traits come from seeded hashes with the
// configured shares (shares.hpp), names and addresses from small word lists (words.hpp). The one
// pass at start-up counts the traits and keeps the indices of the blacklisted subjects (the РНУ
// and Samruk rows the registers page through): memory for those only.
//
// Fixtures keep precedence: an index whose identifier a fixture file already uses is shadowed
// (it is no subject of the population, in no register, in no count).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <boost/json/object.hpp>

#include "mocks/elicense/fixtures.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/kgd/fixtures.hpp"
#include "mocks/pa_checks/fixtures.hpp"
#include "mocks/population/identifiers.hpp"
#include "mocks/population/shares.hpp"
#include "mocks/population/words.hpp"

namespace tekser::mocks::population {

inline constexpr std::size_t kMaxSize = 1'000'000;

enum class Kind { legal_entity, individual_entrepreneur };
std::string_view to_string(Kind kind);

struct Config {
  std::size_t size = 0;
  std::uint64_t seed = 1;
  Shares shares;
};

struct Counts {
  std::size_t legal_entities = 0;
  std::size_t individual_entrepreneurs = 0;
  std::size_t shadowed = 0;  // indices whose identifier a fixture uses
  std::array<std::size_t, kTraitCount> traits{};
  std::size_t samruk_list = 0;  // quasi_rnu subjects in the Samruk-Kazyna list
  std::size_t quasi_public_list = 0;
};

struct PersonName {
  std::string surname;
  std::string name;
  std::string patronymic;
  bool female = false;
  std::string nationality;  // gbd_fl.nationality code
};

// What a subject is, whichever register asks: the raw material of every record.
struct Profile {
  std::uint64_t key = 0;  // the index, or a hash of an identifier outside the population
  Kind kind = Kind::legal_entity;
  std::string id;  // BIN or IIN
  const words::City* city = nullptr;
  const words::Street* street = nullptr;
  const words::Business* business = nullptr;
  std::string building;
  std::string office;  // an office (legal entity) or a flat (person)
  // Legal entity.
  std::string trade_name;    // «…» inside the quotes: "Мейірім Медтехника"
  bool joint_stock = false;  // АО rather than ТОО
  std::string registration_date;
  PersonName head;
  std::string head_iin;
  std::optional<PersonName> partner;  // a second founder
  std::string partner_iin;
  // Individual entrepreneur.
  PersonName person;
  std::string birth_date;
  std::string ie_registration_date;

  std::string name_ru() const;  // ТОО «…» / ИП Фамилия Имя Отчество
  std::string name_kz() const;  // «…» ЖШС / ЖК Фамилия Имя Әкесінің аты
  std::string full_name_ru() const;  // Товарищество с ограниченной ответственностью «…»
  std::string full_name_kz() const;
};

// Dates a trait carries (when the bankruptcy was declared, ...): drawn, never stored.
struct TraitDates {
  std::string decided;   // a court or founders' decision
  std::string included;  // entered in a list or register
  std::string ended;     // liquidated / died
};

class Population {
 public:
  // No subjects.
  Population();
  // Draws the traits of every index once (O(N) time): counts them and keeps the indices of the
  // blacklisted subjects. `reserved`: every identifier the fixture files use.
  Population(const Config& config, std::unordered_set<std::string> reserved);

  std::size_t size() const { return config_.size; }
  std::uint64_t seed() const { return config_.seed; }
  const Shares& shares() const { return config_.shares; }
  const Counts& counts() const { return counts_; }
  const IdCodec& codec() const { return codec_; }

  Kind kind(std::size_t index) const;
  TraitSet traits(std::size_t index) const;
  // The canonical BIN (legal entity) or IIN (individual entrepreneur) of an index.
  std::string id(std::size_t index) const;
  bool shadowed(std::size_t index) const;

  // The index a canonical identifier of this population encodes; nullopt for any other
  // identifier, an index past the size, an identifier of the other kind or a shadowed one.
  std::optional<std::size_t> find(std::string_view id) const;

  // The first subject at or after `from` with `trait` (any subject when nullopt) and, when
  // given, of `kind`: a scan, for the admin API's listing.
  std::optional<std::size_t> next(std::size_t from, std::optional<Trait> trait,
                                  std::optional<Kind> kind = std::nullopt) const;

  // Sorted indices of the subjects in the goszakup РНУ / in a Samruk list.
  std::span<const std::uint32_t> rnu_listed() const { return rnu_listed_; }
  std::span<const std::uint32_t> quasi_listed() const { return quasi_listed_; }
  // Which Samruk list a quasi_rnu subject is in: "samruk" or "quasi_public".
  std::string_view samruk_list(std::size_t index) const;

  Profile profile(std::size_t index) const;
  // A profile made up for any valid identifier outside the population (for a subject the admin
  // API brings into a register): the kind follows the identifier.
  Profile profile(std::string_view id) const;
  TraitDates dates(const Profile& profile) const;

  // What each register holds about subject `index`.
  fixtures::LegalEntity legal_entity(std::size_t index) const;
  fixtures::Person person(std::size_t index) const;
  kgd::Taxpayer taxpayer(std::size_t index) const;
  elicense::Subject licensing(std::size_t index) const;
  pa_checks::PersonRecords pa_records(std::size_t index) const;
  boost::json::object rnu_row(std::size_t index) const;
  boost::json::object samruk_row(std::size_t index) const;

  // The same records for a profile with the given traits (a made-up subject has none).
  fixtures::LegalEntity legal_entity(const Profile& p, TraitSet traits) const;
  fixtures::Person person(const Profile& p, TraitSet traits) const;
  kgd::Taxpayer taxpayer(const Profile& p, TraitSet traits) const;
  elicense::Subject licensing(const Profile& p, TraitSet traits) const;
  pa_checks::PersonRecords pa_records(const Profile& p) const;
  // A licence and a notification as the profile's line of business would hold them (its own, and
  // a medical one or a medical-devices notification for the other): what a state change grants.
  elicense::Subject standard_licensing(const Profile& p) const;

 private:
  PersonName person_name(std::uint64_t key, bool female) const;
  void fill_place(Profile& p) const;

  Config config_;
  IdCodec codec_;
  std::unordered_set<std::string> reserved_;
  Counts counts_;
  std::vector<std::uint32_t> rnu_listed_;
  std::vector<std::uint32_t> quasi_listed_;
};

// РНУ row ids of the population: kRnuRowBase + index (the fixtures' rows are below).
inline constexpr std::int64_t kRnuRowBase = 10'000'000;

// How the blacklists name a supplier.
struct SubjectNames {
  std::string id;
  std::string name_ru;
  std::string name_kz;
  std::string full_name_ru;
};
SubjectNames names(const Profile& p);

// Register rows (goszakup OWS v3 РНУ item; Samruk API item) of a supplier.
boost::json::object rnu_row(const SubjectNames& supplier, std::int64_t row_id,
                            std::string_view start_date, const std::optional<std::string>& end_date,
                            std::string_view index_datetime, std::size_t reason);
boost::json::object samruk_row(const SubjectNames& supplier, std::string_view list,
                               std::string_view start_date,
                               const std::optional<std::string>& end_date,
                               std::string_view created_datetime, std::size_t reason);

}  // namespace tekser::mocks::population
