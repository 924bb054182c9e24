#include "mocks/population/population.hpp"

#include <stdexcept>

#include "common/identity/identity.hpp"
#include "mocks/fixtures/codes.hpp"
#include "mocks/population/dates.hpp"
#include "mocks/population/hash.hpp"

namespace tekser::mocks::population {
namespace {

namespace json = boost::json;

// Key spaces of the people who are no subjects (heads and partners of legal entities): their
// IINs are canonical encodings of numbers past any population, so no subject ever has them.
constexpr std::uint64_t kHeadNumbers = kMaxSize;                 // 2 per index
constexpr std::uint64_t kMadeUpHeadNumbers = 3 * kMaxSize;       // made-up subjects' heads
constexpr std::uint64_t kNameKeyTag = 0x4EAD'0000'0000'0000ull;  // person keys of heads

// Business lines an individual entrepreneur runs (no sanatorium, no wholesale).
constexpr std::array<std::size_t, 5> kIeBusinesses{0, 1, 2, 4, 6};

std::string digits(std::uint64_t value, int width) {
  std::string out(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out;
}

std::string plus_years(std::string_view date, int years) {
  const int y = std::stoi(std::string(date.substr(0, 4))) + years;
  auto mmdd = std::string(date.substr(4));
  if (mmdd == "-02-29") mmdd = "-02-28";
  return digits(static_cast<std::uint64_t>(y), 4) + mmdd;
}

std::string time_of_day(std::uint64_t seed, std::uint64_t key, Salt salt) {
  const auto seconds = below(seed, key, salt, 9 * 3600, 7) + 9 * 3600;  // 09:00..17:59
  return digits(seconds / 3600, 2) + ":" + digits(seconds / 60 % 60, 2) + ":" +
         digits(seconds % 60, 2);
}

fixtures::Named registration_department(const words::City& c) {
  return fixtures::Named{std::string(c.justice_code),
                         "Филиал НАО «Государственная корпорация «Правительство для граждан» по " +
                             std::string(c.region_dative_ru),
                         "«Азаматтарға арналған үкімет» мемлекеттік корпорациясы» КЕАҚ " +
                             std::string(c.region.kz) + " бойынша филиалы"};
}

fixtures::Named named(const words::Coded& c) {
  return fixtures::Named{std::string(c.code), std::string(c.ru), std::string(c.kz)};
}

elicense::Authority health_authority(const words::City& c) {
  return {"HEALTH-" + std::string(c.tag),
          "Управление здравоохранения " + std::string(c.region_genitive_ru),
          std::string(c.region_genitive_kz) + " денсаулық сақтау басқармасы"};
}

elicense::Authority pharma_authority(const words::City& c) {
  return {"KMFK-" + std::string(c.tag),
          "Департамент Комитета медицинского и фармацевтического контроля по " +
              std::string(c.region_dative_ru),
          "Медициналық және фармацевтикалық бақылау комитетінің " + std::string(c.region.kz) +
              " бойынша департаменті"};
}

elicense::Authority transport_authority(const words::City& c) {
  return {
      "TRANSPORT-" + std::string(c.tag),
      "Управление пассажирского транспорта и автомобильных дорог " +
          std::string(c.region_genitive_ru),
      std::string(c.region_genitive_kz) + " жолаушылар көлігі және автомобиль жолдары басқармасы"};
}

std::string full_name(const PersonName& n) {
  return n.surname + " " + n.name + (n.patronymic.empty() ? "" : " " + n.patronymic);
}

}  // namespace

std::string_view to_string(Kind kind) {
  return kind == Kind::legal_entity ? "legal_entity" : "individual_entrepreneur";
}

// ---------------------------------------------------------------- Profile names

std::string Profile::name_ru() const {
  if (kind == Kind::individual_entrepreneur) return "ИП " + full_name(person);
  return std::string(joint_stock ? "АО «" : "ТОО «") + trade_name + " " +
         std::string(business->word_ru) + "»";
}

std::string Profile::name_kz() const {
  if (kind == Kind::individual_entrepreneur) return "ЖК " + full_name(person);
  return "«" + trade_name + " " + std::string(business->word_kz) + "» " +
         (joint_stock ? "АҚ" : "ЖШС");
}

std::string Profile::full_name_ru() const {
  if (kind == Kind::individual_entrepreneur)
    return "Индивидуальный предприниматель " + full_name(person);
  return std::string(joint_stock ? "Акционерное общество «"
                                 : "Товарищество с ограниченной ответственностью «") +
         trade_name + " " + std::string(business->word_ru) + "»";
}

std::string Profile::full_name_kz() const {
  if (kind == Kind::individual_entrepreneur) return "Жеке кәсіпкер " + full_name(person);
  return "«" + trade_name + " " + std::string(business->word_kz) + "» " +
         (joint_stock ? "акционерлік қоғамы" : "жауапкершілігі шектеулі серіктестігі");
}

// ---------------------------------------------------------------- Population

Population::Population() : codec_(config_.seed) {}

Population::Population(const Config& config, std::unordered_set<std::string> reserved)
    : config_(config), codec_(config.seed), reserved_(std::move(reserved)) {
  if (config_.size > kMaxSize)
    throw std::invalid_argument("--population must be 0.." + std::to_string(kMaxSize));
  for (std::size_t i = 0; i < config_.size; ++i) {
    if (shadowed(i)) {
      ++counts_.shadowed;
      continue;
    }
    const auto t = traits(i);
    ++(t.has(Trait::individual_entrepreneur) ? counts_.individual_entrepreneurs
                                             : counts_.legal_entities);
    for (const auto trait : kTraits) {
      if (t.has(trait)) ++counts_.traits[static_cast<std::size_t>(trait)];
    }
    if (t.has(Trait::rnu)) rnu_listed_.push_back(static_cast<std::uint32_t>(i));
    if (t.has(Trait::quasi_rnu)) {
      quasi_listed_.push_back(static_cast<std::uint32_t>(i));
      ++(samruk_list(i) == "samruk" ? counts_.samruk_list : counts_.quasi_public_list);
    }
  }
  rnu_listed_.shrink_to_fit();
  quasi_listed_.shrink_to_fit();
}

Kind Population::kind(std::size_t index) const {
  return unit(config_.seed, index, Salt::kind) < config_.shares[Trait::individual_entrepreneur]
             ? Kind::individual_entrepreneur
             : Kind::legal_entity;
}

TraitSet Population::traits(std::size_t index) const {
  const auto& s = config_.shares;
  const auto seed = config_.seed;
  TraitSet t;
  const double status = unit(seed, index, Salt::status);
  if (kind(index) == Kind::individual_entrepreneur) {
    t.set(Trait::individual_entrepreneur);
    if (status < s[Trait::bankrupt]) t.set(Trait::bankrupt);
    if (unit(seed, index, Salt::deceased) < s[Trait::deceased]) t.set(Trait::deceased);
  } else {
    // One draw: a legal entity is liquidated, bankrupt or neither, never both.
    if (status < s[Trait::liquidated])
      t.set(Trait::liquidated);
    else if (status < s[Trait::liquidated] + s[Trait::bankrupt])
      t.set(Trait::bankrupt);
  }
  if (unit(seed, index, Salt::rnu) < s[Trait::rnu]) t.set(Trait::rnu);
  if (unit(seed, index, Salt::quasi_rnu) < s[Trait::quasi_rnu]) t.set(Trait::quasi_rnu);
  if (unit(seed, index, Salt::tax_debt) < s[Trait::tax_debt]) t.set(Trait::tax_debt);
  if (unit(seed, index, Salt::unlicensed) < s[Trait::unlicensed]) t.set(Trait::unlicensed);
  return t;
}

std::string Population::id(std::size_t index) const {
  return kind(index) == Kind::legal_entity ? codec_.bin(index) : codec_.iin(index);
}

bool Population::shadowed(std::size_t index) const {
  return !reserved_.empty() && reserved_.count(id(index)) > 0;
}

std::optional<std::size_t> Population::find(std::string_view text) const {
  const auto parsed = identity::parse(text);
  if (!parsed) return std::nullopt;
  const bool legal = parsed.identifier->kind == identity::SubjectKind::legal_entity;
  const auto number = legal ? codec_.bin_number(text) : codec_.iin_number(text);
  if (!number || *number >= config_.size) return std::nullopt;
  const auto index = static_cast<std::size_t>(*number);
  if ((kind(index) == Kind::legal_entity) != legal) return std::nullopt;
  if (!reserved_.empty() && reserved_.count(std::string(text))) return std::nullopt;
  return index;
}

std::optional<std::size_t> Population::next(std::size_t from, std::optional<Trait> trait,
                                            std::optional<Kind> wanted) const {
  for (auto i = from; i < config_.size; ++i) {
    if (wanted && kind(i) != *wanted) continue;
    if (trait && !traits(i).has(*trait)) continue;
    if (shadowed(i)) continue;
    return i;
  }
  return std::nullopt;
}

std::string_view Population::samruk_list(std::size_t index) const {
  return below(config_.seed, index, Salt::samruk_list, 2) == 0 ? "samruk" : "quasi_public";
}

PersonName Population::person_name(std::uint64_t key, bool female) const {
  const auto seed = config_.seed;
  const auto& group =
      below(seed, key, Salt::ethnicity, 100) < 85 ? words::kazakh() : words::russian();
  const auto& surname = group.surnames[below(seed, key, Salt::surname, group.surnames.size())];
  const auto& father = group.male[below(seed, key, Salt::father_name, group.male.size())];
  PersonName n;
  n.female = female;
  n.nationality = std::string(group.nationality);
  n.surname = std::string(female ? surname.female : surname.male);
  n.name =
      female ? std::string(group.female[below(seed, key, Salt::given_name, group.female.size())])
             : std::string(group.male[below(seed, key, Salt::given_name, group.male.size())].name);
  n.patronymic = std::string(female ? father.daughter : father.son);
  return n;
}

void Population::fill_place(Profile& p) const {
  const auto seed = config_.seed;
  const auto cities = words::cities();
  const auto streets = words::streets();
  p.city = &cities[below(seed, p.key, Salt::city, cities.size())];
  p.street = &streets[below(seed, p.key, Salt::street, streets.size())];
  p.building = std::to_string(1 + below(seed, p.key, Salt::building, 180));
  if (below(seed, p.key, Salt::building, 8, 1) == 0) p.building += "А";
  p.office = std::to_string(1 + below(seed, p.key, Salt::office, 300));
}

Profile Population::profile(std::size_t index) const {
  Profile p;
  p.key = index;
  p.kind = kind(index);
  p.id = id(index);
  fill_place(p);
  const auto seed = config_.seed;
  const auto businesses = words::businesses();
  if (p.kind == Kind::legal_entity) {
    p.business = &businesses[below(seed, index, Salt::business, businesses.size())];
    const auto stems = words::name_stems();
    p.trade_name = std::string(stems[below(seed, index, Salt::name_stem, stems.size())]);
    p.joint_stock = below(seed, index, Salt::name_word, 20) == 0;
    // The BIN's YYMM is the registration month.
    p.registration_date = "20" + p.id.substr(0, 2) + "-" + p.id.substr(2, 2) + "-" +
                          digits(1 + below(seed, index, Salt::registration_day, 28), 2);
    const auto head_number = kHeadNumbers + 2 * index;
    p.head_iin = codec_.iin(head_number);
    p.head = person_name(head_number | kNameKeyTag, codec_.female(head_number));
    if (below(seed, index, Salt::founders, 10) < 4) {
      p.partner_iin = codec_.iin(head_number + 1);
      p.partner = person_name((head_number + 1) | kNameKeyTag, codec_.female(head_number + 1));
    }
  } else {
    p.business =
        &businesses[kIeBusinesses[below(seed, index, Salt::business, kIeBusinesses.size())]];
    p.person = person_name(index, codec_.female(index));
    p.birth_date = codec_.birth_date(index);
    const int adult = day_number(plus_years(p.birth_date, 21));
    const int earliest = std::max(adult, day_number(2005, 1, 1));
    p.ie_registration_date =
        date_text(earliest + static_cast<int>(below(seed, index, Salt::registration_day,
                                                    static_cast<std::uint64_t>(std::max(
                                                        1, day_number(2024, 12, 31) - earliest)))));
  }
  return p;
}

Profile Population::profile(std::string_view text) const {
  const auto parsed = identity::parse(text);
  if (!parsed) throw std::invalid_argument("not a valid IIN/BIN: " + std::string(text));
  Profile p;
  p.key = key_of(text);
  p.id = std::string(text);
  p.kind = parsed.identifier->kind == identity::SubjectKind::legal_entity
               ? Kind::legal_entity
               : Kind::individual_entrepreneur;
  fill_place(p);
  const auto seed = config_.seed;
  const auto businesses = words::businesses();
  if (p.kind == Kind::legal_entity) {
    p.business = &businesses[below(seed, p.key, Salt::business, businesses.size())];
    const auto stems = words::name_stems();
    p.trade_name = std::string(stems[below(seed, p.key, Salt::name_stem, stems.size())]);
    const int yy = std::stoi(p.id.substr(0, 2));
    p.registration_date = (yy <= 26 ? "20" : "19") + p.id.substr(0, 2) + "-" + p.id.substr(2, 2) +
                          "-" + digits(1 + below(seed, p.key, Salt::registration_day, 28), 2);
    const auto head_number = kMadeUpHeadNumbers + p.key % (kIinCapacity - kMadeUpHeadNumbers);
    p.head_iin = codec_.iin(head_number);
    p.head = person_name(head_number | kNameKeyTag, codec_.female(head_number));
  } else {
    p.business =
        &businesses[kIeBusinesses[below(seed, p.key, Salt::business, kIeBusinesses.size())]];
    // IIN digit 7: odd = male, even = female.
    p.person = person_name(p.key, (p.id[6] - '0') % 2 == 0);
    p.birth_date = *parsed.identifier->birth_date;
    p.ie_registration_date = std::max(plus_years(p.birth_date, 21), std::string("2005-01-01"));
  }
  return p;
}

TraitDates Population::dates(const Profile& p) const {
  const auto seed = config_.seed;
  // Decisions fall between mid-2023 (or half a year after registration) and 2025-08-31, so that
  // the dates that follow them stay within 2025.
  const int registered =
      day_number(p.kind == Kind::legal_entity ? p.registration_date : p.ie_registration_date);
  const int start = std::max(day_number(2023, 6, 1), registered + 180);
  const int last = std::max(start + 1, day_number(2025, 8, 31));
  const int decided = start + static_cast<int>(below(seed, p.key, Salt::liquidation_days,
                                                     static_cast<std::uint64_t>(last - start)));
  TraitDates d;
  d.decided = date_text(decided);
  d.included = date_text(decided + 7 + static_cast<int>(below(seed, p.key, Salt::list_dates, 14)));
  d.ended = date_text(decided + 60 + static_cast<int>(below(seed, p.key, Salt::list_dates, 60, 1)));
  return d;
}

// ---------------------------------------------------------------- ГБД ЮЛ

fixtures::LegalEntity Population::legal_entity(std::size_t index) const {
  return legal_entity(profile(index), traits(index));
}

fixtures::LegalEntity Population::legal_entity(const Profile& p, TraitSet traits) const {
  const auto& c = *p.city;
  fixtures::LegalEntity e;
  e.id = "population";
  e.description = "synthetic legal entity";
  e.bin = p.id;
  e.reg_status_code = std::string(codes::kRegStatusRegistered);
  e.registration_department = registration_department(c);
  e.registration_date = p.registration_date;
  e.full_name_ru = p.full_name_ru();
  e.full_name_kz = p.full_name_kz();
  e.short_name_ru = p.name_ru();
  e.short_name_kz = p.name_kz();
  e.org_form_code = "1";
  e.form_of_law_code = p.joint_stock ? "2" : "1";
  e.leader = fixtures::Leader{
      p.joint_stock ? "2" : "1", p.registration_date, p.head_iin, p.head.surname, p.head.name,
      p.head.patronymic};
  e.activities.push_back(fixtures::Activity{true, std::string(p.business->oked),
                                            std::string(p.business->oked_ru),
                                            std::string(p.business->oked_kz)});
  fixtures::OrganizationAddress a;
  a.kato = std::string(c.kato);
  a.zip = std::string(c.zip);
  a.district_ru = std::string(c.region.ru);
  a.district_kz = std::string(c.region.kz);
  if (!c.raion.code.empty()) {
    a.region_ru = std::string(c.raion.ru);
    a.region_kz = std::string(c.raion.kz);
  }
  a.city_ru = std::string(c.city_ru);
  a.city_kz = std::string(c.city_kz);
  a.street_ru = std::string(p.street->ru);
  a.street_kz = std::string(p.street->kz);
  a.building = p.building;
  a.office = p.office;
  e.address = std::move(a);
  const bool partner = p.partner.has_value();
  e.founders_fl.push_back(fixtures::FounderPerson{p.head_iin, p.head.surname, p.head.name,
                                                  p.head.patronymic, partner ? 60.0 : 100.0});
  if (partner)
    e.founders_fl.push_back(fixtures::FounderPerson{p.partner_iin, p.partner->surname,
                                                    p.partner->name, p.partner->patronymic, 40.0});
  if (traits.has(Trait::liquidated) || traits.has(Trait::bankrupt)) {
    const auto d = dates(p);
    if (traits.has(Trait::liquidated)) {
      e.reg_status_code = std::string(codes::kRegStatusLiquidated);
      e.liquidation_date = d.ended;
      e.liquidation = fixtures::Liquidation{"1", d.decided};
      e.leader->position_code = "3";  // chairman of the liquidation commission
      e.leader->appointed = d.decided;
    } else {
      e.reg_status_code = std::string(codes::kRegStatusLiquidating);
      e.liquidation = fixtures::Liquidation{"4", d.decided};
      e.leader->position_code = "4";  // bankruptcy manager
      e.leader->appointed = d.included;
    }
    e.registration_last_date = e.leader->appointed;
  }
  return e;
}

// ---------------------------------------------------------------- ГБД ФЛ

fixtures::Person Population::person(std::size_t index) const {
  return person(profile(index), traits(index));
}

fixtures::Person Population::person(const Profile& p, TraitSet traits) const {
  const auto& c = *p.city;
  const auto seed = config_.seed;
  fixtures::Person f;
  f.id = "population";
  f.description = "synthetic individual entrepreneur";
  f.role = "individual_entrepreneur";
  f.iin = p.id;
  f.surname = p.person.surname;
  f.name = p.person.name;
  f.patronymic = p.person.patronymic;
  f.birth_date = p.birth_date;
  f.gender_code = std::string((p.id[6] - '0') % 2 == 1 ? codes::kGenderMale : codes::kGenderFemale);
  if (traits.has(Trait::deceased)) {
    const auto d = dates(p);
    f.death_date = d.ended;
    f.death_certificate = fixtures::Certificate{
        d.ended.substr(0, 4) + "-" + std::string(c.justice_code) + "-" +
            digits(below(seed, p.key, Salt::document, 1'000'000, 1), 6),
        date_text(day_number(d.ended) + 2),
        "Отдел регистрации актов гражданского состояния " + std::string(c.region_genitive_ru)};
  }
  f.nationality_code = p.person.nationality;
  f.citizenship_code = "398";
  f.birth_place.country_code = "398";
  f.birth_place.district = named(c.region);
  f.birth_place.city = std::string(c.city_ru);
  fixtures::RegisteredAddress a;
  a.district = named(c.region);
  if (!c.raion.code.empty()) a.region = named(c.raion);
  a.city = std::string(c.city_ru);
  a.street = std::string(p.street->ru);
  a.building = p.building;
  a.flat = p.office;
  a.begin_date = p.ie_registration_date;
  a.ar_code = std::string(c.ar_prefix) + "000" +
              digits(below(seed, p.key, Salt::document, 1'000'000'000, 2), 9);
  f.reg_address = std::move(a);
  const int issued =
      day_number(2016, 1, 1) + static_cast<int>(below(seed, p.key, Salt::document, 3000, 3));
  f.document = fixtures::IdentityDocument{
      "002", digits(below(seed, p.key, Salt::document, 1'000'000'000, 4), 9), date_text(issued),
      date_text(day_number(plus_years(date_text(issued), 10)) - 1), "002"};
  return f;
}

// ---------------------------------------------------------------- KGD

kgd::Taxpayer Population::taxpayer(std::size_t index) const {
  return taxpayer(profile(index), traits(index));
}

kgd::Taxpayer Population::taxpayer(const Profile& p, TraitSet traits) const {
  const auto& c = *p.city;
  const auto seed = config_.seed;
  kgd::Taxpayer t;
  t.id = "population";
  t.description = "synthetic taxpayer";
  t.biin = p.id;
  t.name_ru = p.name_ru();
  t.name_kk = p.name_kz();
  kgd::Office office{std::string(c.tax_office.code),
                     std::string(c.tax_office.ru),
                     std::string(c.tax_office.kz),
                     std::nullopt,
                     {}};
  if (traits.has(Trait::tax_debt)) {
    const auto d = dates(p);
    office.report_date = d.included;
    // 50 000 .. 5 000 000 tenge of tax, with penalty interest of 5..15 %.
    const auto tax =
        (50'000 + static_cast<std::int64_t>(below(seed, p.key, Salt::debt_amount, 4'950'000))) *
            100 +
        static_cast<std::int64_t>(below(seed, p.key, Salt::debt_amount, 100, 1));
    const auto penalty =
        tax * (5 + static_cast<std::int64_t>(below(seed, p.key, Salt::debt_amount, 11, 2))) / 100;
    const std::string kbk =
        p.kind == Kind::individual_entrepreneur
            ? "103101"
            : (below(seed, p.key, Salt::debt_amount, 2, 3) ? "101110" : "105101");
    office.lines.push_back(kgd::Line{kbk, tax, penalty, 0, 0});
  }
  t.offices.push_back(std::move(office));
  if (p.kind == Kind::individual_entrepreneur)
    t.registration =
        kgd::EntrepreneurRegistration{"registered", p.ie_registration_date, std::nullopt,
                                      std::nullopt, std::nullopt,           std::nullopt};
  if (traits.has(Trait::bankrupt)) {
    const auto d = dates(p);
    const auto court_ru =
        "Специализированного межрайонного экономического суда " + std::string(c.region_genitive_ru);
    const auto court_kz =
        std::string(c.region_genitive_kz) + " мамандандырылған ауданаралық экономикалық сотының";
    t.lists.push_back(
        kgd::ListEntry{"bankrupt", d.included,
                       "2-" + std::to_string(1000 + below(seed, p.key, Salt::list_dates, 9000, 2)) +
                           "/" + d.decided.substr(0, 4),
                       "Решение " + court_ru + " о признании банкротом от " + dotted(d.decided),
                       court_kz + " " + dotted(d.decided) + " банкрот деп тану туралы шешімі"});
  }
  return t;
}

// ---------------------------------------------------------------- e-licensing

elicense::Subject Population::licensing(std::size_t index) const {
  return licensing(profile(index), traits(index));
}

elicense::Subject Population::licensing(const Profile& p, TraitSet traits) const {
  const auto& c = *p.city;
  const auto& b = *p.business;
  elicense::Subject s;
  s.id = "population";
  s.description = "synthetic licence holder";
  s.biin = p.id;
  s.name_ru = p.name_ru();
  s.name_kk = p.name_kz();
  if (traits.has(Trait::unlicensed)) return s;
  const auto serial = digits(p.key % 100'000'000, 8);
  const auto check = digits(p.key % 89 + 10, 2);
  const auto since = p.kind == Kind::legal_entity ? p.registration_date : p.ie_registration_date;
  const auto issued = date_text(day_number(since) + 30);
  if (!b.licence_activity.empty()) {
    s.licences.push_back(
        elicense::Licence{"KZ" + check + "LAA" + serial,
                          std::string(b.licence_activity),
                          {std::string(b.licence_subtype)},
                          "valid",
                          issued,
                          std::nullopt,
                          b.licence_activity == "MED" ? health_authority(c) : pharma_authority(c)});
  } else {
    s.notifications.push_back(elicense::Notification{"KZ" + check + "UCA" + serial,
                                                     std::string(b.notification_kind), "valid",
                                                     issued, transport_authority(c)});
  }
  return s;
}

elicense::Subject Population::standard_licensing(const Profile& p) const {
  auto s = licensing(p, TraitSet{});
  const auto& c = *p.city;
  if (s.licences.empty())
    s.licences.push_back(elicense::Licence{
        "",
        "MED",
        {"MED_PROSTHETIC"},
        "valid",
        p.kind == Kind::legal_entity ? p.registration_date : p.ie_registration_date,
        std::nullopt,
        health_authority(c)});
  if (s.notifications.empty())
    s.notifications.push_back(elicense::Notification{
        "", "MEDDEV_RETAIL", "valid", s.licences.front().issued, pharma_authority(c)});
  return s;
}

// ---------------------------------------------------------------- personal-assistant checks

pa_checks::PersonRecords Population::pa_records(std::size_t index) const {
  return pa_records(profile(index));
}

pa_checks::PersonRecords Population::pa_records(const Profile& p) const {
  pa_checks::PersonRecords r;
  r.id = "population";
  r.description = "synthetic person: no records";
  r.iin = p.id;
  return r;
}

// ---------------------------------------------------------------- blacklists

SubjectNames names(const Profile& p) {
  return SubjectNames{p.id, p.name_ru(), p.name_kz(), p.full_name_ru()};
}

json::object rnu_row(const SubjectNames& p, std::int64_t row_id, std::string_view start_date,
                     const std::optional<std::string>& end_date, std::string_view index_datetime,
                     std::size_t reason) {
  const auto reasons = words::rnu_reasons();
  json::object row;
  row["id"] = row_id;
  row["supplier_biin"] = p.id;
  row["supplier_innunp"] = nullptr;
  row["supplier_name_ru"] = p.name_ru;
  row["supplier_name_kz"] = p.name_kz;
  row["index_date"] = index_datetime;
  row["start_date"] = start_date;
  row["end_date"] = end_date ? json::value(*end_date) : json::value(nullptr);
  row["ref_reason_id"] = static_cast<std::int64_t>(reason % reasons.size() + 1);
  row["reason_ru"] = reasons[reason % reasons.size()];
  row["court_decision"] = nullptr;
  row["court_decision_date"] = nullptr;
  row["system_id"] = 3;
  return row;
}

json::object samruk_row(const SubjectNames& p, std::string_view list, std::string_view start_date,
                        const std::optional<std::string>& end_date,
                        std::string_view created_datetime, std::size_t reason) {
  const auto reasons = words::samruk_reasons();
  json::object row;
  row["list"] = list;
  row["bin_iin"] = p.id;
  row["name_ru"] = p.name_ru;
  row["full_name_ru"] = p.full_name_ru;
  row["reason_ru"] = reasons[reason % reasons.size()];
  row["created_date"] = created_datetime;
  row["start_date"] = start_date;
  row["end_date"] = end_date ? json::value(*end_date) : json::value(nullptr);
  return row;
}

json::object Population::rnu_row(std::size_t index) const {
  const auto p = profile(index);
  const auto seed = config_.seed;
  // Bans of 24 months that started in 2025: in force until 2027 (a mock clock later sees them
  // end, as the real register's do).
  const int start =
      day_number(2025, 1, 1) + static_cast<int>(below(seed, index, Salt::rnu, 365, 1));
  const auto start_date = date_text(start);
  const auto indexed = date_text(start + static_cast<int>(below(seed, index, Salt::rnu, 10, 2)));
  return population::rnu_row(names(p), kRnuRowBase + static_cast<std::int64_t>(index), start_date,
                             plus_years(start_date, 2),
                             indexed + " " + time_of_day(seed, index, Salt::rnu),
                             below(seed, index, Salt::reason, 5));
}

json::object Population::samruk_row(std::size_t index) const {
  const auto p = profile(index);
  const auto seed = config_.seed;
  const int start =
      day_number(2025, 1, 1) + static_cast<int>(below(seed, index, Salt::quasi_rnu, 365, 1));
  const auto start_date = date_text(start);
  const bool open_ended = below(seed, index, Salt::quasi_rnu, 4, 2) == 0;
  const auto created =
      date_text(start + 1 + static_cast<int>(below(seed, index, Salt::quasi_rnu, 5, 3)));
  return population::samruk_row(
      names(p), samruk_list(index), start_date,
      open_ended ? std::nullopt : std::optional<std::string>(plus_years(start_date, 2)),
      created + "T" + time_of_day(seed, index, Salt::quasi_rnu) + "+05:00",
      below(seed, index, Salt::reason, 3));
}

}  // namespace tekser::mocks::population
