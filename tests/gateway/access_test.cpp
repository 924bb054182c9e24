// Who may call the API: the clients file (every mistake names the field and why) and the decision
// for each request (401 without valid credentials, 403 without the route's scope, open health).
#include <gtest/gtest.h>

#include "gateway/api/access.hpp"

namespace tekser::api::access {
namespace {

namespace http = boost::beast::http;

constexpr const char* kPortalToken = "portal-token";
// printf %s portal-token | sha256sum
constexpr const char* kPortalSha =
    "0ba11c8c03cc892e40cac090ac14c4db6e655ecfaff2490257fbe4c10fba19f9";
constexpr const char* kCertSha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::string error_of(const std::string& yaml) {
  try {
    parse_clients(yaml, "clients.yaml");
  } catch (const ClientsError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<std::string> path(std::initializer_list<const char*> segments) {
  return {segments.begin(), segments.end()};
}

class Decisions : public ::testing::Test {
 protected:
  Decisions()
      : gatekeeper_(parse_clients("clients:\n"
                                  "  - id: portal\n"
                                  "    token_sha256: " +
                                      std::string(kPortalSha) +
                                      "\n"
                                      "    scopes: [suppliers:read, suppliers:verify]\n"
                                      "  - id: desk\n"
                                      "    certificate_sha256: " +
                                      std::string(kCertSha) +
                                      "\n"
                                      "    scopes: [refresh:run, refresh:read, metrics:read]\n",
                                  "clients.yaml"),
                    /*certificate_identity=*/true) {}

  Decision as_portal(http::verb method, const std::vector<std::string>& segments) {
    const std::string header = std::string("Bearer ") + kPortalToken;
    return gatekeeper_.decide(method, segments, {header, {}});
  }

  Gatekeeper gatekeeper_;
};

}  // namespace

TEST(ClientsFile, ReadsClientsTokensCertificatesAndScopes) {
  const auto clients = parse_clients(R"(
clients:
  - id: portal
    token_sha256: 0BA11C8C03CC892E40CAC090AC14C4DB6E655ECFAFF2490257FBE4C10FBA19F9
    scopes: [suppliers:read, suppliers:write]
  - id: desk.01
    certificate_sha256: "01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef"
    scopes: [metrics:read]
)",
                                     "clients.yaml");
  ASSERT_EQ(clients.size(), 2u);
  EXPECT_EQ(clients[0].id, "portal");
  ASSERT_TRUE(clients[0].token_sha256);
  EXPECT_EQ((*clients[0].token_sha256)[0], 0x0b);
  EXPECT_EQ((*clients[0].token_sha256)[31], 0xf9);
  EXPECT_FALSE(clients[0].certificate_sha256);
  EXPECT_EQ(clients[0].scopes, (std::set<Scope>{Scope::suppliers_read, Scope::suppliers_write}));
  EXPECT_EQ(clients[1].certificate_sha256, std::string(kCertSha));
  EXPECT_FALSE(clients[1].token_sha256);
}

TEST(ClientsFile, EveryMistakeNamesTheField) {
  const std::string ok_token = std::string("token_sha256: ") + kPortalSha;
  EXPECT_EQ(error_of("clients: [ {id: a, token_sha256: abc, scopes: [metrics:read]} ]"),
            "clients.yaml: clients[0].token_sha256: expected the SHA-256 of the token as 64 hex "
            "digits, got 3");
  EXPECT_EQ(error_of("clients: [ {id: a, token_sha256: " + std::string(63, 'a') +
                     "z, scopes: [metrics:read]} ]"),
            "clients.yaml: clients[0].token_sha256: expected the SHA-256 of the token as 64 hex "
            "digits, found the character 'z'");
  EXPECT_EQ(error_of("clients: [ {id: a, " + ok_token + ", scopes: [metrics:write]} ]"),
            "clients.yaml: clients[0].scopes[0]: unknown scope 'metrics:write' (one of: "
            "suppliers:read, suppliers:write, suppliers:verify, commission:write, refresh:read, "
            "refresh:run, triggers:read, triggers:replay, audit:read, exchanges:read, "
            "metrics:read)");
  EXPECT_EQ(error_of("clients: [ {" + ok_token + ", scopes: [metrics:read]} ]"),
            "clients.yaml: clients[0].id: required");
  EXPECT_EQ(error_of("clients: [ {id: a, scopes: [metrics:read]} ]"),
            "clients.yaml: clients[0].token_sha256: required (or certificate_sha256): how the "
            "client proves who it is");
  EXPECT_EQ(error_of("clients: [ {id: a, " + ok_token + "} ]"),
            "clients.yaml: clients[0].scopes: required (one or more of: suppliers:read, "
            "suppliers:write, suppliers:verify, commission:write, refresh:read, refresh:run, "
            "triggers:read, triggers:replay, audit:read, exchanges:read, metrics:read)");
  EXPECT_NE(error_of("clients: [ {id: a, " + ok_token + ", scopes: []} ]")
                .find("clients[0].scopes: must name at least one scope"),
            std::string::npos);
  EXPECT_EQ(error_of("clients: [ {id: a, token: secret, scopes: [metrics:read]} ]"),
            "clients.yaml: clients[0].token: the token itself must not be in this file: give "
            "token_sha256 (printf %s TOKEN | sha256sum)");
  EXPECT_EQ(error_of("clients: [ {id: a, " + ok_token + ", scopes: [metrics:read], role: x} ]"),
            "clients.yaml: clients[0].role: unknown key (known here: id, token_sha256, "
            "certificate_sha256, scopes)");
  EXPECT_EQ(error_of("clients: [ {id: 'a b', " + ok_token + ", scopes: [metrics:read]} ]"),
            "clients.yaml: clients[0].id: letters, digits, '.', '_' and '-' only, at most 64, "
            "got 'a b'");
  EXPECT_EQ(error_of("clients:\n  - {id: a, " + ok_token +
                     ", scopes: [metrics:read]}\n  - {id: a, certificate_sha256: " + kCertSha +
                     ", scopes: [metrics:read]}\n"),
            "clients.yaml: clients[1].id: 'a' is already the id of clients[0]");
  EXPECT_EQ(
      error_of("clients:\n  - {id: a, " + ok_token + ", scopes: [metrics:read]}\n  - {id: b, " +
               ok_token + ", scopes: [metrics:read]}\n"),
      "clients.yaml: clients[1].token_sha256: the same token as clients[0].token_sha256");
  EXPECT_EQ(error_of("clients: []"),
            "clients.yaml: clients: must name at least one client (nobody could call the API)");
  EXPECT_EQ(error_of("users: []"), "clients.yaml: users: unknown key (known here: clients)");
  EXPECT_EQ(error_of("{}"), "clients.yaml: clients: required (a list of clients)");
  EXPECT_EQ(error_of("clients: {id: a}"), "clients.yaml: clients: expected a list");
  EXPECT_NE(error_of("clients: [").find("clients.yaml: not valid YAML"), std::string::npos);
}

TEST(ClientsFile, LoadNamesAFileThatCannotBeRead) {
  try {
    load_clients("/nonexistent/clients.yaml");
    FAIL() << "no error";
  } catch (const ClientsError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/clients.yaml: cannot be read");
  }
}

TEST(Routes, EveryEndpointHasItsScope) {
  using V = http::verb;
  const auto scope = [](V method, std::vector<std::string> segments) {
    const auto route = route_for(method, segments);
    if (route.kind != Route::Kind::protected_) return std::string("-");
    return route.scope ? std::string(to_string(*route.scope)) : std::string("any client");
  };
  EXPECT_EQ(scope(V::get, path({"v1", "suppliers", "150340012340"})), "suppliers:read");
  EXPECT_EQ(scope(V::put, path({"v1", "suppliers", "150340012340"})), "suppliers:write");
  EXPECT_EQ(scope(V::post, path({"v1", "suppliers", "150340012340", "verify"})),
            "suppliers:verify");
  EXPECT_EQ(scope(V::get, path({"v1", "suppliers", "150340012340", "eligibility"})),
            "suppliers:read");
  EXPECT_EQ(scope(V::post, path({"v1", "suppliers", "150340012340", "power-of-attorney"})),
            "suppliers:verify");
  EXPECT_EQ(scope(V::get, path({"v1", "suppliers", "150340012340", "history"})), "suppliers:read");
  // The commission's decisions: read with the supplier, recorded only with a scope of their own.
  EXPECT_EQ(scope(V::get, path({"v1", "suppliers", "150340012340", "commission-decisions"})),
            "suppliers:read");
  EXPECT_EQ(scope(V::post, path({"v1", "suppliers", "150340012340", "commission-decisions"})),
            "commission:write");
  // The rule sets (what is cited, the legal deadlines): read with the suppliers.
  EXPECT_EQ(scope(V::get, path({"v1", "rule-sets"})), "suppliers:read");
  // Trying a rule set reads every supplier: an operator's scope.
  EXPECT_EQ(scope(V::post, path({"v1", "rule-sets", "dry-run"})), "refresh:run");
  // Re-deriving facts reads every supplier's kept replies and may record facts: an operator's.
  EXPECT_EQ(scope(V::post, path({"v1", "facts", "re-derive"})), "refresh:run");
  EXPECT_EQ(scope(V::get, path({"v1", "facts", "re-derive"})), "-");
  EXPECT_EQ(scope(V::get, path({"v1", "refresh-runs"})), "refresh:read");
  EXPECT_EQ(scope(V::post, path({"v1", "refresh-runs"})), "refresh:run");
  EXPECT_EQ(scope(V::get, path({"v1", "refresh-runs", "7"})), "refresh:read");
  EXPECT_EQ(scope(V::post, path({"v1", "refresh-runs", "7", "cancel"})), "refresh:run");
  EXPECT_EQ(scope(V::get, path({"v1", "triggers"})), "triggers:read");
  EXPECT_EQ(scope(V::get, path({"v1", "triggers", "abc"})), "triggers:read");
  EXPECT_EQ(scope(V::post, path({"v1", "triggers", "abc", "replay"})), "triggers:replay");
  EXPECT_EQ(scope(V::get, path({"v1", "triggers", "abc", "evidence"})), "triggers:read");
  EXPECT_EQ(route_for(V::post, path({"v1", "triggers", "abc", "evidence"})).kind,
            Route::Kind::not_allowed);
  EXPECT_EQ(scope(V::get, path({"v1", "audit"})), "audit:read");
  // Only the route that exists: a path under it is unknown, not audit:read and then a 404.
  EXPECT_EQ(route_for(V::get, path({"v1", "audit", "events", "1"})).kind, Route::Kind::unknown);
  EXPECT_EQ(scope(V::get, path({"v1", "exchanges"})), "exchanges:read");
  EXPECT_EQ(scope(V::get, path({"metrics"})), "metrics:read");
  // What describes the API: for every client, none anonymous.
  EXPECT_EQ(scope(V::get, path({"v1", "openapi.json"})), "any client");
  EXPECT_EQ(scope(V::get, path({"v1", "version"})), "any client");
  EXPECT_EQ(route_for(V::post, path({"v1", "version"})).kind, Route::Kind::not_allowed);

  EXPECT_EQ(route_for(V::get, path({"healthz"})).kind, Route::Kind::open);
  EXPECT_EQ(route_for(V::get, path({"readyz"})).kind, Route::Kind::open);
  EXPECT_EQ(route_for(V::get, path({"v2", "nothing"})).kind, Route::Kind::unknown);
  EXPECT_EQ(route_for(V::get, path({"v1", "suppliers"})).kind, Route::Kind::unknown);
  EXPECT_EQ(route_for(V::get, path({"v1", "suppliers", ""})).kind, Route::Kind::unknown);
  EXPECT_EQ(route_for(V::get, path({"v1", "auditors"})).kind, Route::Kind::unknown);
  const auto del = route_for(V::delete_, path({"v1", "suppliers", "150340012340"}));
  EXPECT_EQ(del.kind, Route::Kind::not_allowed);
  EXPECT_EQ(del.allowed, "GET, PUT");
}

TEST_F(Decisions, NoCredentialsIs401WithTheBearerChallenge) {
  const auto d = gatekeeper_.decide(http::verb::get, path({"v1", "suppliers", "150340012340"}), {});
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status, http::status::unauthorized);
  EXPECT_EQ(d.field, "Authorization");
  EXPECT_EQ(d.reason, "missing bearer token");
  EXPECT_EQ(d.www_authenticate.rfind("Bearer", 0), 0u);
  // Not even the existence of a path is told without credentials.
  EXPECT_EQ(gatekeeper_.decide(http::verb::get, path({"v2", "nothing"}), {}).status,
            http::status::unauthorized);
}

TEST_F(Decisions, BadTokensAre401) {
  const auto decide = [&](std::string_view header) {
    return gatekeeper_.decide(http::verb::get, path({"v1", "suppliers", "150340012340"}),
                              {header, {}});
  };
  EXPECT_EQ(decide("Bearer wrong-token").reason, "unknown token");
  EXPECT_EQ(decide("Bearer wrong-token").www_authenticate,
            R"(Bearer realm="tekser", error="invalid_token")");
  EXPECT_EQ(decide("Bearer ").reason, "missing bearer token");
  EXPECT_EQ(decide("Bearer").reason, "missing bearer token");
  EXPECT_EQ(decide("Basic dXNlcjpwdw==").reason,
            "expected the Bearer scheme (Authorization: Bearer <token>)");
  EXPECT_EQ(decide("Bearer a b").reason, "malformed bearer token");
  EXPECT_EQ(decide("Bearer portal-token").status, http::status::ok);
  EXPECT_TRUE(decide("bearer  portal-token").allowed);  // the scheme is case-insensitive
  EXPECT_EQ(decide("Bearer portal-token").client_id, "portal");
  EXPECT_EQ(decide("Bearer portal-tokenx").reason, "unknown token");
  EXPECT_EQ(decide("Bearer portal-toke").reason, "unknown token");
}

TEST_F(Decisions, MissingScopeIs403NamingIt) {
  EXPECT_TRUE(as_portal(http::verb::get, path({"v1", "suppliers", "150340012340"})).allowed);
  EXPECT_TRUE(
      as_portal(http::verb::post, path({"v1", "suppliers", "150340012340", "verify"})).allowed);
  const auto d = as_portal(http::verb::put, path({"v1", "suppliers", "150340012340"}));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.status, http::status::forbidden);
  EXPECT_EQ(d.field, "scope");
  EXPECT_EQ(d.reason,
            "client 'portal' lacks the scope suppliers:write (needed for PUT /v1/suppliers/{id})");
  EXPECT_EQ(d.client_id, "portal");
  EXPECT_EQ(as_portal(http::verb::get, path({"metrics"})).status, http::status::forbidden);
  EXPECT_EQ(as_portal(http::verb::post, path({"v1", "triggers", "x", "replay"})).status,
            http::status::forbidden);
}

