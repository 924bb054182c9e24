#include "gateway/cli/gateway_client.hpp"

#include <exception>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/json.hpp>

#include "gateway/cli/format.hpp"

namespace tekser::ctl {

namespace asio = boost::asio;
namespace json = boost::json;

GatewayClient::GatewayClient(const std::string& url, std::chrono::milliseconds timeout,
                             std::string token, const net::TlsClientConfig& tls)
    : token_(std::move(token)) {
  std::string error;
  auto endpoint = net::HttpEndpoint::parse(url, error);
  if (!endpoint) throw BadUrl("--url '" + url + "': " + error);
  if (!endpoint->tls && (!tls.ca_file.empty() || !tls.certificate.empty() || !tls.key.empty()))
    throw BadUrl("--ca-file, --cert and --key need an https --url, got '" + url + "'");
  prefix_ = endpoint->target == "/" ? "" : endpoint->target;
  if (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  url_ = endpoint->url();
  net::HttpClientOptions options;
  options.connect_timeout = std::min(timeout, std::chrono::milliseconds(5000));
  options.read_timeout = timeout;
  options.total_timeout = timeout;
  options.max_concurrent = 1;
  options.max_idle_connections = 1;
  options.user_agent = "tekser-ctl";
  options.tls = tls;
  client_ = std::make_unique<net::HttpClient>(io_.get_executor(), *endpoint, options);
}

GatewayClient::~GatewayClient() {
  client_->close();
}

ApiReply GatewayClient::call(boost::beast::http::verb method, const std::string& target,
                             std::string body) {
  net::OutgoingRequest request;
  request.method = method;
  request.target = prefix_ + target;
  request.headers.emplace_back("Accept", "application/json");
  if (!token_.empty()) request.headers.emplace_back("Authorization", "Bearer " + token_);
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);

  std::optional<net::HttpReply> reply;
  std::exception_ptr failure;
  asio::co_spawn(io_, client_->request(std::move(request)),
                 [&](std::exception_ptr e, net::HttpReply r) {
                   failure = e;
                   if (!e) reply = std::move(r);
                 });
  io_.restart();
  io_.run();
  if (failure) std::rethrow_exception(failure);

  ApiReply out;
  if (!reply || !reply->is_response()) {
    out.cause = reply ? reply->cause : "no reply";
    return out;
  }
  out.reached = true;
  out.status = reply->status;
  out.status_text = reply->status_text();
  out.raw_body = std::move(reply->body);
  json::error_code ec;
  auto parsed = json::parse(out.raw_body, ec);
  if (!ec) out.body = std::move(parsed);
  return out;
}

std::string failure_text(const ApiReply& reply, const std::string& url, bool token_given) {
  if (!reply.reached) return "cannot reach the gateway at " + url + ": " + reply.cause;
  if (reply.status == 401) {
    const auto why = api_error_text(reply.body).value_or(reply.status_text);
    return token_given ? "the gateway did not accept the API token (" + why +
                             "): check the token in --token-file or TEKSER_TOKEN"
                       : "the gateway wants an API token (" + why +
                             "): give it with --token-file FILE or in TEKSER_TOKEN";
  }
  if (reply.status == 403)
    return "not allowed (" + api_error_text(reply.body).value_or(reply.status_text) +
           "): this token's client lacks the scope; ask the gateway's operator for it";
  if (auto api = api_error_text(reply.body)) return *api;
  std::string body = reply.raw_body.substr(0, 200);
  for (auto& c : body)
    if (c == '\n' || c == '\r') c = ' ';
  return reply.status_text + (body.empty() ? "" : ": " + body);
}

}  // namespace tekser::ctl
