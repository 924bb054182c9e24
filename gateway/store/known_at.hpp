// What the gateway knew about a supplier at a past moment (GET /v1/suppliers/{id}/eligibility
// ?as_of=DATE judges by the facts known at the end of that day).
//
// Blocking (libpqxx): runs on the database pool, like the Store.
#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "gateway/store/store.hpp"

namespace tekser::store {

struct KnownAt {
  // Each fact with the value its history last gave it up to the moment (first_seen_at: that
  // change), and the provenance of the latest reply up to the moment that gave or confirmed that
  // value (checked_at: when that reply was recorded). A fact first seen later is absent; a
  // confirmation later is not known then.
  std::vector<StoredFact> facts;
  // Each source's last answer up to the moment; last_data_at its last data up to then. A system
  // whose facts predate the answers kept (store version 130) and that has none recorded by then
  // counts as having answered with data at its facts' latest checked_at.
  std::vector<SourceStatus> sources;  // by system
};

// In one read transaction. Facts before store version 130 count as confirmed only by the reply
// that first gave their value (confirmations were not kept).
KnownAt known_at(pqxx::connection& connection, const std::string& supplier_id, TimePoint at);

}  // namespace tekser::store
