#include "gateway/store/exchange_store.hpp"

#include "gateway/store/params.hpp"
#include "gateway/store/rows.hpp"

#include <algorithm>
#include <stdexcept>

namespace tekser::store {
namespace {

// $1 after (id), $2 system, $3 subject, $4 since ms, $5 until ms (each NULL: any), $6 outcomes
// (a text array; NULL: any), $7 limit. The conventions are sql.hpp's (epoch milliseconds).
constexpr const char* kQueryExchanges =
    "SELECT " TEKSER_EXCHANGE_COLUMNS
    " FROM message_log"
    " WHERE id > $1"
    "  AND ($2::text IS NULL OR system = $2)"
    "  AND ($3::text IS NULL OR supplier_id = $3)"
    "  AND ($4::bigint IS NULL OR started_at >= tekser_ms_to_ts($4::bigint))"
    "  AND ($5::bigint IS NULL OR started_at < tekser_ms_to_ts($5::bigint))"
    "  AND ($6::text[] IS NULL OR outcome = ANY ($6::text[]))"
    " ORDER BY id LIMIT $7";

using namespace params;

// The outcomes' names as a PostgreSQL array literal; none: any outcome (NULL).
Nullable outcome_array(const std::vector<facts::Outcome>& outcomes) {
  if (outcomes.empty()) return {};
  std::vector<std::string> names;
  for (const auto o : outcomes) names.emplace_back(to_string(o));
  return {text_array(names)};
}
}  // namespace

Exchange exchange_row(const pqxx::row& row) {
  Exchange e;
  e.id = row[0].as<long long>();
  e.message_id = row[1].as<std::string>();
  e.subject = row[2].as<std::string>();
  e.system = row[3].as<std::string>();
  e.service_id = row[4].as<std::string>();
  if (!row[5].is_null()) e.response_body = row[5].as<std::string>();
  if (!row[6].is_null()) e.http_status = row[6].as<int>();
  const auto outcome = facts::outcome_from_string(row[7].as<std::string>());
  if (!outcome)
    throw std::runtime_error("store: unknown outcome in the message log: " +
                             row[7].as<std::string>());
  e.outcome = *outcome;
  e.cause = row[8].as<std::string>();
  e.reply_sha256 = text_or_empty(row[9]);
  e.started_at = xsd_time::TimePoint{std::chrono::milliseconds{row[10].as<long long>()}};
  e.duration_ms = row[11].as<int>();
  e.signature = facts::signature_status_from_string(row[12].as<std::string>())
                    .value_or(facts::SignatureStatus::not_checked);
  e.signer_sha256 = text_or_empty(row[13]);
  e.signature_algorithm = text_or_empty(row[14]);
  e.request_id = text_or_empty(row[15]);
  return e;
}

std::vector<Exchange> ExchangeStore::query(const ExchangeFilter& filter) {
  const auto system = optional_text(filter.system);
  const auto subject = optional_text(filter.subject);
  const auto since = optional_ms(filter.since);
  const auto until = optional_ms(filter.until);
  const auto outcomes = outcome_array(filter.outcomes);
  const int limit = std::clamp(filter.limit, 1, 100);
  pqxx::read_transaction txn(connection_, "tekser_exchange_query");
  std::vector<Exchange> out;
  for (const auto& row :
       txn.exec_params(kQueryExchanges, std::max(filter.after, 0LL), system.get(), subject.get(),
                       since.get(), until.get(), outcomes.get(), limit)) {
    out.push_back(exchange_row(row));
  }
  return out;
}

}  // namespace tekser::store
