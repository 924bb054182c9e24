#include "mocks/state/live_world.hpp"

#include <algorithm>

#include "common/identity/identity.hpp"
#include "mocks/state/apply.hpp"

namespace tekser::mocks::state {
namespace {

namespace json = boost::json;
using population::Kind;

std::int64_t row_id(const json::object& row) {
  return row.at("id").as_int64();
}

bool same(const json::value& value, std::string_view text) {
  return value.is_string() && value.as_string() == text;
}

}  // namespace

std::unordered_set<std::string> fixture_identifiers(const Sources& s) {
  std::unordered_set<std::string> ids;
  if (s.suppliers) {
    for (const auto& e : s.suppliers->legal_entities) ids.insert(e.bin);
    for (const auto& p : s.suppliers->individuals) ids.insert(p.iin);
    for (const auto& a : s.suppliers->absent) ids.insert(a.identifier);
  }
  if (s.kgd) {
    for (const auto& t : s.kgd->taxpayers) ids.insert(t.biin);
    for (const auto& a : s.kgd->absent) ids.insert(a.identifier);
  }
  if (s.elicense) {
    for (const auto& x : s.elicense->subjects) ids.insert(x.biin);
    for (const auto& a : s.elicense->absent) ids.insert(a.identifier);
  }
  if (s.pa_checks) {
    for (const auto& p : s.pa_checks->persons) ids.insert(p.iin);
    for (const auto& u : s.pa_checks->unknown_to_registers) ids.insert(u.iin);
  }
  if (s.rnu) {
    for (const auto& row : s.rnu->items())
      ids.insert(std::string(row.at("supplier_biin").as_string()));
    ids.insert(s.rnu->never_listed().begin(), s.rnu->never_listed().end());
  }
  if (s.samruk) {
    for (const auto& row : s.samruk->items())
      ids.insert(std::string(row.at("bin_iin").as_string()));
    ids.insert(s.samruk->never_listed().begin(), s.samruk->never_listed().end());
  }
  return ids;
}

LiveWorld::LiveWorld(Sources sources, State& state)
    : sources_(sources),
      state_(state),
      population_(sources.population ? sources.population : &empty_population_) {}

xsd_time::TimePoint LiveWorld::now() const {
  return state_.clock.now();
}

std::string LiveWorld::stamp(const ReplyContext& context) const {
  return state_.clock.mocked() ? xsd_time::format_datetime(state_.clock.now()) : context.now;
}

bool LiveWorld::answers_with_data(std::string_view service_id, std::string_view subject) const {
  return state_.scenarios.take(service_id, subject) == Answer::data;
}

population::Profile LiveWorld::profile(std::string_view id) const {
  if (const auto index = population_->find(id)) return population_->profile(*index);
  return population_->profile(id);
}

population::SubjectNames LiveWorld::names(std::string_view id) const {
  if (sources_.suppliers) {
    if (const auto* e = sources_.suppliers->find_legal_entity(id))
      return {e->bin, e->short_name_ru.value_or(e->full_name_ru),
              e->short_name_kz.value_or(e->full_name_kz), e->full_name_ru};
    if (const auto* p = sources_.suppliers->find_person(id)) {
      const auto full =
          p->surname + " " + p->name + (p->patronymic ? " " + *p->patronymic : std::string());
      return {p->iin, "ИП " + full, "ЖК " + full, "Индивидуальный предприниматель " + full};
    }
  }
  if (!population_->find(id)) {
    if (sources_.kgd) {
      if (const auto* t = sources_.kgd->find(id))
        return {t->biin, t->name_ru, t->name_kk.value_or(t->name_ru), t->name_ru};
    }
    if (sources_.elicense) {
      if (const auto* s = sources_.elicense->find(id))
        return {s->biin, s->name_ru, s->name_kk.value_or(s->name_ru), s->name_ru};
    }
  }
  return population::names(profile(id));
}

// ---------------------------------------------------------------- SHEP systems

std::optional<fixtures::LegalEntity> LiveWorld::legal_entity(std::string_view bin) const {
  std::optional<fixtures::LegalEntity> record;
  if (sources_.suppliers) {
    if (const auto* e = sources_.suppliers->find_legal_entity(bin)) record = *e;
  }
  if (!record) {
    if (const auto index = population_->find(bin);
        index && population_->kind(*index) == Kind::legal_entity)
      record = population_->legal_entity(*index);
  }
  const auto changes = state_.changes.in_force(bin, System::gbd_ul, now());
  if (changes.empty()) return record;
  if (!record) record = population_->legal_entity(profile(bin), {});
  for (const auto& change : changes) apply(*record, change);
  return record;
}

std::optional<fixtures::Person> LiveWorld::person(std::string_view iin) const {
  std::optional<fixtures::Person> record;
  if (sources_.suppliers) {
    if (const auto* p = sources_.suppliers->find_person(iin)) record = *p;
  }
  if (!record) {
    if (const auto index = population_->find(iin);
        index && population_->kind(*index) == Kind::individual_entrepreneur)
      record = population_->person(*index);
  }
  const auto changes = state_.changes.in_force(iin, System::gbd_fl, now());
  if (changes.empty()) return record;
  if (!record) record = population_->person(profile(iin), {});
  for (const auto& change : changes) apply(*record, change);
  return record;
}

std::optional<kgd::Taxpayer> LiveWorld::taxpayer(std::string_view biin) const {
  std::optional<kgd::Taxpayer> record;
  if (sources_.kgd) {
    if (const auto* t = sources_.kgd->find(biin)) record = *t;
  }
  if (!record) {
    if (const auto index = population_->find(biin)) record = population_->taxpayer(*index);
  }
  const auto changes = state_.changes.in_force(biin, System::kgd, now());
  if (changes.empty()) return record;
  const auto p = profile(biin);
  if (!record) {
    record = population_->taxpayer(p, {});
    const auto n = names(biin);
    record->name_ru = n.name_ru;
    record->name_kk = n.name_kz;
  }
  for (const auto& change : changes) apply(*record, change, p);
  return record;
}

std::optional<elicense::Subject> LiveWorld::licensing(std::string_view biin) const {
  std::optional<elicense::Subject> record;
  if (sources_.elicense) {
    if (const auto* s = sources_.elicense->find(biin)) record = *s;
  }
  if (!record) {
    if (const auto index = population_->find(biin)) record = population_->licensing(*index);
  }
  const auto changes = state_.changes.in_force(biin, System::elicense, now());
  if (changes.empty()) return record;
  const auto p = profile(biin);
  if (!record) {
    // Brought into the register by the change: known, holding nothing until the change grants.
    record = population_->licensing(p, {});
    record->licences.clear();
    record->notifications.clear();
    const auto n = names(biin);
    record->name_ru = n.name_ru;
    record->name_kk = n.name_kz;
  }
  const auto standard = population_->standard_licensing(p);
  const bool taxi = p.business->licence_activity.empty();
  for (const auto& change : changes) apply(*record, change, standard, taxi);
  return record;
}

std::optional<pa_checks::PersonRecords> LiveWorld::pa_records(std::string_view iin) const {
  std::optional<pa_checks::PersonRecords> record;
  if (sources_.pa_checks) {
    if (const auto* p = sources_.pa_checks->find(iin)) record = *p;
  }
  if (!record) {
    if (const auto index = population_->find(iin);
        index && population_->kind(*index) == Kind::individual_entrepreneur)
      record = population_->pa_records(*index);
  }
  const auto changes = state_.changes.in_force(iin, System::pa_checks, now());
  if (changes.empty()) return record;
  if (!record) record = population_->pa_records(profile(iin));
  for (const auto& change : changes) apply(*record, change);
  return record;
}

// ---------------------------------------------------------------- goszakup РНУ

std::vector<json::object> LiveWorld::base_rnu_rows(std::string_view supplier) const {
  std::vector<json::object> rows;
  if (sources_.rnu) {
    for (const auto* row : sources_.rnu->rows_of(supplier)) rows.push_back(*row);
  }
  if (const auto index = population_->find(supplier);
      index && population_->traits(*index).has(population::Trait::rnu))
    rows.push_back(population_->rnu_row(*index));
  return rows;
}

std::map<std::string, std::vector<json::object>> LiveWorld::changed_rnu_rows(
    const std::optional<std::string>& supplier) const {
  std::map<std::string, std::vector<json::object>> out;
  for (const auto& [subject, changes] : state_.changes.in_force(System::goszakup, now())) {
    if (supplier && subject != *supplier) continue;
    auto rows = base_rnu_rows(subject);
    const auto supplier_names = names(subject);
    for (const auto& change : changes) apply_rnu(rows, change, supplier_names);
    std::sort(rows.begin(), rows.end(),
              [](const json::object& a, const json::object& b) { return row_id(a) < row_id(b); });
    out.emplace(subject, std::move(rows));
  }
  return out;
}

RowPage LiveWorld::rnu(const std::optional<std::string>& supplier, std::int64_t after,
                       std::size_t limit) const {
  const auto changed = changed_rnu_rows(supplier);
  RowPage page;
  if (supplier) {
    const auto found = changed.find(*supplier);
    auto rows = found != changed.end() ? found->second : base_rnu_rows(*supplier);
    page.total = rows.size();
    for (auto& row : rows) {
      if (row_id(row) <= after) continue;
      if (page.items.size() == limit) {
        page.more = true;
        break;
      }
      page.items.push_back(std::move(row));
    }
    return page;
  }

  // Three sources in id order, each asked for at most limit + 1 rows past the cursor: the
  // fixture rows, the population's listed subjects (kRnuRowBase + index), the changed subjects'
  // rows. A changed subject's rows come from the third source only.
  std::vector<json::object> candidates;
  std::size_t total = 0;
  if (sources_.rnu) {
    const auto& items = sources_.rnu->items();
    total += items.size();
    for (const auto& [subject, rows] : changed) total -= sources_.rnu->rows_of(subject).size();
    auto it =
        std::upper_bound(items.begin(), items.end(), after,
                         [](std::int64_t id, const json::object& row) { return id < row_id(row); });
    for (; it != items.end() && candidates.size() <= limit; ++it) {
      if (!changed.count(std::string(it->at("supplier_biin").as_string())))
        candidates.push_back(*it);
    }
  }
  const auto listed = population_->rnu_listed();
  total += listed.size();
  for (const auto& [subject, rows] : changed) {
    total += rows.size();
    if (const auto index = population_->find(subject);
        index && population_->traits(*index).has(population::Trait::rnu))
      --total;
  }
  {
    const auto first_index = after < population::kRnuRowBase
                                 ? 0
                                 : static_cast<std::uint64_t>(after - population::kRnuRowBase + 1);
    auto it =
        std::lower_bound(listed.begin(), listed.end(), first_index,
                         [](std::uint32_t index, std::uint64_t wanted) { return index < wanted; });
    std::size_t taken = 0;
    for (; it != listed.end() && taken <= limit; ++it) {
      if (!changed.empty() && changed.count(population_->id(*it))) continue;
      candidates.push_back(population_->rnu_row(*it));
      ++taken;
    }
  }
  for (const auto& [subject, rows] : changed) {
    for (const auto& row : rows) {
      if (row_id(row) > after) candidates.push_back(row);
    }
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const json::object& a, const json::object& b) { return row_id(a) < row_id(b); });
  page.total = total;
  page.more = candidates.size() > limit;
  if (page.more) candidates.resize(limit);
  page.items = std::move(candidates);
  return page;
}

