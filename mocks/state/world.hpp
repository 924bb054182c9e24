// What the world says now: the one read interface the emulators and registers ask instead of
// the raw fixture structs. A subject's record is its fixture (fixtures keep precedence), or its
// synthetic record (mocks/population), with the admin API's state changes in force applied; the
// mock clock decides which are in force; a scenario may make a call answer "no data". The
// emulators stay pure functions of (request, what the world says now, ReplyContext).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/time/xsd_time.hpp"
#include "mocks/elicense/fixtures.hpp"
#include "mocks/fixtures/fixtures.hpp"
#include "mocks/kgd/fixtures.hpp"
#include "mocks/pa_checks/fixtures.hpp"
#include "mocks/shep_server/emulator.hpp"

namespace tekser::mocks::state {

// One page of a register's rows.
struct RowPage {
  std::vector<boost::json::object> items;
  std::size_t total = 0;  // rows matching the filter, all pages
  bool more = false;      // rows follow this page
};

class World {
 public:
  virtual ~World() = default;

  // The moment the mocks answer at: the mock clock when set, real time otherwise.
  virtual xsd_time::TimePoint now() const = 0;
  // The time an emulator stamps on its reply: the context's, unless the mock clock is set.
  virtual std::string stamp(const ReplyContext& context) const = 0;

  // One call of `service_id` about `subject`: counts it against a scenario and says whether the
  // system answers with what it holds (true) or as if it held nothing about the subject (false).
  virtual bool answers_with_data(std::string_view service_id, std::string_view subject) const = 0;

  virtual std::optional<fixtures::LegalEntity> legal_entity(std::string_view bin) const = 0;
  virtual std::optional<fixtures::Person> person(std::string_view iin) const = 0;
  virtual std::optional<kgd::Taxpayer> taxpayer(std::string_view biin) const = 0;
  virtual std::optional<elicense::Subject> licensing(std::string_view biin) const = 0;
  virtual std::optional<pa_checks::PersonRecords> pa_records(std::string_view iin) const = 0;

  // goszakup РНУ rows with an id above `after`, in id order; one supplier's when given.
  virtual RowPage rnu(const std::optional<std::string>& supplier, std::int64_t after,
                      std::size_t limit) const = 0;
  // Samruk-Kazyna / quasi-public rows from `offset` (list "samruk", "quasi_public" or "all").
  virtual RowPage unreliable(std::string_view list, const std::optional<std::string>& supplier,
                             std::size_t offset, std::size_t limit) const = 0;
};

}  // namespace tekser::mocks::state
