#include "gateway/api/access.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <yaml-cpp/yaml.h>

namespace tekser::api::access {
namespace {

namespace http = boost::beast::http;

struct ScopeName {
  Scope scope;
  std::string_view name;
};
constexpr ScopeName kScopeNames[] = {
    {Scope::suppliers_read, "suppliers:read"},
    {Scope::suppliers_write, "suppliers:write"},
    {Scope::suppliers_verify, "suppliers:verify"},
    {Scope::commission_write, "commission:write"},
    {Scope::refresh_read, "refresh:read"},
    {Scope::refresh_run, "refresh:run"},
    {Scope::triggers_read, "triggers:read"},
    {Scope::triggers_replay, "triggers:replay"},
    {Scope::audit_read, "audit:read"},
    {Scope::exchanges_read, "exchanges:read"},
    {Scope::metrics_read, "metrics:read"},
};

std::string scope_names() {
  std::string all;
  for (const auto& s : kScopeNames) all += (all.empty() ? "" : ", ") + std::string(s.name);
  return all;
}

[[noreturn]] void fail(std::string_view source, const std::string& path, const std::string& why) {
  throw ClientsError(std::string(source) + ": " + path + ": " + why);
}

std::string scalar(const YAML::Node& node, const std::string& path, std::string_view source) {
  if (!node.IsScalar()) fail(source, path, "expected a scalar value");
  if (node.Scalar().empty()) fail(source, path, "must not be empty");
  return node.Scalar();
}

// 64 hex digits, optionally in pairs separated by ':' (as `openssl x509 -fingerprint` prints
// them); returns them in lower case without separators.
std::string sha256_hex(const YAML::Node& node, const std::string& path, std::string_view source,
                       std::string_view what) {
  const auto text = scalar(node, path, source);
  std::string hex;
  for (const char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      fail(source, path,
           "expected the SHA-256 of " + std::string(what) +
               " as 64 hex digits, found the character '" + std::string(1, c) + "'");
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 64)
    fail(source, path,
         "expected the SHA-256 of " + std::string(what) + " as 64 hex digits, got " +
             std::to_string(hex.size()));
  return hex;
}

Sha256 digest_from_hex(const std::string& hex) {
  Sha256 out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}

Sha256 sha256(std::string_view bytes) {
  Sha256 out{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out.data());
  return out;
}

bool valid_client_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// RFC 6750's b64token: what a bearer token may consist of.
bool valid_token(std::string_view token) {
  auto end = token.find_last_not_of('=');
  if (end == std::string_view::npos) return false;
  return std::all_of(token.begin(), token.begin() + static_cast<std::ptrdiff_t>(end) + 1,
                     [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
                              c == '_' || c == '~' || c == '+' || c == '/';
                     });
}

// What a route needs: nothing (open), an authenticated client of any scope, or a scope. Built
// implicitly from a Scope or std::nullopt, so that the table below reads as scopes.
struct Need {
  Route::Kind kind = Route::Kind::open;
  std::optional<Scope> scope;
  Need(Scope needed) : kind(Route::Kind::protected_), scope(needed) {}
  Need(std::nullopt_t) {}
  static Need any_client() {
    Need need(std::nullopt);
    need.kind = Route::Kind::protected_;
    return need;
  }
};

// One route: its method and path, "{x}" for a segment that may be anything, a trailing "**"
// for any further segments (none included).
struct RouteEntry {
  http::verb method;
  std::vector<std::string_view> path;
  Need need;
};

const std::vector<RouteEntry>& routes() {
  using V = http::verb;
  static const std::vector<RouteEntry> table{
      {V::get, {"healthz"}, std::nullopt},
      {V::get, {"readyz"}, std::nullopt},
      {V::get, {"v1", "suppliers", "{id}"}, Scope::suppliers_read},
      {V::put, {"v1", "suppliers", "{id}"}, Scope::suppliers_write},
      {V::post, {"v1", "suppliers", "{id}", "verify"}, Scope::suppliers_verify},
      {V::get, {"v1", "suppliers", "{id}", "eligibility"}, Scope::suppliers_read},
      {V::post, {"v1", "suppliers", "{id}", "power-of-attorney"}, Scope::suppliers_verify},
      {V::get, {"v1", "suppliers", "{id}", "history"}, Scope::suppliers_read},
      {V::get, {"v1", "suppliers", "{id}", "commission-decisions"}, Scope::suppliers_read},
      {V::post, {"v1", "suppliers", "{id}", "commission-decisions"}, Scope::commission_write},
      {V::get, {"v1", "rule-sets"}, Scope::suppliers_read},
      {V::post, {"v1", "rule-sets", "dry-run"}, Scope::refresh_run},
      {V::post, {"v1", "facts", "re-derive"}, Scope::refresh_run},
      {V::get, {"v1", "refresh-runs"}, Scope::refresh_read},
      {V::post, {"v1", "refresh-runs"}, Scope::refresh_run},
      {V::get, {"v1", "refresh-runs", "{id}"}, Scope::refresh_read},
      {V::post, {"v1", "refresh-runs", "{id}", "cancel"}, Scope::refresh_run},
      {V::get, {"v1", "triggers"}, Scope::triggers_read},
      {V::get, {"v1", "triggers", "{id}"}, Scope::triggers_read},
      {V::get, {"v1", "triggers", "{id}", "evidence"}, Scope::triggers_read},
      {V::post, {"v1", "triggers", "{id}", "replay"}, Scope::triggers_replay},
      {V::get, {"v1", "audit"}, Scope::audit_read},
      {V::get, {"v1", "exchanges"}, Scope::exchanges_read},
      {V::get, {"metrics"}, Scope::metrics_read},
      // The operator's page: static files holding no data (its API calls carry the token).
      {V::get, {"ui"}, std::nullopt},        // redirected to /ui/
      {V::get, {"ui", "**"}, std::nullopt},  // its files; /ui/ is index.html
      // What describes the API: any client may read it, since every client codes against it and
      // needs to know which build answers; not anonymous callers, who learn nothing of the API
      // (an unknown path is a 401 to them too) nor which commit to look for weaknesses in.
      {V::get, {"v1", "openapi.json"}, Need::any_client()},
      {V::get, {"v1", "version"}, Need::any_client()},
  };
  return table;
}

bool matches(const std::vector<std::string_view>& pattern,
             const std::vector<std::string>& segments) {
  std::size_t i = 0;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == "**") return true;
    if (i >= segments.size()) return false;
    if (pattern[i].front() == '{' ? segments[i].empty() : pattern[i] != segments[i]) return false;
  }
  return i == segments.size();
}