// ---------------------------------------------------------------- Samruk-Kazyna lists

std::vector<json::object> LiveWorld::base_samruk_rows(std::string_view supplier) const {
  std::vector<json::object> rows;
  if (sources_.samruk) {
    for (const auto& row : sources_.samruk->items()) {
      if (same(row.at("bin_iin"), supplier)) rows.push_back(row);
    }
  }
  if (const auto index = population_->find(supplier);
      index && population_->traits(*index).has(population::Trait::quasi_rnu))
    rows.push_back(population_->samruk_row(*index));
  return rows;
}

std::map<std::string, std::vector<json::object>> LiveWorld::changed_samruk_rows(
    const std::optional<std::string>& supplier) const {
  std::map<std::string, std::vector<json::object>> out;
  for (const auto& [subject, changes] : state_.changes.in_force(System::samruk, now())) {
    if (supplier && subject != *supplier) continue;
    auto rows = base_samruk_rows(subject);
    const auto supplier_names = names(subject);
    for (const auto& change : changes) apply_samruk(rows, change, supplier_names);
    out.emplace(subject, std::move(rows));
  }
  return out;
}

RowPage LiveWorld::unreliable(std::string_view list, const std::optional<std::string>& supplier,
                              std::size_t offset, std::size_t limit) const {
  const auto changed = changed_samruk_rows(supplier);
  const auto wanted = [&](const json::object& row) {
    return list == "all" || same(row.at("list"), list);
  };
  // The rows in order: the fixtures' (file order), the population's (index order), the changed
  // subjects' (by identifier); the page is the slice [offset, offset + limit).
  RowPage page;
  const auto take = [&](auto&& make_row) {
    if (page.total >= offset && page.items.size() < limit) page.items.push_back(make_row());
    ++page.total;
  };
  if (supplier) {
    const auto found = changed.find(*supplier);
    const auto rows = found != changed.end() ? found->second : base_samruk_rows(*supplier);
    for (const auto& row : rows) {
      if (wanted(row)) take([&] { return row; });
    }
  } else {
    if (sources_.samruk) {
      for (const auto& row : sources_.samruk->items()) {
        if (wanted(row) && !changed.count(std::string(row.at("bin_iin").as_string())))
          take([&] { return row; });
      }
    }
    for (const auto index : population_->quasi_listed()) {
      if (list != "all" && population_->samruk_list(index) != list) continue;
      if (!changed.empty() && changed.count(population_->id(index))) continue;
      take([&] { return population_->samruk_row(index); });
    }
    for (const auto& [subject, rows] : changed) {
      for (const auto& row : rows) {
        if (wanted(row)) take([&] { return row; });
      }
    }
  }
  page.more = offset + page.items.size() < page.total;
  return page;
}

