// One HTTP call over a fresh loopback connection, plain or TLS (trusting a given CA, with an
// optional client certificate), with a deadline on everything; a connection or TLS failure comes
// back as `error`, never as an exception. For tests of TLS listeners.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace tekser::testing {

struct CallTls {
  std::filesystem::path ca_file;                     // whom the client trusts
  std::optional<std::filesystem::path> certificate;  // client certificate (PEM), with key
  std::optional<std::filesystem::path> key;
};

struct CallResult {
  std::string error;  // empty when a response arrived
  unsigned status = 0;
  std::string body;
};

inline CallResult call_over(unsigned short port, boost::beast::http::verb method,
                            const std::string& target, const std::optional<CallTls>& tls,
                            const std::vector<std::pair<std::string, std::string>>& headers = {},
                            const std::string& body = {},
                            std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  asio::io_context io;
  CallResult out;
  http::request<http::string_body> request{method, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  const asio::ip::tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port);

  const auto fail = [&](const std::string& step, const beast::error_code& ec) {
    if (out.error.empty()) out.error = step + ": " + ec.message();
  };
  if (!tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(deadline);
    stream.async_connect(at, [&](beast::error_code ec) {
      if (ec) return fail("connect", ec);
      http::async_write(stream, request, [&](beast::error_code wec, std::size_t) {
        if (wec) return fail("write", wec);
        http::async_read(stream, buffer, response, [&](beast::error_code rec, std::size_t) {
          if (rec) fail("read", rec);
        });
      });
    });
    io.run();
  } else {
    asio::ssl::context context(asio::ssl::context::tls_client);
    context.load_verify_file(tls->ca_file.string());
    context.set_verify_mode(asio::ssl::verify_peer);
    if (tls->certificate) context.use_certificate_chain_file(tls->certificate->string());
    if (tls->key) context.use_private_key_file(tls->key->string(), asio::ssl::context::pem);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    beast::get_lowest_layer(stream).expires_after(deadline);
    beast::get_lowest_layer(stream).async_connect(at, [&](beast::error_code ec) {
      if (ec) return fail("connect", ec);
      stream.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code hec) {
        if (hec) return fail("handshake", hec);
        http::async_write(stream, request, [&](beast::error_code wec, std::size_t) {
          if (wec) return fail("write", wec);
          http::async_read(stream, buffer, response, [&](beast::error_code rec, std::size_t) {
            if (rec) fail("read", rec);
          });
        });
      });
    });
    io.run();
  }
  if (out.error.empty()) {
    out.status = response.result_int();
    out.body = response.body();
  }
  return out;
}

}  // namespace tekser::testing