TEST_F(Decisions, UnknownPathsAndMethodsOnlyAfterAuthentication) {
  const auto unknown = as_portal(http::verb::get, path({"v2", "nothing"}));
  EXPECT_EQ(unknown.status, http::status::not_found);
  EXPECT_EQ(unknown.client_id, "portal");
  const auto del = as_portal(http::verb::delete_, path({"v1", "suppliers", "150340012340"}));
  EXPECT_EQ(del.status, http::status::method_not_allowed);
  EXPECT_EQ(del.reason, "DELETE is not allowed here (allowed: GET, PUT)");
}

TEST_F(Decisions, TheApisDescriptionIsForEveryClientButNoAnonymousCaller) {
  for (const auto* name : {"openapi.json", "version"}) {
    SCOPED_TRACE(name);
    const auto as_client = as_portal(http::verb::get, path({"v1", name}));
    EXPECT_TRUE(as_client.allowed);
    EXPECT_EQ(as_client.client_id, "portal");
    EXPECT_TRUE(gatekeeper_.decide(http::verb::get, path({"v1", name}), {{}, kCertSha})
                    .allowed);  // the desk, whose scopes are the operators'
    const auto anonymous = gatekeeper_.decide(http::verb::get, path({"v1", name}), {});
    EXPECT_EQ(anonymous.status, http::status::unauthorized);
    EXPECT_EQ(as_portal(http::verb::post, path({"v1", name})).status,
              http::status::method_not_allowed);
  }
}