std::string display(const RouteEntry& route) {
  std::string out = std::string(http::to_string(route.method)) + " ";
  for (auto segment : route.path) out += segment == "**" ? "/{path}" : "/" + std::string(segment);
  return out;
}

Decision refuse(http::status status, std::string field, std::string reason) {
  Decision d;
  d.status = status;
  d.field = std::move(field);
  d.reason = std::move(reason);
  return d;
}

Decision unauthenticated(std::string field, std::string reason, bool invalid) {
  auto d = refuse(http::status::unauthorized, std::move(field), std::move(reason));
  // RFC 6750: a request without credentials gets the bare challenge, a bad token the error code.
  d.www_authenticate =
      invalid ? R"(Bearer realm="tekser", error="invalid_token")" : R"(Bearer realm="tekser")";
  return d;
}

}  // namespace

std::string_view to_string(Scope scope) {
  for (const auto& s : kScopeNames)
    if (s.scope == scope) return s.name;
  return "?";
}

std::optional<Scope> parse_scope(std::string_view text) {
  for (const auto& s : kScopeNames)
    if (s.name == text) return s.scope;
  return std::nullopt;
}

const std::vector<Scope>& all_scopes() {
  static const std::vector<Scope> all = [] {
    std::vector<Scope> out;
    for (const auto& s : kScopeNames) out.push_back(s.scope);
    return out;
  }();
  return all;
}

