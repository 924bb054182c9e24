// Who may call the gateway's API, against the real binaries: no credentials or a wrong token is
// 401 on every protected route, a token without the route's scope is 403, health stays open,
// headers that claim an identity are ignored, the clients file is reloaded on SIGHUP, a gateway
// without api.auth (or with a bad clients file) does not start, and tekser-ctl works with a
// token and explains a refusal without one.
#include <sys/wait.h>

#include <thread>

#include "tests/integration/gateway_fixture.hpp"

namespace tekser::integration {
namespace {

constexpr const char* kReaderToken = "reader-token-only-suppliers-read";
constexpr const char* kCertificateSha256 =
    "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";

std::string client_yaml(const std::string& id, const std::string& token,
                        const std::string& scopes) {
  return "  - id: " + id + "\n    token_sha256: " + digest::sha256_hex(token) +
         "\n    scopes: " + scopes + "\n";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string error_field(const JsonReply& reply) {
  const auto* error =
      reply.body.is_object() ? reply.body.as_object().if_contains("error") : nullptr;
  return error ? std::string(error->at("field").as_string()) : "";
}
std::string error_reason(const JsonReply& reply) {
  const auto* error =
      reply.body.is_object() ? reply.body.as_object().if_contains("error") : nullptr;
  return error ? std::string(error->at("reason").as_string()) : "";
}

// Every protected route of the API, with a method it answers to.
const std::vector<std::pair<http::verb, std::string>>& protected_routes() {
  static const std::vector<std::pair<http::verb, std::string>> routes{
      {http::verb::put, "/v1/suppliers/150340012340"},
      {http::verb::get, "/v1/suppliers/150340012340"},
      {http::verb::post, "/v1/suppliers/150340012340/verify"},
      {http::verb::get, "/v1/suppliers/150340012340/eligibility"},
      {http::verb::post, "/v1/suppliers/150340012340/power-of-attorney"},
      {http::verb::get, "/v1/suppliers/150340012340/history"},
      {http::verb::get, "/v1/refresh-runs"},
      {http::verb::post, "/v1/refresh-runs"},
      {http::verb::get, "/v1/refresh-runs/1"},
      {http::verb::post, "/v1/refresh-runs/1/cancel"},
      {http::verb::get, "/v1/triggers?after=0"},
      {http::verb::get, "/v1/triggers/00000000-0000-4000-8000-000000000000"},
      {http::verb::post, "/v1/triggers/00000000-0000-4000-8000-000000000000/replay"},
      {http::verb::get, "/v1/triggers/00000000-0000-4000-8000-000000000000/evidence"},
      {http::verb::get, "/v1/audit"},
      {http::verb::post, "/v1/facts/re-derive"},
      {http::verb::get, "/metrics"},
      // The API's own description is for clients, not for anyone.
      {http::verb::get, "/v1/openapi.json"},
      {http::verb::get, "/v1/version"},
      // Not even whether a path exists is told without credentials.
      {http::verb::get, "/v2/nothing"},
  };
  return routes;
}

struct CtlResult {
  int exit_code = -1;
  std::string err;
};

// tekser-ctl with `args` under a shell, TEKSER_TOKEN as given (nullopt: unset); its stderr kept.
CtlResult run_ctl(const std::string& args, const std::optional<std::string>& token) {
  const auto dir = make_temp_dir();
  const auto err = dir / "stderr";
  const std::string env = token ? "env TEKSER_TOKEN='" + *token + "' " : "env -u TEKSER_TOKEN ";
  const auto command = env + "timeout 60 '" + std::string(TEKSER_CTL_BINARY) + "' " + args +
                       " >/dev/null 2>'" + err.string() + "'";
  const int status = std::system(command.c_str());
  CtlResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_file(err);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return result;
}

class AuthTest : public GatewayTest {
 protected:
  void SetUp() override {
    extra_clients_yaml_ = client_yaml("reader", kReaderToken, "[suppliers:read]") +
                          "  - id: desk\n    certificate_sha256: " + kCertificateSha256 +
                          "\n    scopes: [refresh:read]\n";
    GatewayTest::SetUp();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Restarts the gateway with the fixture's other settings and this api section (or clients).
  void restart_gateway() {
    gateway_.reset();
    start_gateway();
  }
};

TEST_F(AuthTest, NoCredentialsIsRefusedOnEveryProtectedRoute) {
  for (const auto& [method, target] : protected_routes()) {
    SCOPED_TRACE(std::string(http::to_string(method)) + " " + target);
    const auto reply = call_anonymous(port_, method, target, "{}");
    EXPECT_EQ(reply.status, 401u);
    EXPECT_EQ(reply.headers[http::field::www_authenticate].substr(0, 6), "Bearer");
    EXPECT_EQ(error_field(reply), "Authorization");
    EXPECT_EQ(error_reason(reply), "missing bearer token");
  }
  // Nothing was done on the way: the supplier PUT above does not exist.
  EXPECT_EQ(call(port_, http::verb::get, "/v1/suppliers/150340012340").status, 404u);
}

TEST_F(AuthTest, WrongOrMalformedTokenIs401) {
  for (const auto& [method, target] : protected_routes()) {
    SCOPED_TRACE(std::string(http::to_string(method)) + " " + target);
    const auto reply =
        call_with(port_, method, target, "{}", {{"Authorization", bearer("not-a-known-token")}});
    EXPECT_EQ(reply.status, 401u);
    EXPECT_EQ(error_reason(reply), "unknown token");
    EXPECT_TRUE(
        contains(std::string(reply.headers[http::field::www_authenticate]), "invalid_token"));
  }
  const auto basic = call_with(port_, http::verb::get, "/v1/refresh-runs", "",
                               {{"Authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_EQ(basic.status, 401u);
  EXPECT_TRUE(contains(error_reason(basic), "Bearer scheme"));
  // A prefix of the right token is no better than any other.
  const std::string prefix(kTestToken, std::string_view(kTestToken).size() - 1);
  EXPECT_EQ(
      call_with(port_, http::verb::get, "/v1/refresh-runs", "", {{"Authorization", bearer(prefix)}})
          .status,
      401u);
}

TEST_F(AuthTest, TokenWithoutTheScopeIs403NamingIt) {
  const HttpHeaders reader{{"Authorization", bearer(kReaderToken)}};
  ASSERT_EQ(put("150340012340", R"({"categories":["technical_aids"]})").status, 201u);
  EXPECT_EQ(call_with(port_, http::verb::get, "/v1/suppliers/150340012340", "", reader).status,
            200u);
  EXPECT_EQ(call_with(port_, http::verb::get, "/v1/suppliers/150340012340/eligibility", "", reader)
                .status,
            200u);

  const auto put_reply = call_with(port_, http::verb::put, "/v1/suppliers/150340012340",
                                   R"({"categories":["invataxi"]})", reader);
  EXPECT_EQ(put_reply.status, 403u);
  EXPECT_EQ(error_field(put_reply), "scope");
  EXPECT_EQ(error_reason(put_reply),
            "client 'reader' lacks the scope suppliers:write (needed for PUT /v1/suppliers/{id})");
  for (const auto& [method, target, scope] :
       std::vector<std::tuple<http::verb, std::string, std::string>>{
           {http::verb::post, "/v1/suppliers/150340012340/verify", "suppliers:verify"},
           {http::verb::post, "/v1/refresh-runs", "refresh:run"},
           {http::verb::get, "/v1/triggers", "triggers:read"},
           {http::verb::get, "/metrics", "metrics:read"}}) {
    SCOPED_TRACE(target);
    const auto reply = call_with(port_, method, target, "", reader);
    EXPECT_EQ(reply.status, 403u);
    EXPECT_TRUE(contains(error_reason(reply), "lacks the scope " + scope)) << error_reason(reply);
  }
  // The PUT did not happen.
  const auto view = call(port_, http::verb::get, "/v1/suppliers/150340012340");
  EXPECT_EQ(view.body.at("supplier").at("categories").as_array().size(), 1u);
}

TEST_F(AuthTest, HealthStaysOpen) {
  EXPECT_EQ(call_anonymous(port_, http::verb::get, "/healthz").status, 200u);
  EXPECT_EQ(call_anonymous(port_, http::verb::get, "/readyz").status, 200u);
  EXPECT_EQ(
      call_with(port_, http::verb::get, "/healthz", "", {{"Authorization", bearer("x")}}).status,
      200u);
}

TEST_F(AuthTest, HeadersClaimingAnIdentityAreIgnored) {
  ASSERT_EQ(call(port_, http::verb::get, "/v1/refresh-runs").status, 200u);
  // Who asked is the gateway's word, never a client's header.
  const auto forged = call_with(port_, http::verb::get, "/v1/refresh-runs", "",
                                {{"X-Tekser-Authenticated-Client", kTestClientId}});
  EXPECT_EQ(forged.status, 401u);
  const auto reader_claims_more = call_with(
      port_, http::verb::put, "/v1/suppliers/150340012340", R"({"categories":["invataxi"]})",
      {{"Authorization", bearer(kReaderToken)}, {"X-Tekser-Authenticated-Client", kTestClientId}});
  EXPECT_EQ(reader_claims_more.status, 403u);
  EXPECT_TRUE(contains(error_reason(reader_claims_more), "client 'reader'"));
  // On a plain-HTTP listener a certificate fingerprint is a claim too, even a known one.
  const auto certificate_claim =
      call_with(port_, http::verb::get, "/v1/refresh-runs", "",
                {{"X-Tekser-Client-Certificate-Sha256", kCertificateSha256},
                 {"X-Tekser-Client-Certificate-Subject", "CN=desk"}});
  EXPECT_EQ(certificate_claim.status, 401u);

  // The access log names the client and never a token.
  const auto log = gateway_->stderr_text();
  EXPECT_TRUE(contains(log, R"("client":"reader")"));
  EXPECT_TRUE(contains(log, std::string(R"("client":")") + kTestClientId + "\""));
  EXPECT_TRUE(contains(log, R"("refused":"missing bearer token")"));
  EXPECT_FALSE(contains(log, kReaderToken));
  EXPECT_FALSE(contains(log, kTestToken));
}

TEST_F(AuthTest, ClientsFileIsReloadedOnSighup) {
  const HttpHeaders newcomer{{"Authorization", bearer("newcomer-token")}};
  EXPECT_EQ(call_with(port_, http::verb::get, "/v1/refresh-runs", "", newcomer).status, 401u);
  const auto clients_file = gateway_->dir() / "clients.yaml";
  std::ofstream(clients_file, std::ios::app)
      << client_yaml("newcomer", "newcomer-token", "[refresh:read]");
  ASSERT_EQ(kill(gateway_->pid(), SIGHUP), 0);
  const auto until = std::chrono::steady_clock::now() + 10s;
  unsigned status = 0;
  while (std::chrono::steady_clock::now() < until &&
         (status = call_with(port_, http::verb::get, "/v1/refresh-runs", "", newcomer).status) ==
             401u)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(status, 200u);

  // A broken file keeps the clients in force.
  std::ofstream(clients_file, std::ios::app) << "  - {id: broken}\n";
  ASSERT_EQ(kill(gateway_->pid(), SIGHUP), 0);
  const auto reload_failed = [&] {
    return contains(gateway_->stderr_text(), "api_access_reload_failed");
  };
  const auto failed_until = std::chrono::steady_clock::now() + 10s;
  while (!reload_failed() && std::chrono::steady_clock::now() < failed_until)
    std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(reload_failed());
  EXPECT_TRUE(contains(gateway_->stderr_text(), "clients[4].token_sha256: required"));
  EXPECT_EQ(call_with(port_, http::verb::get, "/v1/refresh-runs", "", newcomer).status, 200u);
  EXPECT_EQ(call(port_, http::verb::get, "/v1/refresh-runs").status, 200u);
}

TEST_F(AuthTest, GatewayWithoutApiAuthDoesNotStart) {
  api_auth_yaml_ = "";
  EXPECT_THROW(restart_gateway(), std::runtime_error);
  const auto log = gateway_->stderr_text();
  EXPECT_TRUE(contains(log, "api.auth: required")) << log;
  EXPECT_TRUE(contains(log, "api.auth.clients_file")) << log;
  EXPECT_TRUE(contains(log, "{mode: open}")) << log;
}

TEST_F(AuthTest, BadClientsFileStopsStartUpNamingTheField) {
  extra_clients_yaml_ = "  - {id: bad, token_sha256: abc123, scopes: [suppliers:read]}\n";
  EXPECT_THROW(restart_gateway(), std::runtime_error);
  const auto log = gateway_->stderr_text();
  EXPECT_TRUE(contains(log, "api.auth.clients_file: ")) << log;
  EXPECT_TRUE(contains(log, "clients[1].token_sha256: expected the SHA-256 of the token")) << log;
}

TEST_F(AuthTest, OpenModeAnswersAnyoneAndSaysSoLoudly) {
  api_auth_yaml_ = "api: {auth: {mode: open}}\n";
  restart_gateway();
  EXPECT_EQ(call_anonymous(port_, http::verb::get, "/v1/refresh-runs").status, 200u);
  EXPECT_TRUE(contains(gateway_->stderr_text(), R"("event":"api_open")"));
  EXPECT_TRUE(contains(gateway_->stderr_text(), R"("client":"anonymous")"));
}

TEST_F(AuthTest, TekserCtlWithAndWithoutAToken) {
  // From the environment.
  const auto with_env = run_ctl("--url " + url() + " refresh list", std::string(kTestToken));
  EXPECT_EQ(with_env.exit_code, 0) << with_env.err;
  // From a file (first line, its line end dropped), which wins over the environment.
  const auto dir = make_temp_dir();
  std::ofstream(dir / "token") << kTestToken << "\n";
  const auto with_file =
      run_ctl("--url " + url() + " --token-file '" + (dir / "token").string() + "' refresh list",
              std::string("wrong"));
  EXPECT_EQ(with_file.exit_code, 0) << with_file.err;

  const auto without = run_ctl("--url " + url() + " refresh list", std::nullopt);
  EXPECT_EQ(without.exit_code, 3);
  EXPECT_TRUE(contains(without.err, "the gateway wants an API token")) << without.err;
  EXPECT_TRUE(contains(without.err, "Authorization: missing bearer token")) << without.err;
  EXPECT_TRUE(contains(without.err, "--token-file")) << without.err;

  const auto wrong = run_ctl("--url " + url() + " triggers", std::string("wrong"));
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_TRUE(contains(wrong.err, "did not accept the API token (Authorization: unknown token)"))
      << wrong.err;
  EXPECT_FALSE(contains(wrong.err, "wrong"));  // the token is never printed

  const auto no_scope = run_ctl("--url " + url() + " refresh start", std::string(kReaderToken));
  EXPECT_EQ(no_scope.exit_code, 3);
  EXPECT_TRUE(contains(no_scope.err,
                       "not allowed (scope: client 'reader' lacks the scope "
                       "refresh:run"))
      << no_scope.err;

  const auto missing_file =
      run_ctl("--url " + url() + " --token-file /nonexistent/token refresh list", std::nullopt);
  EXPECT_EQ(missing_file.exit_code, 2);
  EXPECT_TRUE(contains(missing_file.err, "--token-file '/nonexistent/token': cannot be read"));
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace tekser::integration
