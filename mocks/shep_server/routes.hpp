// The mocks' HTTP surface: the SHEP SyncChannel endpoint, /healthz and the /admin API (fault
// switch and journal). handle() is the request boundary: every exception stops here, is logged
// and becomes a 500 (a soap:Server fault on the SOAP endpoint).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

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

 private:
  HttpAction route(const HttpRequest& request, SoapReply& soap);
  HttpResponse admin(const HttpRequest& request, std::string_view path, const JournalFilter& filter,
                     std::optional<std::string> service_param);

  SyncChannel& channel_;
  FaultSwitch& faults_;
  Journal& journal_;
  JsonLog& log_;
  std::vector<std::pair<std::string, MountedHandler>> mounts_;
  MountedHandler wsdl_;
};

}  // namespace tekser::mocks
