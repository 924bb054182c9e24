#include "gateway/triggers/deadlines.hpp"

namespace tekser::triggers {

std::vector<DeadlineDue> deadlines_due(const calendar::WorkingCalendar& calendar,
                                       const eligibility::KindDeadlines* rules,
                                       xsd_time::TimePoint data_received_at) {
  std::vector<DeadlineDue> out;
  if (!rules) return out;
  auto from = data_received_at;
  bool estimate = false;
  for (const auto& step : rules->steps) {
    const auto deadline = calendar.deadline(from, step.working_days);
    estimate = estimate || deadline.estimate;  // a step after an estimated one is one too
    out.push_back({step.step, step.working_days, step.reference, step.what, deadline.at, estimate});
    from = deadline.at;
  }
  return out;
}

}  // namespace tekser::triggers
