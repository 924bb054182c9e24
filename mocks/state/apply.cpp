#include "mocks/state/apply.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "mocks/fixtures/codes.hpp"
#include "mocks/population/dates.hpp"

namespace tekser::mocks::state {
namespace {

namespace json = boost::json;

std::optional<std::string> text(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::int64_t tiyn(const json::value& tenge) {
  return static_cast<std::int64_t>(std::llround(tenge.to_number<double>() * 100));
}

// The time of day a change took effect, "HH:MM:SS" in Kazakhstan.
std::string time_of(const Change& change) {
  const auto moment = change.from ? xsd_time::format_datetime(*change.from) : change.posted_at;
  return moment.substr(11, 8);
}

// A register row is a ban in force on `date` when it started by then and has not ended.
bool in_force_on(const json::object& row, std::string_view date) {
  const auto start = text(row, "start_date");
  const auto end = text(row, "end_date");
  return (!start || start->substr(0, 10) <= date) && (!end || end->substr(0, 10) > date);
}

void end_bans(std::vector<json::object>& rows, std::string_view date,
              const std::function<bool(const json::object&)>& matches) {
  for (auto& row : rows) {
    if (matches(row) && in_force_on(row, date)) row["end_date"] = date;
  }
}

}  // namespace

void apply(fixtures::LegalEntity& e, const Change& change) {
  const auto& set = change.set;
  if (const auto* inactive = set.if_contains("tax_inactive")) e.tax_inactive = inactive->as_bool();
  if (const auto* moved = set.if_contains("address")) {
    if (!e.address) {
      e.address = fixtures::OrganizationAddress{};
      e.address->kato = "751110000";
    }
    auto& a = *e.address;
    const auto& m = moved->as_object();
    if (const auto v = text(m, "kato")) a.kato = *v;
    if (const auto v = text(m, "city_ru")) a.city_ru = *v;
    if (const auto v = text(m, "street_ru")) a.street_ru = *v;
    if (const auto v = text(m, "building")) a.building = *v;
    if (const auto v = text(m, "office")) a.office = *v;
  }
  const auto status = text(set, "status");
  if (!status) return;
  const auto date = text(set, "date").value_or(change.date);
  auto lead = [&](const char* position) {
    if (!e.leader) return;
    e.leader->position_code = position;
    e.leader->appointed = date;
  };
  if (*status == "active") {
    e.reg_status_code = std::string(codes::kRegStatusRegistered);
    e.liquidation.reset();
    e.liquidation_date.reset();
    if (e.leader && (e.leader->position_code == "3" || e.leader->position_code == "4")) lead("1");
  } else if (*status == "in_liquidation") {
    e.reg_status_code = std::string(codes::kRegStatusLiquidating);
    e.liquidation = fixtures::Liquidation{"1", date};
    e.liquidation_date.reset();
    lead("3");
  } else if (*status == "bankrupt") {
    e.reg_status_code = std::string(codes::kRegStatusLiquidating);
    e.liquidation = fixtures::Liquidation{"4", date};
    e.liquidation_date.reset();
    lead("4");
  } else {  // liquidated
    e.reg_status_code = std::string(codes::kRegStatusLiquidated);
    e.liquidation_date = date;
    if (!e.liquidation) e.liquidation = fixtures::Liquidation{"1", date};
  }
  e.registration_last_date = date;
}

void apply(fixtures::Person& p, const Change& change) {
  if (const auto* moved = change.set.if_contains("address")) {
    if (!p.reg_address) p.reg_address = fixtures::RegisteredAddress{};
    auto& a = *p.reg_address;
    const auto& m = moved->as_object();
    if (const auto v = text(m, "city")) a.city = *v;
    if (const auto v = text(m, "street")) a.street = *v;
    if (const auto v = text(m, "building")) a.building = *v;
    if (const auto v = text(m, "flat")) a.flat = *v;
    a.begin_date = change.date;  // registered at the new address that day
  }
  if (const auto* life = change.set.if_contains("life_status"))
    p.reported_alive = life->as_string() == "alive";
  const auto* died = change.set.if_contains("deceased_on");
  if (!died) return;
  if (died->is_null()) {  // a correction: alive after all
    p.death_date.reset();
    p.death_certificate.reset();
    return;
  }
  const std::string date(died->as_string());
  p.death_date = date;
  p.death_certificate = fixtures::Certificate{
      date.substr(0, 4) + "-0000-" + std::to_string(900000 + change.id % 100000),
      population::date_text(population::day_number(date) + 2),
      "Отдел регистрации актов гражданского состояния"};
}

void apply(kgd::Taxpayer& t, const Change& change, const population::Profile& profile) {
  const auto& set = change.set;
  // p.15 sub-item 2: an entrepreneur who stopped trading is deregistered that day.
  if (const auto status = text(set, "ie_registration")) {
    auto& r = t.registration ? *t.registration : t.registration.emplace();
    if (!r.registered_on && !profile.ie_registration_date.empty())
      r.registered_on = profile.ie_registration_date;
    r.status = *status;
    r.deregistered_on.reset();
    r.suspended_from.reset();
    r.reason_ru.reset();
    if (*status == "deregistered") {
      r.deregistered_on = change.date;
      r.reason_ru = "Прекращение деятельности по заявлению индивидуального предпринимателя";
    } else if (*status == "suspended") {
      r.suspended_from = change.date;
    }
  }
  auto office = [&]() -> kgd::Office& {
    if (t.offices.empty())
      t.offices.push_back(kgd::Office{std::string(profile.city->tax_office.code),
                                      std::string(profile.city->tax_office.ru),
                                      std::string(profile.city->tax_office.kz),
                                      std::nullopt,
                                      {}});
    return t.offices.front();
  };
  // Replaces every line of these levies by one line of `amount` on `kbk` (none when 0).
  auto owe = [&](std::initializer_list<kgd::Levy> levies, std::string_view kbk,
                 std::int64_t amount) {
    for (auto& o : t.offices) {
      std::erase_if(o.lines, [&](const kgd::Line& line) {
        const auto levy = kgd::find_kbk(line.kbk)->levy;
        return std::find(levies.begin(), levies.end(), levy) != levies.end();
      });
    }
    if (amount > 0) {
      auto& o = office();
      o.lines.push_back(kgd::Line{std::string(kbk), amount, 0, 0, 0});
      o.report_date = change.date;
    }
  };
  const bool individual = profile.kind == population::Kind::individual_entrepreneur;
  if (const auto* debt = set.if_contains("tax_debt"))
    owe({kgd::Levy::tax}, individual ? "103101" : "101110", tiyn(*debt));
  if (const auto* debt = set.if_contains("social_debt"))
    owe({kgd::Levy::pension, kgd::Levy::social, kgd::Levy::health}, "901101", tiyn(*debt));
  for (const auto& list : kgd::lists()) {
    const auto* listed = set.if_contains(list.key);
    if (!listed) continue;
    std::erase_if(t.lists, [&](const kgd::ListEntry& e) { return e.list == list.key; });
    if (listed->as_bool())
      t.lists.push_back(kgd::ListEntry{std::string(list.key), change.date, std::nullopt,
                                       std::nullopt, std::nullopt});
  }
  // Keep KGD's order of the lists (the table's), whatever order the changes came in.
  std::stable_sort(t.lists.begin(), t.lists.end(), [](const auto& a, const auto& b) {
    return kgd::find_list(a.list)->code < kgd::find_list(b.list)->code;
  });
}

void apply(elicense::Subject& s, const Change& change, const elicense::Subject& standard,
           bool primary_is_notification) {
  const auto& set = change.set;
  auto grant = [&](bool licence) {
    if (licence && s.licences.empty()) {
      auto l = standard.licences.front();
      l.number = "KZ00LAA" + std::to_string(90000000 + change.id);
      l.issued = change.date;
      s.licences.push_back(std::move(l));
    }
    if (!licence && s.notifications.empty()) {
      auto n = standard.notifications.front();
      n.number = "KZ00UCA" + std::to_string(90000000 + change.id);
      n.date = change.date;
      s.notifications.push_back(std::move(n));
    }
  };
  if (const auto* licensed = set.if_contains("licensed")) {
    if (!licensed->as_bool()) {
      s.licences.clear();
      s.notifications.clear();
    } else if (s.licences.empty() && s.notifications.empty()) {
      grant(!primary_is_notification);
    }
  }
  if (const auto status = text(set, "licence_status")) {
    grant(true);
    for (auto& l : s.licences) l.status = *status;
  }
  if (const auto status = text(set, "notification_status")) {
    grant(false);
    for (auto& n : s.notifications) n.status = *status;
  }
}

void apply(pa_checks::PersonRecords& r, const Change& change) {
  const auto& set = change.set;
  if (const auto* since = set.if_contains("psychiatric_since"))
    r.psychiatric_since =
        since->is_null() ? std::nullopt : std::optional<std::string>(since->as_string());
  if (const auto* since = set.if_contains("incapable_since"))
    r.incapable_since =
        since->is_null() ? std::nullopt : std::optional<std::string>(since->as_string());
  if (const auto* articles = set.if_contains("criminal_articles")) {
    r.criminal_articles.clear();
    for (const auto& a : articles->as_array()) r.criminal_articles.emplace_back(a.as_string());
  }
}

void apply_rnu(std::vector<json::object>& rows, const Change& change,
               const population::SubjectNames& names) {
  const bool listed = change.set.at("rnu_listed").as_bool();
  const auto& date = change.date;
  if (!listed) {
    // Leaving the register: the bans in force end that day (the rows stay, as in OWS).
    end_bans(rows, date, [](const json::object&) { return true; });
    return;
  }
  for (const auto& row : rows) {
    if (in_force_on(row, date)) return;  // already listed
  }
  auto supplier = names;
  if (!rows.empty()) {  // the register names the supplier as it did before
    supplier.name_ru = text(rows.front(), "supplier_name_ru").value_or(names.name_ru);
    supplier.name_kz = text(rows.front(), "supplier_name_kz").value_or(names.name_kz);
  }
  rows.push_back(population::rnu_row(supplier,
                                     kChangeRowBase + static_cast<std::int64_t>(change.id), date,
                                     std::nullopt, date + " " + time_of(change), 0));
}

void apply_samruk(std::vector<json::object>& rows, const Change& change,
                  const population::SubjectNames& names) {
  for (const auto& [key, list] :
       {std::pair<std::string_view, std::string_view>{"samruk_listed", "samruk"},
        {"quasi_public_listed", "quasi_public"}}) {
    const auto* value = change.set.if_contains(key);
    if (!value) continue;
    const auto in_list = [list = list](const json::object& row) {
      return text(row, "list") == std::string(list);
    };
    if (!value->as_bool()) {
      end_bans(rows, change.date, in_list);
      continue;
    }
    bool listed = false;
    for (const auto& row : rows) listed = listed || (in_list(row) && in_force_on(row, change.date));
    if (listed) continue;
    auto supplier = names;
    if (!rows.empty()) {
      supplier.name_ru = text(rows.front(), "name_ru").value_or(names.name_ru);
      supplier.full_name_ru = text(rows.front(), "full_name_ru").value_or(names.full_name_ru);
    }
    rows.push_back(population::samruk_row(supplier, list, change.date, std::nullopt,
                                          change.date + "T" + time_of(change) + "+05:00", 0));
  }
}

}  // namespace tekser::mocks::state
