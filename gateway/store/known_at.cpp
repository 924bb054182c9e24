#include "gateway/store/known_at.hpp"

#include <algorithm>
#include <map>

#include "gateway/store/rows.hpp"
#include "gateway/store/sql.hpp"

namespace tekser::store {

KnownAt known_at(pqxx::connection& connection, const std::string& supplier_id, TimePoint at) {
  const long long at_ms = at.time_since_epoch().count();
  pqxx::read_transaction txn(connection, "tekser_known_at");
  KnownAt out;
  for (const auto& row : txn.exec_params(sql::kFactsKnownAt, supplier_id, at_ms))
    out.facts.push_back(stored_fact_row(row));
  for (const auto& row : txn.exec_params(sql::kSourceAnswersKnownAt, supplier_id, at_ms))
    out.sources.push_back(source_status_row(row));

  // Facts from before the answers were kept: their system answered with data then.
  std::map<std::string, SourceStatus> unrecorded;
  for (const auto& f : out.facts) {
    const auto& p = f.fact.provenance;
    if (std::any_of(out.sources.begin(), out.sources.end(),
                    [&](const SourceStatus& s) { return s.system == p.system; }))
      continue;
    auto& s = unrecorded[p.system];
    if (!s.system.empty() && s.checked_at >= f.checked_at) continue;
    s.system = p.system;
    s.service_id = p.service_id;
    s.outcome = facts::Outcome::data;
    s.message_id = p.message_id;
    s.checked_at = f.checked_at;
    s.last_data_at = f.checked_at;
  }
  for (auto& entry : unrecorded) out.sources.push_back(std::move(entry.second));
  std::sort(out.sources.begin(), out.sources.end(),
            [](const SourceStatus& a, const SourceStatus& b) { return a.system < b.system; });
  return out;
}

}  // namespace tekser::store
