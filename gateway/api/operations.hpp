// The operators' and the portal's side of the refresh and the triggers (JSON, plus /metrics):
//   POST /v1/refresh-runs                    start a run now ({"requested_by": "api"|"cli"});
//                                            202 with the run, or 409 with the one running
//   GET  /v1/refresh-runs                    recent runs
//   GET  /v1/refresh-runs/{id}               progress: total, done, failed, per system, rate, ETA
//   POST /v1/refresh-runs/{id}/cancel        stop handing out its work
//   GET  /v1/triggers?after=&limit=          the outbox in order (pull API for a portal that
//   polls),
//        [&supplier=&status=&kind=&overdue=true]  with next_after for the next page
//   GET  /v1/triggers/{id}                   one trigger with its document and delivery state
//   POST /v1/triggers/{id}/replay            put a dead letter back in the queue
//   GET  /metrics                            Prometheus text: triggers by status, overdue, runs,
//                                            the state systems' circuit breakers
#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/url/params_view.hpp>

#include "common/net/http_server.hpp"
#include "gateway/api/view_cache.hpp"
#include "gateway/delivery/dispatcher.hpp"
#include "gateway/refresh/runner.hpp"
#include "gateway/refresh/schedule.hpp"
#include "gateway/resilience/health.hpp"
#include "gateway/store/db_pool.hpp"

namespace tekser::api {

class OperationsApi {
 public:
  // `runner` and `dispatcher` may be null (their counters are then left out of /metrics).
  OperationsApi(store::DbPool& db, refresh::Schedule schedule, const refresh::RefreshRunner* runner,
                const delivery::Dispatcher* dispatcher)
      : db_(db), schedule_(schedule), runner_(runner), dispatcher_(dispatcher) {}

  // The state systems' breakers, for /metrics (none: left out).
  void set_source_health(const resilience::SourceHealth* health) { health_ = health; }
  // Its figures in /metrics; none: not shown.
  void set_view_cache(const SupplierViewCache* cache) { view_cache_ = cache; }

  static bool handles(const std::vector<std::string>& segments);
  // Throws ApiError (gateway/api/reply.hpp) for what the caller got wrong.
  boost::asio::awaitable<net::HttpResponse> route(const net::HttpRequest& request,
                                                  const std::vector<std::string>& segments,
                                                  boost::urls::params_view params);

 private:
  store::DbPool& db_;
  refresh::Schedule schedule_;
  const refresh::RefreshRunner* runner_;
  const delivery::Dispatcher* dispatcher_;
  const resilience::SourceHealth* health_ = nullptr;
  const SupplierViewCache* view_cache_ = nullptr;
};

}  // namespace tekser::api
