// tekser-ctl's side of the gateway's HTTP API: one synchronous call at a time over the
// project's asynchronous HTTP client (deadlines, keep-alive) on a private io_context.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>

#include "common/net/http_client.hpp"

namespace tekser::ctl {

// What one call came to.
struct ApiReply {
  bool reached = false;  // false: no HTTP answer at all (see `cause`)
  std::string cause;     // why it was not reached: "connect: Connection refused"
  unsigned status = 0;
  std::string status_text;  // "HTTP 409 Conflict"
  boost::json::value body;  // the JSON body; null when the body is not JSON
  std::string raw_body;

  bool ok() const { return reached && status >= 200 && status < 300; }
};

// A gateway URL tekser-ctl cannot use.
class BadUrl : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class GatewayClient {
 public:
  // `url`: http://host:port[/prefix] or https://...; throws BadUrl. `token`: the API's bearer
  // token, sent as Authorization: Bearer on every call (empty: no credentials). `tls`: for an
  // https URL, whom to trust and the client certificate to present (the API's mutual TLS);
  // given with an http URL it throws BadUrl; throws net::TlsError naming the setting when a file
  // cannot be used.
  GatewayClient(const std::string& url, std::chrono::milliseconds timeout, std::string token = {},
                const net::TlsClientConfig& tls = {});
  ~GatewayClient();

  ApiReply get(const std::string& target) { return call(boost::beast::http::verb::get, target); }
  ApiReply post(const std::string& target, std::string json_body = {}) {
    return call(boost::beast::http::verb::post, target, std::move(json_body));
  }
  ApiReply call(boost::beast::http::verb method, const std::string& target, std::string body = {});

  const std::string& url() const { return url_; }
  bool has_token() const { return !token_.empty(); }

 private:
  boost::asio::io_context io_;
  std::string url_;
  std::string prefix_;  // the URL's path, put before every API path
  std::string token_;
  std::unique_ptr<net::HttpClient> client_;
};

// One line that explains a reply that is not a success: the API's "field: reason", else the
// status and the start of the body, else why the gateway was not reached. A 401 or 403 also says
// what to do about it (`token_given`: whether a token was sent).
std::string failure_text(const ApiReply& reply, const std::string& url, bool token_given = false);

}  // namespace tekser::ctl
