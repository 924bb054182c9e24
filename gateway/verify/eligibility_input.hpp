// What eligibility and the trigger rules see of a stored supplier: its current facts and the last
// answer of each source, as of `now` (facts past their valid_until then prove nothing). One
// definition for the portal API's verdicts and the refresh's triggers.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "common/identity/identity.hpp"
#include "gateway/eligibility/eligibility.hpp"
#include "gateway/store/store.hpp"

namespace tekser::verify {

inline eligibility::Input eligibility_input(const store::SupplierRecord& supplier,
                                            const std::vector<store::StoredFact>& facts,
                                            const std::vector<store::SourceStatus>& sources,
                                            xsd_time::TimePoint now) {
  eligibility::Input input;
  input.supplier_id = supplier.id;
  input.individual = supplier.subject_kind == "individual";
  input.services = supplier.services;
  input.entrepreneur = input.individual &&
                       std::any_of(supplier.categories.begin(), supplier.categories.end(),
                                   [](const std::string& c) { return c != "personal_assistant"; });
  if (const auto id = identity::parse(supplier.id)) input.birth_date = id.identifier->birth_date;
  input.today = xsd_time::format_datetime(now).substr(0, 10);  // the date in Almaty (+05:00)
  input.now = now;
  for (const auto& f : facts) input.facts[{f.fact.provenance.system, f.fact.name}] = f.fact;
  for (const auto& s : sources) input.sources[s.system] = {s.outcome, s.cause};
  return input;
}

}  // namespace tekser::verify
