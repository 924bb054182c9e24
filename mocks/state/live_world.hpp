// The world the mocks serve: fixtures first, then the synthetic population, then the admin API's
// state changes in force by the mock clock, and the scenarios. Reads only: the admin API changes
// the State, and every request sees the state of the moment it asks (thread-safe).
#pragma once

#include <memory>
#include <unordered_set>

#include "mocks/goszakup/register.hpp"
#include "mocks/population/population.hpp"
#include "mocks/samruk/register.hpp"
#include "mocks/state/changes.hpp"
#include "mocks/state/clock.hpp"
#include "mocks/state/scenarios.hpp"
#include "mocks/state/world.hpp"

namespace tekser::mocks::state {

// What the admin API changes while the mocks run.
struct State {
  ChangeBook changes;
  Scenarios scenarios;
  MockClock clock;
};

// The fixed data: any may be missing (a test that serves one system).
struct Sources {
  const fixtures::Register* suppliers = nullptr;
  const kgd::Register* kgd = nullptr;
  const elicense::Register* elicense = nullptr;
  const pa_checks::Register* pa_checks = nullptr;
  const goszakup::RnuRegister* rnu = nullptr;
  const samruk::UnreliableRegister* samruk = nullptr;
  const population::Population* population = nullptr;
};

// Every identifier the fixture files use: the population leaves these to the fixtures.
std::unordered_set<std::string> fixture_identifiers(const Sources& sources);

class LiveWorld final : public World {
 public:
  LiveWorld(Sources sources, State& state);

  xsd_time::TimePoint now() const override;
  std::string stamp(const ReplyContext& context) const override;
  bool answers_with_data(std::string_view service_id, std::string_view subject) const override;

  std::optional<fixtures::LegalEntity> legal_entity(std::string_view bin) const override;
  std::optional<fixtures::Person> person(std::string_view iin) const override;
  std::optional<kgd::Taxpayer> taxpayer(std::string_view biin) const override;
  std::optional<elicense::Subject> licensing(std::string_view biin) const override;
  std::optional<pa_checks::PersonRecords> pa_records(std::string_view iin) const override;
  RowPage rnu(const std::optional<std::string>& supplier, std::int64_t after,
              std::size_t limit) const override;
  RowPage unreliable(std::string_view list, const std::optional<std::string>& supplier,
                     std::size_t offset, std::size_t limit) const override;

  const Sources& sources() const { return sources_; }
  const population::Population& population() const { return *population_; }

  // The profile of a subject: its synthetic one, or one made up from the identifier.
  population::Profile profile(std::string_view id) const;
  // How the registers name a subject: its fixtures' names, its synthetic ones, or made up.
  population::SubjectNames names(std::string_view id) const;

 private:
  // A supplier's rows as the fixtures and the population have them, before changes.
  std::vector<boost::json::object> base_rnu_rows(std::string_view supplier) const;
  std::vector<boost::json::object> base_samruk_rows(std::string_view supplier) const;
  std::map<std::string, std::vector<boost::json::object>> changed_rnu_rows(
      const std::optional<std::string>& supplier) const;
  std::map<std::string, std::vector<boost::json::object>> changed_samruk_rows(
      const std::optional<std::string>& supplier) const;

  Sources sources_;
  State& state_;
  population::Population empty_population_;
  const population::Population* population_;
};

// A world of fixtures alone, with a state of its own nobody changes (what an emulator built
// straight from a fixture register serves).
std::unique_ptr<World> fixtures_world(Sources sources);

}  // namespace tekser::mocks::state
