// The gateway's configuration: one typed struct loaded from YAML. Unknown keys are refused at
// start-up with the key's path; secrets may come from the environment instead of the file.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/shep/payload.hpp"

namespace tekser::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Listen {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port (see port_file)
  // A client must send a request's header (then its body) within this, or is cut off (slowloris).
  std::chrono::milliseconds read_timeout{30'000};
  // Open connections at most; more wait in the kernel's backlog until one closes.
  std::size_t max_connections = 4096;
};

struct Database {
  std::string url;  // libpq conninfo or URI; env TEKSER_DATABASE_URL overrides
  std::size_t pool_size = 4;
  // Every pooled connection's statement_timeout: a query running longer is cancelled (503).
  std::chrono::milliseconds statement_timeout{30'000};
  // How long work waits for a free pooled connection before it fails (503), never a hang.
  std::chrono::milliseconds wait_timeout{10'000};
  // /readyz asks on a connection of its own, never queued behind other work; its statement
  // timeout and wait bound.
  std::chrono::milliseconds readiness_timeout{2'000};
};

// What the gateway demands of the WS-Security signature on SHEP's replies
// (shep.reply_signature). Without the section: ignore (nothing checked, facts say not_checked).
struct ReplySignature {
  enum class Policy {
    ignore,             // replies are not checked
    verify_if_present,  // a signature must verify and be trusted; unsigned replies are accepted
    require,            // every SendMessageResponse must be signed by a trusted certificate
  };
  Policy policy = Policy::ignore;
  // PEM files of the trusted certificates (signers, or CAs that issue them); required unless
  // the policy is ignore. Read once at start-up.
  std::vector<std::filesystem::path> trusted_certificates;
};

std::string_view to_string(ReplySignature::Policy policy);

// The key the gateway signs its SHEP requests with (shep.request_signing): WS-Security over the
// Body, as SHEP expects of a sender. A PEM key with its certificate, or a PKCS#12 file.
struct RequestSigning {
  std::filesystem::path key;            // PEM private key (with certificate)
  std::filesystem::path certificate;    // PEM certificate of `key`
  std::filesystem::path pkcs12;         // or a PKCS#12 file with both
  std::optional<std::string> password;  // of the PKCS#12 file or an encrypted key; env
                                        // TEKSER_SHEP_SIGNING_PASSWORD overrides
};

// TLS to a state system, or to the portal, reached over https (shep.tls, goszakup.tls,
// samruk.tls, portal.tls). Without the section an https URL is still verified: against the
// system's CA store, host name included.
struct TlsClient {
  std::filesystem::path ca_file;        // PEM bundle of the CAs to trust; with ca_dir, or neither:
  std::filesystem::path ca_dir;         // an OpenSSL hashed directory; neither: the system store
  std::filesystem::path certificate;    // client certificate (PEM) for mutual TLS, with `key`
  std::filesystem::path key;            // its PEM private key
  std::filesystem::path pkcs12;         // or both in a PKCS#12 file
  std::optional<std::string> password;  // of the PKCS#12 file or an encrypted key; env
                                        // TEKSER_<SYSTEM>_TLS_PASSWORD overrides
  std::string ciphers;                  // TLS 1.2 cipher list (OpenSSL syntax); empty: tekser's
  std::string min_version = "1.2";      // "1.2" or "1.3"; 1.3 is preferred either way
  bool verify_host = true;              // false only when written so: the chain is still checked
};

// TLS on the API's listener (api.tls): the server's certificate, and client certificates
// (mutual TLS) verified against client_ca when asked for.
struct ApiTls {
  enum class ClientCertificate { none, optional, require };
  std::filesystem::path certificate;    // PEM certificate (chain)
  std::filesystem::path key;            // its PEM private key
  std::optional<std::string> password;  // of an encrypted key; env TEKSER_API_TLS_PASSWORD
  std::filesystem::path client_ca;      // PEM bundle; required unless client_certificate: none
  ClientCertificate client_certificate = ClientCertificate::none;
  std::string ciphers;
  std::string min_version = "1.2";
};

struct Shep {
  std::string url = "http://127.0.0.1:8089/bip-sync-wss-gost/";
  std::string sender_id = "tekser";
  std::optional<std::string> password;  // env TEKSER_SHEP_PASSWORD overrides
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds total_timeout{15000};
  std::size_t max_concurrent = 16;
  ReplySignature reply_signature;
  std::optional<RequestSigning> request_signing;  // without it requests go unsigned
  std::optional<TlsClient> tls;                   // only with an https url
};

struct Sources {
  std::string requestor_bin;       // ГБД ЮЛ RequestorBIN: the BIN of the portal's operator
  std::string gbd_fl_sender_code;  // ГБД ФЛ senderCode
  std::chrono::hours facts_valid_for{24 * 7};
  // sources.<system>.payload_style: typed | declared | jaxb | untyped, per SHEP system ("gbd_ul");
  // a system not named is sent typed.
  std::map<std::string, shep::PayloadShape, std::less<>> payload_styles;
};

// A register reached over REST (goszakup OWS v3, the Samruk-Kazyna lists). Without its section
// the register is not asked, and the requirements it vouches for stay unknown.
struct RestRegister {
  std::string url;                   // base URL, e.g. http://127.0.0.1:8089/
  std::optional<std::string> token;  // bearer token; env TEKSER_<NAME>_TOKEN overrides
  std::optional<TlsClient> tls;      // only with an https url
};

// Per-system bounds on the refresh's requests (refresh.limits.<system>, refresh.limits.default).
struct Limit {
  int max_concurrent = 8;
  double rate_per_second = 50;  // 0: no rate limit
  // The longest a query waits for a slot; then the system is unavailable for it, never a block.
  std::chrono::milliseconds max_wait{60'000};
};

// The weekly refresh (refresh): when it runs, how hard it pushes, what the triggers follow.
struct Refresh {
  std::string schedule = "MON 02:00";  // Asia/Almaty; "off" for API/CLI runs only
  std::chrono::hours catch_up{24};     // a slot missed by less than this still runs
  std::string replica;                 // this replica's name on its leases; default host-pid
  int workers = 8;                     // suppliers verified side by side per replica
  int batch = 4;
  std::chrono::seconds lease{120};
  int max_attempts = 3;
  std::string deregister_policy;  // a policy of the rule set; empty: its default
  std::optional<std::filesystem::path> calendar_dir;  // kz-YYYY.json files; default: shipped
  Limit default_limit;
  std::map<std::string, Limit> limits;
};

// How hard the gateway tries a state system, and when it stops asking one that is down
// (resilience.default, resilience.systems.<system>: a system's keys override the default's).
struct ResiliencePolicy {
  int failure_threshold = 5;      // consecutive unavailable attempts that open the circuit
  int failure_rate_percent = 50;  // or this share of unavailable attempts in the window
  int window = 20;                // attempts; 0: no rate rule
  std::chrono::seconds open{30};  // open_seconds: cool-down before one probe is let through
  int max_attempts = 3;           // per query, the first included; 1: no retry
  std::chrono::milliseconds backoff_base{200};
  std::chrono::milliseconds backoff_cap{2000};
  // The whole query, every retry included; default: shep.total_timeout_ms.
  std::optional<std::chrono::milliseconds> deadline;
};

struct Resilience {
  ResiliencePolicy defaults;
  std::map<std::string, ResiliencePolicy> systems;
  // SOAP fault ErrorInfo codes and bus status codes that mean "unavailable" (retried, counted by
  // the breaker); empty: the built-in list (gateway/resilience/classify.cpp).
  std::vector<std::string> unavailable_codes;
};

// The state systems a resilience.systems key may name.
inline constexpr const char* kResilienceSystems[] = {"gbd_ul",    "gbd_fl",   "kgd",   "elicense",
                                                     "pa_checks", "goszakup", "samruk"};

// The portal's webhook for triggers (portal); without it triggers wait in the outbox for the
// pull API (GET /v1/triggers).
struct Portal {
  std::string webhook_url;            // http://host:port/portal/api/v1/supplier-triggers
  std::optional<std::string> secret;  // env TEKSER_PORTAL_SECRET overrides
  std::optional<std::filesystem::path> secret_file;
  int max_attempts = 300;
  // The retry delay after failure n: random(0, min(backoff_max, backoff_initial × 2^(n-1))),
  // the contract's defaults (contracts/portal); shorter only for tests and drills.
  std::chrono::milliseconds backoff_initial{2000};
  std::chrono::milliseconds backoff_max{10 * 60 * 1000};
  int workers = 2;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};
  std::optional<TlsClient> tls;  // an https webhook_url: CAs to trust, the client certificate
};

// Who may use the HTTP API (api.auth). There is no default: without the section the gateway
// refuses to start (see require_api_auth), so that it never answers anyone by accident.
struct ApiAuth {
  enum class Mode {
    clients,  // bearer tokens / client certificates from clients_file, each with its scopes
    open,     // no authentication at all: a developer's machine only (logged loudly)
  };
  Mode mode = Mode::clients;
  std::filesystem::path clients_file;  // YAML, see gateway/api/access.hpp; required for clients
};

// The HTTP API (api). Client certificates identify API clients only on a TLS listener (main.cpp,
// api_listener_has_tls): on plain HTTP anyone could send a certificate fingerprint header.
struct Api {
  std::optional<ApiAuth> auth;
  std::optional<ApiTls> tls;  // without it the listener speaks plain HTTP
  // Supplier views kept in memory per replica (gateway/api/view_cache.hpp); 0: none, every read
  // goes to the database.
  std::size_t view_cache_entries = 10'000;
};

// The audit of state-system exchanges (audit): when a row still pending is called interrupted.
struct Audit {
  // Longer than any exchange lasts (every retry, the database's waits included): a row pending
  // that long belongs to an exchange whose end the gateway never saw. Too short does no harm to
  // the record — a late answer still completes the row — but misleads whoever reads it meanwhile.
  std::chrono::milliseconds interrupted_after{60 * 60'000};
  std::chrono::milliseconds sweep_every{5 * 60'000};  // how often each replica looks
};

struct Config {
  Listen listen;
  Api api;
  std::optional<std::filesystem::path> port_file;  // the bound port is written there
  std::size_t io_threads = 2;
  Database database;
  Shep shep;
  Sources sources;
  std::optional<RestRegister> goszakup;
  std::optional<RestRegister> samruk;
  Refresh refresh;
  Resilience resilience;
  std::optional<Portal> portal;
  Audit audit;
};

// Parses YAML text; `source` names it in messages. Throws ConfigError naming the key path and
// the reason ("shep.connect_timeout_ms: expected a positive integer, got 'abc'").
Config parse(std::string_view yaml_text, std::string_view source);

// Throws unless api.auth is given: a gateway without it would answer anyone.
void require_api_auth(const Config& config, std::string_view source);

// Reads the file, parses it, applies the environment overrides, then requires database.url and
// api.auth.
Config load(const std::filesystem::path& file);

// TEKSER_DATABASE_URL, TEKSER_SHEP_PASSWORD, TEKSER_SHEP_SIGNING_PASSWORD,
// TEKSER_GOSZAKUP_TOKEN, TEKSER_SAMRUK_TOKEN and TEKSER_PORTAL_SECRET, when set, replace the
// file's values; TEKSER_SHEP_TLS_PASSWORD, TEKSER_GOSZAKUP_TLS_PASSWORD,
// TEKSER_SAMRUK_TLS_PASSWORD, TEKSER_PORTAL_TLS_PASSWORD and TEKSER_API_TLS_PASSWORD those of
// the tls sections.
void apply_environment(Config& config);

}  // namespace tekser::config
