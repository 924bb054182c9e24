// The mocks' HTTP surface: the SHEP SyncChannel endpoint, the REST systems mounted beside it
// (journaled and open to the fault switch like the bus), /healthz and the /admin API (fault rules
// and journal). handle() is the request boundary: every exception stops here, is logged and
// becomes a 500 (a soap:Server fault on the SOAP endpoint).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "mocks/shep_server/fault_admin.hpp"
#include "mocks/shep_server/fault_switch.hpp"
#include "mocks/shep_server/http_server.hpp"
#include "mocks/shep_server/journal.hpp"
#include "mocks/shep_server/json_log.hpp"
#include "mocks/shep_server/sync_channel.hpp"

namespace tekser::mocks {

// The SyncChannel endpoint's path on the real bus, and the short alias the mocks also accept.
inline constexpr std::string_view kSyncChannelPath = "/bip-sync-wss-gost/";
inline constexpr std::string_view kSyncChannelAlias = "/SyncChannel";

class MockRoutes {
 public:
  MockRoutes(SyncChannel& channel, FaultSwitch& faults, Journal& journal, JsonLog& log)
      : channel_(channel), faults_(faults), journal_(journal), log_(log) {}

  HttpAction handle(const HttpRequest& request);

  // Another part of the mocks served beside the bus — a REST state system (goszakup OWS v3,
  // Samruk-Kazyna), the mock portal, an admin API of its own: requests whose path is `path` or
  // lies below it go to `handler`, which must not throw (handle() still turns an exception into a
  // 500). Mounts are tried before the built-in /admin endpoints. Mount before the server starts.
  using MountedHandler = std::function<HttpAction(const HttpRequest&)>;
  void mount(std::string path, MountedHandler handler) {
    mounts_.emplace_back(std::move(path), std::move(handler));
  }
  // Answers `GET <SyncChannel path>?wsdl`.
  void serve_wsdl(MountedHandler handler) { wsdl_ = std::move(handler); }
  // The same for a handler that always answers.
  using RestHandler = std::function<HttpResponse(const HttpRequest&)>;
  void mount_rest(std::string path, RestHandler handler) {
    mount(std::move(path), [handler = std::move(handler)](const HttpRequest& request) {
      return HttpAction{HttpAction::Kind::respond, handler(request)};
    });
  }
  // A REST state system (goszakup, samruk) at `path`: like mount_rest, and every request is
  // journaled under `system` and passes the fault switch first (rules naming `system` as their
  // system or service_id; the SOAP-only modes are refused for it at POST /admin/faults).
  void mount_system(std::string path, std::string system, RestHandler handler) {
    systems_.push_back({std::move(path), std::move(system), std::move(handler)});
  }

  // What a fault rule may name here: the bus's services and the mounted REST systems.
  FaultCatalogue fault_catalogue() const;

  // For the request log line.
  struct RequestNote {
    std::string system;
    std::string service_id;
    std::string subject;
    std::string outcome;
    std::string fault_id;
  };

 private:
  HttpAction route(const HttpRequest& request, RequestNote& note);
  HttpAction serve_system(const std::string& system, const RestHandler& handler,
                          const HttpRequest& request, RequestNote& note);
  HttpResponse admin(const HttpRequest& request, std::string_view path);
  HttpResponse admin_faults(const HttpRequest& request, std::string_view path);
  HttpResponse admin_journal(const HttpRequest& request, std::string_view path);
  HttpResponse admin_wire_styles(const HttpRequest& request, std::string_view path);
  HttpResponse admin_replay(const HttpRequest& request);

  SyncChannel& channel_;
  FaultSwitch& faults_;
  Journal& journal_;
  JsonLog& log_;
  std::vector<std::pair<std::string, MountedHandler>> mounts_;
  struct MountedSystem {
    std::string path;
    std::string system;
    RestHandler handler;
  };
  std::vector<MountedSystem> systems_;
  MountedHandler wsdl_;
};

}  // namespace tekser::mocks
