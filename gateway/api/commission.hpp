// POST/GET /v1/suppliers/{id}/commission-decisions: the portal records the commission's
// decisions, which no state system carries — a deregistration by its protocol (p.19) and the
// positive decision that re-registers a deregistered supplier (p.20, last paragraph). The
// decision, the trigger state it changes and the triggers it lets through (an unblock once every
// ground has gone) commit in one transaction, through the same trigger decision as a refresh.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/net/http_server.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/triggers/queue.hpp"

namespace tekser::api {

// `queue`: null when the gateway decides no triggers (then 503).
boost::asio::awaitable<net::HttpResponse> commission_route(store::DbPool& db,
                                                           const triggers::TriggerQueue* queue,
                                                           const net::HttpRequest& request,
                                                           const std::string& supplier_id);

}  // namespace tekser::api
