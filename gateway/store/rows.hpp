// Readers of the rows the store's statements return, shared by its files. Internal to the store.
#pragma once

#include <pqxx/pqxx>

#include "gateway/store/store.hpp"

namespace tekser::store {

// A row with the columns of sql::kCurrentFacts, in its order.
StoredFact stored_fact_row(const pqxx::row& row);
// A row with the columns of sql::kSourceStatuses, in its order.
SourceStatus source_status_row(const pqxx::row& row);

}  // namespace tekser::store
