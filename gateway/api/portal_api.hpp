// The portal's HTTP API (JSON):
//   PUT  /v1/suppliers/{bin_or_iin}          register or update a watched supplier
//   GET  /v1/suppliers/{id}                  the supplier, its current facts with provenance and
//                                            freshness, and the last answer of each source
//   POST /v1/suppliers/{id}/verify           ask the state systems now, store, return the facts;
//        [?systems=a,b][&max_age_seconds=N]    only these systems; reuse data younger than N s
//   GET  /v1/suppliers/{id}/eligibility      the verdict of order No. 285 per category, from the
//        [?category=C]                       stored facts (all the supplier's categories by
//        default)
//   POST /v1/suppliers/{id}/power-of-attorney  {"representative_iin","number"}: ask ЕНИС whether
//                                            that person may act for the supplier before the portal
//   GET  /v1/suppliers/{id}/history          changes of its facts, newest first
//   POST /v1/facts/re-derive                 today's mappings over the kept replies
//                                            (gateway/api/rederive.hpp)
//   GET  /healthz                            the process is up
//   GET  /readyz                             the database answers
// Every error body is {"error": {"field", "reason"}}. handle() is the request boundary: it
// never throws. Before any handler runs, the access rules (gateway/api/access.hpp) decide: 401
// without valid credentials, 403 without the route's scope; /healthz and /readyz are open.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include <boost/asio/awaitable.hpp>

#include "adapters/enis/checker.hpp"
#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"
#include "gateway/api/access.hpp"
#include "gateway/api/view_cache.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/verify/verifier.hpp"

namespace tekser::api {

class OperationsApi;

class PortalApi {
 public:
  // `poa_checker` may be null: the power-of-attorney endpoint then answers 503.
  PortalApi(store::DbPool& db, verify::Verifier& verifier,
            adapters::enis::PowerOfAttorneyChecker* poa_checker,
            std::shared_ptr<const access::Gatekeeper> gatekeeper, logging::JsonLog& log)
      : db_(db),
        verifier_(verifier),
        poa_checker_(poa_checker),
        log_(log),
        gatekeeper_(std::move(gatekeeper)) {}

  boost::asio::awaitable<net::HttpAction> handle(net::HttpRequest request);

  // The pool /readyz asks on (one connection of its own, short timeouts); none: the main pool.
  void set_readiness_db(store::DbPool* db) { readiness_db_ = db; }

  // How long a fact read from a reply stays valid (sources.facts_valid_for): facts re-derive
  // reads the kept replies again with it.
  void set_facts_valid_for(std::chrono::seconds valid_for) { facts_valid_for_ = valid_for; }

  // The supplier views kept in memory (view_cache.hpp); none: every read goes to the database.
  void set_view_cache(SupplierViewCache* cache) { view_cache_ = cache; }

  // The refresh and trigger endpoints (gateway/api/operations.hpp), when the gateway runs them.
  void set_operations(OperationsApi* operations) { operations_ = operations; }

  // Replaces the access rules (a reloaded clients file); requests already admitted keep theirs.
  void set_gatekeeper(std::shared_ptr<const access::Gatekeeper> gatekeeper) {
    std::lock_guard lock(gatekeeper_mutex_);
    gatekeeper_ = std::move(gatekeeper);
  }

 private:
  boost::asio::awaitable<net::HttpResponse> route(const net::HttpRequest& request);
  // The supplier's view, from memory when kept there, else from the database (and kept); none:
  // not registered.
  boost::asio::awaitable<std::shared_ptr<const SupplierView>> current_view(const std::string& id);
  std::shared_ptr<const access::Gatekeeper> gatekeeper() const {
    std::lock_guard lock(gatekeeper_mutex_);
    return gatekeeper_;
  }

  store::DbPool& db_;
  store::DbPool* readiness_db_ = nullptr;
  verify::Verifier& verifier_;
  adapters::enis::PowerOfAttorneyChecker* poa_checker_;
  logging::JsonLog& log_;
  OperationsApi* operations_ = nullptr;
  SupplierViewCache* view_cache_ = nullptr;
  std::chrono::seconds facts_valid_for_{std::chrono::hours(24 * 7)};
  mutable std::mutex gatekeeper_mutex_;
  std::shared_ptr<const access::Gatekeeper> gatekeeper_;
};

}  // namespace tekser::api
