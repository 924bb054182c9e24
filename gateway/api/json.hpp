// JSON shapes of the portal API (domain -> JSON). One place, so that the API's documented shapes
// and the code agree.
#pragma once

#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "gateway/eligibility/eligibility.hpp"
#include "gateway/store/store.hpp"
#include "mappings/facts/fact.hpp"

namespace tekser::api {

boost::json::object to_json(const facts::Provenance& provenance);
boost::json::object to_json(const store::SupplierRecord& supplier);  // never the consent token
// A current fact, with its freshness at `now`: fresh while now < valid_until.
boost::json::object to_json(const store::StoredFact& fact, xsd_time::TimePoint now);
// The same without the members that depend on the moment (age_seconds, fresh).
boost::json::object fixed_members(const store::StoredFact& fact);
// A fact's age_seconds at `now`: whole seconds since its reply was retrieved.
long long age_seconds(xsd_time::TimePoint now, xsd_time::TimePoint retrieved_at);
boost::json::object to_json(const store::SourceStatus& status);
boost::json::object to_json(const store::HistoryEntry& entry);
boost::json::object to_json(const facts::SourceResult& result);

boost::json::object to_json(const eligibility::Verdict& verdict);

// {"error": {"field": ..., "reason": ...}} — every 4xx/5xx body of the API.
boost::json::object error_body(std::string_view field, std::string_view reason);

}  // namespace tekser::api
