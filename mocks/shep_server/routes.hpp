// The mocks' HTTP surface: the SHEP SyncChannel endpoint, /healthz and the /admin API (fault
// switch and journal). handle() is the request boundary: every exception stops here, is logged
// and becomes a 500 (a soap:Server fault on the SOAP endpoint).
#pragma once

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

 private:
  HttpAction route(const HttpRequest& request, SoapReply& soap);
  HttpResponse admin(const HttpRequest& request, std::string_view path, const JournalFilter& filter,
                     std::optional<std::string> service_param);

  SyncChannel& channel_;
  FaultSwitch& faults_;
  Journal& journal_;
  JsonLog& log_;
};

}  // namespace tekser::mocks
