// Who may call the HTTP API, and what for: the clients file (api.auth.clients_file), the scope
// each route needs, and the decision for one request. Pure (no I/O but reading the file), so
// that every decision is unit-tested.
//
// The clients file (YAML) names each client, how it proves who it is — the SHA-256 of its bearer
// token (never the token itself) and/or the SHA-256 of its client certificate's DER — and its
// scopes:
//
//   clients:
//     - id: portal
//       token_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//       scopes: [suppliers:read, suppliers:write, suppliers:verify, triggers:read]
//     - id: operator-desk
//       certificate_sha256: 3b:1f:...      (colons and upper case are accepted)
//       scopes: [refresh:read, refresh:run, triggers:read, triggers:replay, metrics:read]
//
// The routes and their scopes are one table (route_for): a request to a path that is not in it
// is answered 404 before any handler sees it, so a new endpoint is unreachable until it is given
// a scope here. /healthz, /readyz and the operator's page (/ui/…, static files) are open;
// /v1/openapi.json and /v1/version need a client but no scope.
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

namespace tekser::api::access {

enum class Scope {
  suppliers_read,    // GET a supplier, its eligibility, its history
  suppliers_write,   // PUT a supplier
  suppliers_verify,  // POST verify, POST power-of-attorney (these ask the state systems)
  commission_write,  // POST the commission's decisions (deregistration, re-registration)
  refresh_read,      // GET refresh runs
  refresh_run,       // start and cancel refresh runs
  triggers_read,     // GET the trigger outbox
  triggers_replay,   // replay a trigger
  audit_read,        // GET the audit log (/v1/audit...)
  exchanges_read,    // GET the message log with the replies (/v1/exchanges): personal data
  metrics_read,      // GET /metrics
};

// "suppliers:read" ...
std::string_view to_string(Scope scope);
std::optional<Scope> parse_scope(std::string_view text);
const std::vector<Scope>& all_scopes();

// A bad clients file: the message names the file, the field and the reason.
class ClientsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Sha256 = std::array<unsigned char, 32>;

struct Client {
  std::string id;  // letters, digits, '.', '_', '-' (it goes into a header and the logs)
  std::optional<Sha256> token_sha256;
  std::optional<std::string> certificate_sha256;  // lower-case hex, no separators
  std::set<Scope> scopes;
};

// Throws ClientsError ("clients.yaml: clients[1].token_sha256: expected 64 hex digits ...").
std::vector<Client> parse_clients(std::string_view yaml_text, std::string_view source);
std::vector<Client> load_clients(const std::filesystem::path& file);

// What one route of the API demands.
struct Route {
  enum class Kind {
    open,         // /healthz, /readyz, /ui/…: no credentials
    protected_,   // needs an authenticated client with `scope` (none: any client)
    not_allowed,  // a known path, but not this method (405, `allowed` lists the methods)
    unknown,      // no such path (404)
  };
  Kind kind = Kind::unknown;
  std::optional<Scope> scope;
  std::string pattern;     // "GET /v1/suppliers/{id}", for messages
  std::string allowed;     // "GET, PUT"
  bool open_path = false;  // not_allowed on an open path (POST /healthz): 405 without credentials
};

Route route_for(boost::beast::http::verb method, const std::vector<std::string>& segments);

// Every route of the table as "GET /v1/suppliers/{id}" (a trailing "**" as "{path}"), in its order:
// what the published API document must describe.
std::vector<std::string> route_patterns();

// The credentials a request carries: its Authorization header and, when the listener verified a
// client certificate, that certificate's SHA-256 (empty otherwise).
struct Credentials {
  std::string_view authorization;
  std::string_view certificate_sha256;
};

struct Decision {
  bool allowed = false;
  std::string client_id;  // who asked, when authenticated
  // When refused: 401 (with WWW-Authenticate), 403, 404 or 405, and the {"error"} body's parts.
  boost::beast::http::status status = boost::beast::http::status::ok;
  std::string field;
  std::string reason;
  std::string www_authenticate;  // for a 401
};

class Gatekeeper {
 public:
  // `certificate_identity`: whether certificate fingerprints may identify clients (only when the
  // listener does TLS and sets the fingerprint itself; on plain HTTP anyone could claim one).
  Gatekeeper(std::vector<Client> clients, bool certificate_identity);
  // No authentication: every request is allowed as `anonymous` (api.auth.mode: open).
  static Gatekeeper open();

  Decision decide(boost::beast::http::verb method, const std::vector<std::string>& segments,
                  const Credentials& credentials) const;

  bool is_open() const { return open_; }
  bool certificate_identity() const { return certificate_identity_; }
  const std::vector<Client>& clients() const { return clients_; }

 private:
  Gatekeeper() = default;
  // The client whose token hashes to `digest`, compared with every client in constant time.
  const Client* by_token(const Sha256& digest) const;
  const Client* by_certificate(std::string_view sha256_hex) const;

  std::vector<Client> clients_;
  bool certificate_identity_ = false;
  bool open_ = false;
};

// The client id written into X-Tekser-Authenticated-Client in open mode.
inline constexpr std::string_view kAnonymous = "anonymous";

// Set on the request after authentication, for what runs behind the API (the audit log reads
// who asked from it); whatever a client sent under this name is dropped first.
inline constexpr std::string_view kAuthenticatedClientHeader = "X-Tekser-Authenticated-Client";
// Set by the TLS listener for a verified client certificate (it drops what clients send).
inline constexpr std::string_view kClientCertificateSha256Header =
    "X-Tekser-Client-Certificate-Sha256";
inline constexpr std::string_view kClientCertificateSubjectHeader =
    "X-Tekser-Client-Certificate-Subject";

}  // namespace tekser::api::access