TEST_F(Decisions, HealthIsOpen) {
  EXPECT_TRUE(gatekeeper_.decide(http::verb::get, path({"healthz"}), {}).allowed);
  EXPECT_TRUE(gatekeeper_.decide(http::verb::get, path({"readyz"}), {}).allowed);
  // A wrong token does not shut the health checks out either.
  EXPECT_TRUE(gatekeeper_.decide(http::verb::get, path({"healthz"}), {"Bearer nope", {}}).allowed);
  EXPECT_EQ(gatekeeper_.decide(http::verb::post, path({"healthz"}), {}).status,
            http::status::method_not_allowed);
}

// The operator's page is static files holding no data: open, so that a browser can load it and
// ask for the token; its calls to the API are decided like any other.
TEST_F(Decisions, TheOperatorsPageIsOpenItsDataIsNot) {
  for (const auto& segments : {path({"ui"}), path({"ui", ""}), path({"ui", "app.js"})}) {
    EXPECT_EQ(route_for(http::verb::get, segments).kind, Route::Kind::open);
    EXPECT_TRUE(gatekeeper_.decide(http::verb::get, segments, {}).allowed);
  }
  // Read only, and without credentials a wrong method says so (nothing is learnt of the API).
  const auto post = gatekeeper_.decide(http::verb::post, path({"ui", ""}), {});
  EXPECT_EQ(post.status, http::status::method_not_allowed);
  EXPECT_EQ(post.reason, "POST is not allowed here (allowed: GET)");
  // A path that merely starts like it is not the page.
  EXPECT_EQ(gatekeeper_.decide(http::verb::get, path({"uix"}), {}).status,
            http::status::unauthorized);
}

