// How one state change rewrites what a register holds about a subject: pure functions of the
// record and the change (already checked by check_set). What a change creates (a licence, a
// register row, a tax office) comes from the subject's profile, so it looks like the rest.
#pragma once

#include <vector>

#include <boost/json/object.hpp>

#include "mocks/population/population.hpp"
#include "mocks/state/changes.hpp"

namespace tekser::mocks::state {

// Ids of the register rows changes create: above the population's (population::kRnuRowBase).
inline constexpr std::int64_t kChangeRowBase = 20'000'000;

void apply(fixtures::LegalEntity& entity, const Change& change);
void apply(fixtures::Person& person, const Change& change);
// `profile`: where a missing tax office comes from.
void apply(kgd::Taxpayer& taxpayer, const Change& change, const population::Profile& profile);
// `standard`: a licence and a notification as the subject's line of business would hold them
// (Population::standard_licensing), for a change that grants one to a subject that holds none;
// `primary_is_notification`: what "licensed": true grants (a taxi carrier's notification).
void apply(elicense::Subject& subject, const Change& change, const elicense::Subject& standard,
           bool primary_is_notification);
void apply(pa_checks::PersonRecords& records, const Change& change);

// Register rows of one supplier; `names`: how a created row names the supplier.
void apply_rnu(std::vector<boost::json::object>& rows, const Change& change,
               const population::SubjectNames& names);
void apply_samruk(std::vector<boost::json::object>& rows, const Change& change,
                  const population::SubjectNames& names);

}  // namespace tekser::mocks::state
