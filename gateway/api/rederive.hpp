// Facts re-derive for operators (gateway/rederive): POST /v1/facts/re-derive?system=S[,S…]
// &supplier=ID&since=T&apply=true|false&limit=N (scope refresh:run). Today's mappings over the
// replies kept in the message log: which facts would change (apply=false, the default, writes
// nothing), or the changes recorded (apply=true: a run of fact_rederivations names them in the
// history). system defaults to every system whose replies are kept per supplier; supplier to every
// watched one (one not watched has nothing to read); since to the whole log; limit (1..10000,
// default 100) bounds the changes listed, not the counts. Every bad parameter is a 400 naming it.
// tekser-ctl facts re-derive calls it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/url/params_view.hpp>

#include "common/net/http_server.hpp"
#include "gateway/store/db_pool.hpp"

namespace tekser::api {

bool is_rederive_route(const std::vector<std::string>& segments);

// `valid_for`: how long a fact read from a reply stays valid (sources.facts_valid_for). Throws
// ApiError for what the caller got wrong.
boost::asio::awaitable<net::HttpResponse> rederive_route(store::DbPool& db,
                                                         const net::HttpRequest& request,
                                                         boost::urls::params_view params,
                                                         std::chrono::seconds valid_for);

}  // namespace tekser::api