TEST_F(Decisions, CertificateIdentityWhenTheListenerVouchesForIt) {
  const auto runs = path({"v1", "refresh-runs"});
  const auto by_cert = gatekeeper_.decide(http::verb::post, runs, {{}, kCertSha});
  EXPECT_TRUE(by_cert.allowed);
  EXPECT_EQ(by_cert.client_id, "desk");
  const auto unknown_cert = gatekeeper_.decide(http::verb::post, runs, {{}, std::string(64, 'f')});
  EXPECT_EQ(unknown_cert.status, http::status::unauthorized);
  EXPECT_EQ(unknown_cert.field, "certificate");
  // A token, when sent, decides: the portal's token with the desk's certificate is the portal.
  const std::string header = std::string("Bearer ") + kPortalToken;
  EXPECT_EQ(gatekeeper_.decide(http::verb::post, runs, {header, kCertSha}).status,
            http::status::forbidden);
  EXPECT_EQ(gatekeeper_.decide(http::verb::post, runs, {"Bearer nope", kCertSha}).status,
            http::status::unauthorized);

  // On a plain-HTTP listener a fingerprint is just a client's claim: ignored.
  const Gatekeeper plain(gatekeeper_.clients(), /*certificate_identity=*/false);
  const auto claimed = plain.decide(http::verb::post, runs, {{}, kCertSha});
  EXPECT_EQ(claimed.status, http::status::unauthorized);
  EXPECT_EQ(claimed.reason, "missing bearer token");
}

TEST(OpenMode, EveryoneIsAnonymous) {
  const auto open = Gatekeeper::open();
  const auto d = open.decide(http::verb::put, path({"v1", "suppliers", "150340012340"}), {});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.client_id, kAnonymous);
  EXPECT_EQ(open.decide(http::verb::get, path({"v2", "nothing"}), {}).status,
            http::status::not_found);
}

}  // namespace tekser::api::access
