// Delivery to the portal: which replies end a trigger's delivery, and the backoff between tries.
#include <gtest/gtest.h>

#include <boost/beast/http/status.hpp>

#include "gateway/delivery/policy.hpp"

namespace tekser::delivery {
namespace {

using namespace std::chrono_literals;

net::HttpReply response(unsigned status, std::string body = {}) {
  net::HttpReply r;
  r.kind = net::HttpReply::Kind::response;
  r.status = status;
  r.reason = std::string(
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status)));
  r.body = std::move(body);
  return r;
}

net::HttpReply transport(std::string cause) {
  net::HttpReply r;
  r.cause = std::move(cause);
  return r;
}

TEST(DeliveryPolicy, BackoffGrowsExponentiallyUpToTheCapLessTheJitter) {
  BackoffPolicy p;
  p.initial = 1000ms;
  p.max = 60s;
  p.jitter = 0.5;
  EXPECT_EQ(BackoffPolicy{}.initial, 2000ms) << "the contract: 1 s x 2^n after failure n";
  EXPECT_EQ(BackoffPolicy{}.max, 10min);
  EXPECT_EQ(retry_delay(BackoffPolicy{}, 3, 0.999999), 0ms) << "full jitter by default";
  EXPECT_EQ(retry_delay(p, 1, 0.0), 1000ms);
  EXPECT_EQ(retry_delay(p, 2, 0.0), 2000ms);
  EXPECT_EQ(retry_delay(p, 5, 0.0), 16000ms);
  EXPECT_EQ(retry_delay(p, 7, 0.0), 60000ms) << "capped";
  EXPECT_EQ(retry_delay(p, 500, 0.0), 60000ms) << "no overflow";
  EXPECT_EQ(retry_delay(p, 2, 0.999999), 1000ms) << "at most half taken off";
  EXPECT_EQ(retry_delay(p, 2, 0.5), 1500ms);
}

TEST(DeliveryPolicy, TwoHundredsAreDeliveredIncludingADuplicate) {
  const BackoffPolicy p;
  EXPECT_EQ(judge(response(202), 0, p).kind, AttemptVerdict::Kind::delivered);
  const auto duplicate = judge(response(200, R"({"duplicate":true})"), 3, p);
  EXPECT_EQ(duplicate.kind, AttemptVerdict::Kind::delivered);
  EXPECT_EQ(*duplicate.status, 200);
}

TEST(DeliveryPolicy, AnInvalidBodyOrAConflictingKeyIsDeadAtOnce) {
  const BackoffPolicy p;
  const auto invalid = judge(response(400, R"({"error":{"field":"grounds"}})"), 0, p);
  EXPECT_EQ(invalid.kind, AttemptVerdict::Kind::dead);
  EXPECT_EQ(invalid.error, R"(HTTP 400 Bad Request: {"error":{"field":"grounds"}})");
  for (unsigned status : {409u, 413u, 415u, 422u})
    EXPECT_EQ(judge(response(status), 0, p).kind, AttemptVerdict::Kind::dead) << status;
}

TEST(DeliveryPolicy, EverythingElseIsRetriedUntilTheAttemptsRunOut) {
  BackoffPolicy p;
  p.max_attempts = 3;
  for (unsigned status : {401u, 408u, 429u, 500u, 502u, 503u}) {
    SCOPED_TRACE(status);
    EXPECT_EQ(judge(response(status), 0, p).kind, AttemptVerdict::Kind::retry);
    EXPECT_EQ(judge(response(status), 2, p).kind, AttemptVerdict::Kind::dead) << "third failure";
  }
  auto busy = response(503);
  busy.headers.set("Retry-After", "120");
  EXPECT_EQ(judge(busy, 0, p).retry_after, std::chrono::seconds(120));
  busy.headers.set("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT");
  EXPECT_FALSE(judge(busy, 0, p).retry_after) << "the date form is not used";
  const auto reset = judge(transport("connection reset by peer"), 1, p);
  EXPECT_EQ(reset.kind, AttemptVerdict::Kind::retry);
  EXPECT_EQ(reset.error, "connection reset by peer");
  EXPECT_FALSE(reset.status);
}

}  // namespace
}  // namespace tekser::delivery
