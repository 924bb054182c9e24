// One id per API request, end to end (issue 17, item 6). The caller's X-Request-Id when it gives
// one; else the trace id of a W3C traceparent; else one the gateway makes. The id is returned in
// the response's X-Request-Id, written on the request's log line, and kept with every audit row
// and message-log row of the state-system exchanges the request caused, beside SHEP's messageId
// (GET /v1/audit?request_id=).
#pragma once

#include <string>
#include <string_view>

#include "common/net/http_server.hpp"

namespace tekser::api {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";
inline constexpr std::string_view kTraceparentHeader = "traceparent";

struct RequestId {
  std::string id;       // always set: the caller's, the trace's, or a new one
  std::string problem;  // why the caller's X-Request-Id was refused; empty when it was not
};

// The request's id. A malformed X-Request-Id is a 400 for the caller (`problem`), answered with
// a new id so that the refusal can still be found in the log; a malformed traceparent is ignored,
// as W3C Trace Context says.
RequestId request_id_of(const net::HttpRequest& request);

// Empty when `id` may be a request id: 1..128 characters of A-Z a-z 0-9 and . _ : / + = @ -
// (what load balancers and tracing systems write; nothing a log line or a header could be split
// by). Otherwise the reason.
std::string request_id_problem(std::string_view id);

// 32 lowercase hex digits from 128 random bits: the shape of a W3C trace id.
std::string make_request_id();

}  // namespace tekser::api
