#include "gateway/resilience/classify.hpp"

namespace tekser::resilience {

std::set<std::string> default_unavailable_codes() {
  return {"SE_PROVIDER_UNAVAILABLE", "SE_PROVIDER_ERROR", "SE_TIMEOUT",
          "SE_QUEUE_FULL",           "SE_BUSY",           "SE_INTERNAL_ERROR"};
}

Attempt classify(const adapters::QueryResult& result,
                 const std::set<std::string>& unavailable_codes) {
  using Kind = shep::Exchange::Kind;
  if (!result.exchange) return Attempt::not_sent;
  const auto& exchange = *result.exchange;
  // An untrusted reply says nothing, whatever it carries; asking again would not make it trusted.
  if (exchange.signature.rejected) return Attempt::unavailable;
  switch (exchange.kind) {
    case Kind::transport_error:
      return Attempt::retryable;
    case Kind::http_error: {
      const unsigned status = exchange.http_status.value_or(0);
      if (status >= 500 || status == 408 || status == 429) return Attempt::retryable;
      return Attempt::answer;  // 4xx: the request is wrong, the system is up
    }
    case Kind::soap_fault:
      if (exchange.reply.error && unavailable_codes.count(exchange.reply.error->code))
        return Attempt::retryable;
      return Attempt::answer;
    case Kind::bus_status:
      if (unavailable_codes.count(exchange.reply.info.status_code)) return Attempt::retryable;
      return Attempt::answer;
    case Kind::malformed:
      return Attempt::unavailable;
    case Kind::no_data:
    case Kind::data:
      return Attempt::answer;
  }
  return Attempt::answer;
}

}  // namespace tekser::resilience
