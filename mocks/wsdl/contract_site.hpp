// The mocks publish their contracts the way a SOAP service does, so that a SOAP toolkit nobody
// here wrote (zeep, SoapUI, wsimport) can load them: `GET /bip-sync-wss-gost/?wsdl` answers the
// SyncChannel WSDL with its address pointing at this server, and `GET /contracts/<path>` serves
// the WSDL/XSD files it imports (contracts/official) and the project's assumed contracts
// (`/contracts/assumed/…`), so relative schemaLocations resolve over HTTP.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "mocks/shep_server/http_server.hpp"

namespace tekser::mocks::wsdl {

inline constexpr std::string_view kContractsPath = "/contracts";
// The published WSDL of the SyncChannel, relative to the shared contracts folder.
inline constexpr std::string_view kServiceWsdl =
    "shep/SyncChannel/v10/Interfaces/SyncChannelHttp_Service.wsdl";

class ContractSite {
 public:
  // Throws if the SyncChannel WSDL is not in `contracts_dir`.
  ContractSite(std::filesystem::path contracts_dir, std::filesystem::path assumed_dir,
               std::string sync_channel_path);

  // `GET <SyncChannel>?wsdl`: the service WSDL, its import and soap:address made absolute URLs
  // of this server (taken from the request's Host header).
  HttpAction wsdl(const HttpRequest& request) const;
  // `GET /contracts/<relative path>`: a .wsdl or .xsd file; 404 for anything else.
  HttpAction file(const HttpRequest& request) const;

 private:
  std::filesystem::path contracts_dir_;
  std::filesystem::path assumed_dir_;
  std::string sync_channel_path_;
  std::string service_wsdl_;  // read once at start-up
};

// The Host header when it is a plain host[:port] (no scheme, path or spaces); empty otherwise.
std::string safe_host(const HttpRequest& request);

}  // namespace tekser::mocks::wsdl