std::vector<Client> parse_clients(std::string_view yaml_text, std::string_view source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw ClientsError(std::string(source) + ": not valid YAML: " + e.what());
  }
  if (!root.IsMap()) fail(source, "(top level)", "expected a mapping with the key clients");
  for (const auto& item : root)
    if (item.first.as<std::string>() != "clients")
      fail(source, item.first.as<std::string>(), "unknown key (known here: clients)");
  const auto list = root["clients"];
  if (!list) fail(source, "clients", "required (a list of clients)");
  if (!list.IsSequence()) fail(source, "clients", "expected a list");
  if (list.size() == 0)
    fail(source, "clients", "must name at least one client (nobody could call the API)");

  std::vector<Client> clients;
  std::map<std::string, std::string> ids, tokens, certificates;  // value -> the path that has it
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto path = "clients[" + std::to_string(i) + "]";
    const auto& node = list[i];
    if (!node.IsMap()) fail(source, path, "expected a mapping (id, token_sha256, scopes)");
    Client client;
    bool scopes_given = false;
    for (const auto& item : node) {
      const auto key = item.first.as<std::string>();
      const auto field = path + "." + key;
      const auto& value = item.second;
      if (key == "id") {
        client.id = scalar(value, field, source);
        if (!valid_client_id(client.id))
          fail(source, field,
               "letters, digits, '.', '_' and '-' only, at most 64, got '" + client.id + "'");
      } else if (key == "token_sha256") {
        const auto hex = sha256_hex(value, field, source, "the token");
        if (auto [it, fresh] = tokens.emplace(hex, field); !fresh)
          fail(source, field, "the same token as " + it->second);
        client.token_sha256 = digest_from_hex(hex);
      } else if (key == "certificate_sha256") {
        const auto hex = sha256_hex(value, field, source, "the certificate's DER");
        if (auto [it, fresh] = certificates.emplace(hex, field); !fresh)
          fail(source, field, "the same certificate as " + it->second);
        client.certificate_sha256 = hex;
      } else if (key == "scopes") {
        scopes_given = true;
        if (!value.IsSequence()) fail(source, field, "expected a list of scopes");
        if (value.size() == 0)
          fail(source, field, "must name at least one scope (one of: " + scope_names() + ")");
        for (std::size_t j = 0; j < value.size(); ++j) {
          const auto scope_path = field + "[" + std::to_string(j) + "]";
          const auto name = scalar(value[j], scope_path, source);
          const auto scope = parse_scope(name);
          if (!scope)
            fail(source, scope_path,
                 "unknown scope '" + name + "' (one of: " + scope_names() + ")");
          client.scopes.insert(*scope);
        }
      } else if (key == "token") {
        fail(source, field,
             "the token itself must not be in this file: give token_sha256 (printf %s TOKEN | "
             "sha256sum)");
      } else {
        fail(source, field,
             "unknown key (known here: id, token_sha256, certificate_sha256, scopes)");
      }
    }
    if (client.id.empty()) fail(source, path + ".id", "required");
    if (auto [it, fresh] = ids.emplace(client.id, path); !fresh)
      fail(source, path + ".id", "'" + client.id + "' is already the id of " + it->second);
    if (!client.token_sha256 && !client.certificate_sha256)
      fail(source, path + ".token_sha256",
           "required (or certificate_sha256): how the client proves who it is");
    if (!scopes_given)
      fail(source, path + ".scopes", "required (one or more of: " + scope_names() + ")");
    clients.push_back(std::move(client));
  }
  return clients;
}

