#include "gateway/store/commission_store.hpp"

#include "gateway/store/params.hpp"

namespace tekser::store {

using namespace params;

CommissionDecisionRow CommissionStore::record(pqxx::transaction_base& txn,
                                              CommissionDecisionRow row) {
  const auto ground = empty_as_null(row.ground);
  const auto stored = txn.exec_params1(
      "INSERT INTO commission_decisions (supplier_id, kind, ground, decided_on, protocol_number,"
      " recorded_by) VALUES ($1, $2, $3, $4::date, $5, $6)"
      " RETURNING id, tekser_ts_to_ms(recorded_at)",
      row.supplier_id, row.kind, ground.get(), row.decided_on, row.protocol_number,
      row.recorded_by);
  row.id = stored[0].as<long long>();
  row.recorded_at = from_ms(stored[1].as<long long>());
  return row;
}

std::vector<CommissionDecisionRow> CommissionStore::list(pqxx::transaction_base& txn,
                                                         const std::string& supplier_id) {
  std::vector<CommissionDecisionRow> out;
  for (const auto& r : txn.exec_params(
           "SELECT id, kind, ground, to_char(decided_on, 'YYYY-MM-DD'), protocol_number,"
           " recorded_by, tekser_ts_to_ms(recorded_at)"
           " FROM commission_decisions WHERE supplier_id = $1 ORDER BY id",
           supplier_id)) {
    CommissionDecisionRow row;
    row.id = r[0].as<long long>();
    row.supplier_id = supplier_id;
    row.kind = r[1].as<std::string>();
    row.ground = text_or_empty(r[2]);
    row.decided_on = r[3].as<std::string>();
    row.protocol_number = r[4].as<std::string>();
    row.recorded_by = r[5].as<std::string>();
    row.recorded_at = from_ms(r[6].as<long long>());
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace tekser::store
