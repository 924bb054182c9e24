// Readers of the rows the store's statements return, shared by its files. Internal to the store.
#pragma once

#include <pqxx/pqxx>

#include "gateway/store/exchange_store.hpp"
#include "gateway/store/store.hpp"

namespace tekser::store {

// A row with the columns of sql::kCurrentFacts, in its order.
StoredFact stored_fact_row(const pqxx::row& row);
// A row with the columns of sql::kSourceStatuses, in its order.
SourceStatus source_status_row(const pqxx::row& row);

// The message log's columns that make an Exchange (exchange_store.hpp), in exchange_row's order.
#define TEKSER_EXCHANGE_COLUMNS                                                                  \
  "id, message_id, supplier_id, system, service_id, response_body, http_status, outcome, cause," \
  " reply_sha256, tekser_ts_to_ms(started_at), duration_ms, signature, signer_sha256,"           \
  " signature_algorithm, request_id"
Exchange exchange_row(const pqxx::row& row);

}  // namespace tekser::store
