// The commission's decisions the portal records (migration 0100): append-only, listed per
// supplier. Inside the caller's transaction, which also changes the trigger state they rule.
#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "common/time/xsd_time.hpp"

namespace tekser::store {

struct CommissionDecisionRow {
  long long id = 0;  // set by the database
  std::string supplier_id;
  std::string kind;        // "deregistration" | "reregistration"
  std::string ground;      // "p15.1" … "p15.5"; empty for a re-registration
  std::string decided_on;  // YYYY-MM-DD
  std::string protocol_number;
  std::string recorded_by;            // the API client
  xsd_time::TimePoint recorded_at{};  // set by the database
};

struct CommissionStore {
  // Returns the row as stored (id, recorded_at).
  static CommissionDecisionRow record(pqxx::transaction_base& txn, CommissionDecisionRow row);
  // Oldest first.
  static std::vector<CommissionDecisionRow> list(pqxx::transaction_base& txn,
                                                 const std::string& supplier_id);
};

}  // namespace tekser::store
