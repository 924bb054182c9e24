// What the API shows of the state systems' health (gateway/resilience): which stored facts are
// stale because their source is down, each source's breaker in /readyz, and the breakers in
// /metrics.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "gateway/resilience/health.hpp"
#include "gateway/store/store.hpp"

namespace tekser::api {

// Why each system's stored facts about a supplier are stale, by system: the source is down — its
// circuit is open, or the supplier's last answer from it was unavailable (transport, HTTP error,
// timeout, untrusted reply), unreadable (malformed), or a fault or bus status that means
// unavailable. A system not named is not down. `health` may be null (then only the last answers
// count).
std::map<std::string, std::string> stale_sources(const std::vector<store::SourceStatus>& statuses,
                                                 const resilience::SourceHealth* health);

// Sets "stale" (bool) and "stale_reason" (string or null) on each fact of a facts array (items
// with a "system"), and on each evidence fact of an eligibility answer's verdicts, which also gets
// "stale_sources": [{"system", "reason"}].
void mark_stale_facts(boost::json::array& facts, const std::map<std::string, std::string>& stale);
void mark_stale_evidence(boost::json::object& eligibility,
                         const std::map<std::string, std::string>& stale);

// {"system", "state", "consecutive_failures", "last_success_at", "last_failure_at",
//  "last_failure_cause", "probe_after", "times_opened", ...} per system, for /readyz.
boost::json::array sources_json(const resilience::SourceHealth& health);

// The breakers in Prometheus text: state per system (0 closed, 1 half-open, 2 open), consecutive
// failures, and counters of attempts, failures, retries, short-circuited queries and openings.
std::string prometheus(const resilience::SourceHealth& health);

}  // namespace tekser::api