std::vector<Client> load_clients(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ClientsError(file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_clients(text.str(), file.string());
}

Route route_for(http::verb method, const std::vector<std::string>& segments) {
  Route out;
  for (const auto& entry : routes()) {
    if (!matches(entry.path, segments)) continue;
    if (entry.method == method) {
      out.kind = entry.need.kind;
      out.scope = entry.need.scope;
      out.pattern = display(entry);
      return out;
    }
    out.kind = Route::Kind::not_allowed;
    out.open_path = entry.need.kind == Route::Kind::open;
    out.allowed += (out.allowed.empty() ? "" : ", ") + std::string(http::to_string(entry.method));
  }
  return out;
}

std::vector<std::string> route_patterns() {
  std::vector<std::string> out;
  for (const auto& entry : routes()) out.push_back(display(entry));
  return out;
}

Gatekeeper::Gatekeeper(std::vector<Client> clients, bool certificate_identity)
    : clients_(std::move(clients)), certificate_identity_(certificate_identity) {}

Gatekeeper Gatekeeper::open() {
  Gatekeeper g;
  g.open_ = true;
  return g;
}

const Client* Gatekeeper::by_token(const Sha256& digest) const {
  // Every client is compared, in constant time each, so that the time taken says nothing about
  // which stored digest (or how much of one) the presented token came close to.
  const Client* found = nullptr;
  for (const auto& client : clients_) {
    if (!client.token_sha256) continue;
    const bool same = CRYPTO_memcmp(client.token_sha256->data(), digest.data(), digest.size()) == 0;
    if (same) found = &client;
  }
  return found;
}

const Client* Gatekeeper::by_certificate(std::string_view sha256_hex) const {
  for (const auto& client : clients_)
    if (client.certificate_sha256 && *client.certificate_sha256 == sha256_hex) return &client;
  return nullptr;
}

Decision Gatekeeper::decide(http::verb method, const std::vector<std::string>& segments,
                            const Credentials& credentials) const {
  const auto route = route_for(method, segments);
  if (route.kind == Route::Kind::open) {
    Decision d;
    d.allowed = true;
    return d;
  }
  const auto not_allowed = [&](std::string client_id) {
    auto d = refuse(http::status::method_not_allowed, "method",
                    std::string(http::to_string(method)) +
                        " is not allowed here (allowed: " + route.allowed + ")");
    d.client_id = std::move(client_id);
    return d;
  };
  if (route.kind == Route::Kind::not_allowed && route.open_path) return not_allowed({});

  // Who is asking. A token, when sent, decides (a bad one is refused even with a certificate).
  std::string client_id;
  const Client* client = nullptr;
  if (open_) {
    client_id = kAnonymous;
  } else if (!credentials.authorization.empty()) {
    auto value = credentials.authorization;
    const auto space = value.find(' ');
    if (!iequals(value.substr(0, space), "Bearer"))
      return unauthenticated("Authorization",
                             "expected the Bearer scheme (Authorization: Bearer <token>)", false);
    const auto start =
        space == std::string_view::npos ? value.size() : value.find_first_not_of(' ', space);
    const auto token = start == std::string_view::npos ? std::string_view{} : value.substr(start);
    if (token.empty()) return unauthenticated("Authorization", "missing bearer token", false);
    if (!valid_token(token))
      return unauthenticated("Authorization", "malformed bearer token", true);
    client = by_token(sha256(token));
    if (!client) return unauthenticated("Authorization", "unknown token", true);
  } else if (certificate_identity_ && !credentials.certificate_sha256.empty()) {
    client = by_certificate(credentials.certificate_sha256);
    if (!client)
      return unauthenticated(
          "certificate",
          "unknown client certificate (sha256 " + std::string(credentials.certificate_sha256) + ")",
          true);
  } else {
    return unauthenticated("Authorization", "missing bearer token", false);
  }
  if (client) client_id = client->id;

  if (route.kind == Route::Kind::unknown) {
    auto d = refuse(http::status::not_found, "target", "no such resource");
    d.client_id = client_id;
    return d;
  }
  if (route.kind == Route::Kind::not_allowed) return not_allowed(client_id);
  if (client && route.scope && !client->scopes.contains(*route.scope)) {
    auto d =
        refuse(http::status::forbidden, "scope",
               "client '" + client_id + "' lacks the scope " +
                   std::string(to_string(*route.scope)) + " (needed for " + route.pattern + ")");
    d.client_id = client_id;
    return d;
  }
  Decision d;
  d.allowed = true;
  d.client_id = client_id;
  return d;
}

}  // namespace tekser::api::access
