// The admin API of the synthetic population and of the subjects' state (JSON over HTTP; a bad
// request is a 400 {"error": "<field>: <reason>", "field": "<field>"}):
//   GET  /admin/population                       size, seed, shares, counts per trait
//   GET  /admin/population/subjects?trait=&kind=&offset=&limit=   pick subjects by trait
//   GET  /admin/population/subjects/{id}         one subject as every register has it now
//   POST/GET/DELETE /admin/state[?subject=]      state changes (optionally effective `from`)
//   POST/GET/DELETE /admin/scenarios[?subject=]  step-by-step answers of a SHEP service
//   GET/POST/DELETE /admin/clock                 the mock clock
//   POST /admin/reset                            back to the fixtures and the population as
//                                                loaded: clears changes, scenarios, clock, the
//                                                fault switch and the journal
// See mocks/README.md.
#pragma once

#include <string>
#include <vector>

#include "mocks/shep_server/fault_switch.hpp"
#include "mocks/shep_server/http_server.hpp"
#include "mocks/shep_server/journal.hpp"
#include "mocks/shep_server/json_log.hpp"
#include "mocks/state/live_world.hpp"

namespace tekser::mocks {
class MockRoutes;
}

namespace tekser::mocks::state {

// The serviceIds a scenario may name: the SHEP services that answer about one subject.
const std::vector<std::string>& scenario_services();

class AdminApi {
 public:
  AdminApi(const LiveWorld& world, State& state, FaultSwitch& faults, Journal& journal,
           JsonLog& log)
      : world_(world), state_(state), faults_(faults), journal_(journal), log_(log) {}

  HttpResponse population(const HttpRequest& request) const;
  HttpResponse changes(const HttpRequest& request);
  HttpResponse scenarios(const HttpRequest& request);
  HttpResponse clock(const HttpRequest& request);
  HttpResponse reset(const HttpRequest& request);

  // Mounts the five endpoints (and the paths below them) on `routes`.
  void mount(MockRoutes& routes);

 private:
  HttpResponse subjects(const HttpRequest& request) const;
  HttpResponse subject(const HttpRequest& request, std::string_view id) const;

  const LiveWorld& world_;
  State& state_;
  FaultSwitch& faults_;
  Journal& journal_;
  JsonLog& log_;
};

}  // namespace tekser::mocks::state