// ---------------------------------------------------------------- a world of fixtures alone

namespace {

class FixturesWorld final : public World {
 public:
  explicit FixturesWorld(Sources sources) : world_(sources, state_) {}

  xsd_time::TimePoint now() const override { return world_.now(); }
  std::string stamp(const ReplyContext& context) const override { return world_.stamp(context); }
  bool answers_with_data(std::string_view service_id, std::string_view subject) const override {
    return world_.answers_with_data(service_id, subject);
  }
  std::optional<fixtures::LegalEntity> legal_entity(std::string_view bin) const override {
    return world_.legal_entity(bin);
  }
  std::optional<fixtures::Person> person(std::string_view iin) const override {
    return world_.person(iin);
  }
  std::optional<kgd::Taxpayer> taxpayer(std::string_view biin) const override {
    return world_.taxpayer(biin);
  }
  std::optional<elicense::Subject> licensing(std::string_view biin) const override {
    return world_.licensing(biin);
  }
  std::optional<pa_checks::PersonRecords> pa_records(std::string_view iin) const override {
    return world_.pa_records(iin);
  }
  RowPage rnu(const std::optional<std::string>& supplier, std::int64_t after,
              std::size_t limit) const override {
    return world_.rnu(supplier, after, limit);
  }
  RowPage unreliable(std::string_view list, const std::optional<std::string>& supplier,
                     std::size_t offset, std::size_t limit) const override {
    return world_.unreliable(list, supplier, offset, limit);
  }

 private:
  State state_;
  LiveWorld world_;
};

}  // namespace

std::unique_ptr<World> fixtures_world(Sources sources) {
  return std::make_unique<FixturesWorld>(sources);
}

}  // namespace tekser::mocks::state
