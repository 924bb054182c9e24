// State changes the admin API makes to subjects of the mock registers ("this LLP is liquidated
// from 2026-12-01", "this person died on 2026-11-20", "the debt is paid"): what each system says
// about a subject is its fixture or synthetic record with the changes in force applied, in the
// order they take effect. A change without `from` is in force from the moment it was posted
// whatever the mock clock says; with `from`, once the mock clock reaches that moment (so a
// change "appears at the next weekly refresh"). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "mocks/state/clock.hpp"

namespace tekser::mocks::state {

enum class System { gbd_ul, gbd_fl, kgd, elicense, goszakup, samruk, pa_checks };
std::string_view to_string(System system);
std::optional<System> parse_system(std::string_view text);
std::string known_systems();

// A refused admin request: `field` names what is wrong ("set.deceased_on"), `reason` why.
class AdminError : public std::runtime_error {
 public:
  AdminError(std::string field, const std::string& reason)
      : std::runtime_error(field + ": " + reason), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

struct Change {
  std::uint64_t id = 0;
  std::string subject;  // BIN or IIN
  System system = System::gbd_ul;
  boost::json::object set;        // checked by check_set()
  std::optional<TimePoint> from;  // nullopt: in force since it was posted, whatever the clock
  std::string posted_at;          // the mock clock when it was posted (xsd:dateTime)
  std::string date;               // "YYYY-MM-DD" it writes into registers: from's, or posted's

  bool in_force(TimePoint now) const { return !from || *from <= now; }
  TimePoint effective(TimePoint posted) const { return from ? *from : posted; }
};

// Checks `set` for `system` and returns it normalised; throws AdminError naming "set.<key>".
// `subject` must already be a valid IIN/BIN (its kind and birth date are checked against the
// keys: gbd_ul wants a BIN, gbd_fl and pa_checks an IIN, a death not before the birth).
boost::json::object check_set(System system, std::string_view subject,
                              const boost::json::value& set);

// The keys each system accepts, for error messages and the README.
std::string known_keys(System system);

class ChangeBook {
 public:
  // Stores the change under a fresh id and returns it.
  Change add(Change change);
  // Every change, oldest first; or one subject's.
  std::vector<Change> all(const std::optional<std::string>& subject = std::nullopt) const;
  // The changes of one subject in one system in force at `now`, in the order they take effect
  // (`from`, the undated ones first, then the order they were posted).
  std::vector<Change> in_force(std::string_view subject, System system, TimePoint now) const;
  // The same for every subject with any in force in `system`, by subject.
  std::map<std::string, std::vector<Change>> in_force(System system, TimePoint now) const;
  // Forgets every change, or one subject's; returns how many.
  std::size_t clear(const std::optional<std::string>& subject = std::nullopt);

 private:
  mutable std::mutex mutex_;
  std::vector<Change> changes_;
  std::uint64_t next_id_ = 1;
};

boost::json::object to_json(const Change& change, TimePoint now);

}  // namespace tekser::mocks::state
