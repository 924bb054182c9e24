// The portal's HTTP API (JSON):
//   PUT  /v1/suppliers/{bin_or_iin}          register or update a watched supplier
//   GET  /v1/suppliers/{id}                  the supplier, its current facts with provenance and
//                                            freshness, and the last answer of each source
//   POST /v1/suppliers/{id}/verify           ask the state systems now, store, return the facts;
//        [?systems=a,b][&max_age_seconds=N]    only these systems; reuse data younger than N s
//   GET  /v1/suppliers/{id}/eligibility      the verdict of order No. 285 per category, from the
//        [?category=C]                       stored facts (all the supplier's categories by
//        default)
//   GET  /v1/suppliers/{id}/history          changes of its facts, newest first
//   GET  /healthz                            the process is up
//   GET  /readyz                             the database answers
// Every error body is {"error": {"field", "reason"}}. handle() is the request boundary: it
// never throws.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "common/log/json_log.hpp"
#include "common/net/http_server.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/verify/verifier.hpp"

namespace tekser::api {

class PortalApi {
 public:
  PortalApi(store::DbPool& db, verify::Verifier& verifier, logging::JsonLog& log)
      : db_(db), verifier_(verifier), log_(log) {}

  boost::asio::awaitable<net::HttpAction> handle(net::HttpRequest request);

 private:
  boost::asio::awaitable<net::HttpResponse> route(const net::HttpRequest& request);

  store::DbPool& db_;
  verify::Verifier& verifier_;
  logging::JsonLog& log_;
};

}  // namespace tekser::api
