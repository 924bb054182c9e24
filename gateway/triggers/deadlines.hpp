// The deadlines a trigger carries, counted on the working-day calendar from the rule set's
// steps: the first from the day the data arrived, each later one from the end of the one
// before (p.13: 5 working days to re-review, then 1 to inform the territorial unit).
#pragma once

#include <vector>

#include "gateway/calendar/working_calendar.hpp"
#include "gateway/eligibility/eligibility.hpp"
#include "gateway/triggers/document.hpp"

namespace tekser::triggers {

// Empty when `rules` is null: the kind has no legal deadline.
std::vector<DeadlineDue> deadlines_due(const calendar::WorkingCalendar& calendar,
                                       const eligibility::KindDeadlines* rules,
                                       xsd_time::TimePoint data_received_at);

}  // namespace tekser::triggers
