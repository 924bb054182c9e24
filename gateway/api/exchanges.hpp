// The message log for operators: GET /v1/exchanges?system=&subject=&since=&until=&outcome=
// &after=&limit= (scope exchanges:read) — the exchanges with the state systems oldest first, each
// with the reply as kept (its bytes as received when they were UTF-8; reply_sha256 is over the
// bytes as received either way), its SHA-256, service id, subject, message id and time; cursor
// after=<id>, next_after in the answer; limit 1..100 (20 by default: each row carries a reply);
// outcome a comma-separated list of data, no_data, unavailable, refused, malformed. Request
// bodies are never served (a ГБД ФЛ request carries the consent token). tekser-ctl exchanges
// export writes these replies as files tekser-mocks --replay serves.
// Every bad parameter is a 400 naming it.
#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/url/params_view.hpp>

#include "common/net/http_server.hpp"
#include "gateway/store/db_pool.hpp"

namespace tekser::api {

bool is_exchanges_route(const std::vector<std::string>& segments);

// GET /v1/exchanges. Throws ApiError for what the caller got wrong.
boost::asio::awaitable<net::HttpResponse> exchanges_route(store::DbPool& db,
                                                          const net::HttpRequest& request,
                                                          boost::urls::params_view params);

}  // namespace tekser::api
